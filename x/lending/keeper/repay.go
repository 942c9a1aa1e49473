package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
)

// Payment sources (EventLoanPayment.source).
const (
	// SourcePayer: a MsgRepay, paid from the payer's account.
	SourcePayer = "payer"
	// SourceReserve: the debt-service reserve paid a due installment.
	SourceReserve = "reserve"
	// SourceCasualty: a casualty insurance claim already in the module account.
	SourceCasualty = "casualty"
)

// lateInterest is the grace interest owed now: the carried amount plus, while
// DELINQUENT, outstanding × grace_apr × (now − late_since) / year.
func lateInterest(l types.Loan, now time.Time) math.Int {
	if l.Status != types.LoanDelinquent {
		return l.LateInterest
	}
	return l.LateInterest.Add(types.LateInterest(l.Outstanding(), l.Terms.GraceApr, l.LateSince, now))
}

// exitFee is exit_fee_bps of the principal settled by the closing payment, rounded up.
func exitFee(l types.Loan) math.Int {
	return types.BpsOfCeil(l.Outstanding(), l.Terms.ExitFeeBps)
}

// Payoff is what closes a performing loan now: late interest, the current
// period's interest due, all principal outstanding, and the part of the exit
// fee the DSR does not cover (the exit fee is taken from the DSR first).
func Payoff(l types.Loan, now time.Time) math.Int {
	if !types.Performing(l.Status) {
		return math.ZeroInt()
	}
	return debtNow(l, now).Add(feeShortfall(l))
}

// debtNow is late interest + interest due + principal outstanding.
func debtNow(l types.Loan, now time.Time) math.Int {
	return debtWith(l, lateInterest(l, now))
}

// debtWith is debtNow with the late interest already computed.
func debtWith(l types.Loan, late math.Int) math.Int {
	return late.Add(l.InterestDue).Add(l.Outstanding())
}

// feeShortfall is the part of the exit fee the DSR does not cover.
func feeShortfall(l types.Loan) math.Int {
	return math.MaxInt(math.ZeroInt(), exitFee(l).Sub(l.Dsr))
}

// Repay applies up to amount from payer to a performing loan (ACTIVE,
// DELINQUENT or MARGIN_CALL). It returns the amount taken and whether the
// loan closed. See applyPayment for the order and split.
func (k Keeper) Repay(ctx context.Context, payer sdk.AccAddress, loanID uint64, amount math.Int) (math.Int, bool, error) {
	if err := types.CheckPositive("amount", amount); err != nil {
		return math.Int{}, false, err
	}
	l, err := k.GetLoan(ctx, loanID)
	if err != nil {
		return math.Int{}, false, err
	}
	if !types.Performing(l.Status) {
		return math.Int{}, false, errorsmod.Wrapf(types.ErrInvalidLoanStatus, "loan %d is %s: only ACTIVE, DELINQUENT and MARGIN_CALL loans take payments", loanID, l.Status)
	}
	// No cache branch of its own: MsgRepay runs in the transaction's branch,
	// which a failure (the payer short of funds fails the one transfer, after
	// the vault booked the senior share) discards.
	applied, closed, err := k.applyPayment(ctx, &l, SourcePayer, payer, amount)
	if err != nil {
		return math.Int{}, false, err
	}
	if !closed && paymentCanChangeCovenants(l) {
		if err := k.reviewLoanCovenants(ctx, l); err != nil {
			return math.Int{}, false, err
		}
	}
	return applied, closed, nil
}

// paymentCanChangeCovenants says whether the covenant review after a payment
// can change anything. A payment only lowers the LTV and changes the DSCR
// (custody, insurance and valuations are untouched), so on a loan without
// an open margin call the review can only open one for a DSCR failure; with
// a margin call open, the lower LTV or a new DSCR may cure it.
func paymentCanChangeCovenants(l types.Loan) bool {
	return !l.MarginCallDeadline.IsZero() || l.DSCRBreached()
}

