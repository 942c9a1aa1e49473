package types_test

import (
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/x/lending/types"
)

func dec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }

// eqInt compares amounts by value (a computed zero and math.ZeroInt() differ
// in representation, so require.Equal cannot).
func eqInt(t *testing.T, want, got math.Int, msgAndArgs ...any) {
	t.Helper()
	require.Equal(t, want.String(), got.String(), msgAndArgs...)
}

func eqInts(t *testing.T, want, got []math.Int) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		eqInt(t, want[i], got[i], "item %d", i)
	}
}

func ints(xs ...int64) []math.Int {
	out := make([]math.Int, len(xs))
	for i, x := range xs {
		out[i] = math.NewInt(x)
	}
	return out
}

// The test product's auction: value 20,000 × start 1.1 = top 22,000, floor
// 0.5, 48 h per round.
func TestAuctionPrice(t *testing.T) {
	top, d := usd(22_000), 48*time.Hour
	for _, tc := range []struct {
		name    string
		top     math.Int
		floor   string
		elapsed time.Duration
		round   uint32
		want    math.Int
	}{
		{"start", top, "0.5", 0, 0, usd(22_000)},
		{"25%", top, "0.5", 12 * time.Hour, 0, usd(16_500)},
		{"50% (= floor)", top, "0.5", 24 * time.Hour, 0, usd(11_000)},
		{"75%: floor binds", top, "0.5", 36 * time.Hour, 0, usd(11_000)},
		{"100%", top, "0.5", d, 0, usd(11_000)},
		{"past the end", top, "0.5", 3 * d, 0, usd(11_000)},
		{"50% above a lower floor", top, "0.3", 24 * time.Hour, 0, usd(11_000)},
		{"75% above a lower floor", top, "0.2", 36 * time.Hour, 0, usd(5_500)},
		{"before the start", top, "0.5", -time.Hour, 0, usd(22_000)},
		{"reset round at its start", top, "0.5", 0, 1, usd(11_000)},
		{"reset round later", top, "0.5", 12 * time.Hour, 2, usd(11_000)},
		// 1,001 × 2/3 = 667.33 rounds down.
		{"rounds down", math.NewInt(1_001), "0.1", time.Second, 0, math.NewInt(667)},
		// The time left is counted in whole seconds, rounded down: 1.5 s of 3 s
		// left prices at 1/3, not 1/2.
		{"sub-second time left truncates", math.NewInt(1_001), "0.1", 1500 * time.Millisecond, 0, math.NewInt(333)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dur := d
			if tc.top.Equal(math.NewInt(1_001)) {
				dur = 3 * time.Second
			}
			got := types.AuctionPrice(tc.top, dec(tc.floor), dur, tc.elapsed, tc.round)
			eqInt(t, tc.want, got)
		})
	}
	// A zero duration is always at the floor.
	eqInt(t, usd(11_000), types.AuctionPrice(top, dec("0.5"), 0, 0, 0))
}

