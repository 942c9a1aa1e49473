package types_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/yield/types"
)

func i(v int64) math.Int          { return math.NewInt(v) }
func istr(s string) math.Int      { v, _ := math.NewIntFromString(s); return v }
func dec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }
func pow10(n int64) math.Int      { return math.NewIntWithDecimal(1, int(n)) }
func unix(sec int64) time.Time    { return time.Unix(sec, 0).UTC() }
func usd(v int64) math.Int        { return math.NewInt(v * 1_000_000) }
func plus1(v math.Int) math.Int   { return v.AddRaw(1) }
func bigShares() math.Int         { return plus1(types.MaxShares) }
func bigAssets() math.Int         { return plus1(types.MaxAssets) }
func zero() math.Int              { return math.ZeroInt() }
func decZero() math.LegacyDec     { return math.LegacyZeroDec() }

func TestConvertToShares(t *testing.T) {
	for _, tc := range []struct {
		name                string
		assets, shares, nav math.Int
		want                math.Int
		err                 error
	}{
		{"empty vault: one share per uusdai", usd(1), zero(), zero(), usd(1), nil},
		{"1 uusdai into an empty vault", i(1), zero(), zero(), i(1), nil},
		{"at the opening price", i(500_000), pow10(6), usd(1), i(500_000), nil},
		{"after 5% yield, shares round down", i(1_050_000), pow10(9), i(1_050_000_000), i(1_000_047), nil},
		{"zero deposit mints nothing", zero(), pow10(6), usd(1), zero(), nil},
		{"dust at a high price mints nothing", i(1), i(1_000_000), pow10(13), zero(), nil},
		{"negative assets", i(-1), zero(), zero(), math.Int{}, types.ErrInvalidAmount},
		{"assets above the limit", bigAssets(), zero(), zero(), math.Int{}, types.ErrOverflow},
		{"supply above the limit", i(1), bigShares(), usd(1), math.Int{}, types.ErrOverflow},
		{"nav above the limit", i(1), pow10(6), bigAssets(), math.Int{}, types.ErrOverflow},
		{"result above the share limit", types.MaxAssets, types.MaxShares, zero(), math.Int{}, types.ErrOverflow},
		{"nil assets", math.Int{}, zero(), zero(), math.Int{}, types.ErrInvalidAmount},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := types.ConvertToShares(tc.assets, tc.shares, tc.nav)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want.String(), got.String())
		})
	}
}

func TestConvertToAssets(t *testing.T) {
	for _, tc := range []struct {
		name                string
		shares, supply, nav math.Int
		want                math.Int
		err                 error
	}{
		{"opening price", pow10(6), pow10(6), usd(1), usd(1), nil},
		{"half the supply after 5% yield", i(500_000_000), pow10(9), i(1_050_000_000), i(524_975_024), nil},
		{"assets round down", i(3), pow10(6), i(1_500_000), i(3), nil},
		{"the virtual shares keep a lone holder from taking a donation", i(1), i(1), i(1_000_001), i(1), nil},
		{"after a loss the virtual assets value the shares above NAV, by less than 1 USDai", i(1_000_000), i(1_000_000), i(1), i(500_000), nil},
		{"shares above the limit", bigShares(), pow10(6), usd(1), math.Int{}, types.ErrOverflow},
		{"negative shares", i(-5), pow10(6), usd(1), math.Int{}, types.ErrInvalidAmount},
		{"result above the asset limit", types.MaxShares, zero(), types.MaxAssets, math.Int{}, types.ErrOverflow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := types.ConvertToAssets(tc.shares, tc.supply, tc.nav)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want.String(), got.String())
		})
	}
}

// vaultSim applies deposits and gains to (supply, nav) with the module's math.
type vaultSim struct{ supply, nav math.Int }

func (v *vaultSim) deposit(t *testing.T, assets math.Int) math.Int {
	t.Helper()
	shares, err := types.ConvertToShares(assets, v.supply, v.nav)
	require.NoError(t, err)
	v.supply, v.nav = v.supply.Add(shares), v.nav.Add(assets)
	return shares
}

func (v *vaultSim) worth(t *testing.T, shares math.Int) math.Int {
	t.Helper()
	a, err := types.ConvertToAssets(shares, v.supply, v.nav)
	require.NoError(t, err)
	return a
}

