package keeper_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/runtime"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/query"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/keeper"
	"github.com/infrafi/infrafi/x/lending/types"
)

var apr15 = math.LegacyMustNewDecFromStr("0.15")

func TestLifecycleNumbers(t *testing.T) {
	f := setup(t)
	id := f.request(t, usd(10_000), 1)
	require.Equal(t, calibertypes.StatusPledged, f.caliber.titles[1].Status)
	require.Equal(t, types.LoanPending, f.loan(t, id).Status)

	disbursed, err := f.k.UnderwriteLoan(f.ctx, curator, id, apr15, usd(1_000))
	require.NoError(t, err)
	l := f.loan(t, id)
	// Level payment of 10,000 at 15% over 12 months: 902.58 (±0.01).
	first := l.InterestDue.Add(l.PrincipalDue)
	require.Equal(t, usd(125), l.InterestDue)
	require.True(t, first.Sub(math.NewInt(902_580_000)).Abs().LTE(math.NewInt(10_000)), "first payment %s", first)
	fee := usd(100)
	require.Equal(t, first, l.Dsr)
	require.Equal(t, usd(10_000).Sub(fee).Sub(first), disbursed)
	require.Equal(t, usd(1_000).Add(disbursed), f.bank.get(borrower))
	require.Equal(t, fee, f.bank.get(feesAddr))
	require.Equal(t, l.Dsr, f.bank.get(lendingAddr))
	require.Equal(t, usd(1_000_000-9_000), f.bank.get(yieldAddr))
	require.Equal(t, usd(99_000), f.bank.get(curator))
	require.Equal(t, usd(9_000), l.Senior.Balance)
	require.Equal(t, math.LegacyMustNewDecFromStr("0.12"), l.Senior.Rate)
	require.Equal(t, genesisTime.Add(month), l.NextDueTime)
	require.Equal(t, uint32(12), l.PaymentsRemaining)
	f.checkInvariants(t)

	// Scheduled payment 1: interest 125 split 90/10 by principal; 20% of the
	// senior 112.5 (22.5) goes to the junior as premium.
	f.ctx = f.ctx.WithBlockTime(genesisTime.Add(month))
	applied, closed, err := f.k.Repay(f.ctx, payer, id, first)
	require.NoError(t, err)
	require.False(t, closed)
	require.Equal(t, first, applied)
	principal1 := first.Sub(usd(125))
	seniorP, juniorP := types.SplitProRata(principal1, usd(9_000), usd(1_000))
	require.Equal(t, math.NewInt(90_000_000), f.vault.interest) // 112.5 − 22.5
	require.Equal(t, usd(99_000).Add(math.NewInt(12_500_000+22_500_000)).Add(juniorP), f.bank.get(curator))
	l = f.loan(t, id)
	require.Equal(t, usd(9_000).Sub(seniorP), l.Senior.Balance)
	require.Equal(t, uint32(11), l.PaymentsRemaining)
	require.Equal(t, genesisTime.Add(2*month), l.NextDueTime)
	require.Equal(t, genesisTime.Add(month), l.AccruedSince)
	f.checkInvariants(t)

	// Prepayment: pay installment 2 plus 3,000 more; the 10 periods left re-amortize.
	second := l.InterestDue.Add(l.PrincipalDue)
	balanceBefore, due2P := l.Outstanding(), l.PrincipalDue
	_, _, err = f.k.Repay(f.ctx, borrower, id, second.Add(usd(3_000)))
	require.NoError(t, err)
	l = f.loan(t, id)
	require.Equal(t, balanceBefore.Sub(due2P).Sub(usd(3_000)), l.Outstanding())
	require.Equal(t, uint32(10), l.PaymentsRemaining)
	wantI, wantP := types.Installment(types.ScheduleAmortizing, l.Outstanding(), apr15, month, 10)
	require.Equal(t, wantI, l.InterestDue)
	require.Equal(t, wantP, l.PrincipalDue)
	require.True(t, l.InterestDue.Add(l.PrincipalDue).LT(first), "re-amortized payment %s below %s", l.InterestDue.Add(l.PrincipalDue), first)

	// Schedule query lists the remaining payments and amortizes to zero.
	res, err := keeperQuery(f).Schedule(f.ctx, &types.QueryScheduleRequest{LoanId: id})
	require.NoError(t, err)
	require.Len(t, res.Payments, 10)
	require.True(t, res.Payments[9].BalanceAfter.IsZero())

	// Payoff, with more than needed: only the payoff is taken.
	payoff := keeper.Payoff(l, f.ctx.BlockTime())
	exit := types.BpsOfCeil(l.Outstanding(), 50)
	require.Equal(t, l.InterestDue.Add(l.Outstanding()), payoff) // exit fee covered by the DSR
	borrowerBefore, feesBefore := f.bank.get(borrower), f.bank.get(feesAddr)
	applied, closed, err = f.k.Repay(f.ctx, borrower, id, payoff.Add(usd(500)))
	require.NoError(t, err)
	require.True(t, closed)
	require.Equal(t, payoff, applied)
	l = f.loan(t, id)
	require.Equal(t, types.LoanRepaid, l.Status)
	require.Equal(t, calibertypes.StatusActive, f.caliber.titles[1].Status)
	require.Equal(t, feesBefore.Add(exit), f.bank.get(feesAddr))
	require.Equal(t, borrowerBefore.Sub(payoff).Add(first.Sub(exit)), f.bank.get(borrower))
	require.True(t, f.bank.get(lendingAddr).IsZero())
	require.True(t, l.Outstanding().IsZero())
	f.checkInvariants(t)

	// Repay on a closed loan.
	before := f.snapshot(t)
	_, _, err = f.k.Repay(f.ctx, payer, id, usd(1))
	require.ErrorIs(t, err, types.ErrInvalidLoanStatus)
	require.Equal(t, before, f.snapshot(t))
}

