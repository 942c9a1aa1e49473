package types_test

import (
	"math/big"
	"testing"
	"time"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/fuzzutil"
	"github.com/infrafi/infrafi/x/yield/types"
)

func addrSeed(name string) []byte { return append([]byte{1}, []byte(name)...) }

// FuzzMsgValidateBasic builds every x/yield message from fuzzed fields: no
// ValidateBasic panics, every error is registered, and a message that passes
// has addresses the msg server can parse without panicking.
func FuzzMsgValidateBasic(f *testing.F) {
	f.Add(addrSeed("alice_______________"), "uusdai", []byte{0, 1, 0}, []byte{0, 5}, uint32(100), int64(3600), "rate/tbill", addrSeed("custodian___________"), true)
	f.Add([]byte{0, '?'}, "ususdai", []byte{1, 1}, []byte{}, uint32(10_001), int64(0), "", []byte{}, false)
	f.Add(addrSeed("b"), "uusdai", []byte{0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		[]byte{0}, uint32(0), int64(1), "uusdc", []byte{0, 'x'}, true)
	f.Fuzz(func(t *testing.T, a1 []byte, denom string, n1, n2 []byte, bps uint32, secs int64, text string, a2 []byte, flag bool) {
		owner, custodian := fuzzutil.Addr(a1), fuzzutil.Addr(a2)
		amount, other := fuzzutil.Int(n1), fuzzutil.Int(n2)
		dur := time.Duration(secs) * time.Second
		params := types.Params{
			EpochLength: dur, CancelCutoff: dur / 2, MaxRedemptionsPerBlock: bps, ProtocolBidShareBps: bps, AdminFeeBps: bps,
			LiquidityBufferBps: bps, RebalanceInterval: dur, TreasuryRateFeed: text, TreasuryCustodian: custodian,
			TreasuryReserveDenom: denom, CheckpointInterval: dur, MaxCheckpoints: bps,
		}
		if !flag {
			params.TreasuryCustodian = ""
		}
		cases := []struct {
			msg   sdk.HasValidateBasic
			addrs []string
		}{
			{&types.MsgDeposit{Depositor: owner, Amount: sdk.Coin{Denom: denom, Amount: amount}}, []string{owner}},
			{&types.MsgRequestRedeem{Owner: owner, Shares: amount, BidBps: bps}, []string{owner}},
			{&types.MsgUpdateBid{Owner: owner, RequestId: uint64(secs), BidBps: bps}, []string{owner}},
			{&types.MsgCancelRedeem{Owner: owner, RequestId: uint64(secs)}, []string{owner}},
			{&types.MsgSettleTreasury{Custodian: custodian, Principal: amount, Yield: other}, []string{custodian}},
			{&types.MsgUpdateParams{Authority: owner, Params: params}, []string{owner}},
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

// bigs returns the big.Int values of ints.
func bigs(ints ...math.Int) []*big.Int {
	out := make([]*big.Int, len(ints))
	for i, v := range ints {
		out[i] = v.BigInt()
	}
	return out
}

// priceNotBelow reports whether (a1 + 10^6) / (s1 + 10^6) >= (a0 + 10^6) / (s0 + 10^6):
// the share price after an operation is at least the price before it.
func priceNotBelow(a1, s1, a0, s0 math.Int) bool {
	v := bigs(a1.Add(types.VirtualAssets), s1.Add(types.VirtualShares), a0.Add(types.VirtualAssets), s0.Add(types.VirtualShares))
	return new(big.Int).Mul(v[0], v[3]).Cmp(new(big.Int).Mul(v[2], v[1])) >= 0
}

// FuzzShareConversion checks the vault's ERC-4626 math on any totals and
// amounts (out-of-range ones must return a registered error, not panic):
// a deposit never lets its depositor take out more than they put in, never
// lowers the share price for the holders already in, and a round trip
// through assets and shares (either way) never gains the user anything.
func FuzzShareConversion(f *testing.F) {
	f.Add([]byte{0, 0x0f, 0x42, 0x40}, []byte{}, []byte{})
	f.Add([]byte{0, 1}, []byte{0, 0x0f, 0x42, 0x40}, []byte{0, 0x1e, 0x84, 0x80})
	f.Add([]byte{0, 0x0f, 0x42, 0x3f}, []byte{0, 1}, []byte{0, 0x3b, 0x9a, 0xca, 0})
	f.Add([]byte{0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, []byte{0, 7}, []byte{1, 3})
	f.Fuzz(func(t *testing.T, amountB, sharesB, assetsB []byte) {
		x, totalShares, totalAssets := fuzzutil.Int(amountB), fuzzutil.Int(sharesB), fuzzutil.Int(assetsB)
		if x.IsNil() || totalShares.IsNil() || totalAssets.IsNil() {
			return
		}
		// Deposit of x assets, then redemption of what it minted.
		shares, err := types.ConvertToShares(x, totalShares, totalAssets)
		fuzzutil.RequireRegistered(t, err, types.ModuleName)
		if err == nil {
			if shares.IsNegative() {
				t.Fatalf("%s shares for %s assets", shares, x)
			}
			s1, a1 := totalShares.Add(shares), totalAssets.Add(x)
			if !priceNotBelow(a1, s1, totalAssets, totalShares) {
				t.Fatalf("deposit of %s into %s/%s lowers the share price", x, totalAssets, totalShares)
			}
			back, err := types.ConvertToAssets(shares, s1, a1)
			fuzzutil.RequireRegistered(t, err, types.ModuleName)
			if err == nil && back.GT(x) {
				t.Fatalf("deposit %s, minted %s shares worth %s", x, shares, back)
			}
			if again, err := types.ConvertToAssets(shares, totalShares, totalAssets); err == nil && again.GT(x) {
				t.Fatalf("assets %s -> %s shares -> %s assets", x, shares, again)
			}
		}
		// x shares -> assets -> shares.
		assets, err := types.ConvertToAssets(x, totalShares, totalAssets)
		fuzzutil.RequireRegistered(t, err, types.ModuleName)
		if err == nil {
			if s2, err := types.ConvertToShares(assets, totalShares, totalAssets); err == nil && s2.GT(x) {
				t.Fatalf("shares %s -> %s assets -> %s shares", x, assets, s2)
			}
		}
		// The price is (assets + 10^6) / (shares + 10^6) truncated to 18 decimals.
		price, err := types.SharePrice(totalShares, totalAssets)
		fuzzutil.RequireRegistered(t, err, types.ModuleName)
		if err == nil {
			s := math.LegacyNewDecFromInt(totalShares.Add(types.VirtualShares))
			a := math.LegacyNewDecFromInt(totalAssets.Add(types.VirtualAssets))
			if price.IsNegative() || price.Mul(s).GT(a) || price.Add(math.LegacyNewDecWithPrec(1, math.LegacyPrecision)).Mul(s).LTE(a) {
				t.Fatalf("price %s of %s/%s", price, totalAssets, totalShares)
			}
		}
	})
}

// FuzzRedemption checks a served redemption: payout + bid is the gross
// value, the protocol's share is part of the bid, the holders who stay never
// see the share price fall, and FillableShares never serves more shares than
// asked or than the liquidity can pay for.
func FuzzRedemption(f *testing.F) {
	f.Add([]byte{0, 0x0f, 0x42, 0x40}, []byte{0, 0x3b, 0x9a, 0xca, 0}, []byte{0, 0x3b, 0x9a, 0xca, 0}, uint32(100), uint32(1000), []byte{0, 0x0f, 0x42, 0x40})
	f.Add([]byte{0, 1}, []byte{0, 1}, []byte{}, uint32(10_000), uint32(0), []byte{0, 0})
	f.Add([]byte{0, 5}, []byte{0, 0x3b, 0x9a, 0xca, 0}, []byte{0, 7}, uint32(9_999), uint32(10_000), []byte{0, 1})
	f.Fuzz(func(t *testing.T, sharesB, totalSharesB, assetsB []byte, bid, protocolShare uint32, liquidityB []byte) {
		shares, totalShares, assets := fuzzutil.NonNegInt(sharesB), fuzzutil.NonNegInt(totalSharesB), fuzzutil.NonNegInt(assetsB)
		liquidity := fuzzutil.NonNegInt(liquidityB)
		r, err := types.RedeemPayout(shares, totalShares, assets, bid, protocolShare)
		fuzzutil.RequireRegistered(t, err, types.ModuleName)
		if err == nil {
			if !r.Payout.Add(r.Bid).Equal(r.Gross) || r.Payout.IsNegative() || r.Bid.IsNegative() ||
				r.ProtocolShare.IsNegative() || r.ProtocolShare.GT(r.Bid) {
				t.Fatalf("redemption %+v", r)
			}
			if shares.LTE(totalShares) && r.Gross.LTE(assets) {
				left := assets.Sub(r.Payout).Sub(r.ProtocolShare)
				if !priceNotBelow(left, totalShares.Sub(shares), assets, totalShares) {
					t.Fatalf("redeeming %s of %s shares (assets %s, bid %d) lowers the price: %+v", shares, totalShares, assets, bid, r)
				}
			}
		}
		// The queue holds at most every share there is.
		fill, err := types.FillableShares(math.MinInt(shares, totalShares), liquidity, totalShares, assets, bid, protocolShare)
		fuzzutil.RequireRegistered(t, err, types.ModuleName)
		if err != nil {
			return
		}
		if fill.IsNegative() || fill.GT(shares) {
			t.Fatalf("fill %s of %s requested", fill, shares)
		}
		served, err := types.RedeemPayout(fill, totalShares, assets, bid, protocolShare)
		fuzzutil.RequireRegistered(t, err, types.ModuleName)
		if err != nil {
			return
		}
		if out := served.Payout.Add(served.ProtocolShare); out.GT(liquidity) {
			t.Fatalf("fill %s pays out %s with liquidity %s", fill, out, liquidity)
		}
	})
}

// FuzzBookAccrual checks the O(1) book aggregates against direct accrual:
// one position's interest from S and C equals its own accrual, two positions
// accrue their sum (within the one unit the floor of each can lose), NAV is
// never below the conservative NAV and neither is negative.
func FuzzBookAccrual(f *testing.F) {
	f.Add([]byte{0, 0x3b, 0x9a, 0xca, 0}, uint64(120_000_000_000_000_000), int64(1_900_000_000), []byte{0, 0x0f, 0x42, 0x40}, uint64(50_000_000_000_000_000), int64(1_900_100_000), int64(1_931_536_000), uint32(100))
	f.Add([]byte{0, 1}, uint64(0), int64(0), []byte{}, uint64(10_000_000_000_000_000_000), int64(253402300799), int64(253402300799), uint32(10_000))
	f.Fuzz(func(t *testing.T, b1 []byte, r1 uint64, since1 int64, b2 []byte, r2 uint64, since2, now int64, feeBps uint32) {
		if since1 > now || since2 > now {
			return // positions start at block time: never in the future
		}
		bal1, bal2 := fuzzutil.NonNegInt(b1), fuzzutil.NonNegInt(b2)
		rate1, rate2 := fuzzutil.DecBetween(r1, types.MaxRate), fuzzutil.DecBetween(r2, types.MaxRate)
		t1, t2, tn := time.Unix(since1, 0).UTC(), time.Unix(since2, 0).UTC(), time.Unix(now, 0).UTC()
		s1, c1, err1 := types.PositionWeights(bal1, rate1, t1)
		s2, c2, err2 := types.PositionWeights(bal2, rate2, t2)
		fuzzutil.RequireRegistered(t, err1, types.ModuleName)
		fuzzutil.RequireRegistered(t, err2, types.ModuleName)
		if err1 != nil || err2 != nil {
			return
		}
		one, errOne := types.AccruedInterest(s1, c1, tn)
		fuzzutil.RequireRegistered(t, errOne, types.ModuleName)
		if errOne == nil {
			direct, err := types.TreasuryAccrual(bal1, rate1, now-since1)
			if err == nil && !direct.TruncateInt().Equal(one) {
				t.Fatalf("aggregate accrual %s, direct %s", one, direct)
			}
		}
		both, err := types.AccruedInterest(s1.Add(s2), c1.Add(c2), tn)
		fuzzutil.RequireRegistered(t, err, types.ModuleName)
		two, err2 := types.AccruedInterest(s2, c2, tn)
		if err == nil && errOne == nil && err2 == nil {
			sum := one.Add(two)
			if both.LT(sum) || both.GT(sum.AddRaw(1)) {
				t.Fatalf("book accrues %s, positions %s + %s", both, one, two)
			}
		}

		nav, err := types.ComputeNAV(types.NAVInputs{
			Idle: bal1, SeniorPrincipal: bal2, Impairment: bal1.QuoRaw(3), AccruedInterest: one,
			TreasuryPrincipal: bal2.QuoRaw(2), AccruedYield: bal1.QuoRaw(7), AdminFeeBps: feeBps,
		})
		fuzzutil.RequireRegistered(t, err, types.ModuleName)
		if err == nil && (nav.Conservative.IsNegative() || nav.NAV.LT(nav.Conservative) || nav.AccruedFees.IsNegative()) {
			t.Fatalf("NAV %+v", nav)
		}
	})
}
