package simulation

import (
	"bytes"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/kv"

	"github.com/infrafi/infrafi/x/caliber/types"
)

// Key codecs of the module's collections (see keeper.NewKeeper).
var (
	timeQueueKey  = collections.PairKeyCodec(sdk.TimeKey, collections.Uint64Key)
	roleIndexKey  = collections.PairKeyCodec(collections.Int32Key, sdk.AccAddressKey)
	addrIndexKey  = collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint64Key)
	classIndexKey = collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)
	statusIdxKey  = collections.PairKeyCodec(collections.Int32Key, collections.Uint64Key)
)

// decodeKey decodes a collection key (without its prefix) into a readable form.
func decodeKey[K any](kc collcodec.KeyCodec[K], key []byte) string {
	_, k, err := kc.Decode(key)
	if err != nil {
		return fmt.Sprintf("undecodable key %X: %s", key, err)
	}
	return kc.Stringify(k)
}

// decodeUint64 decodes a sequence or uint64 value.
func decodeUint64(bz []byte) string {
	v, err := collections.Uint64Value.Decode(bz)
	if err != nil {
		return fmt.Sprintf("undecodable uint64 %X: %s", bz, err)
	}
	return fmt.Sprintf("%d", v)
}

// decodeInt decodes a math.Int value.
func decodeInt(bz []byte) string {
	v, err := sdk.IntValue.Decode(bz)
	if err != nil {
		return fmt.Sprintf("undecodable int %X: %s", bz, err)
	}
	return v.String()
}