func TestSharePriceAfterDeposits(t *testing.T) {
	type step struct {
		deposit math.Int // or
		gain    math.Int
	}
	for _, tc := range []struct {
		name       string
		steps      []step
		wantPrice  string
		wantSupply math.Int
	}{
		{"empty vault", nil, "1.000000000000000000", zero()},
		{"one deposit", []step{{deposit: usd(1_000)}}, "1.000000000000000000", pow10(9)},
		{"two deposits at the same price", []step{{deposit: usd(1_000)}, {deposit: usd(3_000)}}, "1.000000000000000000", istr("4000000000")},
		// The virtual 1 USDai at price 1 dilutes the gain a little: (1,050 + 1) / (1,000 + 1).
		{"5% gain raises the price", []step{{deposit: usd(1_000)}, {gain: usd(50)}}, "1.049950049950049950", pow10(9)},
		{"a deposit after a gain keeps the price", []step{{deposit: usd(1_000)}, {gain: usd(50)}, {deposit: usd(1_051)}}, "1.049950049950049950", istr("2001000000")},
		{"rounding of a deposit's shares favours the vault", []step{{deposit: usd(1_000)}, {gain: usd(50)}, {deposit: usd(2_100)}}, "1.049950050117487994", istr("3000095147")},
		{"a loss lowers the price", []step{{deposit: usd(1_000)}, {gain: usd(-100)}}, "0.900099900099900099", pow10(9)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &vaultSim{supply: zero(), nav: zero()}
			for _, s := range tc.steps {
				if !s.deposit.IsNil() {
					v.deposit(t, s.deposit)
				} else {
					v.nav = v.nav.Add(s.gain)
				}
			}
			price, err := types.SharePrice(v.supply, v.nav)
			require.NoError(t, err)
			require.Equal(t, tc.wantPrice, price.String())
			require.Equal(t, tc.wantSupply.String(), v.supply.String())
		})
	}
}

// TestDonationAttack: an attacker deposits 1 uusdai into an empty vault, then
// donates D (raising NAV without minting shares) to inflate the share price
// before a victim deposits 1,000 USDai. With the virtual offset the attacker
// loses all but 10^-6 of the donation (it is shared with the 10^6 virtual
// shares) and the victim loses at most one share's worth of rounding, about
// 10^-6 of the attacker's loss.
func TestDonationAttack(t *testing.T) {
	victimDeposit := usd(1_000)
	for _, tc := range []struct {
		name             string
		donation         math.Int
		wantVictimShares math.Int
		wantAttackerLoss math.Int
		wantVictimLoss   math.Int
	}{
		{"no donation", zero(), istr("1000000000"), zero(), zero()},
		{"donation of 1 USDai", usd(1), i(500_000_249), i(1_000_000), i(1)},
		{"donation of 1,000 USDai", usd(1_000), i(999_001), i(999_999_001), i(500)},
		{"donation of 1M USDai", usd(1_000_000), i(999), i(999_999_000_001), i(999_002)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &vaultSim{supply: zero(), nav: zero()}
			attackerShares := v.deposit(t, i(1))
			require.Equal(t, "1", attackerShares.String())
			v.nav = v.nav.Add(tc.donation)
			priceAtDeposit, err := types.SharePrice(v.supply, v.nav)
			require.NoError(t, err)
			victimShares := v.deposit(t, victimDeposit)
			require.Equal(t, tc.wantVictimShares.String(), victimShares.String())
			require.True(t, victimShares.IsPositive(), "the victim always gets shares")

			attackerCost := tc.donation.AddRaw(1)
			attackerValue := v.worth(t, attackerShares)
			require.True(t, attackerValue.LTE(attackerCost), "attacker gains nothing: value %s, cost %s", attackerValue, attackerCost)
			require.Equal(t, tc.wantAttackerLoss.String(), attackerCost.Sub(attackerValue).String())

			victimLoss := victimDeposit.Sub(v.worth(t, victimShares))
			require.Equal(t, tc.wantVictimLoss.String(), victimLoss.String())
			// The victim loses less than one share at the price paid plus 1 uusdai of rounding...
			require.True(t, victimLoss.LTE(priceAtDeposit.Ceil().TruncateInt()), "victim loss %s, share price %s", victimLoss, priceAtDeposit)
			// ...which is about 10^-6 of what the attacker loses.
			require.True(t, victimLoss.MulRaw(1_000_000).LTE(tc.wantAttackerLoss.AddRaw(1_000_000)),
				"victim loss %s, attacker loss %s", victimLoss, tc.wantAttackerLoss)
		})
	}
}

