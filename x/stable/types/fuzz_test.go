package types_test

import (
	"math/big"
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/fuzzutil"
	"github.com/infrafi/infrafi/x/stable/types"
)

func addrSeed(name string) []byte { return append([]byte{1}, []byte(name)...) }

// addrList cuts b into 21-byte fuzzed addresses (at most 120).
func addrList(b []byte) []string {
	var out []string
	for len(b) > 0 && len(out) < 120 {
		n := min(21, len(b))
		out = append(out, fuzzutil.Addr(b[:n]))
		b = b[n:]
	}
	return out
}

// FuzzMsgValidateBasic builds every x/stable message from fuzzed fields: no
// ValidateBasic panics, every error is registered, and a message that passes
// has addresses the msg server can parse without panicking.
func FuzzMsgValidateBasic(f *testing.F) {
	f.Add(addrSeed("alice_______________"), "uusdc", []byte{0, 1, 0}, uint32(10), uint32(20), "fx/uusdc",
		[]byte{0, 0x0d, 0xe0, 0xb6, 0xb3, 0xa7, 0x64, 0}, append(addrSeed("bob_________________"), addrSeed("carol_______________")...), uint8(1), true)
	f.Add([]byte{0, '!'}, "uusdai", []byte{1, 1}, uint32(10_001), uint32(0), "", []byte{0, 1}, []byte{}, uint8(0), false)
	f.Add(addrSeed("a"), "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", []byte{}, uint32(0), uint32(0), "Bad",
		[]byte{}, append(addrSeed("bob_________________"), addrSeed("bob_________________")...), uint8(0), true)
	f.Fuzz(func(t *testing.T, a1 []byte, denom string, amountB []byte, mintFee, redeemFee uint32, feed string,
		thresholdB, list []byte, split uint8, flag bool,
	) {
		sender := fuzzutil.Addr(a1)
		amount := fuzzutil.Int(amountB)
		reserve := types.ReserveAsset{
			Denom: denom, Enabled: flag, MintFeeBps: mintFee, RedeemFeeBps: redeemFee, Cap: amount,
			DepegFeed: feed, DepegThreshold: fuzzutil.Dec(thresholdB),
		}
		addrs := addrList(list)
		k := min(int(split), len(addrs))

		cases := []struct {
			msg   sdk.HasValidateBasic
			addrs []string
		}{
			{&types.MsgMint{Sender: sender, Amount: sdk.Coin{Denom: denom, Amount: amount}}, []string{sender}},
			{&types.MsgRedeem{Sender: sender, Amount: sdk.Coin{Denom: types.USDaiDenom, Amount: amount}, ReserveDenom: denom}, []string{sender}},
			{&types.MsgRedeem{Sender: sender, Amount: sdk.Coin{Denom: denom, Amount: amount}, ReserveDenom: feed}, []string{sender}},
			{&types.MsgUpdateParams{Authority: sender, Params: types.NewParams([]types.ReserveAsset{reserve}, amount, flag, !flag)}, []string{sender}},
			{&types.MsgUpdateParams{Authority: sender, Params: types.NewParams([]types.ReserveAsset{reserve, reserve}, amount, flag, flag)}, []string{sender}},
			{&types.MsgUpdateAllowlist{Authority: sender, Add: addrs[:k], Remove: addrs[k:]}, append([]string{sender}, addrs...)},
		}
		for _, c := range cases {
			err := c.msg.ValidateBasic()
			fuzzutil.RequireRegistered(t, err, types.ModuleName)
			if err != nil {
				continue
			}
			for _, a := range c.addrs {
				sdk.MustAccAddressFromBech32(a)
			}
		}
	})
}

// FuzzFees checks the PSM's fee and backing math on any amount and bps up to
// 100%: the fee is the exact bps share rounded up (never more than the
// amount), net + fee is the amount, the backing ratio never overstates
// reserves / supply, and CapRemaining is max(0, limit − used).
func FuzzFees(f *testing.F) {
	f.Add([]byte{0, 0x3b, 0x9a, 0xca, 0}, uint32(10), []byte{0, 5}, []byte{0, 7})
	f.Add([]byte{0, 1}, uint32(10_000), []byte{}, []byte{0, 1})
	f.Add([]byte{0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, uint32(1), []byte{0, 3}, []byte{})
	f.Fuzz(func(t *testing.T, amountB []byte, bps uint32, reservesB, supplyB []byte) {
		amount := fuzzutil.NonNegInt(amountB)
		bps %= types.BpsDenominator + 1
		net, fee := types.SplitFee(amount, bps)
		if !types.FeeAmount(amount, bps).Equal(fee) {
			t.Fatal("SplitFee's fee differs from FeeAmount")
		}
		if fee.IsNegative() || fee.GT(amount) || !net.Add(fee).Equal(amount) {
			t.Fatalf("amount %s at %d bps: net %s fee %s", amount, bps, net, fee)
		}
		// fee × 10000 is the smallest multiple of 10000 at or above amount × bps.
		exact := new(big.Int).Mul(amount.BigInt(), big.NewInt(int64(bps)))
		scaled := new(big.Int).Mul(fee.BigInt(), big.NewInt(types.BpsDenominator))
		if scaled.Cmp(exact) < 0 || new(big.Int).Sub(scaled, exact).Cmp(big.NewInt(types.BpsDenominator)) >= 0 {
			t.Fatalf("fee %s is not ceil(%s × %d / 10000)", fee, amount, bps)
		}

		reserves, supply := fuzzutil.NonNegInt(reservesB), fuzzutil.NonNegInt(supplyB)
		ratio := types.BackingRatio(reserves, supply)
		if supply.IsZero() {
			if !ratio.Equal(math.LegacyOneDec()) {
				t.Fatalf("ratio %s with no supply", ratio)
			}
		} else if ratio.MulInt(supply).GT(math.LegacyNewDecFromInt(reserves)) {
			t.Fatalf("ratio %s overstates %s / %s", ratio, reserves, supply)
		}
		left := types.CapRemaining(reserves, supply)
		if left.IsNegative() || (supply.LT(reserves) && !supply.Add(left).Equal(reserves)) || (supply.GTE(reserves) && !left.IsZero()) {
			t.Fatalf("CapRemaining(%s, %s) = %s", reserves, supply, left)
		}
	})
}
