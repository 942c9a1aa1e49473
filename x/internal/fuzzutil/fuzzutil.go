// Package fuzzutil turns fuzzed primitives into the values infrafi messages
// carry (addresses, amounts, decimals) and checks what a fuzz target must
// never see: an error that is not registered. It is imported only by tests.
package fuzzutil

import (
	"math/big"
	"testing"
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

// maxIntBytes keeps a fuzzed integer within math.Int's 256 bits.
const maxIntBytes = 32

// RequireRegistered fails unless err is nil or a registered error of one of
// the codespaces (the SDK's "sdk" is always allowed). An unregistered error
// reaches users as "internal" (codespace "undefined", code 1).
func RequireRegistered(t testing.TB, err error, codespaces ...string) {
	t.Helper()
	if err == nil {
		return
	}
	space, code, _ := errorsmod.ABCIInfo(err, false)
	if space == errorsmod.UndefinedCodespace || code == 1 {
		t.Fatalf("unregistered error (codespace %q, code %d): %v", space, code, err)
	}
	if space == sdkerrors.RootCodespace {
		return
	}
	for _, s := range codespaces {
		if space == s {
			return
		}
	}
	t.Fatalf("error of codespace %q, want one of %v or %q: %v", space, codespaces, sdkerrors.RootCodespace, err)
}

// Addr is a fuzzed address string: b[1:] as raw text when b[0] is a multiple
// of 4 (mostly invalid bech32), otherwise the bech32 form of b[1:] as address
// bytes (valid for 1 to 255 bytes).
func Addr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if b[0]%4 == 0 {
		return string(b[1:])
	}
	return sdk.AccAddress(b[1:]).String()
}

// bigFrom reads b as a sign byte (odd: negative) and a big-endian magnitude
// of at most 32 bytes.
func bigFrom(b []byte) *big.Int {
	mag := b[1:]
	if len(mag) > maxIntBytes {
		mag = mag[:maxIntBytes]
	}
	v := new(big.Int).SetBytes(mag)
	if b[0]%2 == 1 {
		v.Neg(v)
	}
	return v
}

// Int is a fuzzed integer: nil for empty b, otherwise see bigFrom. It spans
// every magnitude up to 2^256 − 1.
func Int(b []byte) math.Int {
	if len(b) == 0 {
		return math.Int{}
	}
	return math.NewIntFromBigInt(bigFrom(b))
}

// NonNegInt is Int with the sign dropped and nil read as zero.
func NonNegInt(b []byte) math.Int {
	v := Int(b)
	if v.IsNil() {
		return math.ZeroInt()
	}
	return v.Abs()
}

// Dec is a fuzzed decimal with 18 decimals: nil for empty b, otherwise the
// integer of bigFrom divided by 10^18.
func Dec(b []byte) math.LegacyDec {
	if len(b) == 0 {
		return math.LegacyDec{}
	}
	return math.LegacyNewDecFromBigIntWithPrec(bigFrom(b), math.LegacyPrecision)
}

// DecBetween maps v onto [0, max] in steps of 10^-18 (max must be positive).
func DecBetween(v uint64, max math.LegacyDec) math.LegacyDec {
	span := new(big.Int).Add(max.BigInt(), big.NewInt(1))
	return math.LegacyNewDecFromBigIntWithPrec(new(big.Int).Mod(new(big.Int).SetUint64(v), span), math.LegacyPrecision)
}

// Time is a fuzzed time: base moved by seconds.
func Time(base time.Time, seconds int64) time.Time {
	return base.Add(time.Duration(seconds) * time.Second)
}

// Pick returns options[i mod len(options)].
func Pick[T any](i uint8, options ...T) T {
	return options[int(i)%len(options)]
}

// StoreSnapshot returns every key and value of every persistent store of a
// context built on a root multistore (as the keeper test fixtures are), by
// store name. Comparing two snapshots proves that nothing was written.
func StoreSnapshot(t testing.TB, ctx sdk.Context) map[string]map[string]string {
	t.Helper()
	ms, ok := ctx.MultiStore().(interface {
		StoreKeysByName() map[string]storetypes.StoreKey
	})
	if !ok {
		t.Fatalf("StoreSnapshot needs a root multistore, got %T", ctx.MultiStore())
	}
	out := map[string]map[string]string{}
	for name, key := range ms.StoreKeysByName() {
		if _, transient := key.(*storetypes.TransientStoreKey); transient {
			continue
		}
		kv := map[string]string{}
		it := ctx.MultiStore().GetKVStore(key).Iterator(nil, nil)
		for ; it.Valid(); it.Next() {
			kv[string(it.Key())] = string(it.Value())
		}
		if err := it.Close(); err != nil {
			t.Fatal(err)
		}
		out[name] = kv
	}
	return out
}

// Deliver runs a msg server call the way baseapp's runMsgs does: in a cache
// branch of ctx, written back only when the call succeeds. Msg servers that
// run shared keeper operations through keeperutil.InTx leave a refused
// message's partial writes to that branch to drop, so fuzz targets call them
// through Deliver (a failed message's writes never reach a block's state).
func Deliver(ctx sdk.Context, call func(ctx sdk.Context) error) error {
	cacheCtx, write := ctx.CacheContext()
	if err := call(cacheCtx); err != nil {
		return err
	}
	write()
	return nil
}