func TestPayWaterfall(t *testing.T) {
	// Loan of 10,000: senior 9,000, junior 1,000; interest owed 125 split
	// 90 senior / 35 junior (see TestSplitInterest). Liquidation fee 500 bps.
	claims := types.Claims{SeniorPrincipal: usd(9_000), SeniorInterest: usd(90), JuniorPrincipal: usd(1_000), JuniorInterest: usd(35)}
	z := math.ZeroInt()
	for _, tc := range []struct {
		name                      string
		sale, insurance           math.Int
		fee, sp, si, jp, ji, surp math.Int
		seniorLoss, juniorLoss    math.Int
	}{
		// fee floor(10,658 × 5%) = 532.9 -> 10,658 − 532.9 = 10,125.1: 0.1 surplus.
		{"full recovery", math.NewInt(10_658_000_000), z,
			math.NewInt(532_900_000), usd(9_000), usd(90), usd(1_000), usd(35), math.NewInt(100_000), z, z},
		{"recovery with surplus", usd(20_000), z,
			usd(1_000), usd(9_000), usd(90), usd(1_000), usd(35), usd(8_875), z, z},
		// The sale alone (8,250) does not pay the debt; with 3,750 of
		// insurance the proceeds (12,000) cover everything.
		{"shortfall covered by insurance", usd(8_250), usd(3_750),
			usd(600), usd(9_000), usd(90), usd(1_000), usd(35), usd(1_275), z, z},
		// 9,750: fee 487.5, senior paid in full, junior gets 172.5 of 1,000.
		{"shortfall past insurance into junior", usd(8_250), usd(1_500),
			math.NewInt(487_500_000), usd(9_000), usd(90), math.NewInt(172_500_000), z, z, z, math.NewInt(827_500_000)},
		// 6,500: fee 325, senior gets 6,175 of 9,000.
		{"shortfall into senior", usd(5_500), usd(1_000),
			usd(325), usd(6_175), z, z, z, z, usd(2_825), usd(1_000)},
		{"senior interest short", usd(9_560), z,
			usd(478), usd(9_000), usd(82), z, z, z, z, usd(1_000)},
		{"nothing recovered", z, z, z, z, z, z, z, z, usd(9_000), usd(1_000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proceeds := tc.sale.Add(tc.insurance)
			w := types.PayWaterfall(proceeds, 500, claims)
			eqInt(t, tc.fee, w.LiquidationFee, "fee")
			eqInt(t, tc.sp, w.SeniorPrincipal, "senior principal")
			eqInt(t, tc.si, w.SeniorInterest, "senior interest")
			eqInt(t, tc.jp, w.JuniorPrincipal, "junior principal")
			eqInt(t, tc.ji, w.JuniorInterest, "junior interest")
			eqInt(t, tc.surp, w.Surplus, "surplus")
			eqInt(t, tc.seniorLoss, w.SeniorLoss, "senior loss")
			eqInt(t, tc.juniorLoss, w.JuniorLoss, "junior loss")
			// Every unit of the proceeds is paid out exactly once.
			paid := w.LiquidationFee.Add(w.SeniorPrincipal).Add(w.SeniorInterest).Add(w.JuniorPrincipal).Add(w.JuniorInterest).Add(w.Surplus)
			require.Equal(t, proceeds, paid)
			// PayWaterfall leaves the source fields to the caller, zero.
			require.True(t, w.SaleProceeds.IsZero() && w.Insurance.IsZero() && w.Casualty.IsZero() && w.Reserve.IsZero())
		})
	}
	// No fee: every unit goes down the waterfall.
	w := types.PayWaterfall(usd(10_125), 0, claims)
	require.True(t, w.LiquidationFee.IsZero())
	require.True(t, w.Surplus.IsZero())
	require.True(t, w.SeniorLoss.IsZero() && w.JuniorLoss.IsZero())
}

func TestApportion(t *testing.T) {
	for _, tc := range []struct {
		name    string
		total   math.Int
		weights []math.Int
		want    []math.Int
	}{
		{"by weight", usd(24_750), []math.Int{usd(20_000), usd(10_000)}, []math.Int{usd(16_500), usd(8_250)}},
		{"remainder to last", math.NewInt(100), ints(1, 1, 1), ints(33, 33, 34)},
		{"rounding with unequal weights", math.NewInt(10), ints(3, 3, 1), ints(4, 4, 2)},
		{"zero weights: equal split", math.NewInt(10), ints(0, 0, 0), ints(3, 3, 4)},
		{"a zero weight gets nothing", math.NewInt(7), ints(0, 5), ints(0, 7)},
		{"single", math.NewInt(7), ints(0), ints(7)},
		{"zero total", math.ZeroInt(), ints(2, 3), ints(0, 0)},
		{"none", math.NewInt(7), nil, []math.Int{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := types.Apportion(tc.total, tc.weights)
			eqInts(t, tc.want, got)
			sum := math.ZeroInt()
			for _, x := range got {
				sum = sum.Add(x)
			}
			if len(got) > 0 {
				eqInt(t, tc.total, sum)
			}
		})
	}
}

