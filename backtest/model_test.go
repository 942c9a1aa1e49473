package backtest

import (
	"math"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/backtest/market"
	"github.com/infrafi/infrafi/backtest/report"
)

// model is the shipped borrower model.
func model(t *testing.T) market.BorrowerModel {
	h, err := market.Load()
	require.NoError(t, err)
	return h.Borrower
}

func TestMonthlyIncome(t *testing.T) {
	m := market.BorrowerModel{GPUsPerTitle: 8, HoursPerMonth: 730}
	b := Borrower{Utilization: 0.80, Opex: 0.50, PriceFactor: 1}
	for _, tc := range []struct {
		name        string
		rent, shock float64
		want        float64
	}{
		// (0.8 × 2.50 − 0.50) × 730 h × 8 GPUs
		{"typical 2024", 2.50, 0, 1.50 * 730 * 8},
		{"shock lowers utilization", 2.50, -0.10, (0.7*2.5 - 0.5) * 730 * 8},
		{"utilization capped at 100%", 2.00, 0.50, (1.0*2.0 - 0.5) * 730 * 8},
		{"loss-making month brings nothing", 0.60, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.InDelta(t, tc.want, MonthlyIncome(m, b, tc.rent, tc.shock), 1e-6)
		})
	}
}

func TestInstallment(t *testing.T) {
	// 10,000 at 15% over 12 months: 902.58 (x/lending's README example).
	require.InDelta(t, 902.58, Installment(10_000, 0.15, 12), 0.01)
	require.InDelta(t, 1000, Installment(12_000, 0, 12), 1e-9)
}

func TestDrawBorrowerWithinDistributions(t *testing.T) {
	m := model(t)
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 1000; i++ {
		b := DrawBorrower(r, m)
		require.True(t, b.Utilization >= m.UtilizationMin && b.Utilization <= m.UtilizationMax, b)
		require.True(t, b.Opex >= m.OpexMin && b.Opex <= m.OpexMax, b)
		require.True(t, b.PriceFactor >= m.PriceFactorMin && b.PriceFactor <= m.PriceFactorMax, b)
		d := Demand(r, 4, 10)
		require.True(t, d >= 4 && d <= 10)
		require.LessOrEqual(t, math.Abs(Shock(r, m)), m.UtilizationMonthlyShock)
	}
	// Same seed, same draws.
	a, b := rand.New(rand.NewSource(3)), rand.New(rand.NewSource(3))
	require.Equal(t, DrawBorrower(a, m), DrawBorrower(b, m))
}

func TestDepositorRule(t *testing.T) {
	for _, tc := range []struct {
		name          string
		apr, tbill    float64
		have          bool
		inflow, churn float64
	}{
		{"no history yet", 0, 0.05, false, 0.04, 0.02},
		{"beats T-bills by 3 points", 0.09, 0.05, true, 0.04, 0.02},
		{"beats T-bills", 0.06, 0.05, true, 0.01, 0.02},
		{"below T-bills: depositors leave", 0.04, 0.05, true, 0, 0.10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, out := depositorRule(tc.apr, tc.tbill, tc.have)
			require.Equal(t, tc.inflow, in)
			require.Equal(t, tc.churn, out)
		})
	}
}

func TestInsuranceNote(t *testing.T) {
	withLoss := func(name string, ins, insurer, firstLoss, senior float64) report.Result {
		// Sweep results carry no months: the note reads the summary.
		return report.Result{
			Params:     report.Params{Name: name, MinInsurance: ins, FirstLoss: 0.10},
			SeniorLoss: senior, JuniorLoss: firstLoss, InsurerPaid: insurer, InsurerToLenders: insurer / 4,
			Premiums: 100,
		}
	}
	main := withLoss("preset", 0.5, 700, 0, 0)
	thick := withLoss("s02", 0, 0, 80, 0)
	thick.Params.FirstLoss = 0.20
	for _, tc := range []struct {
		name  string
		sweep []report.Result
		want  []string
		not   []string
	}{
		{"uninsured set lost senior", []report.Result{withLoss("s01", 0, 0, 50, 9)},
			[]string{"paid $700 of claims in the preset run against $100 of premiums (7.0×)", "$175 of it paid what the lenders were owed (1.8× the premiums)",
				"s01 (first loss 10%): first loss lost $50, senior $9", "rests on insurance"}, []string{"alone"}},
		{"first loss was enough", []report.Result{withLoss("s01", 0, 0, 50, 0)},
			[]string{"first-loss tranche alone"}, []string{"rests on insurance"}},
		{"a thicker first loss was enough", []report.Result{withLoss("s01", 0, 0, 50, 9), thick},
			[]string{"a first-loss tranche of 20% kept the senior tranche whole and one of 10% did not"}, nil},
		{"no uninsured set", []report.Result{withLoss("s01", 0.25, 10, 0, 0)},
			[]string{"paid $700"}, []string{"Without insurance"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := insuranceNote(main, tc.sweep)
			for _, w := range tc.want {
				require.Contains(t, got, w)
			}
			for _, n := range tc.not {
				require.NotContains(t, got, n)
			}
		})
	}
	require.Empty(t, insuranceNote(withLoss("x", 0.5, 0, 0, 0), nil), "nothing to say when insurers paid nothing")
}
