// Package report holds the backtest's results and renders them: a markdown
// report with PNG charts drawn in Go.
package report

import "time"

// The records below are the backtest's output, read from the chain's state
// after each month. They are float64 because they only feed the report and
// its charts: the chain itself computed every number with integers and
// decimals, the conversion happens after the fact.

// Params are one parameter set the backtest runs the market history under.
type Params struct {
	// Name labels the set in the report ("preset", "usdai", "sweep-12").
	Name string
	// MaxLTV is the product's and the class's maximum loan-to-value (0.50–0.80).
	MaxLTV float64
	// DepreciationPerYear is the GPU class's straight-line depreciation (0.15–0.40).
	DepreciationPerYear float64
	// FirstLoss is the curator's first-loss share of each loan (0.05–0.20).
	FirstLoss float64
	// MinInsurance is the product's minimum insurance coverage as a share of principal.
	MinInsurance float64
	// APR is the loan APR every loan is underwritten at.
	APR float64
}

// Month is the state of the protocol at the end of one calendar month.
type Month struct {
	Month time.Time // first day of the month, UTC
	// Market inputs of the month.
	GPUPrice   float64 // H100 resale, USD per GPU
	RentPrice  float64 // H100 rental, USD per GPU-hour
	TBillRate  float64 // 3-month T-bill, annual, e.g. 0.0522
	SharePrice float64 // sUSDai redemption price in USDai
	// RealizedAPR is the share price's change over the month, annualized (×12).
	RealizedAPR float64
	// ProjectedAPR is what the vault's book promised at the start of the
	// month: loan APRs net of the first-loss premium and T-bill yield,
	// weighted by where the assets were.
	ProjectedAPR float64
	// Loans.
	LoansActive int // active or margin-called at the end of the month
	Originated  int // funded this month
	Defaults    int // loans that went to auction or write-off this month
	Repaid      int // loans repaid in full this month
	// Cumulative losses by layer, USDai, from the start of the backtest.
	LossBorrowerEquity float64 // appraised collateral value above the debt, lost in sales
	LossInsurance      float64 // paid by insurers
	// InsuranceToLenders is the part of LossInsurance the lenders needed:
	// a value claim pays the owner's loss on the title (insured value less
	// the sale price, up to the coverage), and what exceeds the debt goes
	// back to the borrower as the waterfall's surplus.
	InsuranceToLenders float64
	LossFirstLoss      float64 // junior tranche (curators)
	LossSenior         float64 // sUSDai vault
	// Auctions settled this month: count and what buyers paid.
	Auctions          int
	AuctionRecoveries float64 // USDai paid by buyers
	AuctionAppraised  float64 // the lots' valuation when the auction opened
	// USDai backing: reserves held by x/stable over USDai supply (>= 1).
	BackingRatio float64
	// Vault: where the depositors' money is, USDai, and the redemption queue.
	VaultIdle     float64
	VaultTreasury float64
	VaultLoans    float64
	QueuedShares  float64 // sUSDai shares waiting in the redemption queue
	QueuedValue   float64 // their value at the month's share price, USDai
}

// Result is one backtest run.
type Result struct {
	Params Params
	Seed   int64
	Months []Month
	// Summary over the whole run.
	APR         float64 // sUSDai annualized return, first to last month (compounded)
	SeniorLoss  float64 // cumulative vault loss, USDai
	JuniorLoss  float64 // cumulative first-loss (curator) loss, USDai
	InsurerPaid float64 // cumulative insurance claims paid into waterfalls, USDai
	// InsurerToLenders is the part of InsurerPaid that paid the tranches
	// (the rest reached the borrowers as surplus), USDai.
	InsurerToLenders float64
	Defaults         int
	Originated       int
	MinBacking       float64 // lowest backing ratio seen
	MaxQueueDays     float64 // longest time a redemption request waited, days
	Premiums         float64 // insurance premiums the borrowers paid, USDai
	// DefaultReasons counts defaults by the chain's default_reason
	// ("grace_expired", "margin_call:ltv", "margin_call:dscr", ...).
	DefaultReasons map[string]int
}

// Sweep is the parameter sweep: one result per parameter set (months kept
// only for the base runs, to keep the report small).
type Sweep struct {
	Points []Result
}