func TestInterestOnlyLoan(t *testing.T) {
	f := setup(t)
	p := testProduct()
	p.Schedule = types.ScheduleInterestOnly
	p.Duration = 3 * month
	require.NoError(t, f.k.UpdateProduct(f.ctx, p))
	id := f.request(t, usd(12_000), 1)
	_, err := f.k.UnderwriteLoan(f.ctx, curator, id, math.LegacyMustNewDecFromStr("0.12"), usd(1_200))
	require.NoError(t, err)
	for i := 0; i < 2; i++ {
		l := f.loan(t, id)
		require.Equal(t, usd(120), l.InterestDue)
		require.True(t, l.PrincipalDue.IsZero())
		_, _, err = f.k.Repay(f.ctx, payer, id, usd(120))
		require.NoError(t, err)
	}
	l := f.loan(t, id)
	require.Equal(t, usd(120), l.InterestDue)
	require.Equal(t, usd(12_000), l.PrincipalDue)
	require.Equal(t, uint32(1), l.PaymentsRemaining)
	_, closed, err := f.k.Repay(f.ctx, payer, id, keeper.Payoff(l, f.ctx.BlockTime()))
	require.NoError(t, err)
	require.True(t, closed)
	f.checkInvariants(t)
}

func TestCancelAndExpiry(t *testing.T) {
	f := setup(t)
	id := f.request(t, usd(1_000), 1)
	before := f.snapshot(t)
	require.ErrorIs(t, f.k.CancelLoanRequest(f.ctx, other, id), sdkerrors.ErrUnauthorized)
	require.Equal(t, before, f.snapshot(t))
	require.NoError(t, f.k.CancelLoanRequest(f.ctx, borrower, id))
	require.Equal(t, types.LoanCancelled, f.loan(t, id).Status)
	require.Equal(t, calibertypes.StatusActive, f.caliber.titles[1].Status)
	require.ErrorIs(t, f.k.CancelLoanRequest(f.ctx, borrower, id), types.ErrInvalidLoanStatus)

	// Expiry is bounded per block.
	params := types.DefaultParams()
	params.MaxExpiriesPerBlock = 1
	require.NoError(t, f.k.SetParams(f.ctx, params))
	a := f.request(t, usd(1_000), 2)
	b := f.request(t, usd(1_000), 3)
	f.ctx = f.ctx.WithBlockTime(genesisTime.Add(params.MaxPendingAge - time.Second))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, types.LoanPending, f.loan(t, a).Status)
	f.ctx = f.ctx.WithBlockTime(genesisTime.Add(params.MaxPendingAge))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, types.LoanExpired, f.loan(t, a).Status)
	require.Equal(t, types.LoanPending, f.loan(t, b).Status)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, types.LoanExpired, f.loan(t, b).Status)
	require.Equal(t, calibertypes.StatusActive, f.caliber.titles[2].Status)
	require.Equal(t, calibertypes.StatusActive, f.caliber.titles[3].Status)
	f.checkInvariants(t)
}

