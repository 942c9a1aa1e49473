package keeper

import (
	"context"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
)

// Covenant failure reasons (EventMarginCall.reason).
const (
	CovenantUnvalued  = "unvalued"
	CovenantLTV       = "ltv"
	CovenantCustody   = "custody"
	CovenantInsurance = "insurance"
	CovenantDSCR      = "dscr"
)

// retryDelay is how far a failed unit of block work is pushed back in its
// queue, so one bad record cannot starve the ones behind it.
const retryDelay = time.Second

// setDeadline moves the loan's deadline-queue entry to t (none when t is zero).
func (k Keeper) setDeadline(ctx context.Context, l *types.Loan, t time.Time) error {
	if !l.Deadline.IsZero() {
		if err := k.DeadlineQueue.Remove(ctx, collections.Join(l.Deadline, l.Id)); err != nil {
			return err
		}
	}
	l.Deadline = t
	if t.IsZero() {
		return nil
	}
	return k.DeadlineQueue.Set(ctx, collections.Join(t, l.Id))
}

// enterPerforming indexes a newly funded loan by class (covenant walks).
func (k Keeper) enterPerforming(ctx context.Context, l types.Loan) error {
	for _, c := range l.AssetClasses {
		if err := k.ClassLoans.Set(ctx, collections.Join(c, l.Id)); err != nil {
			return err
		}
	}
	return nil
}

// leavePerforming drops a loan that stops performing (closed or foreclosed)
// from the class index and its deadline.
func (k Keeper) leavePerforming(ctx context.Context, l *types.Loan) error {
	for _, c := range l.AssetClasses {
		if err := k.ClassLoans.Remove(ctx, collections.Join(c, l.Id)); err != nil {
			return err
		}
	}
	if err := k.Impaired.Remove(ctx, l.Id); err != nil {
		return err
	}
	return k.setDeadline(ctx, l, time.Time{})
}

// appraise sums the titles' valuations, counting a title without a valuation
// as zero; values holds each title's, in titleIDs order.
func (k Keeper) appraise(ctx context.Context, titleIDs []uint64) (value math.Int, values []math.Int) {
	value = math.ZeroInt()
	values = make([]math.Int, len(titleIDs))
	for i, id := range titleIDs {
		values[i] = valueOf(k.caliber.GetValuation(ctx, id))
		value = value.Add(values[i])
	}
	return value, values
}

// valueOf is a title's value in a collateral sum (appraise, a covenant
// review): its valuation's value, zero when it has none.
func valueOf(v calibertypes.Valuation, err error) math.Int {
	if err == nil && !v.Value.IsNil() && v.Value.IsPositive() {
		return v.Value
	}
	return math.ZeroInt()
}

// coverage sums the coverage of the titles' active policies. Kept apart
// from appraise: only a write-down counts coverage, and a covenant review
// (at every appraisal and market move) would read each policy for nothing.
func (k Keeper) coverage(ctx context.Context, titleIDs []uint64) math.Int {
	coverage := math.ZeroInt()
	for _, id := range titleIDs {
		if p, err := k.caliber.ActivePolicy(ctx, id); err == nil {
			coverage = coverage.Add(p.Coverage)
		}
	}
	return coverage
}

// writeDown is the vault's impairment of a loan's senior claim: its balance
// above the expected recovery Σ value × (1 − recovery_haircut) + coverage.
func (k Keeper) writeDown(ctx context.Context, l types.Loan) math.Int {
	value, _ := k.appraise(ctx, l.TitleIds)
	return types.SeniorWriteDown(l.Senior.Balance, types.ExpectedRecovery(value, l.Terms.RecoveryHaircut, k.coverage(ctx, l.TitleIds)))
}

// impair (re)impairs the loan's senior claim at its current write-down.
func (k Keeper) impair(ctx context.Context, l *types.Loan) (math.Int, error) {
	if !l.Senior.Balance.IsPositive() {
		return math.ZeroInt(), nil
	}
	wd := k.writeDown(ctx, *l)
	pos, err := k.yield.Impair(ctx, l.Senior, wd)
	if err != nil {
		return math.Int{}, err
	}
	l.Senior = pos
	return wd, k.Impaired.Set(ctx, l.Id)
}

