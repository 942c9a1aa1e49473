package types_test

import (
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/x/lending/types"
)

const month = 2_628_000 * time.Second

func usd(n int64) math.Int { return math.NewInt(n).MulRaw(1_000_000) }

func TestPowInt(t *testing.T) {
	for _, tc := range []struct {
		x    string
		n    uint64
		want string
	}{
		{"1.5", 0, "1"},
		{"1.5", 1, "1.5"},
		{"1.5", 2, "2.25"},
		{"2", 10, "1024"},
		{"1.0125", 12, "1.160754517722998714"},
	} {
		got := types.PowInt(math.LegacyMustNewDecFromStr(tc.x), tc.n)
		want := math.LegacyMustNewDecFromStr(tc.want)
		require.True(t, got.Sub(want).Abs().LTE(math.LegacyNewDecWithPrec(1, 15)), "%s^%d = %s", tc.x, tc.n, got)
	}
}

func TestLevelPayment(t *testing.T) {
	for _, tc := range []struct {
		name    string
		balance math.Int
		apr     string
		period  time.Duration
		n       uint32
		want    math.Int // uusdai
		tol     int64
	}{
		// The design's check: 10,000 at 15% APR, 12 monthly payments -> 902.58.
		{"design check", usd(10_000), "0.15", month, 12, math.NewInt(902_580_000), 10_000},
		{"zero rate", usd(1_200), "0", month, 12, usd(100), 0},
		{"one period", usd(1_000), "0.12", month, 1, math.NewInt(1_010_000_000), 0},
		// 36 periods of 60 s at 12%: i is tiny, P ≈ B/36.
		{"localnet", usd(36_000), "0.12", time.Minute, 36, math.NewInt(1_000_004_227), 1_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := types.LevelPayment(tc.balance, math.LegacyMustNewDecFromStr(tc.apr), tc.period, tc.n).TruncateInt()
			require.True(t, got.Sub(tc.want).Abs().LTE(math.NewInt(tc.tol)), "got %s want %s", got, tc.want)
		})
	}
}

func TestPeriodInterestRoundsUp(t *testing.T) {
	// 10,000 × 15% × 1 month = 125 exactly.
	require.Equal(t, usd(125), types.PeriodInterest(usd(10_000), math.LegacyMustNewDecFromStr("0.15"), month))
	// 1 uusdai for 1 s at 1% is a tiny fraction: debt rounds up to 1.
	require.Equal(t, math.OneInt(), types.PeriodInterest(math.OneInt(), math.LegacyMustNewDecFromStr("0.01"), time.Second))
	require.Equal(t, math.ZeroInt(), types.PeriodInterest(usd(5), math.LegacyZeroDec(), month))
	// Exact ceiling below the 18th decimal: 10^-18 × 1 × 1 s / year > 0.
	require.Equal(t, math.OneInt(), types.PeriodInterest(math.OneInt(), math.LegacyNewDecWithPrec(1, math.LegacyPrecision), time.Second))
}

func TestInstallment(t *testing.T) {
	apr := math.LegacyMustNewDecFromStr("0.15")
	i, p := types.Installment(types.ScheduleAmortizing, usd(10_000), apr, month, 12)
	require.Equal(t, usd(125), i)
	require.True(t, i.Add(p).Sub(math.NewInt(902_580_000)).Abs().LTE(math.NewInt(10_000)), "payment %s", i.Add(p))

	// Interest-only: interest each period, principal only in the last one.
	i, p = types.Installment(types.ScheduleInterestOnly, usd(10_000), apr, month, 12)
	require.Equal(t, usd(125), i)
	require.True(t, p.IsZero())
	i, p = types.Installment(types.ScheduleInterestOnly, usd(10_000), apr, month, 1)
	require.Equal(t, usd(125), i)
	require.Equal(t, usd(10_000), p)
}

func TestProjectScheduleAmortizesToZero(t *testing.T) {
	apr := math.LegacyMustNewDecFromStr("0.15")
	i, p := types.Installment(types.ScheduleAmortizing, usd(10_000), apr, month, 12)
	start := time.Unix(1_700_000_000, 0).UTC()
	s := types.ProjectSchedule(types.ScheduleState{
		Schedule: types.ScheduleAmortizing, Balance: usd(10_000), APR: apr, Interval: month,
		PaymentsRemaining: 12, NextDue: start, InterestDue: i, PrincipalDue: p,
	}, 100)
	require.Len(t, s, 12)
	require.True(t, s[11].BalanceAfter.IsZero())
	require.Equal(t, start.Add(11*month), s[11].DueTime)
	for _, pay := range s[:11] {
		require.True(t, pay.Total.Sub(math.NewInt(902_580_000)).Abs().LTE(math.NewInt(10_000)), "payment %d = %s", pay.Number, pay.Total)
	}
	// Bounded by limit.
	require.Len(t, types.ProjectSchedule(types.ScheduleState{
		Schedule: types.ScheduleAmortizing, Balance: usd(10_000), APR: apr, Interval: month,
		PaymentsRemaining: 12, NextDue: start, InterestDue: i, PrincipalDue: p,
	}, 3), 3)
}

