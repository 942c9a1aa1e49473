// Package backtest drives the in-process infrafi app month by month over a
// recorded market history (H100 resale and rental prices, T-bill rates):
// borrowers earn modelled rental income into their loans' lockboxes, the
// chain's own valuation, covenants, auctions, insurance and waterfall decide
// the losses, and depositors come and go by a fixed rule. The harness around
// the chain (income draws, bidding, depositors' decisions) uses float64 and a
// seeded random source; everything it sends to the chain is an integer.
package backtest

import (
	"math"
	"math/rand"

	"github.com/infrafi/infrafi/backtest/market"
)

// Borrower is one operator's drawn characteristics.
type Borrower struct {
	Utilization float64 // base utilization
	Opex        float64 // USD per GPU-hour
	PriceFactor float64 // realized rent / market rent
}

// DrawBorrower draws a borrower from the model's distributions (all
// uniform; backtest/market/market.json documents and sources them).
func DrawBorrower(r *rand.Rand, m market.BorrowerModel) Borrower {
	return Borrower{
		Utilization: uniform(r, m.UtilizationMin, m.UtilizationMax),
		Opex:        uniform(r, m.OpexMin, m.OpexMax),
		PriceFactor: uniform(r, m.PriceFactorMin, m.PriceFactorMax),
	}
}

// MonthlyIncome is a borrower's net operating income for a month in USD:
// utilization × realized rent × hours × GPUs less the operating cost of
// every GPU-hour (idle GPUs still draw power and rack space), at least 0 —
// a loss-making month brings nothing to the lockbox.
func MonthlyIncome(m market.BorrowerModel, b Borrower, rent, shock float64) float64 {
	u := clamp(b.Utilization+shock, 0, 1)
	income := (u*rent*b.PriceFactor - b.Opex) * m.HoursPerMonth * float64(m.GPUsPerTitle)
	return math.Max(0, income)
}

// Shock draws a month's utilization shock, uniform on ±the model's shock.
func Shock(r *rand.Rand, m market.BorrowerModel) float64 {
	return uniform(r, -m.UtilizationMonthlyShock, m.UtilizationMonthlyShock)
}

// Demand draws how many operators ask for a loan in a month: uniform on
// [min, max].
func Demand(r *rand.Rand, min, max int) int { return min + r.Intn(max-min+1) }

// Installment is the level monthly payment of an amortizing loan (USD):
// B·i / (1 − (1+i)^−n) with i = apr / 12. The report uses it to explain
// coverage; the chain computes the real schedule.
func Installment(principal, apr float64, n int) float64 {
	i := apr / 12
	if i == 0 {
		return principal / float64(n)
	}
	return principal * i / (1 - math.Pow(1+i, -float64(n)))
}

// depositorRule is what depositors do at the start of a month, given the
// vault's trailing realized APR and the T-bill rate. Returns the share of
// NAV deposited and the share of each depositor's shares queued for
// redemption:
//   - inflow: 4% of NAV when the trailing APR beats T-bills by 3 points,
//     1% when it beats them at all, none otherwise;
//   - churn: 2% of shares every month; 10% when the trailing APR is below
//     the T-bill rate (depositors leave for T-bills).
func depositorRule(trailingAPR, tbill float64, haveHistory bool) (inflow, redeem float64) {
	if !haveHistory {
		return 0.04, 0.02
	}
	switch {
	case trailingAPR >= tbill+0.03:
		return 0.04, 0.02
	case trailingAPR >= tbill:
		return 0.01, 0.02
	default:
		return 0, 0.10
	}
}

func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

func clamp(x, lo, hi float64) float64 { return math.Min(hi, math.Max(lo, x)) }