func TestRequestBadInput(t *testing.T) {
	f := setup(t)
	f.addTitle(5, other, h100, custodian, usd(20_000))
	f.addTitle(6, borrower, storage, custodian, usd(20_000))
	f.addTitle(7, borrower, h100, custodian, usd(20_000))
	f.caliber.titles[7].Status = calibertypes.StatusPendingCustody
	inUse := f.request(t, usd(1_000), 4)
	_ = inUse
	msg := func(principal math.Int, product string, titles ...uint64) *types.MsgRequestLoan {
		return &types.MsgRequestLoan{Borrower: borrower.String(), TitleIds: titles, ProductId: product, Principal: principal}
	}
	for _, tc := range []struct {
		name string
		msg  *types.MsgRequestLoan
		want error
	}{
		{"another's title", msg(usd(1_000), "gpu", 1, 5), sdkerrors.ErrUnauthorized},
		{"non-ACTIVE title", msg(usd(1_000), "gpu", 7), calibertypes.ErrInvalidStatus},
		{"title already pledged", msg(usd(1_000), "gpu", 4), types.ErrTitleInLoan},
		{"title twice", msg(usd(1_000), "gpu", 1, 1), types.ErrInvalidTitles},
		{"no titles", msg(usd(1_000), "gpu"), types.ErrInvalidTitles},
		{"unknown title", msg(usd(1_000), "gpu", 99), calibertypes.ErrTitleNotFound},
		{"unknown product", msg(usd(1_000), "nope", 1), types.ErrProductNotFound},
		{"class not allowed", msg(usd(1_000), "gpu", 1, 6), types.ErrClassNotAllowed},
		{"zero principal", msg(math.ZeroInt(), "gpu", 1), types.ErrInvalidAmount},
		{"bad borrower", &types.MsgRequestLoan{Borrower: "x", TitleIds: []uint64{1}, ProductId: "gpu", Principal: usd(1)}, sdkerrors.ErrInvalidAddress},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.snapshot(t)
			_, err := f.k.RequestLoan(f.ctx, tc.msg)
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, before, f.snapshot(t))
		})
	}
	p := testProduct()
	p.Enabled = false
	require.NoError(t, f.k.UpdateProduct(f.ctx, p))
	_, err := f.k.RequestLoan(f.ctx, msg(usd(1_000), "gpu", 1))
	require.ErrorIs(t, err, types.ErrProductDisabled)
}

func TestUnderwriteBadInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		prep   func(f *fixture)
		signer func() []byte
		apr    string
		junior math.Int
		amount math.Int
		want   error
	}{
		{"non-curator", nil, func() []byte { return other }, "0.15", usd(1_000), usd(10_000), sdkerrors.ErrUnauthorized},
		{"apr below range", nil, nil, "0.05", usd(1_000), usd(10_000), types.ErrAPROutOfRange},
		{"apr above range", nil, nil, "0.25", usd(1_000), usd(10_000), types.ErrAPROutOfRange},
		{"junior below minimum", nil, nil, "0.15", usd(999), usd(10_000), types.ErrJuniorTooLow},
		{"zero junior", nil, nil, "0.15", math.ZeroInt(), usd(10_000), types.ErrInvalidAmount},
		{"over max ltv", nil, nil, "0.15", usd(1_500), usd(14_001), types.ErrLTVExceeded},
		{"no valuation", func(f *fixture) { delete(f.caliber.values, 1) }, nil, "0.15", usd(1_000), usd(10_000), types.ErrNoValuation},
		{"uninsured", func(f *fixture) { delete(f.caliber.policies, 1) }, nil, "0.15", usd(1_000), usd(10_000), types.ErrUninsured},
		{"under-insured", func(f *fixture) {
			p := f.caliber.policies[1]
			p.Coverage = usd(9_999)
			f.caliber.policies[1] = p
		}, nil, "0.15", usd(1_000), usd(10_000), types.ErrUninsured},
		{"insurance ends before maturity", func(f *fixture) {
			p := f.caliber.policies[1]
			p.ExpiresAt = genesisTime.Add(11 * month)
			f.caliber.policies[1] = p
		}, nil, "0.15", usd(1_000), usd(10_000), types.ErrUninsured},
		{"stale custody", func(f *fixture) { f.caliber.stale[1] = true }, nil, "0.15", usd(1_000), usd(10_000), types.ErrCustodyStale},
		{"vault short of liquidity", func(f *fixture) { f.vault.reserved = usd(1_000_000 - 8_999) }, nil, "0.15", usd(1_000), usd(10_000), types.ErrInsufficientLiquidity},
		{"concentration", func(f *fixture) {
			params := types.DefaultParams()
			params.ConcentrationMinBook = math.OneInt()
			params.MaxBorrowerConcentrationBps = 5_000
			require.NoError(t, f.k.SetParams(f.ctx, params))
		}, nil, "0.15", usd(1_000), usd(10_000), types.ErrConcentration},
		{"curator short of funds", func(f *fixture) { f.bank.set(curator, usd(10)) }, nil, "0.15", usd(1_000), usd(10_000), sdkerrors.ErrInsufficientFunds},
		// The last check, after x/yield has funded the senior part: the
		// funding is reverted with the rest. A reserve of every period
		// (12 level payments) leaves nothing to disburse.
		{"disbursement too small", func(f *fixture) {
			p := testProduct()
			p.DebtServiceReservePeriods = p.Payments()
			require.NoError(t, f.k.UpdateProduct(f.ctx, p))
		}, nil, "0.15", usd(1_000), usd(10_000), types.ErrDisbursementTooSmall},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			id := f.request(t, tc.amount, 1)
			if tc.prep != nil {
				tc.prep(f)
			}
			signer := curator
			if tc.signer != nil {
				signer = tc.signer()
			}
			before := f.snapshot(t)
			_, err := f.k.UnderwriteLoan(f.ctx, signer, id, math.LegacyMustNewDecFromStr(tc.apr), tc.junior)
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, before, f.snapshot(t))
			require.Equal(t, types.LoanPending, f.loan(t, id).Status)
		})
	}
}

func TestConcentrationAppliesAboveMinBook(t *testing.T) {
	f := setup(t)
	params := types.DefaultParams()
	params.ConcentrationMinBook = usd(20_000)
	params.MaxCustodianConcentrationBps = 6_000
	require.NoError(t, f.k.SetParams(f.ctx, params))
	f.addTitle(8, other, h100, custodian2, usd(20_000))
	// First loan: book 9,000 < 20,000, so limits do not apply.
	a := f.request(t, usd(10_000), 1)
	_, err := f.k.UnderwriteLoan(f.ctx, curator, a, apr15, usd(1_000))
	require.NoError(t, err)
	// Second loan by the same borrower and custodian: book 18,000 < 20,000.
	b := f.request(t, usd(10_000), 2)
	_, err = f.k.UnderwriteLoan(f.ctx, curator, b, apr15, usd(1_000))
	require.NoError(t, err)
	// Third: book 27,000, custodian 27,000 = 100% > 60%.
	c := f.request(t, usd(10_000), 3)
	_, err = f.k.UnderwriteLoan(f.ctx, curator, c, apr15, usd(1_000))
	require.ErrorIs(t, err, types.ErrConcentration)
	res, err := keeperQuery(f).BookSummary(f.ctx, &types.QueryBookSummaryRequest{})
	require.NoError(t, err)
	require.Equal(t, usd(18_000), res.SeniorPrincipal)
	require.Equal(t, usd(2_000), res.JuniorPrincipal)
}