func TestRedeemPayout(t *testing.T) {
	// Vault: 10^9 shares worth 1,000 USDai (conservative), a price of exactly 1.
	supply, cnav := pow10(9), usd(1_000)
	for _, tc := range []struct {
		name                          string
		shares                        math.Int
		bid, protoShare               uint32
		gross, payout, bidAmt, protoA math.Int
		err                           error
	}{
		{"no bid", pow10(8), 0, 1_000, usd(100), usd(100), zero(), zero(), nil},
		{"1% bid, 10% to the protocol", pow10(8), 100, 1_000, usd(100), usd(99), usd(1), i(100_000), nil},
		{"5% bid, all to the vault", pow10(8), 500, 0, usd(100), usd(95), usd(5), zero(), nil},
		{"full bid pays nothing", pow10(8), 10_000, 1_000, usd(100), zero(), usd(100), usd(10), nil},
		{"payout rounds down, bid up", i(1), 3_333, 1_000, i(1), i(0), i(1), i(0), nil},
		{"bid above 100%", pow10(8), 10_001, 0, zero(), zero(), zero(), zero(), types.ErrInvalidAmount},
		{"shares above the limit", bigShares(), 0, 0, zero(), zero(), zero(), zero(), types.ErrOverflow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := types.RedeemPayout(tc.shares, supply, cnav, tc.bid, tc.protoShare)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.gross.String(), r.Gross.String())
			require.Equal(t, tc.payout.String(), r.Payout.String())
			require.Equal(t, tc.bidAmt.String(), r.Bid.String())
			require.Equal(t, tc.protoA.String(), r.ProtocolShare.String())
		})
	}
}

func TestFillableShares(t *testing.T) {
	supply, cnav := pow10(9), usd(1_000)
	for _, tc := range []struct {
		name                 string
		requested, liquidity math.Int
		bid, protoShare      uint32
		want                 math.Int
	}{
		{"enough liquidity", pow10(8), usd(200), 100, 1_000, pow10(8)},
		{"no bid, half the liquidity", pow10(8), usd(50), 0, 1_000, i(50_000_000)},
		{"5% bid stretches liquidity", pow10(8), usd(50), 500, 0, i(52_631_578)},
		{"10% protocol share of a 5% bid", pow10(8), usd(50), 500, 1_000, i(52_356_020)},
		{"no liquidity", pow10(8), zero(), 100, 1_000, zero()},
		{"full bid without protocol share is free", pow10(8), zero(), 10_000, 0, pow10(8)},
		{"full bid with protocol share", pow10(8), usd(1), 10_000, 1_000, i(10_000_000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := types.FillableShares(tc.requested, tc.liquidity, supply, cnav, tc.bid, tc.protoShare)
			require.NoError(t, err)
			require.Equal(t, tc.want.String(), got.String())
			// What the fill costs fits in the liquidity.
			r, err := types.RedeemPayout(got, supply, cnav, tc.bid, tc.protoShare)
			require.NoError(t, err)
			require.True(t, r.Payout.Add(r.ProtocolShare).LTE(tc.liquidity) || tc.liquidity.IsZero() && r.Payout.Add(r.ProtocolShare).IsZero(),
				"outflow %s > liquidity %s", r.Payout.Add(r.ProtocolShare), tc.liquidity)
			// 10 more shares (10 uusdai) would not fit (unless all requested shares fit).
			if got.LT(tc.requested) {
				more, err := types.RedeemPayout(got.AddRaw(10), supply, cnav, tc.bid, tc.protoShare)
				require.NoError(t, err)
				require.True(t, more.Payout.Add(more.ProtocolShare).GT(tc.liquidity))
			}
		})
	}
	_, err := types.FillableShares(pow10(8), bigAssets(), supply, cnav, 0, 0)
	require.ErrorIs(t, err, types.ErrOverflow)
	_, err = types.FillableShares(bigShares(), usd(1), supply, cnav, 0, 0)
	require.ErrorIs(t, err, types.ErrOverflow)
}

