package keeper_test

import (
	"sort"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/lending/keeper"
	"github.com/infrafi/infrafi/x/lending/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

const (
	h100Feed = "h100-usd"
	day      = 24 * time.Hour
	grace    = 5 * day // testProduct().GracePeriod
	cure     = 7 * day // testProduct().CurePeriod
)

// ---------------------------------------------------------------------------
// Helpers shared by default_test.go and auction_test.go.

// fundLoan requests and underwrites a loan at 15% APR.
func (f *fixture) fundLoan(t *testing.T, principal, junior math.Int, titles ...uint64) uint64 {
	t.Helper()
	id := f.request(t, principal, titles...)
	_, err := f.k.UnderwriteLoan(f.ctx, curator, id, apr15, junior)
	require.NoError(t, err)
	return id
}

// noReserve makes loans underwritten from now on hold no debt-service reserve.
func (f *fixture) noReserve(t *testing.T) {
	t.Helper()
	p := testProduct()
	p.DebtServiceReservePeriods = 0
	require.NoError(t, f.k.UpdateProduct(f.ctx, p))
}

func (f *fixture) setTime(tm time.Time) { f.ctx = f.ctx.WithBlockTime(tm) }

func (f *fixture) endBlock(t *testing.T) {
	t.Helper()
	require.NoError(t, f.k.EndBlocker(f.ctx))
}

// freshEvents starts a new event manager, so eventsOf sees only what follows.
func (f *fixture) freshEvents() { f.ctx = f.ctx.WithEventManager(sdk.NewEventManager()) }

// eventsOf returns the typed events of type T emitted since freshEvents.
func eventsOf[T any, PT interface {
	*T
	proto.Message
}](t *testing.T, f *fixture) []*T {
	t.Helper()
	name := proto.MessageName(PT(new(T)))
	var out []*T
	for _, e := range f.ctx.EventManager().Events() {
		if e.Type != name {
			continue
		}
		msg, err := sdk.ParseTypedEvent(abci.Event(e))
		require.NoError(t, err)
		out = append(out, (*T)(msg.(PT)))
	}
	return out
}

// eqInt compares amounts by value (a computed zero and math.ZeroInt() differ
// in representation, so require.Equal cannot).
func eqInt(t *testing.T, want, got math.Int, msgAndArgs ...any) {
	t.Helper()
	require.Equal(t, want.String(), got.String(), msgAndArgs...)
}

// balances copies every account balance of the fake bank.
func (f *fixture) balances() map[string]math.Int {
	return f.bank.usdai()
}

// bankTotal is the sum of every balance: no operation may create or destroy coins.
func (f *fixture) bankTotal() math.Int {
	total := math.ZeroInt()
	for _, v := range f.bank.usdai() {
		total = total.Add(v)
	}
	return total
}

type move struct {
	who sdk.AccAddress
	amt math.Int
}

// requireMoves asserts that every balance changed since before by exactly
// the listed amounts (all other accounts unchanged) and that the total is
// unchanged: no coin created or lost.
func (f *fixture) requireMoves(t *testing.T, before map[string]math.Int, moves ...move) {
	t.Helper()
	want := map[string]math.Int{}
	for _, m := range moves {
		k := m.who.String()
		if _, ok := want[k]; !ok {
			want[k] = math.ZeroInt()
		}
		want[k] = want[k].Add(m.amt)
	}
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	balances := f.bank.usdai()
	for k := range balances {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	sumBefore, sumDelta := math.ZeroInt(), math.ZeroInt()
	for _, k := range sorted {
		b, ok := before[k]
		if !ok {
			b = math.ZeroInt()
		}
		w, ok := want[k]
		if !ok {
			w = math.ZeroInt()
		}
		now, ok := balances[k]
		if !ok {
			now = math.ZeroInt()
		}
		eqInt(t, w, now.Sub(b), "balance change of %s", accountName(k))
		sumBefore, sumDelta = sumBefore.Add(b), sumDelta.Add(now.Sub(b))
	}
	eqInt(t, math.ZeroInt(), sumDelta, "coins created or lost")
	eqInt(t, sumBefore, f.bankTotal())
}

func accountName(addr string) string {
	for name, a := range map[string]sdk.AccAddress{
		"borrower": borrower, "other": other, "curator": curator, "payer": payer, "insurer": insurer,
		"bidder": bidder, "lending": lendingAddr, "yield": yieldAddr, "protocol_fees": feesAddr,
	} {
		if a.String() == addr {
			return name
		}
	}
	return addr
}

// setValue changes a title's valuation and fires x/caliber's hook.
func (f *fixture) setValue(t *testing.T, id uint64, v math.Int) {
	t.Helper()
	f.caliber.values[id] = v
	require.NoError(t, f.k.Hooks().AfterValuationChanged(f.ctx, id, f.lienOf(id)))
}

// setPolicy replaces a title's active policy (insured value and coverage).
func (f *fixture) setPolicy(id uint64, insured, coverage math.Int) {
	p := f.caliber.policies[id]
	p.InsuredValue, p.Coverage = insured, coverage
	f.caliber.policies[id] = p
}

func (f *fixture) auction(t *testing.T, id uint64) types.Auction {
	t.Helper()
	a, err := f.k.GetAuction(f.ctx, id)
	require.NoError(t, err)
	return a
}

func (f *fixture) inDueQueue(t *testing.T, l types.Loan) bool {
	t.Helper()
	ok, err := f.k.DueQueue.Has(f.ctx, collections.Join(l.NextDueTime, l.Id))
	require.NoError(t, err)
	return ok
}

func (f *fixture) deadlines(t *testing.T) []collections.Pair[time.Time, uint64] {
	t.Helper()
	var out []collections.Pair[time.Time, uint64]
	require.NoError(t, f.k.DeadlineQueue.Walk(f.ctx, nil, func(k collections.Pair[time.Time, uint64]) (bool, error) {
		out = append(out, k)
		return false, nil
	}))
	return out
}

// graceInterest is ceil(outstanding × 5% × seconds / year), computed with
// integers only (independent of types.LateInterest).
func graceInterest(outstanding math.Int, seconds int64) math.Int {
	num := outstanding.MulRaw(5).MulRaw(seconds)
	den := math.NewInt(100 * types.SecondsPerYear)
	q := num.Quo(den)
	if !num.Mod(den).IsZero() {
		q = q.AddRaw(1)
	}
	return q
}

// ---------------------------------------------------------------------------

// TestReserveDelinquencyCureAndDefault walks one loan through a due date
// paid by the DSR, a missed one (DELINQUENT, impaired), the cure by
// repayment with exact grace interest, another miss and the default at the
// end of the grace period.
func TestReserveDelinquencyCureAndDefault(t *testing.T) {
	f := setup(t)
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	l := f.loan(t, id)
	first := l.InterestDue.Add(l.PrincipalDue)
	eqInt(t, first, l.Dsr)
	due1, due2, due3 := genesisTime.Add(month), genesisTime.Add(2*month), genesisTime.Add(3*month)

	// Nothing happens before the due date.
	f.setTime(due1.Add(-time.Second))
	before := f.snapshot(t)
	f.endBlock(t)
	require.Equal(t, before, f.snapshot(t))

	// Due 1 unpaid: the DSR pays it.
	f.setTime(due1)
	f.freshEvents()
	bal := f.balances()
	f.endBlock(t)
	principal1 := first.Sub(usd(125))
	sp1, jp1 := types.SplitProRata(principal1, usd(9_000), usd(1_000))
	f.requireMoves(t, bal,
		move{lendingAddr, first.Neg()},
		move{yieldAddr, sp1.Add(usd(90))},
		move{curator, jp1.Add(usd(35))},
	)
	l = f.loan(t, id)
	require.Equal(t, types.LoanActive, l.Status)
	require.True(t, l.Dsr.IsZero())
	require.Equal(t, uint32(11), l.PaymentsRemaining)
	require.Equal(t, due2, l.NextDueTime)
	require.True(t, f.inDueQueue(t, l))
	eqInt(t, usd(9_000).Sub(sp1), l.Senior.Balance)
	pays := eventsOf[types.EventLoanPayment](t, f)
	require.Len(t, pays, 1)
	require.Equal(t, keeper.SourceReserve, pays[0].Source)
	require.Equal(t, keeper.SourceReserve, pays[0].Payer)
	eqInt(t, first, pays[0].Amount)
	require.Empty(t, eventsOf[types.EventMarginCall](t, f))
	f.checkInvariants(t)

	// The title is revalued at 11,000 and its policy renewed with 500 of
	// coverage: LTV 9,222/11,000 = 0.84 still passes the 0.85 covenant.
	f.setPolicy(1, usd(11_000), usd(500))
	f.freshEvents()
	f.setValue(t, 1, usd(11_000))
	require.Equal(t, types.LoanActive, f.loan(t, id).Status)
	require.Empty(t, eventsOf[types.EventMarginCall](t, f))

	// Due 2 unpaid, DSR empty: DELINQUENT. Expected recovery 11,000 × 0.7 +
	// 500 = 8,200, below the senior balance: written down by the difference.
	f.setTime(due2)
	f.freshEvents()
	bal = f.balances()
	f.endBlock(t)
	f.requireMoves(t, bal)
	l = f.loan(t, id)
	require.Equal(t, types.LoanDelinquent, l.Status)
	require.Equal(t, due2, l.DelinquentSince)
	require.Equal(t, due2.Add(grace), l.Deadline)
	wd := l.Senior.Balance.Sub(usd(8_200))
	require.True(t, wd.IsPositive())
	require.True(t, l.Senior.Impaired)
	eqInt(t, wd, l.Senior.WriteDown)
	imp, err := f.k.Impaired.Has(f.ctx, id)
	require.NoError(t, err)
	require.True(t, imp)
	dl := eventsOf[types.EventLoanDelinquent](t, f)
	require.Len(t, dl, 1)
	eqInt(t, wd, dl[0].WriteDown)
	eqInt(t, l.InterestDue.Add(l.PrincipalDue), dl[0].Overdue)
	require.Equal(t, due2.Add(grace), dl[0].GraceEnds)
	require.Equal(t, []collections.Pair[time.Time, uint64]{collections.Join(due2.Add(grace), id)}, f.deadlines(t))
	f.checkInvariants(t)

	// Three days late the payoff includes grace interest on the outstanding
	// (and, the DSR being empty, the whole exit fee).
	f.setTime(due2.Add(3 * day))
	late := graceInterest(l.Outstanding(), int64(3*day/time.Second))
	eqInt(t, math.NewInt(3_790_035), late) // 9,222.42 × 5% × 3/365
	exit := types.BpsOfCeil(l.Outstanding(), 50)
	eqInt(t, late.Add(l.InterestDue).Add(l.Outstanding()).Add(exit), keeper.Payoff(l, f.ctx.BlockTime()))

	// A payment of the late interest alone does not cure.
	f.freshEvents()
	applied, closed, err := f.k.Repay(f.ctx, payer, id, late)
	require.NoError(t, err)
	require.False(t, closed)
	eqInt(t, late, applied)
	l = f.loan(t, id)
	require.Equal(t, types.LoanDelinquent, l.Status)
	require.True(t, l.LateInterest.IsZero())
	require.Equal(t, f.ctx.BlockTime(), l.LateSince)
	pays = eventsOf[types.EventLoanPayment](t, f)
	require.Len(t, pays, 1)
	eqInt(t, late, pays[0].LateInterest)
	require.True(t, pays[0].Interest.IsZero())

	// Paying the overdue installment cures: ACTIVE, claim reinstated, next
	// due date queued.
	overdue := l.InterestDue.Add(l.PrincipalDue)
	seniorBal, juniorBal, principalDue := l.Senior.Balance, l.JuniorPrincipal, l.PrincipalDue
	si, ji, _ := types.SplitInterest(l.InterestDue, seniorBal, juniorBal, 2000)
	sp, jp := types.SplitProRata(principalDue, seniorBal, juniorBal)
	f.freshEvents()
	bal = f.balances()
	applied, closed, err = f.k.Repay(f.ctx, payer, id, overdue)
	require.NoError(t, err)
	require.False(t, closed)
	eqInt(t, overdue, applied)
	f.requireMoves(t, bal,
		move{payer, overdue.Neg()},
		move{yieldAddr, sp.Add(si)},
		move{curator, jp.Add(ji)},
	)
	l = f.loan(t, id)
	require.Equal(t, types.LoanActive, l.Status)
	require.False(t, l.Senior.Impaired)
	require.True(t, l.Senior.WriteDown.IsZero())
	require.True(t, l.DelinquentSince.IsZero())
	require.True(t, l.Deadline.IsZero())
	require.Equal(t, due3, l.NextDueTime)
	require.Equal(t, uint32(10), l.PaymentsRemaining)
	require.True(t, f.inDueQueue(t, l))
	require.Empty(t, f.deadlines(t))
	imp, err = f.k.Impaired.Has(f.ctx, id)
	require.NoError(t, err)
	require.False(t, imp)
	cured := eventsOf[types.EventLoanCured](t, f)
	require.Len(t, cured, 1)
	require.Equal(t, types.LoanDelinquent, cured[0].From)
	require.Equal(t, types.LoanActive, cured[0].To)
	f.checkInvariants(t)

	// Due 3 missed, seen by the first block an hour later: DELINQUENT since
	// the due time; the senior balance is now below the expected recovery,
	// so the write-down is zero.
	f.setTime(due3.Add(time.Hour))
	f.endBlock(t)
	l = f.loan(t, id)
	require.Equal(t, types.LoanDelinquent, l.Status)
	require.Equal(t, due3, l.DelinquentSince)
	require.Equal(t, due3, l.LateSince)
	require.Equal(t, due3.Add(grace), l.Deadline)
	require.True(t, l.Senior.Balance.LT(usd(8_200)))
	require.True(t, l.Senior.Impaired)
	require.True(t, l.Senior.WriteDown.IsZero())

	// One second before the grace period ends nothing happens.
	f.setTime(due3.Add(grace - time.Second))
	f.endBlock(t)
	require.Equal(t, types.LoanDelinquent, f.loan(t, id).Status)

	// Grace expired: default and foreclosure.
	f.setTime(due3.Add(grace))
	f.freshEvents()
	bal = f.balances()
	f.endBlock(t)
	f.requireMoves(t, bal)
	l = f.loan(t, id)
	require.Equal(t, types.LoanForeclosing, l.Status)
	require.Equal(t, "grace_expired", l.DefaultReason)
	eqInt(t, graceInterest(l.Outstanding(), int64(grace/time.Second)), l.LateInterest)
	require.Equal(t, calibertypes.StatusForeclosing, f.caliber.titles[1].Status)
	def := eventsOf[types.EventLoanDefaulted](t, f)
	require.Len(t, def, 1)
	require.Equal(t, "grace_expired", def[0].Reason)
	require.Len(t, eventsOf[types.EventAuctionStarted](t, f), 1)
	a := f.auction(t, id)
	require.Equal(t, id, a.Id)
	require.Equal(t, types.AuctionOpen, a.Status)
	require.Equal(t, []uint64{1}, a.TitleIds)
	eqInt(t, usd(11_000), a.ReferenceValue)
	eqInt(t, usd(12_100), a.TopPrice) // 11,000 × 1.1
	require.Equal(t, due3.Add(grace), a.RoundStart)
	require.Equal(t, due3.Add(grace+48*time.Hour), a.EndsAt)
	require.Equal(t, a.EndsAt, l.Deadline)
	require.Equal(t, uint32(2), a.MaxResets)
	eqInt(t, usd(12_100), keeper.CurrentPrice(a, f.ctx.BlockTime()))
	eqInt(t, math.NewInt(9_075_000_000), keeper.CurrentPrice(a, f.ctx.BlockTime().Add(12*time.Hour)))
	require.False(t, f.inDueQueue(t, l))
	has, err := f.k.ClassLoans.Has(f.ctx, collections.Join(h100, id))
	require.NoError(t, err)
	require.False(t, has)
	f.checkInvariants(t)

	// A foreclosing loan takes no payments.
	before = f.snapshot(t)
	_, _, err = f.k.Repay(f.ctx, payer, id, usd(1))
	require.ErrorIs(t, err, types.ErrInvalidLoanStatus)
	require.Equal(t, before, f.snapshot(t))

	// Sold at 25% of the round (12,100 × 0.75 = 9,075); value claim
	// min(500, 11,000 − 9,075) = 500. The waterfall charges the interest due
	// and the five days of grace interest.
	f.setTime(due3.Add(grace + 12*time.Hour))
	f.bank.set(bidder, usd(100_000))
	si, ji, _ = types.SplitInterest(l.LateInterest.Add(l.InterestDue), l.Senior.Balance, l.JuniorPrincipal, 2000)
	w := types.PayWaterfall(usd(9_575), 500, types.Claims{SeniorPrincipal: l.Senior.Balance, SeniorInterest: si, JuniorPrincipal: l.JuniorPrincipal, JuniorInterest: ji})
	require.True(t, w.Surplus.IsPositive())
	bal = f.balances()
	_, _, err = f.k.Bid(f.ctx, bidder, id, sdk.NewCoin(types.Denom, usd(9_075)))
	require.NoError(t, err)
	f.requireMoves(t, bal,
		move{bidder, usd(-9_075)},
		move{insurer, usd(-500)},
		move{feesAddr, math.NewInt(478_750_000)}, // 5% of 9,575
		move{yieldAddr, w.SeniorPrincipal.Add(w.SeniorInterest)},
		move{curator, w.JuniorPrincipal.Add(w.JuniorInterest)},
		move{borrower, w.Surplus},
	)
	a = f.auction(t, id)
	eqInt(t, l.LateInterest.Add(l.InterestDue), a.Waterfall.SeniorInterest.Add(a.Waterfall.JuniorInterest))
	eqInt(t, w.Surplus, a.Waterfall.Surplus)
	require.Equal(t, types.LoanLiquidated, f.loan(t, id).Status)
	f.checkInvariants(t)
}

// TestMarginCallCuredByRepayment: paying down the loan below the
// liquidation LTV closes the margin call.
func TestMarginCallCuredByRepayment(t *testing.T) {
	f := setup(t)
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	f.setValue(t, 1, usd(11_000))
	l := f.loan(t, id)
	require.Equal(t, types.LoanMarginCall, l.Status)

	// The installment alone leaves 9,222 / 11,000 = 0.838: enough.
	f.setTime(genesisTime.Add(day))
	f.freshEvents()
	_, _, err := f.k.Repay(f.ctx, payer, id, l.InterestDue.Add(l.PrincipalDue))
	require.NoError(t, err)
	l = f.loan(t, id)
	require.Equal(t, types.LoanActive, l.Status)
	require.True(t, l.MarginCallDeadline.IsZero())
	require.True(t, l.Deadline.IsZero())
	require.Len(t, eventsOf[types.EventLoanCured](t, f), 1)
	f.checkInvariants(t)
}

// TestReservePaysFinalInstallment: when the borrower pays 11 installments
// and leaves the 12th to the DSR, the DSR (902.583124) covers the
// installment (902.583124) but not also the exit fee (4.4572). The loan
// closes REPAID with the fee taken only from what the DSR has left (nothing
// here), never from other loans' reserves.
func TestReservePaysFinalInstallment(t *testing.T) {
	f := setup(t)
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	for i := 1; i <= 11; i++ {
		l := f.loan(t, id)
		f.setTime(l.NextDueTime)
		_, _, err := f.k.Repay(f.ctx, payer, id, l.InterestDue.Add(l.PrincipalDue))
		require.NoError(t, err)
		f.endBlock(t)
	}
	l := f.loan(t, id)
	require.Equal(t, uint32(1), l.PaymentsRemaining)
	f.setTime(l.NextDueTime)
	other := f.fundLoan(t, usd(10_000), usd(1_000), 2) // its DSR is in the module too
	feesBefore := f.bank.get(feesAddr)
	f.endBlock(t)
	require.Equal(t, types.LoanRepaid, f.loan(t, id).Status)
	eqInt(t, feesBefore, f.bank.get(feesAddr)) // the exit fee is waived: the DSR is spent
	eqInt(t, f.loan(t, other).Dsr, f.bank.get(lendingAddr))
	f.checkInvariants(t)
}

// TestMarginCallOnValuationDropCuredByAddCollateral: the valuation hook
// opens a margin call, adding a title cures it, and withdrawal respects max_ltv.
func TestMarginCallOnValuationDropCuredByAddCollateral(t *testing.T) {
	f := setup(t)
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	f.freshEvents()
	f.setValue(t, 1, usd(11_000))
	l := f.loan(t, id)
	require.Equal(t, types.LoanMarginCall, l.Status)
	require.Equal(t, keeper.CovenantLTV, l.MarginCallReason)
	require.Equal(t, genesisTime.Add(cure), l.MarginCallDeadline)
	require.Equal(t, genesisTime.Add(cure), l.Deadline)
	require.True(t, f.inDueQueue(t, l)) // a margin call keeps its schedule
	mc := eventsOf[types.EventMarginCall](t, f)
	require.Len(t, mc, 1)
	require.Equal(t, "ltv", mc[0].Reason)
	require.Equal(t, types.LTV(usd(10_000), usd(11_000)), mc[0].Ltv) // 0.909…
	require.Equal(t, genesisTime.Add(cure), mc[0].Deadline)
	f.checkInvariants(t)

	// A second trigger does not move the deadline or emit again.
	f.freshEvents()
	f.setTime(genesisTime.Add(day))
	f.setValue(t, 1, usd(10_500))
	require.Equal(t, genesisTime.Add(cure), f.loan(t, id).MarginCallDeadline)
	require.Empty(t, eventsOf[types.EventMarginCall](t, f))
	f.setValue(t, 1, usd(11_000))

	// Withdrawal is for ACTIVE loans only.
	before := f.snapshot(t)
	_, err := f.k.WithdrawCollateral(f.ctx, borrower, id, []uint64{1})
	require.ErrorIs(t, err, types.ErrInvalidLoanStatus)
	require.Equal(t, before, f.snapshot(t))

	// Adding title 2 (20,000): LTV 10,000 / 31,000 — cured, no money moves.
	f.freshEvents()
	bal := f.balances()
	ltv, status, err := f.k.AddCollateral(f.ctx, borrower, id, []uint64{2})
	require.NoError(t, err)
	f.requireMoves(t, bal)
	require.Equal(t, types.LoanActive, status)
	require.Equal(t, types.LTV(usd(10_000), usd(31_000)), ltv)
	l = f.loan(t, id)
	require.Equal(t, types.LoanActive, l.Status)
	require.Equal(t, []uint64{1, 2}, l.TitleIds)
	require.True(t, l.MarginCallDeadline.IsZero())
	require.Empty(t, l.MarginCallReason)
	require.True(t, l.Deadline.IsZero())
	require.Empty(t, f.deadlines(t))
	require.Equal(t, calibertypes.StatusPledged, f.caliber.titles[2].Status)
	require.Equal(t, id, f.caliber.titles[2].LoanId)
	cured := eventsOf[types.EventLoanCured](t, f)
	require.Len(t, cured, 1)
	require.Equal(t, types.LoanMarginCall, cured[0].From)
	require.Equal(t, types.LoanActive, cured[0].To)
	changed := eventsOf[types.EventCollateralChanged](t, f)
	require.Len(t, changed, 1)
	require.Equal(t, []uint64{2}, changed[0].Added)
	f.checkInvariants(t)

	// Withdrawing title 2 would leave LTV 10,000 / 11,000 > max_ltv 0.7.
	before = f.snapshot(t)
	_, err = f.k.WithdrawCollateral(f.ctx, borrower, id, []uint64{2})
	require.ErrorIs(t, err, types.ErrLTVExceeded)
	require.Equal(t, before, f.snapshot(t))

	// Withdrawing title 1 leaves title 2 at 20,000: LTV 0.5, allowed.
	ltv, err = f.k.WithdrawCollateral(f.ctx, borrower, id, []uint64{1})
	require.NoError(t, err)
	require.Equal(t, math.LegacyMustNewDecFromStr("0.5"), ltv)
	l = f.loan(t, id)
	require.Equal(t, []uint64{2}, l.TitleIds)
	require.Equal(t, types.LoanActive, l.Status)
	require.Equal(t, calibertypes.StatusActive, f.caliber.titles[1].Status)
	require.Zero(t, f.caliber.titles[1].LoanId)
	f.checkInvariants(t)

	// The old margin-call deadline passing does nothing now.
	f.setTime(genesisTime.Add(cure))
	f.endBlock(t)
	require.Equal(t, types.LoanActive, f.loan(t, id).Status)
}

// TestRevaluationWalkIsBoundedWithCursor: a market-feed move queues a walk
// of the class; with max_revaluations_per_block = 1 it reviews one loan per
// block, keeping its cursor, and a second move during the walk reruns it.
func TestRevaluationWalkIsBoundedWithCursor(t *testing.T) {
	f := setup(t)
	params := types.DefaultParams()
	params.MaxRevaluationsPerBlock = 1
	require.NoError(t, f.k.SetParams(f.ctx, params))
	f.caliber.feeds[h100Feed] = []string{h100}
	ids := []uint64{f.fundLoan(t, usd(10_000), usd(1_000), 1), f.fundLoan(t, usd(10_000), usd(1_000), 2), f.fundLoan(t, usd(10_000), usd(1_000), 3)}
	// The market fell: every title is now worth 11,000 (no per-title hook).
	for _, id := range []uint64{1, 2, 3} {
		f.caliber.values[id] = usd(11_000)
	}
	require.NoError(t, f.k.Hooks().AfterFeedUpdated(f.ctx, h100Feed, oracletypes.Price{FeedId: h100Feed}))
	r, err := f.k.Revaluations.Get(f.ctx, h100)
	require.NoError(t, err)
	require.Equal(t, types.Revaluation{ClassId: h100}, r)
	// Queueing is not reviewing.
	for _, id := range ids {
		require.Equal(t, types.LoanActive, f.loan(t, id).Status)
	}

	statuses := func() []types.LoanStatus {
		var out []types.LoanStatus
		for _, id := range ids {
			out = append(out, f.loan(t, id).Status)
		}
		return out
	}
	act, mc := types.LoanActive, types.LoanMarginCall
	for i, want := range []struct {
		statuses []types.LoanStatus
		cursor   *types.Revaluation // nil: walk finished and dequeued
	}{
		{[]types.LoanStatus{mc, act, act}, &types.Revaluation{ClassId: h100, NextLoanId: ids[1], Rerun: true}},
		{[]types.LoanStatus{mc, mc, act}, &types.Revaluation{ClassId: h100, NextLoanId: ids[2], Rerun: true}},
		// Done with the first pass; the rerun starts from the beginning.
		{[]types.LoanStatus{mc, mc, mc}, &types.Revaluation{ClassId: h100}},
		{[]types.LoanStatus{mc, mc, mc}, &types.Revaluation{ClassId: h100, NextLoanId: ids[1]}},
		{[]types.LoanStatus{mc, mc, mc}, &types.Revaluation{ClassId: h100, NextLoanId: ids[2]}},
		{[]types.LoanStatus{mc, mc, mc}, nil},
	} {
		blockTime := genesisTime.Add(time.Duration(i+1) * time.Minute)
		f.setTime(blockTime)
		f.endBlock(t)
		if i == 0 {
			// Another price move while the walk is under way.
			require.NoError(t, f.k.QueueRevaluation(f.ctx, h100Feed))
		}
		require.Equal(t, want.statuses, statuses(), "block %d", i+1)
		r, err := f.k.Revaluations.Get(f.ctx, h100)
		if want.cursor == nil {
			require.ErrorIs(t, err, collections.ErrNotFound, "block %d", i+1)
		} else {
			require.NoError(t, err)
			require.Equal(t, *want.cursor, r, "block %d", i+1)
		}
		if i < 3 {
			// Loan i was reviewed in this block: its cure deadline runs from now.
			require.Equal(t, blockTime.Add(cure), f.loan(t, ids[i]).MarginCallDeadline)
		}
	}
	f.checkInvariants(t)

	// A feed that values no class queues nothing.
	require.NoError(t, f.k.QueueRevaluation(f.ctx, "unknown-feed"))
	n := 0
	require.NoError(t, f.k.Revaluations.Walk(f.ctx, nil, func(string, types.Revaluation) (bool, error) { n++; return false, nil }))
	require.Zero(t, n)
}

// TestMarginCallDeadlineDefaults: covenants still failing at the cure
// deadline default the loan; the DSR stays held for the waterfall.
func TestMarginCallDeadlineDefaults(t *testing.T) {
	f := setup(t)
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	dsr := f.loan(t, id).Dsr
	f.setValue(t, 1, usd(11_000))
	require.Equal(t, types.LoanMarginCall, f.loan(t, id).Status)

	f.setTime(genesisTime.Add(cure - time.Second))
	f.endBlock(t)
	require.Equal(t, types.LoanMarginCall, f.loan(t, id).Status)

	f.setTime(genesisTime.Add(cure))
	f.freshEvents()
	bal := f.balances()
	f.endBlock(t)
	f.requireMoves(t, bal)
	l := f.loan(t, id)
	require.Equal(t, types.LoanForeclosing, l.Status)
	require.Equal(t, "margin_call:ltv", l.DefaultReason)
	eqInt(t, dsr, l.Dsr)
	require.True(t, l.LateInterest.IsZero()) // never late
	def := eventsOf[types.EventLoanDefaulted](t, f)
	require.Len(t, def, 1)
	require.Equal(t, "margin_call:ltv", def[0].Reason)
	// Expected recovery 11,000 × 0.7 + 12,000 covers the senior 9,000.
	require.True(t, def[0].WriteDown.IsZero())
	a := f.auction(t, id)
	eqInt(t, usd(12_100), a.TopPrice)
	require.Equal(t, genesisTime.Add(cure+48*time.Hour), a.EndsAt)
	require.Equal(t, calibertypes.StatusForeclosing, f.caliber.titles[1].Status)
	eqInt(t, dsr, f.bank.get(lendingAddr))
	f.checkInvariants(t)

	// Collateral cannot be added to a foreclosing loan.
	before := f.snapshot(t)
	_, _, err := f.k.AddCollateral(f.ctx, borrower, id, []uint64{2})
	require.ErrorIs(t, err, types.ErrInvalidLoanStatus)
	require.Equal(t, before, f.snapshot(t))
}

// TestMarginCallCuredAtDeadline: covenants holding again at the deadline
// (the price recovered without a hook) close the margin call.
func TestMarginCallCuredAtDeadline(t *testing.T) {
	f := setup(t)
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	f.setValue(t, 1, usd(11_000))
	f.caliber.values[1] = usd(20_000)
	f.setTime(genesisTime.Add(cure))
	f.freshEvents()
	f.endBlock(t)
	l := f.loan(t, id)
	require.Equal(t, types.LoanActive, l.Status)
	require.True(t, l.MarginCallDeadline.IsZero())
	require.True(t, l.Deadline.IsZero())
	require.Empty(t, f.deadlines(t))
	cured := eventsOf[types.EventLoanCured](t, f)
	require.Len(t, cured, 1)
	require.Equal(t, types.LoanMarginCall, cured[0].From)
	f.checkInvariants(t)
}

// TestCovenantReasons: stale custody, a lapsed policy and a missing
// valuation each open a margin call with their reason; fixing it and any
// trigger cures it.
func TestCovenantReasons(t *testing.T) {
	for _, tc := range []struct {
		reason       string
		breakIt, fix func(f *fixture)
		hook         func(f *fixture) error
	}{
		{keeper.CovenantCustody,
			func(f *fixture) { f.caliber.stale[1] = true },
			func(f *fixture) { f.caliber.stale[1] = false },
			func(f *fixture) error { return f.k.Hooks().AfterCustodyStale(f.ctx, 1, f.lienOf(1)) }},
		{keeper.CovenantInsurance,
			func(f *fixture) { delete(f.caliber.policies, 1) },
			func(f *fixture) {
				f.caliber.policies[1] = calibertypes.Policy{TitleId: 1, InsuredValue: usd(20_000), Coverage: usd(12_000), ExpiresAt: genesisTime.Add(3 * 365 * day)}
			},
			func(f *fixture) error { return f.k.Hooks().AfterValuationChanged(f.ctx, 1, f.lienOf(1)) }},
		{keeper.CovenantUnvalued,
			func(f *fixture) { delete(f.caliber.values, 1) },
			func(f *fixture) { f.caliber.values[1] = usd(20_000) },
			func(f *fixture) error { return f.k.Hooks().AfterValuationChanged(f.ctx, 1, f.lienOf(1)) }},
	} {
		t.Run(tc.reason, func(t *testing.T) {
			f := setup(t)
			id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
			tc.breakIt(f)
			f.freshEvents()
			require.NoError(t, tc.hook(f))
			l := f.loan(t, id)
			require.Equal(t, types.LoanMarginCall, l.Status)
			require.Equal(t, tc.reason, l.MarginCallReason)
			require.Equal(t, genesisTime.Add(cure), l.MarginCallDeadline)
			mc := eventsOf[types.EventMarginCall](t, f)
			require.Len(t, mc, 1)
			require.Equal(t, tc.reason, mc[0].Reason)
			f.checkInvariants(t)

			tc.fix(f)
			f.setTime(genesisTime.Add(day))
			f.freshEvents()
			require.NoError(t, tc.hook(f))
			l = f.loan(t, id)
			require.Equal(t, types.LoanActive, l.Status)
			require.Empty(t, l.MarginCallReason)
			require.Len(t, eventsOf[types.EventLoanCured](t, f), 1)
			f.checkInvariants(t)
		})
	}

	// A hook on a title in no loan is a no-op.
	f := setup(t)
	before := f.snapshot(t)
	require.NoError(t, f.k.Hooks().AfterCustodyStale(f.ctx, 1, f.lienOf(1)))
	require.NoError(t, f.k.Hooks().AfterValuationChanged(f.ctx, 99, f.lienOf(99)))
	require.Equal(t, before, f.snapshot(t))

	// Stale custody defaults at the cure deadline with its reason.
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	f.caliber.stale[1] = true
	require.NoError(t, f.k.Hooks().AfterCustodyStale(f.ctx, 1, f.lienOf(1)))
	f.setTime(genesisTime.Add(cure))
	f.endBlock(t)
	l := f.loan(t, id)
	require.Equal(t, types.LoanForeclosing, l.Status)
	require.Equal(t, "margin_call:custody", l.DefaultReason)
	eqInt(t, usd(22_000), f.auction(t, id).TopPrice)
	f.checkInvariants(t)
}

// TestMarginCallThenMissedDueKeepsEarlierDeadline: a loan under a margin
// call that misses a due date is DELINQUENT with the earlier of the cure
// deadline and the grace end as its deadline, and defaults at the cure
// deadline.
func TestMarginCallThenMissedDueKeepsEarlierDeadline(t *testing.T) {
	f := setup(t)
	f.noReserve(t)
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	require.True(t, f.loan(t, id).Dsr.IsZero())
	due1 := genesisTime.Add(month)
	callAt := due1.Add(-3 * day)
	f.setTime(callAt)
	f.setValue(t, 1, usd(11_000))
	require.Equal(t, callAt.Add(cure), f.loan(t, id).MarginCallDeadline) // due1 + 4 days

	f.setTime(due1)
	f.endBlock(t)
	l := f.loan(t, id)
	require.Equal(t, types.LoanDelinquent, l.Status)
	require.Equal(t, callAt.Add(cure), l.MarginCallDeadline)
	require.Equal(t, callAt.Add(cure), l.Deadline) // before due1 + grace
	require.Equal(t, []collections.Pair[time.Time, uint64]{collections.Join(callAt.Add(cure), id)}, f.deadlines(t))
	f.checkInvariants(t)

	f.setTime(callAt.Add(cure))
	f.endBlock(t)
	l = f.loan(t, id)
	require.Equal(t, types.LoanForeclosing, l.Status)
	require.Equal(t, "margin_call:ltv", l.DefaultReason)
	eqInt(t, graceInterest(usd(10_000), int64(4*day/time.Second)), l.LateInterest)
	f.checkInvariants(t)
}

// TestDelinquentUnderMarginCallCuresToMarginCall: paying the overdue
// installment of a loan with an open margin call returns it to MARGIN_CALL.
func TestDelinquentUnderMarginCallCuresToMarginCall(t *testing.T) {
	f := setup(t)
	f.noReserve(t)
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	due1 := genesisTime.Add(month)
	f.setTime(due1.Add(-day))
	f.setValue(t, 1, usd(10_500))
	f.setTime(due1)
	f.endBlock(t)
	require.Equal(t, types.LoanDelinquent, f.loan(t, id).Status)

	f.setTime(due1.Add(day))
	l := f.loan(t, id)
	overdue := graceInterest(l.Outstanding(), int64(day/time.Second)).Add(l.InterestDue).Add(l.PrincipalDue)
	f.freshEvents()
	_, _, err := f.k.Repay(f.ctx, payer, id, overdue)
	require.NoError(t, err)
	l = f.loan(t, id)
	// LTV 9,222 / 10,500 = 0.88 is still above 0.85.
	require.Equal(t, types.LoanMarginCall, l.Status)
	require.Equal(t, due1.Add(-day).Add(cure), l.Deadline)
	require.False(t, l.Senior.Impaired)
	require.True(t, f.inDueQueue(t, l))
	cured := eventsOf[types.EventLoanCured](t, f)
	require.Len(t, cured, 1)
	require.Equal(t, types.LoanMarginCall, cured[0].To)
	f.checkInvariants(t)
}

// TestCasualtyOnPerformingLoan: the casualty claim is applied as a payment;
// what exceeds the payoff goes to the borrower.
func TestCasualtyOnPerformingLoan(t *testing.T) {
	t.Run("claim closes the loan", func(t *testing.T) {
		f := setup(t)
		id := f.fundLoan(t, usd(10_000), usd(1_000), 1, 2)
		dsr := f.loan(t, id).Dsr
		bal := f.balances()
		f.freshEvents()
		f.reportCasualty(t, 2)
		// Claim 12,000 (title 2's coverage) pays interest 125 + principal
		// 10,000; exit fee ⌈10,000 × 0.5%⌉ = 50 from the DSR.
		f.requireMoves(t, bal,
			move{insurer, usd(-12_000)},
			move{yieldAddr, usd(9_090)},
			move{curator, usd(1_035)},
			move{feesAddr, usd(50)},
			move{lendingAddr, dsr.Neg()},
			move{borrower, usd(1_875).Add(dsr).Sub(usd(50))},
		)
		l := f.loan(t, id)
		require.Equal(t, types.LoanRepaid, l.Status)
		require.Equal(t, []uint64{1}, l.TitleIds)
		require.Equal(t, calibertypes.StatusActive, f.caliber.titles[1].Status)
		claims := eventsOf[types.EventCasualtyClaim](t, f)
		require.Len(t, claims, 1)
		eqInt(t, usd(12_000), claims[0].Claim)
		pays := eventsOf[types.EventLoanPayment](t, f)
		require.Len(t, pays, 1)
		require.Equal(t, keeper.SourceCasualty, pays[0].Source)
		f.checkInvariants(t)
	})
	t.Run("claim prepays", func(t *testing.T) {
		f := setup(t)
		id := f.fundLoan(t, usd(15_000), usd(1_500), 1, 2)
		f.setPolicy(2, usd(20_000), usd(3_000))
		bal := f.balances()
		f.reportCasualty(t, 2)
		l := f.loan(t, id)
		require.Equal(t, types.LoanActive, l.Status)
		require.Equal(t, []uint64{1}, l.TitleIds)
		// 3,000 − 187.5 interest = 2,812.5 of principal.
		eqInt(t, math.NewInt(12_187_500_000), l.Outstanding())
		require.Equal(t, uint32(11), l.PaymentsRemaining)
		require.Zero(t, f.caliber.titles[2].LoanId)
		eqInt(t, bal[insurer.String()].Sub(usd(3_000)), f.bank.get(insurer))
		eqInt(t, bal[borrower.String()], f.bank.get(borrower))
		eqInt(t, f.bankTotal(), func() math.Int {
			s := math.ZeroInt()
			for _, v := range bal {
				s = s.Add(v)
			}
			return s
		}())
		f.checkInvariants(t)
	})
}

// TestCollateralBadInput: every refused AddCollateral / WithdrawCollateral
// returns its registered error and changes nothing.
func TestCollateralBadInput(t *testing.T) {
	f := setup(t)
	f.addTitle(5, other, h100, custodian, usd(20_000))
	f.addTitle(6, borrower, storage, custodian, usd(20_000))
	f.addTitle(7, borrower, h100, custodian, usd(20_000))
	delete(f.caliber.values, 7)
	f.addTitle(8, borrower, h100, custodian, usd(20_000))
	f.caliber.titles[8].Status = calibertypes.StatusPendingCustody
	f.addTitle(9, borrower, h100, custodian, usd(20_000))
	f.addTitle(10, borrower, h100, custodian, usd(20_000))

	a := f.fundLoan(t, usd(15_000), usd(1_500), 1, 2) // LTV 0.375
	f.request(t, usd(1_000), 3)                       // PENDING, holds title 3
	c := f.fundLoan(t, usd(10_000), usd(1_000), 4)
	_, closed, err := f.k.Repay(f.ctx, payer, c, keeper.Payoff(f.loan(t, c), f.ctx.BlockTime()))
	require.NoError(t, err)
	require.True(t, closed)
	require.Equal(t, types.LoanRepaid, f.loan(t, c).Status)
	d := f.fundLoan(t, usd(10_000), usd(1_000), 10)
	f.caliber.stale[10] = true
	require.NoError(t, f.k.Hooks().AfterCustodyStale(f.ctx, 10, f.lienOf(10)))
	require.Equal(t, types.LoanMarginCall, f.loan(t, d).Status)
	f.checkInvariants(t)

	for _, tc := range []struct {
		name     string
		withdraw bool
		signer   sdk.AccAddress
		loan     uint64
		titles   []uint64
		prep     func()
		undo     func()
		want     error
	}{
		{"add to a repaid loan", false, borrower, c, []uint64{9}, nil, nil, types.ErrInvalidLoanStatus},
		{"add to an unknown loan", false, borrower, 99, []uint64{9}, nil, nil, types.ErrLoanNotFound},
		{"add by another than the borrower", false, other, a, []uint64{9}, nil, nil, sdkerrors.ErrUnauthorized},
		{"add an unvalued title", false, borrower, a, []uint64{7}, nil, nil, types.ErrNoValuation},
		{"add a valued and an unvalued title", false, borrower, a, []uint64{9, 7}, nil, nil, types.ErrNoValuation},
		{"add a title pledged to another loan", false, borrower, a, []uint64{3}, nil, nil, types.ErrTitleInLoan},
		{"add a title of this loan", false, borrower, a, []uint64{1}, nil, nil, types.ErrTitleInLoan},
		{"add another's title", false, borrower, a, []uint64{5}, nil, nil, sdkerrors.ErrUnauthorized},
		{"add a title of a class the product refuses", false, borrower, a, []uint64{6}, nil, nil, types.ErrClassNotAllowed},
		{"add a non-ACTIVE title", false, borrower, a, []uint64{8}, nil, nil, calibertypes.ErrInvalidStatus},
		{"add an unknown title", false, borrower, a, []uint64{77}, nil, nil, calibertypes.ErrTitleNotFound},
		{"add beyond max_titles_per_loan", false, borrower, a, []uint64{9}, func() {
			p := types.DefaultParams()
			p.MaxTitlesPerLoan = 2
			require.NoError(t, f.k.SetParams(f.ctx, p))
		}, func() { require.NoError(t, f.k.SetParams(f.ctx, types.DefaultParams())) }, types.ErrInvalidTitles},
		{"withdraw from a repaid loan", true, borrower, c, []uint64{4}, nil, nil, types.ErrInvalidLoanStatus},
		{"withdraw from a margin-called loan", true, borrower, d, []uint64{10}, nil, nil, types.ErrInvalidLoanStatus},
		{"withdraw by another than the borrower", true, other, a, []uint64{2}, nil, nil, sdkerrors.ErrUnauthorized},
		{"withdraw above max_ltv", true, borrower, a, []uint64{2}, nil, nil, types.ErrLTVExceeded}, // 15,000 / 20,000 = 0.75
		{"withdraw a title not in the loan", true, borrower, a, []uint64{3}, nil, nil, types.ErrTitleNotInLoan},
		{"withdraw every title", true, borrower, a, []uint64{1, 2}, nil, nil, types.ErrInvalidTitles},
		{"withdraw leaving an unvalued title", true, borrower, a, []uint64{1},
			func() { delete(f.caliber.values, 2) }, func() { f.caliber.values[2] = usd(20_000) }, types.ErrNoValuation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.prep != nil {
				tc.prep()
			}
			before := f.snapshot(t)
			var err error
			if tc.withdraw {
				_, err = f.k.WithdrawCollateral(f.ctx, tc.signer, tc.loan, tc.titles)
			} else {
				_, _, err = f.k.AddCollateral(f.ctx, tc.signer, tc.loan, tc.titles)
			}
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, before, f.snapshot(t))
			if tc.undo != nil {
				tc.undo()
			}
		})
	}
	f.checkInvariants(t)

	// ValidateBasic catches empty and duplicate title lists.
	require.ErrorIs(t, (&types.MsgAddCollateral{Borrower: borrower.String(), LoanId: a}).ValidateBasic(), types.ErrInvalidTitles)
	require.ErrorIs(t, (&types.MsgAddCollateral{Borrower: borrower.String(), LoanId: a, TitleIds: []uint64{9, 9}}).ValidateBasic(), types.ErrInvalidTitles)
	require.ErrorIs(t, (&types.MsgWithdrawCollateral{Borrower: borrower.String(), LoanId: a, TitleIds: []uint64{2, 2}}).ValidateBasic(), types.ErrInvalidTitles)
	require.ErrorIs(t, (&types.MsgWithdrawCollateral{Borrower: "x", LoanId: a, TitleIds: []uint64{2}}).ValidateBasic(), sdkerrors.ErrInvalidAddress)

	// Adding to a DELINQUENT loan is allowed.
	f.setTime(genesisTime.Add(month)) // the DSR pays due 1
	f.endBlock(t)
	f.setTime(genesisTime.Add(2 * month))
	f.endBlock(t)
	require.Equal(t, types.LoanDelinquent, f.loan(t, a).Status)
	_, status, err := f.k.AddCollateral(f.ctx, borrower, a, []uint64{9})
	require.NoError(t, err)
	require.Equal(t, types.LoanDelinquent, status)
	f.checkInvariants(t)
}

