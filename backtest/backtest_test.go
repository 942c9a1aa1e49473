package backtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/backtest/market"
	"github.com/infrafi/infrafi/backtest/report"
)

// shortMonths is the CI version's length: 2024-01 to 2024-04.
const shortMonths = 4

// shortRun runs the preset over the first months of the recorded history.
func shortRun(t *testing.T, hist market.History, p report.Params) report.Result {
	t.Helper()
	cfg, err := DefaultConfig(p, hist)
	require.NoError(t, err)
	cfg.History = cfg.History[:shortMonths]
	res, err := Run(t, cfg)
	require.NoError(t, err)
	return res
}

// TestShortBacktest is the backtest's CI version: four months of the real
// history for the preset and one sweep point, every month's books checked
// against what the chain must guarantee, the same seed giving the same
// result, and the report rendered from it.
func TestShortBacktest(t *testing.T) {
	hist, err := market.Load()
	require.NoError(t, err)
	preset := shortRun(t, hist, Preset())

	require.Len(t, preset.Months, shortMonths)
	prev := 1.0
	for i, m := range preset.Months {
		in := hist.Months()[i]
		require.Equal(t, in.Month, m.Month)
		require.Equal(t, in.GPUPrice, m.GPUPrice, "the month's market input is recorded")
		require.GreaterOrEqual(t, m.BackingRatio, 1.0, "%s: USDai fully backed", m.Month)
		require.Greater(t, m.SharePrice, prev, "%s: no losses yet, the vault earns", m.Month)
		prev = m.SharePrice
		require.Zero(t, m.LossSenior, "%s", m.Month)
		require.LessOrEqual(t, m.InsuranceToLenders, m.LossInsurance, "%s: lenders get at most what insurers paid", m.Month)
	}
	last := preset.Months[shortMonths-1]
	require.Positive(t, preset.Originated, "loans were funded")
	require.Equal(t, preset.Originated-preset.Defaults, last.LoansActive+sumRepaid(preset), "every funded loan is active, repaid or defaulted")
	require.Positive(t, last.VaultLoans, "the vault lends")
	require.Positive(t, last.VaultTreasury+last.VaultIdle, "and keeps liquidity")
	require.Positive(t, preset.Premiums, "borrowers insured their titles")
	// Four months of the senior rate (15% less the 20% first-loss premium)
	// on part of the vault and T-bills on the rest: between the two.
	require.Greater(t, preset.APR, hist.Months()[0].TBillRate-0.01)
	require.Less(t, preset.APR, 0.15*0.8)

	again := shortRun(t, hist, Preset())
	require.Equal(t, preset, again, "same seed, same result")

	point := SweepPoints()[0]
	swept := shortRun(t, hist, point)
	require.Equal(t, point, swept.Params)
	require.NotEqual(t, preset.Months[shortMonths-1].VaultLoans, swept.Months[shortMonths-1].VaultLoans,
		"a lower max LTV lends less against the same titles")

	dir := t.TempDir()
	swept.Months = nil
	require.NoError(t, report.Write(dir, []report.Result{preset}, report.Sweep{Points: []report.Result{swept}}, hist,
		report.Answer{Text: Answer([]report.Result{preset}, []report.Result{swept}, hist)}))
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	require.Contains(t, string(md), "sUSDai paid")
	_, err = os.Stat(filepath.Join(dir, "share_price_apr.png"))
	require.NoError(t, err)
}

func sumRepaid(r report.Result) int {
	n := 0
	for _, m := range r.Months {
		n += m.Repaid
	}
	return n
}

// TestRunRefusesBadConfig: no history or no borrower model is an error, not
// a chain.
func TestRunRefusesBadConfig(t *testing.T) {
	_, err := Run(t, Config{Params: Preset()})
	require.ErrorContains(t, err, "empty market history")
	hist, err := market.Load()
	require.NoError(t, err)
	cfg, err := DefaultConfig(Preset(), hist)
	require.NoError(t, err)
	cfg.DemandMax = cfg.DemandMin - 1
	_, err = Run(t, cfg)
	require.ErrorContains(t, err, "demand bounds")
}