func TestLateInterest(t *testing.T) {
	since := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	g := dec("0.05")
	// 10,000 × 5% × 5 days = 6.849315068..., rounded up to the uusdai.
	eqInt(t, math.NewInt(6_849_316), types.LateInterest(usd(10_000), g, since, since.Add(5*24*time.Hour)))
	// A full year at 5%: exactly 500.
	eqInt(t, usd(500), types.LateInterest(usd(10_000), g, since, since.Add(365*24*time.Hour)))
	// 1 uusdai for 1 s: debt rounds up.
	eqInt(t, math.OneInt(), types.LateInterest(math.OneInt(), g, since, since.Add(time.Second)))
	// Sub-second parts do not count.
	require.Equal(t, types.LateInterest(usd(10_000), g, since, since.Add(time.Hour)),
		types.LateInterest(usd(10_000), g, since, since.Add(time.Hour+999*time.Millisecond)))
	for _, tc := range []struct {
		name        string
		outstanding math.Int
		now         time.Time
	}{
		{"no time", usd(10_000), since},
		{"now before since", usd(10_000), since.Add(-time.Hour)},
		{"nothing outstanding", math.ZeroInt(), since.Add(time.Hour)},
	} {
		require.True(t, types.LateInterest(tc.outstanding, g, since, tc.now).IsZero(), tc.name)
	}
	require.True(t, types.LateInterest(usd(10_000), math.LegacyZeroDec(), since, since.Add(time.Hour)).IsZero())
}

func TestExpectedRecoveryAndWriteDown(t *testing.T) {
	h := dec("0.3")
	// 20,000 × 0.7 + 12,000 coverage.
	eqInt(t, usd(26_000), types.ExpectedRecovery(usd(20_000), h, usd(12_000)))
	// 11,000 × 0.7 + 500.
	eqInt(t, usd(8_200), types.ExpectedRecovery(usd(11_000), h, usd(500)))
	// 7 × 0.7 = 4.9 rounds down.
	eqInt(t, math.NewInt(4), types.ExpectedRecovery(math.NewInt(7), h, math.ZeroInt()))
	eqInt(t, usd(3), types.ExpectedRecovery(math.ZeroInt(), h, usd(3)))

	require.True(t, types.SeniorWriteDown(usd(9_000), usd(26_000)).IsZero())
	require.True(t, types.SeniorWriteDown(usd(9_000), usd(9_000)).IsZero())
	eqInt(t, math.NewInt(100_180_000), types.SeniorWriteDown(math.NewInt(8_300_180_000), usd(8_200)))
	eqInt(t, usd(9_000), types.SeniorWriteDown(usd(9_000), math.ZeroInt()))
}

func TestSplitInterest(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		interest, senior, junior  math.Int
		bps                       uint32
		wantS, wantJ, wantPremium math.Int
	}{
		// 125 split 112.5 / 12.5 by principal; 20% of 112.5 = 22.5 moves to the junior.
		{"loan", usd(125), usd(9_000), usd(1_000), 2000, usd(90), usd(35), math.NewInt(22_500_000)},
		// junior floor(7/3) = 2, senior 5, premium floor(2.5) = 2.
		{"rounding", math.NewInt(7), math.NewInt(2), math.NewInt(1), 5000, math.NewInt(3), math.NewInt(4), math.NewInt(2)},
		{"no premium", usd(125), usd(9_000), usd(1_000), 0, math.NewInt(112_500_000), math.NewInt(12_500_000), math.ZeroInt()},
		{"no junior principal", usd(100), usd(9_000), math.ZeroInt(), 2000, usd(80), usd(20), usd(20)},
		{"no interest", math.ZeroInt(), usd(9_000), usd(1_000), 2000, math.ZeroInt(), math.ZeroInt(), math.ZeroInt()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, j, p := types.SplitInterest(tc.interest, tc.senior, tc.junior, tc.bps)
			eqInt(t, tc.wantS, s)
			eqInt(t, tc.wantJ, j)
			eqInt(t, tc.wantPremium, p)
			eqInt(t, tc.interest, s.Add(j))
		})
	}
}