func TestRepayBadInput(t *testing.T) {
	f := setup(t)
	id := f.request(t, usd(10_000), 1)
	before := f.snapshot(t)
	_, _, err := f.k.Repay(f.ctx, payer, id, usd(1))
	require.ErrorIs(t, err, types.ErrInvalidLoanStatus) // pending
	require.Equal(t, before, f.snapshot(t))
	_, err = f.k.UnderwriteLoan(f.ctx, curator, id, apr15, usd(1_000))
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		loan   uint64
		amount math.Int
		from   []byte
		want   error
	}{
		{"zero amount", id, math.ZeroInt(), payer, types.ErrInvalidAmount},
		{"unknown loan", 99, usd(1), payer, types.ErrLoanNotFound},
		{"payer short of funds", id, usd(1), other, sdkerrors.ErrInsufficientFunds},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.snapshot(t)
			_, _, err := f.k.Repay(f.ctx, tc.from, tc.loan, tc.amount)
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, before, f.snapshot(t))
		})
	}
	require.ErrorIs(t, (&types.MsgRepay{Payer: payer.String(), LoanId: id, Amount: math.ZeroInt()}).ValidateBasic(), types.ErrInvalidAmount)
	require.ErrorIs(t, (&types.MsgUnderwriteLoan{Curator: curator.String(), LoanId: id, Apr: apr15, JuniorAmount: math.ZeroInt()}).ValidateBasic(), types.ErrInvalidAmount)
}

func TestQuote(t *testing.T) {
	f := setup(t)
	q, err := f.k.Quote(f.ctx, "gpu", []uint64{1, 2})
	require.NoError(t, err)
	require.Equal(t, usd(40_000), q.CollateralValue)
	require.Equal(t, usd(28_000), q.LtvLimit)
	require.Equal(t, "ltv", q.Binding)
	f.vault.reserved = usd(1_000_000 - 9_000)
	q, err = f.k.Quote(f.ctx, "gpu", []uint64{1, 2})
	require.NoError(t, err)
	require.Equal(t, usd(10_000), q.LiquidityLimit)
	require.Equal(t, usd(10_000), q.MaxPrincipal)
	require.Equal(t, "liquidity", q.Binding)
	_, err = f.k.Quote(f.ctx, "nope", []uint64{1})
	require.ErrorIs(t, err, types.ErrProductNotFound)
}

func TestGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	a := f.request(t, usd(10_000), 1)
	_, err := f.k.UnderwriteLoan(f.ctx, curator, a, apr15, usd(1_000))
	require.NoError(t, err)
	f.request(t, usd(5_000), 2)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())

	g := setup(t)
	// Same titles pledged in the fresh fixture, as caliber's genesis would have them.
	g.caliber.titles[1].Status, g.caliber.titles[2].Status = calibertypes.StatusPledged, calibertypes.StatusPledged
	g.caliber.titles[1].LoanId, g.caliber.titles[2].LoanId = 1, 2
	g.bank.set(lendingAddr, f.bank.get(lendingAddr))
	// The vault's commitment for the PENDING loan, as x/yield's genesis would have it.
	require.NoError(t, g.vault.committed.Set(g.ctx, usd(5_000)))
	require.NoError(t, g.k.Products.Remove(g.ctx, "gpu"))
	require.NoError(t, g.k.InitGenesis(g.ctx, gs))
	gs2, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, gs2)
	g.checkInvariants(t)
	res, err := keeperQuery(g).Loans(g.ctx, &types.QueryLoansRequest{Status: types.LoanPending})
	require.NoError(t, err)
	require.Len(t, res.Loans, 1)

	bad := *gs
	bad.Loans = append(bad.Loans, gs.Loans[0])
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)

	// x/caliber's genesis must give each live loan's titles that loan as lien.
	h := setup(t)
	h.caliber.titles[1].Status, h.caliber.titles[2].Status = calibertypes.StatusPledged, calibertypes.StatusPledged
	h.caliber.titles[1].LoanId, h.caliber.titles[2].LoanId = 1, 1
	require.NoError(t, h.vault.committed.Set(h.ctx, usd(5_000)))
	require.NoError(t, h.k.Products.Remove(h.ctx, "gpu"))
	err = h.k.InitGenesis(h.ctx, gs)
	require.ErrorIs(t, err, types.ErrInvalidGenesis)
	require.ErrorContains(t, err, "title 2 of live loan 2 has lien 1")
}

func keeperQuery(f *fixture) types.QueryServer { return keeper.NewQueryServerImpl(f.k) }

// totals lists the Totals entries.
func totals(t *testing.T, f *fixture) map[string]math.Int {
	t.Helper()
	out := map[string]math.Int{}
	require.NoError(t, f.k.Totals.Walk(f.ctx, nil, func(key string, v math.Int) (bool, error) {
		out[key] = v
		return false, nil
	}))
	return out
}

