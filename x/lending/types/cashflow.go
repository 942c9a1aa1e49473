package types

import "cosmossdk.io/math"

const (
	// MaxCashFlowPeriods bounds a product's cash_flow_periods (the ring size).
	MaxCashFlowPeriods = 24
	// DefaultCashFlowPeriods is the ring size when cash_flow_periods is 0.
	DefaultCashFlowPeriods = 3
)

// CashFlowWindow is N, the number of periods the loan's cash-flow record keeps.
func (t LoanTerms) CashFlowWindow() int {
	if t.CashFlowPeriods == 0 {
		return DefaultCashFlowPeriods
	}
	return int(t.CashFlowPeriods)
}

// RecordCashFlow writes p into the loan's ring: appended until N periods are
// held, then over the oldest (at cash_flow_next). O(1) per period.
func (l *Loan) RecordCashFlow(p CashFlowPeriod) {
	n := l.Terms.CashFlowWindow()
	if len(l.CashFlow) < n {
		l.CashFlow = append(l.CashFlow, p)
		l.CashFlowNext = uint32(len(l.CashFlow) % n)
		return
	}
	// A record longer than N (N lowered) keeps its size: the ring just wraps.
	i := int(l.CashFlowNext) % len(l.CashFlow)
	l.CashFlow[i] = p
	l.CashFlowNext = uint32((i + 1) % len(l.CashFlow))
}

// DSCR is the debt-service coverage ratio over the record: Σ revenue / Σ
// scheduled debt service. ok is false when there is nothing to measure (no
// record yet, or no debt service scheduled in it).
func (l Loan) DSCR() (ratio math.LegacyDec, ok bool) {
	revenue, service := math.ZeroInt(), math.ZeroInt()
	for _, p := range l.CashFlow {
		revenue = revenue.Add(p.Revenue)
		service = service.Add(p.DebtService)
	}
	if !service.IsPositive() {
		return math.LegacyZeroDec(), false
	}
	return math.LegacyNewDecFromInt(revenue).QuoInt(service), true
}

// DSCRBreached reports whether the loan's min_dscr covenant fails: it is on
// (min_dscr > 0), there is a record, and the ratio is below the minimum.
func (l Loan) DSCRBreached() bool {
	if l.Terms.MinDscr.IsNil() || !l.Terms.MinDscr.IsPositive() {
		return false
	}
	ratio, ok := l.DSCR()
	return ok && ratio.LT(l.Terms.MinDscr)
}