// Regression (found by the app simulation, seed 20): the pro-rata split gives
// the senior tranche the rounding, so a partial payment of a DELINQUENT loan's
// last installment can repay the whole senior claim while junior principal and
// the delinquency remain. The vault then holds no impaired claim, and the loan
// must leave the impaired set with it.
func TestSeniorRepaidInFullLeavesImpairedSet(t *testing.T) {
	f := setup(t)
	p := testProduct()
	p.DebtServiceReservePeriods = 0
	p.Duration = month // one installment: all principal is due at once
	require.NoError(t, f.k.UpdateProduct(f.ctx, p))
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)

	f.setTime(genesisTime.Add(month))
	f.endBlock(t)
	l := f.loan(t, id)
	require.Equal(t, types.LoanDelinquent, l.Status)
	require.True(t, l.Senior.Impaired)
	eqInt(t, usd(10_000), l.PrincipalDue)

	// All but 1 uusdai of the installment: 9,999.999999 of principal splits
	// 9,000 senior (the whole claim) and 999.999999 junior.
	amount := l.InterestDue.Add(l.PrincipalDue).SubRaw(1)
	_, closed, err := f.k.Repay(f.ctx, payer, id, amount)
	require.NoError(t, err)
	require.False(t, closed)
	l = f.loan(t, id)
	require.Equal(t, types.LoanDelinquent, l.Status)
	require.True(t, l.Senior.Balance.IsZero())
	require.False(t, l.Senior.Impaired)
	eqInt(t, math.OneInt(), l.JuniorPrincipal)
	imp, err := f.k.Impaired.Has(f.ctx, id)
	require.NoError(t, err)
	require.False(t, imp)
	f.checkInvariants(t)
}
