package types_test

import (
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/x/lending/types"
)

func period(rev, ds int64) types.CashFlowPeriod {
	return types.CashFlowPeriod{Revenue: math.NewInt(rev), DebtService: math.NewInt(ds)}
}

// TestCashFlowRing: the ring appends until N records, then overwrites the
// oldest; DSCR is Σ revenue / Σ debt service over what it holds.
func TestCashFlowRing(t *testing.T) {
	l := types.Loan{Terms: types.LoanTerms{CashFlowPeriods: 3, MinDscr: math.LegacyMustNewDecFromStr("1.2")}}
	_, ok := l.DSCR()
	require.False(t, ok)
	require.False(t, l.DSCRBreached())

	l.RecordCashFlow(period(100, 100))
	require.Equal(t, uint32(1), l.CashFlowNext)
	require.True(t, l.DSCRBreached()) // 1.0 < 1.2
	l.RecordCashFlow(period(200, 100))
	l.RecordCashFlow(period(300, 100))
	require.Len(t, l.CashFlow, 3)
	require.Equal(t, uint32(0), l.CashFlowNext)
	r, ok := l.DSCR()
	require.True(t, ok)
	require.Equal(t, math.LegacyNewDec(2), r)

	// The fourth record replaces the first: (400 + 200 + 300) / 300 = 3.
	l.RecordCashFlow(period(400, 100))
	require.Len(t, l.CashFlow, 3)
	require.Equal(t, uint32(1), l.CashFlowNext)
	require.Equal(t, int64(400), l.CashFlow[0].Revenue.Int64())
	r, _ = l.DSCR()
	require.Equal(t, math.LegacyNewDec(3), r)
	require.False(t, l.DSCRBreached())

	// min_dscr 0 is off; no debt service gives no ratio.
	off := types.Loan{Terms: types.LoanTerms{MinDscr: math.LegacyZeroDec()}}
	off.RecordCashFlow(period(0, 100))
	require.False(t, off.DSCRBreached())
	none := types.Loan{Terms: types.LoanTerms{MinDscr: math.LegacyOneDec()}}
	none.RecordCashFlow(period(0, 0))
	require.False(t, none.DSCRBreached())
	require.Equal(t, types.DefaultCashFlowPeriods, none.Terms.CashFlowWindow())
}

// TestProductLockboxTerms: min_dscr in [0, 100], cash_flow_periods <= 24,
// sweep_excess HOLD or PREPAY; the loan keeps them.
func TestProductLockboxTerms(t *testing.T) {
	p := product("0.15", 30*24*time.Hour, 12)
	require.NoError(t, p.Validate())
	p.MinDscr, p.CashFlowPeriods, p.SweepExcess = math.LegacyMustNewDecFromStr("1.35"), 24, types.SweepExcessPrepay
	require.NoError(t, p.Validate())
	terms := p.Terms()
	require.Equal(t, p.MinDscr, terms.MinDscr)
	require.Equal(t, uint32(24), terms.CashFlowPeriods)
	require.Equal(t, types.SweepExcessPrepay, terms.SweepExcess)
	for _, bad := range []func(*types.Product){
		func(p *types.Product) { p.MinDscr = math.LegacyMustNewDecFromStr("-0.1") },
		func(p *types.Product) { p.MinDscr = math.LegacyNewDec(101) },
		func(p *types.Product) { p.CashFlowPeriods = 25 },
		func(p *types.Product) { p.SweepExcess = 2 },
	} {
		q := p
		bad(&q)
		require.ErrorIs(t, q.Validate(), types.ErrInvalidProduct)
	}
}