// applyPayment applies up to amount to a performing loan, in order: late
// interest, interest due, principal due, then prepayment of principal (the
// remaining periods re-amortize). Anything above the payoff is not taken.
// Interest is split between the tranches pro rata by principal, with
// first_loss_premium_bps of the senior share going to the junior; principal
// pro rata. The senior part goes to the vault (x/yield charges its admin fee
// on the interest), the junior part to the curator.
//
// The money comes from payer (SourcePayer), from the loan's DSR
// (SourceReserve) or is already in the module account (SourceCasualty: the
// caller refunds what is not applied). Paying the payoff closes the loan
// (exit fee, DSR remainder to the borrower, titles released, REPAID); a
// reserve or casualty payment closes it once it covers the debt, the exit fee
// then coming from what is left of the DSR only. When the period's dues reach zero the period advances;
// a DELINQUENT loan is then cured (its vault claim reinstated).
func (k Keeper) applyPayment(ctx context.Context, l *types.Loan, source string, payer sdk.AccAddress, amount math.Int) (math.Int, bool, error) {
	now := blockTime(ctx)
	status := l.Status
	lateOwed := lateInterest(*l, now)
	debt := debtWith(*l, lateOwed)
	// Only a payer or the lockbox tops up the exit fee: a reserve or casualty payment that
	// covers the debt closes the loan with the fee from what the DSR has left.
	// An amount below the debt closes nothing whatever the fee, so the fee is
	// worked out only for one that reaches it.
	shortfall := math.ZeroInt()
	if source != SourceReserve && source != SourceCasualty && amount.GTE(debt) {
		shortfall = feeShortfall(*l)
	}
	payoff := debt.Add(shortfall)
	applied := math.MinInt(amount, payoff)
	closing := applied.Equal(payoff)

	rem := applied
	take := func(due math.Int) math.Int {
		x := math.MinInt(rem, due)
		if !x.IsZero() { // most payments owe no late interest and prepay nothing
			rem = rem.Sub(x)
		}
		return x
	}
	late := take(lateOwed)
	interest := take(l.InterestDue)
	principal := take(l.PrincipalDue)
	outstanding := l.Outstanding()
	prepaid := take(outstanding.Sub(l.PrincipalDue))
	if !closing && outstanding.IsPositive() && principal.Add(prepaid).Equal(outstanding) {
		return math.Int{}, false, errorsmod.Wrapf(types.ErrInvalidAmount,
			"amount %s repays all principal but not the exit fee: pay the payoff %s", amount, payoff)
	}
	feeFromPayment := rem // the exit-fee shortfall when closing, else zero

	seniorBal, juniorBal := l.Senior.Balance, l.JuniorPrincipal
	seniorInterest, juniorInterest, premium := types.SplitInterest(late.Add(interest), seniorBal, juniorBal, l.Terms.FirstLossPremiumBps)
	principalPaid := principal.Add(prepaid)
	seniorPrincipal, juniorPrincipal := types.SplitProRata(principalPaid, seniorBal, juniorBal)
	if closing {
		seniorPrincipal, juniorPrincipal = seniorBal, juniorBal
	}

	// The money moves in one bank transfer from its source (the payer, or
	// this module for reserve and casualty payments) to every account the
	// waterfall pays: the vault and the fee collector (x/yield books the
	// senior share and names them), the curator, and this module for the
	// exit-fee part of a closing payment.
	from := k.account.GetModuleAddress(types.ModuleName)
	switch source {
	case SourcePayer:
		from = payer
	case SourceLockbox:
		from = payer
		l.LockboxBaseline = intOr0(l.LockboxBaseline).Sub(applied)
	case SourceReserve:
		if applied.GT(l.Dsr) {
			return math.Int{}, false, errorsmod.Wrapf(types.ErrInvalidAmount, "reserve %s below %s", l.Dsr, applied)
		}
		l.Dsr = l.Dsr.Sub(applied)
		if err := k.addTotal(ctx, totalDSR, applied.Neg()); err != nil {
			return math.Int{}, false, err
		}
	}
	// The fee is computed once the reserve paid its part, from what it has left.
	fee := math.ZeroInt()
	if closing {
		fee = math.MinInt(exitFee(*l), l.Dsr.Add(feeFromPayment))
	}
	var outputs []banktypes.Output
	if seniorPrincipal.IsPositive() || seniorInterest.IsPositive() {
		pos, toVault, err := k.yield.BookSenior(ctx, types.ModuleName, l.Senior, seniorPrincipal, seniorInterest)
		if err != nil {
			return math.Int{}, false, err
		}
		if !pos.Balance.Equal(seniorBal.Sub(seniorPrincipal)) {
			return math.Int{}, false, errorsmod.Wrapf(types.ErrInvalidAmount, "vault position balance %s, expected %s", pos.Balance, seniorBal.Sub(seniorPrincipal))
		}
		outputs = append(outputs, toVault...)
		wasImpaired := l.Senior.Impaired
		l.Senior = pos
		// A senior claim repaid in full is closed, no longer impaired (the
		// pro-rata split can clear it while junior principal remains). Only
		// an impaired claim is in the set (QueuesInvariant): removing an
		// absent key is not free, IAVL copies its path to find it missing.
		if wasImpaired && !pos.Impaired {
			if err := k.Impaired.Remove(ctx, l.Id); err != nil {
				return math.Int{}, false, err
			}
		}
	}
	if toCurator := juniorPrincipal.Add(juniorInterest); toCurator.IsPositive() {
		outputs = append(outputs, banktypes.Output{Address: l.Curator, Coins: usdai(toCurator)})
	}
	// Only a payer or the lockbox tops up the exit fee (feeFromPayment is
	// zero otherwise); close pays it on from this module with the DSR. Paid
	// by address: the module's account exists from genesis (older chains:
	// the 4->5 migration), so no plain account is left there.
	if feeFromPayment.IsPositive() {
		outputs = append(outputs, banktypes.Output{Address: k.account.GetModuleAddress(types.ModuleName).String(), Coins: usdai(feeFromPayment)})
	}
	if err := k.payOut(ctx, from, outputs); err != nil {
		return math.Int{}, false, err
	}
	oldDue := l.NextDueTime
	l.JuniorPrincipal = juniorBal.Sub(juniorPrincipal)
	l.InterestDue = l.InterestDue.Sub(interest)
	l.PrincipalDue = l.PrincipalDue.Sub(principal)
	l.InterestPaid = l.InterestPaid.Add(late).Add(interest)
	l.PrincipalPaid = l.PrincipalPaid.Add(principalPaid)
	l.LateInterest, l.LateSince = lateOwed.Sub(late), now
	if err := k.addExposure(ctx, *l, seniorPrincipal.Neg()); err != nil {
		return math.Int{}, false, err
	}
	if err := k.addTotal(ctx, totalJunior, juniorPrincipal.Neg()); err != nil {
		return math.Int{}, false, err
	}
	switch {
	case closing:
		if err := k.DueQueue.Remove(ctx, collections.Join(oldDue, l.Id)); err != nil {
			return math.Int{}, false, err
		}
		if err := k.close(ctx, l, fee, feeFromPayment); err != nil {
			return math.Int{}, false, err
		}
	case l.InterestDue.IsZero() && l.PrincipalDue.IsZero():
		// The period is paid: the next one starts and its installment is
		// computed on the balance left (so a prepayment re-amortizes).
		// A period paid at or after its due date closes a cash-flow record;
		// one paid ahead carries its debt service into the next record, so
		// each record's revenue and debt service cover the same time.
		early := oldDue.After(now)
		if !early {
			if err := k.recordCashFlow(ctx, l); err != nil {
				return math.Int{}, false, err
			}
		}
		l.PaymentsRemaining--
		l.AccruedSince = oldDue
		l.NextDueTime = oldDue.Add(l.Terms.RepaymentInterval)
		l.InterestDue, l.PrincipalDue = types.Installment(l.Terms.Schedule, l.Outstanding(), l.Apr, l.Terms.RepaymentInterval, l.PaymentsRemaining)
		next := l.InterestDue.Add(l.PrincipalDue)
		if early {
			next = next.Add(intOr0(l.ScheduledDebtService))
		}
		l.ScheduledDebtService = next
		if err := k.DueQueue.Remove(ctx, collections.Join(oldDue, l.Id)); err != nil {
			return math.Int{}, false, err
		}
		if err := k.DueQueue.Set(ctx, collections.Join(l.NextDueTime, l.Id)); err != nil {
			return math.Int{}, false, err
		}
		if l.Status == types.LoanDelinquent {
			if err := k.cureDelinquency(ctx, l); err != nil {
				return math.Int{}, false, err
			}
		}
	}
	if err := k.setLoan(ctx, *l, status); err != nil {
		return math.Int{}, false, err
	}
	payerName := source
	if source == SourcePayer || source == SourceLockbox {
		payerName = payer.String()
	}
	return applied, closing, keeperutil.Emit(ctx, &types.EventLoanPayment{
		LoanId: l.Id, Payer: payerName, Amount: applied, LateInterest: late, Interest: interest,
		Principal: principal, PrepaidPrincipal: prepaid, ExitFee: fee,
		SeniorPrincipal: seniorPrincipal, SeniorInterest: seniorInterest,
		JuniorPrincipal: juniorPrincipal, JuniorInterest: juniorInterest, Premium: premium,
		PaymentsRemaining: l.PaymentsRemaining, NextDueTime: l.NextDueTime, Source: source,
	})
}