func TestInterestOnlySchedule(t *testing.T) {
	apr := math.LegacyMustNewDecFromStr("0.12")
	s := types.ProjectSchedule(types.ScheduleState{
		Schedule: types.ScheduleInterestOnly, Balance: usd(12_000), APR: apr, Interval: month,
		PaymentsRemaining: 3, NextDue: time.Unix(0, 0).UTC(), InterestDue: usd(120), PrincipalDue: math.ZeroInt(),
	}, 10)
	require.Len(t, s, 3)
	require.Equal(t, usd(120), s[0].Total)
	require.Equal(t, usd(120), s[1].Total)
	require.Equal(t, usd(12_120), s[2].Total)
	require.True(t, s[2].BalanceAfter.IsZero())
}

func TestPrepaymentReamortizes(t *testing.T) {
	apr := math.LegacyMustNewDecFromStr("0.15")
	// After prepaying half the balance, the level payment over the same
	// remaining periods halves.
	full := types.LevelPayment(usd(10_000), apr, month, 11)
	half := types.LevelPayment(usd(5_000), apr, month, 11)
	require.True(t, full.QuoInt64(2).Sub(half).Abs().LTE(math.LegacyNewDecWithPrec(1, 9)))
}

func TestSplitAndBps(t *testing.T) {
	s, j := types.SplitProRata(math.NewInt(100), math.NewInt(900), math.NewInt(100))
	require.Equal(t, math.NewInt(90), s)
	require.Equal(t, math.NewInt(10), j)
	// Junior rounds down.
	s, j = types.SplitProRata(math.NewInt(7), math.NewInt(2), math.NewInt(1))
	require.Equal(t, math.NewInt(5), s)
	require.Equal(t, math.NewInt(2), j)
	s, j = types.SplitProRata(math.NewInt(7), math.NewInt(2), math.ZeroInt())
	require.Equal(t, math.NewInt(7), s)
	require.True(t, j.IsZero())

	require.Equal(t, math.NewInt(1), types.BpsOf(math.NewInt(199), 100))
	require.Equal(t, math.NewInt(2), types.BpsOfCeil(math.NewInt(101), 100))
	require.Equal(t, math.NewInt(1), types.BpsOfCeil(math.NewInt(100), 100))
	require.Equal(t, math.LegacyMustNewDecFromStr("0.12"), types.SeniorRate(math.LegacyMustNewDecFromStr("0.15"), 2000))
	require.Equal(t, math.NewInt(700), types.MaxByLTV(math.NewInt(1000), math.LegacyMustNewDecFromStr("0.7")))
	require.Equal(t, math.NewInt(1000), types.MaxByLiquidity(math.NewInt(900), 1000))
}

// product is a valid product of n payments every interval at apr_max apr.
func product(apr string, interval time.Duration, n uint32) types.Product {
	d := math.LegacyMustNewDecFromStr
	return types.Product{
		Id: "p", AssetClasses: []string{"gpu"}, MaxLtv: d("0.7"), LiquidationLtv: d("0.8"),
		AprMin: d("0"), AprMax: d(apr), Duration: interval * time.Duration(n), RepaymentInterval: interval,
		Schedule: types.ScheduleAmortizing, GraceApr: d("0.1"),
		Auction:         types.AuctionTerms{StartMultiplier: d("1"), FloorRatio: d("0.5")},
		RecoveryHaircut: d("0.3"),
	}
}

// Regression: Product.Validate allowed APR 10 over 1,200 monthly payments,
// whose level payment (1+i)^n (≈ e^1000) overflows LegacyDec and panics.
// Validate now bounds apr_max × duration in years by 30, and the costliest
// schedule it allows is computable for a 10^30 balance.
func TestProductBoundsScheduleGrowth(t *testing.T) {
	huge := product("10", month, 1_200)
	require.Panics(t, func() { types.LevelPayment(usd(1), huge.AprMax, month, 1_200) })
	require.ErrorIs(t, huge.Validate(), types.ErrInvalidProduct)

	year := 365 * 24 * time.Hour
	for _, p := range []types.Product{
		product("10", year/400, 1_200), // 10 × 3 years = 30
		product("0.3", year/12, 1_200), // 0.3 × 100 years = 30
		product("10", 3*year, 1),       // one payment
		product("0.15", month, 12),     // the design's loan
	} {
		require.NoError(t, p.Validate(), "%v over %s", p.AprMax, p.Duration)
		require.NotPanics(t, func() {
			interest, principal := types.Installment(p.Schedule, math.NewIntWithDecimal(1, 30), p.AprMax, p.RepaymentInterval, p.Payments())
			require.True(t, interest.IsPositive() && principal.IsPositive())
		})
	}
	require.ErrorIs(t, product("10", year/399, 1_200).Validate(), types.ErrInvalidProduct)
	require.ErrorIs(t, product("0.31", year/12, 1_200).Validate(), types.ErrInvalidProduct)
}