// covenantFailure returns the first failing covenant of a loan ("" when all
// hold) and its LTV (zero when nothing is valued): collateral valued, LTV <=
// liquidation_ltv, custody fresh, every title insured when the loan requires
// insurance, revenue / scheduled debt service over the cash-flow record >=
// min_dscr when the loan has one.
//
// Each title is read once for both its value and its custody (Collateral).
func (k Keeper) covenantFailure(ctx context.Context, l types.Loan) (string, math.LegacyDec, error) {
	views := make([]calibertypes.CollateralView, len(l.TitleIds))
	value := math.ZeroInt()
	for i, id := range l.TitleIds {
		views[i] = k.caliber.Collateral(ctx, id)
		value = value.Add(valueOf(views[i].Valuation, views[i].ValuationErr))
	}
	if !value.IsPositive() {
		if l.Outstanding().IsPositive() {
			return CovenantUnvalued, math.LegacyZeroDec(), nil
		}
		return "", math.LegacyZeroDec(), nil
	}
	ltv := types.LTV(l.Outstanding(), value)
	if ltv.GT(l.Terms.LiquidationLtv) {
		return CovenantLTV, ltv, nil
	}
	for _, v := range views {
		if v.StaleErr != nil {
			return "", ltv, v.StaleErr
		}
		if v.Stale {
			return CovenantCustody, ltv, nil
		}
	}
	if l.Terms.MinInsuranceBps > 0 {
		for _, id := range l.TitleIds {
			if _, err := k.caliber.ActivePolicy(ctx, id); err != nil {
				if errorsmod.IsOf(err, calibertypes.ErrPolicyNotFound) {
					return CovenantInsurance, ltv, nil
				}
				return "", ltv, err
			}
		}
	}
	if l.DSCRBreached() {
		return CovenantDSCR, ltv, nil
	}
	return "", ltv, nil
}

// reviewCovenants re-checks a performing loan's covenants: a failure opens
// a margin call (deadline now + cure_period) unless one is open; passing
// covenants close an open one (cure).
func (k Keeper) reviewCovenants(ctx context.Context, loanID uint64) error {
	l, err := k.GetLoan(ctx, loanID)
	if err != nil {
		return err
	}
	return k.reviewLoanCovenants(ctx, l)
}

// reviewLoanCovenants is reviewCovenants of a loan the caller holds as stored.
func (k Keeper) reviewLoanCovenants(ctx context.Context, l types.Loan) error {
	if !types.Performing(l.Status) {
		return nil
	}
	reason, ltv, err := k.covenantFailure(ctx, l)
	if err != nil {
		return err
	}
	from := l.Status
	now := blockTime(ctx)
	switch {
	case reason != "" && l.MarginCallDeadline.IsZero():
		l.MarginCallDeadline, l.MarginCallReason = now.Add(l.Terms.CurePeriod), reason
		if l.Status == types.LoanActive {
			l.Status = types.LoanMarginCall
		}
		if err := k.setDeadline(ctx, &l, k.nextDeadline(l)); err != nil {
			return err
		}
		if err := k.setLoan(ctx, l, from); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventMarginCall{LoanId: l.Id, Reason: reason, Ltv: ltv, Deadline: l.MarginCallDeadline})
	case reason != "" && reason != l.MarginCallReason:
		l.MarginCallReason = reason
		return k.setLoan(ctx, l, from)
	case reason == "" && !l.MarginCallDeadline.IsZero():
		l.MarginCallDeadline, l.MarginCallReason = time.Time{}, ""
		if l.Status == types.LoanMarginCall {
			l.Status = types.LoanActive
		}
		if err := k.setDeadline(ctx, &l, k.nextDeadline(l)); err != nil {
			return err
		}
		if err := k.setLoan(ctx, l, from); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventLoanCured{LoanId: l.Id, From: from, To: l.Status})
	}
	return nil
}