// Regression (found by the app simulation's import/export comparison): a
// total that fell to zero stayed in the store as a zero entry, while
// InitGenesis, rebuilding the totals from the loans, writes none; the
// exported and re-imported stores differed.
func TestTotalsFallingToZeroLeaveNoEntry(t *testing.T) {
	f := setup(t)
	id := f.request(t, usd(10_000), 1)
	_, err := f.k.UnderwriteLoan(f.ctx, curator, id, apr15, usd(1_000))
	require.NoError(t, err)
	require.Len(t, totals(t, f), 3)
	_, closed, err := f.k.Repay(f.ctx, payer, id, keeper.Payoff(f.loan(t, id), f.ctx.BlockTime()))
	require.NoError(t, err)
	require.True(t, closed)
	require.Empty(t, totals(t, f), "senior, junior and DSR totals are zero")
	f.checkInvariants(t)

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	g := setup(t)
	require.NoError(t, g.k.Products.Remove(g.ctx, "gpu"))
	require.NoError(t, g.k.InitGenesis(g.ctx, gs))
	require.Equal(t, totals(t, f), totals(t, g))
}

// allKeys lists an index's keys in order.
func allKeys[K any](t *testing.T, ctx context.Context, ks collections.KeySet[K]) []K {
	t.Helper()
	it, err := ks.Iterate(ctx, nil)
	require.NoError(t, err)
	keys, err := it.Keys()
	require.NoError(t, err)
	return keys
}

// fundedCancelledPending requests three loans and leaves one funded (ACTIVE),
// one cancelled and one PENDING: a loan in each state the indexes treat
// differently.
func (f *fixture) fundedCancelledPending(t *testing.T) (funded, cancelled, pending uint64) {
	t.Helper()
	funded = f.request(t, usd(10_000), 1)
	cancelled = f.request(t, usd(1_000), 2)
	pending = f.request(t, usd(1_000), 3)
	_, err := f.k.UnderwriteLoan(f.ctx, curator, funded, apr15, usd(1_000))
	require.NoError(t, err)
	require.NoError(t, f.k.CancelLoanRequest(f.ctx, borrower, cancelled))
	return funded, cancelled, pending
}

// setLoan moves index keys from the status a loan was stored with without
// reading it back: a PENDING loan has no status key (the pending queue lists
// it), funding adds the status key and the curator key, cancelling adds the
// status key, a loan without a curator has no curator key, and the
// invariants notice keys that went astray.
func TestLoanIndexKeysFollowStatus(t *testing.T) {
	f := setup(t)
	funded, cancelled, pending := f.fundedCancelledPending(t)
	f.checkInvariants(t)

	idx := f.k.Loans.Indexes
	has := func(ok bool, err error) bool { require.NoError(t, err); return ok }
	require.True(t, has(idx.Status.Has(f.ctx, collections.Join(int32(types.LoanActive), funded))))
	require.False(t, has(idx.Status.Has(f.ctx, collections.Join(int32(types.LoanPending), funded))))
	require.False(t, has(idx.Status.Has(f.ctx, collections.Join(int32(types.LoanPending), pending))))
	require.True(t, has(f.k.PendingQueue.Has(f.ctx, collections.Join(f.loan(t, pending).PendingExpiresAt, pending))))
	n, err := keeperutil.CountKeys(f.ctx, idx.Status.KeySet)
	require.NoError(t, err)
	require.Equal(t, uint64(2), n, "the funded and the cancelled loan have a status key, the PENDING one none")
	require.True(t, has(idx.Curator.Has(f.ctx, collections.Join(curator.String(), funded))))
	require.False(t, has(idx.Curator.Has(f.ctx, collections.Join("", funded))))
	require.True(t, has(idx.Status.Has(f.ctx, collections.Join(int32(types.LoanCancelled), cancelled))))
	require.False(t, has(idx.Curator.Has(f.ctx, collections.Join("", cancelled))))
	require.True(t, has(idx.Borrower.Has(f.ctx, collections.Join(borrower, cancelled))))
	n, err = keeperutil.CountKeys(f.ctx, idx.Curator.KeySet)
	require.NoError(t, err)
	require.Equal(t, uint64(1), n, "only the funded loan has a curator key")

	indexes, queues := keeper.IndexesInvariant(f.k), keeper.QueuesInvariant(f.k)
	for _, c := range []struct {
		name    string
		inv     sdk.Invariant
		corrupt func(ctx sdk.Context) error
		want    string
	}{
		{"missing status key", indexes, func(ctx sdk.Context) error {
			return idx.Status.Remove(ctx, collections.Join(int32(types.LoanActive), funded))
		}, "has no status index key"},
		{"PENDING status key", indexes, func(ctx sdk.Context) error {
			return idx.Status.Set(ctx, collections.Join(int32(types.LoanPending), pending))
		}, "status index holds 3 keys for 2 loans not PENDING"},
		{"PENDING loan out of the pending queue", queues, func(ctx sdk.Context) error {
			return f.k.PendingQueue.Remove(ctx, collections.Join(f.loan(t, pending).PendingExpiresAt, pending))
		}, fmt.Sprintf("PENDING loan %d not in the pending queue", pending)},
		{"stray pending queue entry", queues, func(ctx sdk.Context) error {
			return f.k.PendingQueue.Set(ctx, collections.Join(f.loan(t, funded).PendingExpiresAt, funded))
		}, "pending queue index holds 2 keys for 1 PENDING loans"},
		{"stale curator key", indexes, func(ctx sdk.Context) error {
			return idx.Curator.Set(ctx, collections.Join("", funded))
		}, "curator index holds 2 keys for 1 loans with a curator"},
		{"missing curator key", indexes, func(ctx sdk.Context) error {
			return idx.Curator.Remove(ctx, collections.Join(curator.String(), funded))
		}, "has no curator index key"},
		{"status count", indexes, func(ctx sdk.Context) error {
			return f.k.StatusCounts.Set(ctx, int32(types.LoanActive), 2)
		}, "counted 2, 1 loans hold it"},
	} {
		ctx, _ := f.ctx.CacheContext()
		require.NoError(t, c.corrupt(ctx), c.name)
		msg, broken := c.inv(ctx)
		require.True(t, broken, c.name)
		require.Contains(t, msg, c.want, c.name)
	}
}

