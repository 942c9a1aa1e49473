package simulation

import (
	"bytes"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/kv"

	"github.com/infrafi/infrafi/x/stable/types"
)

// NewDecodeStore returns a decoder of two x/stable store records with the same
// key into a readable diff (the import/export store comparison uses it). It
// panics on a key outside the module's collection prefixes.
func NewDecodeStore(cdc codec.Codec) func(kvA, kvB kv.Pair) string {
	return func(kvA, kvB kv.Pair) string {
		if len(kvA.Key) == 0 {
			panic("x/stable: empty store key")
		}
		prefix, key := kvA.Key[:1], kvA.Key[1:]
		switch {
		case bytes.Equal(prefix, types.ParamsKey.Bytes()):
			var a, b types.Params
			cdc.MustUnmarshal(kvA.Value, &a)
			cdc.MustUnmarshal(kvB.Value, &b)
			return fmt.Sprintf("Params A: %v\nParams B: %v", a, b)
		case bytes.Equal(prefix, types.AllowlistKey.Bytes()):
			_, addr, err := sdk.AccAddressKey.Decode(key)
			if err != nil {
				return fmt.Sprintf("Allowlist <undecodable %X: %s>", key, err)
			}
			return fmt.Sprintf("Allowlist %s\nA: listed\nB: listed", addr)
		case bytes.Equal(prefix, types.TreasuryOutstandingKey.Bytes()):
			_, denom, err := collections.StringKey.Decode(key)
			if err != nil {
				denom = fmt.Sprintf("<undecodable %X: %s>", key, err)
			}
			return fmt.Sprintf("TreasuryOutstanding %s\nA: %s\nB: %s", denom, decodeInt(kvA.Value), decodeInt(kvB.Value))
		default:
			panic(fmt.Sprintf("x/stable: unexpected store key prefix %X", prefix))
		}
	}
}

func decodeInt(bz []byte) string {
	v, err := sdk.IntValue.Decode(bz)
	if err != nil {
		return fmt.Sprintf("<undecodable %X: %s>", bz, err)
	}
	return math.Int(v).String()
}