// nextDeadline is a performing loan's next deadline: the earlier of the grace
// end (DELINQUENT) and the cure deadline (open margin call); zero when none.
func (k Keeper) nextDeadline(l types.Loan) time.Time {
	var t time.Time
	if l.Status == types.LoanDelinquent {
		t = l.DelinquentSince.Add(l.Terms.GracePeriod)
	}
	if m := l.MarginCallDeadline; !m.IsZero() && (t.IsZero() || m.Before(t)) {
		t = m
	}
	return t
}

// processDue handles one due-queue entry whose time has come. The lockbox is
// swept first (reserves converted, its USDai pays the installment, PREPAY
// excess prepays); an installment still unpaid is paid from the DSR when the
// DSR covers the rest (then its covenants are checked, as at every due date);
// otherwise the loan becomes DELINQUENT. Entries of loans that moved on are dropped.
func (k Keeper) processDue(ctx context.Context, key collections.Pair[time.Time, uint64]) error {
	if err := k.DueQueue.Remove(ctx, key); err != nil {
		return err
	}
	l, err := k.GetLoan(ctx, key.K2())
	if err != nil {
		return err
	}
	if l.Status != types.LoanActive && l.Status != types.LoanMarginCall {
		return nil
	}
	if l.NextDueTime.After(blockTime(ctx)) {
		return k.DueQueue.Set(ctx, collections.Join(l.NextDueTime, l.Id))
	}
	// The lockbox pays first (its revenue is the loan's income), then the DSR.
	due := l.NextDueTime
	closed, err := k.sweepDue(ctx, &l)
	if err != nil || closed {
		return err
	}
	if !l.NextDueTime.Equal(due) {
		// The lockbox paid the installment: the period moved on.
		return k.reviewCovenants(ctx, l.Id)
	}
	owed := l.InterestDue.Add(l.PrincipalDue)
	if owed.IsPositive() && l.Dsr.GTE(owed) {
		if _, closed, err := k.applyPayment(ctx, &l, SourceReserve, nil, owed); err != nil || closed {
			return err
		}
		return k.reviewCovenants(ctx, l.Id)
	}
	return k.becomeDelinquent(ctx, l)
}

// becomeDelinquent marks a loan that missed its due date DELINQUENT: grace
// interest accrues from the due time, the vault impairs its claim, and the
// loan defaults at due + grace_period (or at an earlier cure deadline).
func (k Keeper) becomeDelinquent(ctx context.Context, l types.Loan) error {
	from := l.Status
	due := l.NextDueTime
	if err := k.DueQueue.Remove(ctx, collections.Join(due, l.Id)); err != nil {
		return err
	}
	l.Status, l.DelinquentSince, l.LateSince, l.LateInterest = types.LoanDelinquent, due, due, math.ZeroInt()
	wd, err := k.impair(ctx, &l)
	if err != nil {
		return err
	}
	if err := k.setDeadline(ctx, &l, k.nextDeadline(l)); err != nil {
		return err
	}
	if err := k.setLoan(ctx, l, from); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventLoanDelinquent{
		LoanId: l.Id, DueTime: due, GraceEnds: due.Add(l.Terms.GracePeriod),
		Overdue: l.InterestDue.Add(l.PrincipalDue), WriteDown: wd,
	})
}

// cureDelinquency returns a DELINQUENT loan whose overdue installment is paid
// to ACTIVE (or MARGIN_CALL while a margin call is open) and reinstates its
// vault claim. The caller stores the loan.
func (k Keeper) cureDelinquency(ctx context.Context, l *types.Loan) error {
	if l.Senior.Impaired {
		pos, err := k.yield.Reinstate(ctx, l.Senior)
		if err != nil {
			return err
		}
		l.Senior = pos
	}
	if err := k.Impaired.Remove(ctx, l.Id); err != nil {
		return err
	}
	l.Status = types.LoanActive
	if !l.MarginCallDeadline.IsZero() {
		l.Status = types.LoanMarginCall
	}
	l.DelinquentSince, l.LateSince, l.LateInterest = time.Time{}, time.Time{}, math.ZeroInt()
	if err := k.setDeadline(ctx, l, k.nextDeadline(*l)); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventLoanCured{LoanId: l.Id, From: types.LoanDelinquent, To: l.Status})
}