// NewDecodeStore returns a decoder that unmarshals the KVPair's values of
// every x/caliber collection into a readable diff. Entries of key sets
// (secondary indexes, expiry queues) carry no value and are shown by their
// decoded keys. It panics on an unknown prefix.
func NewDecodeStore(cdc codec.Codec) func(kvA, kvB kv.Pair) string {
	proto := func(a, b []byte, newMsg func() codec.ProtoMarshaler) string {
		ma, mb := newMsg(), newMsg()
		cdc.MustUnmarshal(a, ma)
		cdc.MustUnmarshal(b, mb)
		return fmt.Sprintf("%s\n%s", cdc.MustMarshalJSON(ma), cdc.MustMarshalJSON(mb))
	}
	keys := func(a, b []byte, decode func([]byte) string) string {
		return fmt.Sprintf("%s\n%s", decode(a), decode(b))
	}
	return func(kvA, kvB kv.Pair) string {
		switch {
		case bytes.HasPrefix(kvA.Key, types.ParamsKey):
			return proto(kvA.Value, kvB.Value, func() codec.ProtoMarshaler { return &types.Params{} })
		case bytes.HasPrefix(kvA.Key, types.PartiesKey):
			return proto(kvA.Value, kvB.Value, func() codec.ProtoMarshaler { return &types.Party{} })
		case bytes.HasPrefix(kvA.Key, types.PartiesByRoleKey):
			return keys(kvA.Key[1:], kvB.Key[1:], func(k []byte) string { return "party by role " + decodeKey(roleIndexKey, k) })
		case bytes.HasPrefix(kvA.Key, types.AssetClassesKey):
			return proto(kvA.Value, kvB.Value, func() codec.ProtoMarshaler { return &types.AssetClass{} })
		case bytes.HasPrefix(kvA.Key, types.TitlesKey):
			return proto(kvA.Value, kvB.Value, func() codec.ProtoMarshaler { return &types.Title{} })
		case bytes.HasPrefix(kvA.Key, types.TitlesByOwnerKey):
			return keys(kvA.Key[1:], kvB.Key[1:], func(k []byte) string { return "title by owner " + decodeKey(addrIndexKey, k) })
		case bytes.HasPrefix(kvA.Key, types.TitlesByClassKey):
			return keys(kvA.Key[1:], kvB.Key[1:], func(k []byte) string { return "title by class " + decodeKey(classIndexKey, k) })
		case bytes.HasPrefix(kvA.Key, types.TitlesByStatusKey):
			return keys(kvA.Key[1:], kvB.Key[1:], func(k []byte) string { return "title by status " + decodeKey(statusIdxKey, k) })
		case bytes.HasPrefix(kvA.Key, types.TitlesByCustodianKey):
			return keys(kvA.Key[1:], kvB.Key[1:], func(k []byte) string { return "title by custodian " + decodeKey(addrIndexKey, k) })
		case bytes.HasPrefix(kvA.Key, types.NextTitleIDKey):
			return fmt.Sprintf("next title id %s\nnext title id %s", decodeUint64(kvA.Value), decodeUint64(kvB.Value))
		case bytes.HasPrefix(kvA.Key, types.SerialsKey):
			return fmt.Sprintf("serial %s in title %s\nserial %s in title %s",
				decodeKey(collections.StringKey, kvA.Key[1:]), decodeUint64(kvA.Value),
				decodeKey(collections.StringKey, kvB.Key[1:]), decodeUint64(kvB.Value))
		case bytes.HasPrefix(kvA.Key, types.CustodyKey):
			return proto(kvA.Value, kvB.Value, func() codec.ProtoMarshaler { return &types.Custody{} })
		case bytes.HasPrefix(kvA.Key, types.CustodyExpiryKey):
			return keys(kvA.Key[1:], kvB.Key[1:], func(k []byte) string { return "custody expiry " + decodeTimeQueue(k) })
		case bytes.HasPrefix(kvA.Key, types.AppraisalsKey):
			return proto(kvA.Value, kvB.Value, func() codec.ProtoMarshaler { return &types.TitleAppraisals{} })
		case bytes.HasPrefix(kvA.Key, types.PoolsKey):
			return proto(kvA.Value, kvB.Value, func() codec.ProtoMarshaler { return &types.InsurancePool{} })
		case bytes.HasPrefix(kvA.Key, types.PoliciesKey):
			return proto(kvA.Value, kvB.Value, func() codec.ProtoMarshaler { return &types.Policy{} })
		case bytes.HasPrefix(kvA.Key, types.PolicyExpiryKey):
			return keys(kvA.Key[1:], kvB.Key[1:], func(k []byte) string { return "policy expiry " + decodeTimeQueue(k) })
		case bytes.HasPrefix(kvA.Key, types.PolicyRequestsKey):
			return proto(kvA.Value, kvB.Value, func() codec.ProtoMarshaler { return &types.PolicyRequest{} })
		case bytes.HasPrefix(kvA.Key, types.PolicyRequestByTitleKey):
			return fmt.Sprintf("title %s has request %s\ntitle %s has request %s",
				decodeKey(collections.Uint64Key, kvA.Key[1:]), decodeUint64(kvA.Value),
				decodeKey(collections.Uint64Key, kvB.Key[1:]), decodeUint64(kvB.Value))
		case bytes.HasPrefix(kvA.Key, types.NextPolicyRequestIDKey):
			return fmt.Sprintf("next policy request id %s\nnext policy request id %s", decodeUint64(kvA.Value), decodeUint64(kvB.Value))
		case bytes.HasPrefix(kvA.Key, types.InsuranceReservedKey):
			return fmt.Sprintf("insurance reserved %s\ninsurance reserved %s", decodeInt(kvA.Value), decodeInt(kvB.Value))
		default:
			panic(fmt.Sprintf("invalid %s key prefix %X", types.ModuleName, kvA.Key))
		}
	}
}

// decodeTimeQueue shows an (expires_at, title id) queue key.
func decodeTimeQueue(key []byte) string {
	_, k, err := timeQueueKey.Decode(key)
	if err != nil {
		return fmt.Sprintf("undecodable key %X: %s", key, err)
	}
	return fmt.Sprintf("title %d at %s", k.K2(), k.K1().UTC().Format(time.RFC3339))
}
