package simulation

import (
	"bytes"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/kv"

	"github.com/infrafi/infrafi/x/yield/types"
)

var (
	ownerKeyCodec = collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint64Key)
	queueKeyCodec = collections.PairKeyCodec(collections.Uint32Key, collections.Uint64Key)
)

// NewDecodeStore returns a decoder of two x/yield store records with the same
// key into a readable diff (the import/export store comparison uses it). It
// panics on a key outside the module's collection prefixes.
func NewDecodeStore(cdc codec.Codec) func(kvA, kvB kv.Pair) string {
	return func(kvA, kvB kv.Pair) string {
		if len(kvA.Key) == 0 {
			panic("x/yield: empty store key")
		}
		prefix, key := kvA.Key[:1], kvA.Key[1:]
		both := func(name string, a, b codec.ProtoMarshaler) string {
			cdc.MustUnmarshal(kvA.Value, a)
			cdc.MustUnmarshal(kvB.Value, b)
			return fmt.Sprintf("%s\nA: %v\nB: %v", name, a, b)
		}
		switch {
		case bytes.Equal(prefix, types.ParamsKey.Bytes()):
			return both("Params", &types.Params{}, &types.Params{})
		case bytes.Equal(prefix, types.VaultKey.Bytes()):
			return both("Vault", &types.VaultState{}, &types.VaultState{})
		case bytes.Equal(prefix, types.BookKey.Bytes()):
			return both("Book", &types.SeniorBook{}, &types.SeniorBook{})
		case bytes.Equal(prefix, types.TreasuryKey.Bytes()):
			return both("Treasury", &types.TreasuryState{}, &types.TreasuryState{})
		case bytes.Equal(prefix, types.EpochKey.Bytes()):
			return both("Epoch", &types.EpochInfo{}, &types.EpochInfo{})
		case bytes.Equal(prefix, types.RoundKey.Bytes()):
			return both("Round", &types.ServingRound{}, &types.ServingRound{})
		case bytes.Equal(prefix, types.RequestsKey.Bytes()):
			_, id, err := collections.Uint64Key.Decode(key)
			if err != nil {
				panic(fmt.Sprintf("x/yield: request key %X: %s", key, err))
			}
			return both(fmt.Sprintf("Request %d", id), &types.RedeemRequest{}, &types.RedeemRequest{})
		case bytes.Equal(prefix, types.RequestsByOwnerKey.Bytes()):
			_, k, err := ownerKeyCodec.Decode(key)
			if err != nil {
				panic(fmt.Sprintf("x/yield: owner index key %X: %s", key, err))
			}
			return fmt.Sprintf("RequestByOwner (%s, %d)\nA: indexed\nB: indexed", k.K1(), k.K2())
		case bytes.Equal(prefix, types.QueueKey.Bytes()):
			_, k, err := queueKeyCodec.Decode(key)
			if err != nil {
				panic(fmt.Sprintf("x/yield: queue key %X: %s", key, err))
			}
			return fmt.Sprintf("Queue (bid key %d, request %d)\nA: queued\nB: queued", k.K1(), k.K2())
		case bytes.Equal(prefix, types.CheckpointsKey.Bytes()):
			_, t, err := collections.Int64Key.Decode(key)
			if err != nil {
				panic(fmt.Sprintf("x/yield: checkpoint key %X: %s", key, err))
			}
			return both(fmt.Sprintf("Checkpoint %d", t), &types.Checkpoint{}, &types.Checkpoint{})
		case bytes.Equal(prefix, types.CheckpointCountKey.Bytes()):
			return fmt.Sprintf("CheckpointCount\nA: %s\nB: %s", decodeUint64(kvA.Value), decodeUint64(kvB.Value))
		case bytes.Equal(prefix, types.CommittedKey.Bytes()):
			return fmt.Sprintf("Committed\nA: %s\nB: %s", decodeInt(kvA.Value), decodeInt(kvB.Value))
		default:
			panic(fmt.Sprintf("x/yield: unexpected store key prefix %X", prefix))
		}
	}
}

func decodeUint64(bz []byte) string {
	v, err := collections.Uint64Value.Decode(bz)
	if err != nil {
		return fmt.Sprintf("<undecodable %X: %s>", bz, err)
	}
	return fmt.Sprint(v)
}

func decodeInt(bz []byte) string {
	v, err := sdk.IntValue.Decode(bz)
	if err != nil {
		return fmt.Sprintf("<undecodable %X: %s>", bz, err)
	}
	return math.Int(v).String()
}