func TestComputeNAVConservativeVsNAV(t *testing.T) {
	for _, tc := range []struct {
		name               string
		in                 types.NAVInputs
		nav, conserv, fees math.Int
		price, redeemPrice string
	}{
		{
			name: "idle only",
			in:   types.NAVInputs{Idle: usd(1_000), SeniorPrincipal: zero(), Impairment: zero(), AccruedInterest: zero(), TreasuryPrincipal: zero(), AccruedYield: zero(), AdminFeeBps: 100},
			nav:  usd(1_000), conserv: usd(1_000), fees: zero(),
			price: "1.000000000000000000", redeemPrice: "1.000000000000000000",
		},
		{
			name: "accrued interest counts in NAV net of the fee, not in conservative NAV",
			in: types.NAVInputs{Idle: usd(200), SeniorPrincipal: usd(800), Impairment: zero(), AccruedInterest: usd(40),
				TreasuryPrincipal: zero(), AccruedYield: zero(), AdminFeeBps: 100},
			nav: i(1_039_600_000), conserv: usd(1_000), fees: i(400_000),
			price: "1.039560439560439560", redeemPrice: "1.000000000000000000",
		},
		{
			name: "T-bill yield and interest, fee rounded up",
			in: types.NAVInputs{Idle: usd(100), SeniorPrincipal: usd(500), Impairment: zero(), AccruedInterest: i(333),
				TreasuryPrincipal: usd(400), AccruedYield: i(334), AdminFeeBps: 100},
			nav: i(1_000_000_660), conserv: usd(1_000), fees: i(7),
			price: "1.000000659340659340", redeemPrice: "1.000000000000000000",
		},
		{
			name: "impairment lowers both",
			in: types.NAVInputs{Idle: usd(200), SeniorPrincipal: usd(800), Impairment: usd(300), AccruedInterest: usd(10),
				TreasuryPrincipal: zero(), AccruedYield: zero(), AdminFeeBps: 0},
			nav: usd(710), conserv: usd(700), fees: zero(),
			price: "0.710289710289710289", redeemPrice: "0.700299700299700299",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := types.ComputeNAV(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.nav.String(), r.NAV.String())
			require.Equal(t, tc.conserv.String(), r.Conservative.String())
			require.Equal(t, tc.fees.String(), r.AccruedFees.String())
			supply := pow10(9) // 1,000 USDai of shares at price 1
			p, err := types.SharePrice(supply, r.NAV)
			require.NoError(t, err)
			require.Equal(t, tc.price, p.String())
			rp, err := types.SharePrice(supply, r.Conservative)
			require.NoError(t, err)
			require.Equal(t, tc.redeemPrice, rp.String())
			require.True(t, rp.LTE(p), "redemption price never above the deposit price")
		})
	}
	_, err := types.ComputeNAV(types.NAVInputs{Idle: bigAssets(), SeniorPrincipal: zero(), Impairment: zero(), AccruedInterest: zero(), TreasuryPrincipal: zero(), AccruedYield: zero()})
	require.ErrorIs(t, err, types.ErrOverflow)
	_, err = types.ComputeNAV(types.NAVInputs{Idle: i(-1), SeniorPrincipal: zero(), Impairment: zero(), AccruedInterest: zero(), TreasuryPrincipal: zero(), AccruedYield: zero()})
	require.ErrorIs(t, err, types.ErrInvalidAmount)
}

func TestAccruedInterestFromAggregates(t *testing.T) {
	t0 := int64(1_800_000_000)
	type pos struct {
		balance math.Int
		rate    string
		since   int64
	}
	for _, tc := range []struct {
		name      string
		positions []pos
		at        int64
		want      math.Int
	}{
		{"no positions", nil, t0, zero()},
		{"at funding time", []pos{{usd(1_000_000), "0.10", t0}}, t0, zero()},
		{"10% for half a year", []pos{{usd(1_000_000), "0.10", t0}}, t0 + types.SecondsPerYear/2, usd(50_000)},
		{"10% for a year", []pos{{usd(1_000_000), "0.10", t0}}, t0 + types.SecondsPerYear, usd(100_000)},
		{
			"two positions funded at different times",
			[]pos{{usd(1_000_000), "0.10", t0}, {usd(500_000), "0.15", t0 + types.SecondsPerYear/2}},
			t0 + types.SecondsPerYear, usd(100_000 + 37_500),
		},
		{"one second of 12% on 1 USDai rounds down", []pos{{usd(1), "0.12", t0}}, t0 + 1, zero()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			S, C := decZero(), decZero()
			for _, p := range tc.positions {
				s, c, err := types.PositionWeights(p.balance, dec(p.rate), unix(p.since))
				require.NoError(t, err)
				S, C = S.Add(s), C.Add(c)
			}
			got, err := types.AccruedInterest(S, C, unix(tc.at))
			require.NoError(t, err)
			require.Equal(t, tc.want.String(), got.String())
		})
	}

	// The weights are exact (no rounding), so removing a position restores the aggregates exactly.
	s, c, err := types.PositionWeights(i(123_456_789), dec("0.123456789123456789"), unix(t0))
	require.NoError(t, err)
	require.Equal(t, "15241578.765432099750190521", s.String())
	require.Equal(t, "27434841777777779.550342937800000000", c.String())

	_, _, err = types.PositionWeights(bigAssets(), dec("0.1"), unix(t0))
	require.ErrorIs(t, err, types.ErrOverflow)
	_, _, err = types.PositionWeights(usd(1), dec("10.5"), unix(t0))
	require.ErrorIs(t, err, types.ErrOverflow)
	_, _, err = types.PositionWeights(usd(1), dec("-0.1"), unix(t0))
	require.ErrorIs(t, err, types.ErrInvalidAmount)
	_, err = types.AccruedInterest(dec("-1"), decZero(), unix(t0))
	require.ErrorIs(t, err, types.ErrInvalidAmount)
}

