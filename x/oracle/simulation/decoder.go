package simulation

import (
	"bytes"
	"fmt"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/kv"

	"github.com/infrafi/infrafi/x/oracle/types"
)

// feederKeyCodec is the key codec of Feeders and Posts: (feed id, feeder address).
var feederKeyCodec = collections.PairKeyCodec(collections.StringKey, sdk.AccAddressKey)

// NewDecodeStore returns a decoder of two x/oracle store records with the same
// key into a readable diff (the import/export store comparison uses it). It
// panics on a key outside the module's collection prefixes.
func NewDecodeStore(cdc codec.Codec) func(kvA, kvB kv.Pair) string {
	return func(kvA, kvB kv.Pair) string {
		if len(kvA.Key) == 0 {
			panic("x/oracle: empty store key")
		}
		prefix, key := kvA.Key[:1], kvA.Key[1:]
		switch {
		case bytes.Equal(prefix, types.ParamsKey.Bytes()):
			var a, b types.Params
			cdc.MustUnmarshal(kvA.Value, &a)
			cdc.MustUnmarshal(kvB.Value, &b)
			return fmt.Sprintf("Params A: %v\nParams B: %v", a, b)
		case bytes.Equal(prefix, types.FeedsKey.Bytes()):
			var a, b types.Feed
			cdc.MustUnmarshal(kvA.Value, &a)
			cdc.MustUnmarshal(kvB.Value, &b)
			return fmt.Sprintf("Feed %s\nA: %v\nB: %v", decodeString(key), a, b)
		case bytes.Equal(prefix, types.FeedersKey.Bytes()):
			return fmt.Sprintf("Feeder %s\nA: registered\nB: registered", decodeFeederKey(key))
		case bytes.Equal(prefix, types.PostsKey.Bytes()):
			var a, b types.Post
			cdc.MustUnmarshal(kvA.Value, &a)
			cdc.MustUnmarshal(kvB.Value, &b)
			return fmt.Sprintf("Post %s\nA: %v\nB: %v", decodeFeederKey(key), a, b)
		case bytes.Equal(prefix, types.PricesKey.Bytes()):
			var a, b types.Price
			cdc.MustUnmarshal(kvA.Value, &a)
			cdc.MustUnmarshal(kvB.Value, &b)
			return fmt.Sprintf("Price %s\nA: %v\nB: %v", decodeString(key), a, b)
		case bytes.Equal(prefix, types.PendingFeedsKey.Bytes()):
			return fmt.Sprintf("PendingFeed %s\nA: pending\nB: pending", decodeString(key))
		default:
			panic(fmt.Sprintf("x/oracle: unexpected store key prefix %X", prefix))
		}
	}
}

func decodeString(key []byte) string {
	_, s, err := collections.StringKey.Decode(key)
	if err != nil {
		return fmt.Sprintf("<undecodable %X: %s>", key, err)
	}
	return s
}

func decodeFeederKey(key []byte) string {
	_, k, err := feederKeyCodec.Decode(key)
	if err != nil {
		return fmt.Sprintf("<undecodable %X: %s>", key, err)
	}
	return fmt.Sprintf("(%s, %s)", k.K1(), k.K2())
}