// State version 2 kept a status key for every PENDING loan; the 2->3
// migration removes those and keeps every other status's keys.
func TestMigrateSparseStatusIndex(t *testing.T) {
	f := setup(t)
	funded, cancelled, pending := f.fundedCancelledPending(t)
	idx := f.k.Loans.Indexes
	require.NoError(t, idx.Status.Set(f.ctx, collections.Join(int32(types.LoanPending), pending))) // the version 2 layout
	_, broken := keeper.IndexesInvariant(f.k)(f.ctx)
	require.True(t, broken, "version 2 keys break the version 3 invariant")

	require.NoError(t, f.k.MigrateSparseStatusIndex(f.ctx))
	f.checkInvariants(t)
	keys := allKeys(t, f.ctx, idx.Status.KeySet)
	require.Equal(t, []collections.Pair[int32, uint64]{
		collections.Join(int32(types.LoanActive), funded), collections.Join(int32(types.LoanCancelled), cancelled),
	}, keys)
}

// The Loans query lists PENDING loans from the pending queue (in expiry
// order), page by page, and every other status from the status index.
func TestLoansQueryByStatus(t *testing.T) {
	f := setup(t)
	funded := f.request(t, usd(10_000), 1)
	first := f.request(t, usd(1_000), 2)
	f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(time.Hour))
	second := f.request(t, usd(1_000), 3)
	_, err := f.k.UnderwriteLoan(f.ctx, curator, funded, apr15, usd(1_000))
	require.NoError(t, err)

	q := keeperQuery(f)
	var ids []uint64
	var next []byte
	for page := 0; ; page++ {
		res, err := q.Loans(f.ctx, &types.QueryLoansRequest{Status: types.LoanPending, Pagination: &query.PageRequest{Key: next, Limit: 1, CountTotal: page == 0}})
		require.NoError(t, err)
		require.Len(t, res.Loans, 1)
		require.Equal(t, types.LoanPending, res.Loans[0].Status)
		ids = append(ids, res.Loans[0].Id)
		if page == 0 {
			require.Equal(t, uint64(2), res.Pagination.Total)
		}
		if next = res.Pagination.NextKey; next == nil {
			break
		}
	}
	require.Equal(t, []uint64{first, second}, ids)

	res, err := q.Loans(f.ctx, &types.QueryLoansRequest{Status: types.LoanPending, Pagination: &query.PageRequest{Offset: 1, Limit: 5}})
	require.NoError(t, err)
	require.Len(t, res.Loans, 1)
	require.Equal(t, second, res.Loans[0].Id)

	res, err = q.Loans(f.ctx, &types.QueryLoansRequest{Status: types.LoanActive})
	require.NoError(t, err)
	require.Len(t, res.Loans, 1)
	require.Equal(t, funded, res.Loans[0].Id)
}