func TestTreasuryAccrualOverAYear(t *testing.T) {
	principal := usd(1_000_000)
	want := usd(50_000) // 5% of 1M USDai
	for _, tc := range []struct {
		name    string
		step    int64
		maxDiff int64
	}{
		{"one step", types.SecondsPerYear, 0},
		{"daily", 86_400, 1},
		{"hourly", 3_600, 1},
		{"every minute", 60, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acc := decZero()
			for elapsed := int64(0); elapsed < types.SecondsPerYear; elapsed += tc.step {
				a, err := types.TreasuryAccrual(principal, dec("0.05"), tc.step)
				require.NoError(t, err)
				acc = acc.Add(a)
			}
			got := acc.TruncateInt()
			diff := want.Sub(got)
			require.True(t, !diff.IsNegative() && diff.Int64() <= tc.maxDiff, "accrued %s, want %s within %d", got, want, tc.maxDiff)
		})
	}
	_, err := types.TreasuryAccrual(principal, dec("11"), 1)
	require.ErrorIs(t, err, types.ErrOverflow)
	_, err = types.TreasuryAccrual(bigAssets(), dec("0.05"), 1)
	require.ErrorIs(t, err, types.ErrOverflow)
	_, err = types.TreasuryAccrual(principal, dec("0.05"), -1)
	require.ErrorIs(t, err, types.ErrOverflow)
}

func TestBpsAndFundable(t *testing.T) {
	require.Equal(t, "99", types.BpsOf(i(9_999), 100).String())
	require.Equal(t, "100", types.BpsOfCeil(i(9_999), 100).String())
	require.Equal(t, "100", types.BpsOfCeil(i(10_000), 100).String())
	require.Equal(t, "0", types.BpsOf(i(0), 10_000).String())
	for _, tc := range []struct{ idle, reserved, buffer, committed, want math.Int }{
		{usd(100), usd(30), usd(10), zero(), usd(60)},
		{usd(100), usd(95), usd(10), zero(), zero()},
		{usd(100), zero(), zero(), zero(), usd(100)},
		{usd(100), usd(30), usd(10), usd(25), usd(35)},
		{usd(100), usd(30), usd(10), usd(70), zero()},
	} {
		require.Equal(t, tc.want.String(), types.Fundable(tc.idle, tc.reserved, tc.buffer, tc.committed).String())
	}
}

func TestAPR(t *testing.T) {
	for _, tc := range []struct {
		name      string
		then, now string
		seconds   int64
		want      string
	}{
		{"5% over a year", "1", "1.05", types.SecondsPerYear, "0.050000000000000000"},
		{"1% over a week annualizes", "1", "1.01", 7 * 86_400, "0.521428571428571428"},
		{"loss is negative", "1", "0.99", types.SecondsPerYear, "-0.010000000000000000"},
		{"no period", "1", "2", 0, "0.000000000000000000"},
		{"no earlier price", "0", "2", 100, "0.000000000000000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := types.AnnualizedReturn(dec(tc.then), dec(tc.now), tc.seconds)
			require.NoError(t, err)
			require.Equal(t, tc.want, got.String())
		})
	}

	// Projected: 800 USDai at 12% + 100 USDai of T-bills at 5%, 1% fee, NAV 1,000.
	S, _, err := types.PositionWeights(usd(800), dec("0.12"), unix(0))
	require.NoError(t, err)
	p, err := types.ProjectedAPR(S, usd(100), dec("0.05"), 100, usd(1_000))
	require.NoError(t, err)
	require.Equal(t, "0.099990000000000000", p.String())
	p, err = types.ProjectedAPR(S, usd(100), dec("0.05"), 100, zero())
	require.NoError(t, err)
	require.True(t, p.IsZero())
}

func TestNextEpochEnd(t *testing.T) {
	end := unix(1_000)
	require.Equal(t, end, types.NextEpochEnd(end, unix(999), time.Minute))
	require.Equal(t, unix(1_060), types.NextEpochEnd(end, unix(1_000), time.Minute))
	require.Equal(t, unix(1_060), types.NextEpochEnd(end, unix(1_059), time.Minute))
	// A long halt skips whole epochs on the same grid.
	require.Equal(t, unix(1_000+60*11), types.NextEpochEnd(end, unix(1_000+60*10+5), time.Minute))
}