// payOut makes a payment's transfers from one source in one bank transfer
// (one debit of the source, one credit per output).
func (k Keeper) payOut(ctx context.Context, from sdk.AccAddress, outputs []banktypes.Output) error {
	if len(outputs) == 0 {
		return nil
	}
	total := math.ZeroInt()
	for _, o := range outputs {
		total = total.Add(o.Coins.AmountOf(types.Denom))
	}
	return k.bank.InputOutputCoins(ctx, banktypes.Input{Address: from.String(), Coins: usdai(total)}, outputs)
}

// close settles a repaid loan: the exit fee (from the DSR, the rest from the
// payment) to protocol_fees, the DSR remainder and every coin of the lockbox
// to the borrower, titles released.
func (k Keeper) close(ctx context.Context, l *types.Loan, fee, feeFromPayment math.Int) error {
	if fee.IsPositive() {
		if err := k.modules.FromModule(ctx, types.ModuleName, FeeCollector, usdai(fee)); err != nil {
			return err
		}
	}
	returned := l.Dsr.Add(feeFromPayment).Sub(fee)
	if returned.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sdk.MustAccAddressFromBech32(l.Borrower), usdai(returned)); err != nil {
			return err
		}
	}
	if err := k.addTotal(ctx, totalDSR, l.Dsr.Neg()); err != nil {
		return err
	}
	if err := k.releaseTitles(ctx, *l); err != nil {
		return err
	}
	if err := k.leavePerforming(ctx, l); err != nil {
		return err
	}
	if err := k.emptyToBorrower(ctx, l); err != nil {
		return err
	}
	l.Dsr, l.InterestDue, l.PrincipalDue, l.PaymentsRemaining = math.ZeroInt(), math.ZeroInt(), math.ZeroInt(), 0
	l.Status, l.ClosedAt = types.LoanRepaid, blockTime(ctx)
	return keeperutil.Emit(ctx, &types.EventLoanRepaid{LoanId: l.Id, Borrower: l.Borrower, DsrReturned: returned})
}