// State version 1 kept a curator key under "" for every loan without a
// curator; the 1->2 migration removes those and keeps the funded loans' keys.
// MigrateTitleLiens moves state version 3's title -> loan map to the titles'
// liens and deletes it; a map entry for a title that cannot hold a lien
// fails the migration.
func TestMigrateTitleLiens(t *testing.T) {
	f := setup(t)
	funded, cancelled, pending := f.fundedCancelledPending(t)
	require.Equal(t, funded, f.caliber.titles[1].LoanId)
	require.Zero(t, f.caliber.titles[2].LoanId, cancelled)
	require.Equal(t, pending, f.caliber.titles[3].LoanId)

	// The version 3 layout: the map holds the live loans' titles, the titles no lien.
	v3 := collections.NewMap(collections.NewSchemaBuilder(runtime.NewKVStoreService(f.key)), types.TitleLoanKey, "title_loan", collections.Uint64Key, collections.Uint64Value)
	for _, e := range [][2]uint64{{1, funded}, {3, pending}} {
		require.NoError(t, v3.Set(f.ctx, e[0], e[1]))
		f.caliber.titles[e[0]].LoanId = 0
	}
	msg, broken := keeper.PledgedTitlesInvariant(f.k)(f.ctx)
	require.True(t, broken, "version 3 titles hold no lien")
	require.Contains(t, msg, fmt.Sprintf("title 1 of live loan %d is TITLE_STATUS_PLEDGED with lien 0", funded))

	// A title the map holds that is not PLEDGED fails the migration.
	bad, _ := f.ctx.CacheContext()
	require.NoError(t, v3.Set(bad, 2, cancelled))
	require.ErrorContains(t, f.k.MigrateTitleLiens(bad), "title 2 of loan 2")

	require.NoError(t, f.k.MigrateTitleLiens(f.ctx))
	f.checkInvariants(t)
	require.Equal(t, funded, f.caliber.titles[1].LoanId)
	require.Equal(t, pending, f.caliber.titles[3].LoanId)
	it, err := v3.Iterate(f.ctx, nil)
	require.NoError(t, err)
	left, err := it.Keys()
	require.NoError(t, err)
	require.Empty(t, left, "the map is gone")
}

func TestMigrateSparseCuratorIndex(t *testing.T) {
	f := setup(t)
	funded, cancelled, pending := f.fundedCancelledPending(t)
	idx := f.k.Loans.Indexes
	for _, id := range []uint64{cancelled, pending} { // the version 1 layout
		require.NoError(t, idx.Curator.Set(f.ctx, collections.Join("", id)))
	}
	_, broken := keeper.IndexesInvariant(f.k)(f.ctx)
	require.True(t, broken, "version 1 keys break the version 2 invariant")

	require.NoError(t, f.k.MigrateSparseCuratorIndex(f.ctx))
	f.checkInvariants(t)
	require.Equal(t, []collections.Pair[string, uint64]{collections.Join(curator.String(), funded)}, allKeys(t, f.ctx, idx.Curator.KeySet))
}

// A casualty hook naming a loan that does not hold the title fails (the
// report reverts) and changes nothing; one naming no loan is a no-op.
func TestCasualtyLienMustNameTheLoan(t *testing.T) {
	f := setup(t)
	id := f.request(t, usd(10_000), 1)
	before := f.snapshot(t)
	require.ErrorIs(t, f.k.Hooks().AfterCasualty(f.ctx, 2, id), types.ErrTitleNotInLoan)
	require.ErrorIs(t, f.k.Hooks().AfterCasualty(f.ctx, 2, id+1), types.ErrLoanNotFound)
	require.NoError(t, f.k.Hooks().AfterCasualty(f.ctx, 2, 0))
	require.Equal(t, before, f.snapshot(t))
}