// processDeadline handles one deadline-queue entry whose time has come: a
// grace period ended (default), a cure deadline passed (covenants re-checked:
// cured or default) or an auction round ended (reset or write-off).
func (k Keeper) processDeadline(ctx context.Context, key collections.Pair[time.Time, uint64]) error {
	if err := k.DeadlineQueue.Remove(ctx, key); err != nil {
		return err
	}
	l, err := k.GetLoan(ctx, key.K2())
	if err != nil {
		return err
	}
	now := blockTime(ctx)
	if l.Deadline.IsZero() {
		return nil
	}
	if l.Deadline.After(now) {
		return k.DeadlineQueue.Set(ctx, collections.Join(l.Deadline, l.Id))
	}
	switch l.Status {
	case types.LoanDelinquent:
		if !now.Before(l.DelinquentSince.Add(l.Terms.GracePeriod)) {
			// Revenue that reached the lockbox during the grace period gets
			// a last turn: paying the overdue installment cures the loan.
			l.Deadline = time.Time{} // its queue entry was just removed
			if closed, err := k.sweepDue(ctx, &l); err != nil || closed {
				return err
			}
			if l.Status != types.LoanDelinquent {
				return nil
			}
			return k.startForeclosure(ctx, l, "grace_expired")
		}
		return k.cureDeadline(ctx, l)
	case types.LoanMarginCall:
		return k.cureDeadline(ctx, l)
	case types.LoanForeclosing:
		return k.auctionRoundEnded(ctx, l)
	}
	return nil
}

// cureDeadline: the margin call's deadline passed. Covenants that hold again
// (price recovered, custody attested, insurance renewed) close it; otherwise
// the loan defaults.
func (k Keeper) cureDeadline(ctx context.Context, l types.Loan) error {
	reason, _, err := k.covenantFailure(ctx, l)
	if err != nil {
		return err
	}
	if reason == "" {
		l.Deadline = time.Time{} // its queue entry was just removed
		if err := k.Loans.Set(ctx, l.Id, l); err != nil {
			return err
		}
		return k.reviewCovenants(ctx, l.Id)
	}
	return k.startForeclosure(ctx, l, "margin_call:"+reason)
}

// walkQueue runs fn on up to limit entries of queue due at or before now,
// oldest first, each in a cache context. A failing entry is logged, and moved
// retryDelay later so the entries behind it still get their turn.
func (k Keeper) walkQueue(ctx context.Context, name string, queue collections.KeySet[collections.Pair[time.Time, uint64]], limit uint32,
	fn func(ctx context.Context, key collections.Pair[time.Time, uint64]) error,
) error {
	now := blockTime(ctx)
	rng := new(collections.Range[collections.Pair[time.Time, uint64]]).
		EndInclusive(collections.Join(now, uint64(1<<64-1)))
	var keys []collections.Pair[time.Time, uint64]
	err := queue.Walk(ctx, rng, func(key collections.Pair[time.Time, uint64]) (bool, error) {
		keys = append(keys, key)
		return uint32(len(keys)) >= limit, nil
	})
	if err != nil {
		return err
	}
	for _, key := range keys {
		if err := atomically(ctx, func(ctx context.Context) (err error) {
			// A panic in one unit (e.g. a math overflow on extreme terms) must
			// not halt the chain: it fails that unit like an error.
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			return fn(ctx, key)
		}); err != nil {
			k.logger.Error(name+" failed; retried later", "loan_id", key.K2(), "error", err)
			if err := queue.Remove(ctx, key); err != nil {
				return err
			}
			if err := queue.Set(ctx, collections.Join(now.Add(retryDelay), key.K2())); err != nil {
				return err
			}
		}
	}
	return nil
}
