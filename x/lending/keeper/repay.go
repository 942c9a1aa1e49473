package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
)

// lateInterest is the grace interest owed on a late loan. Delinquency is not
// built yet, so it is zero; Repay applies it first once it is.
func lateInterest(_ types.Loan, _ time.Time) math.Int {
	return math.ZeroInt()
}

// exitFee is exit_fee_bps of the principal settled by the closing payment, rounded up.
func exitFee(l types.Loan) math.Int {
	return types.BpsOfCeil(l.Outstanding(), l.Terms.ExitFeeBps)
}

// Payoff is what closes a funded loan now: late interest, the current
// period's interest due, all principal outstanding, and the part of the exit
// fee the DSR does not cover (the exit fee is taken from the DSR first).
func Payoff(l types.Loan, now time.Time) math.Int {
	if !types.Funded(l.Status) {
		return math.ZeroInt()
	}
	shortfall := math.MaxInt(math.ZeroInt(), exitFee(l).Sub(l.Dsr))
	return lateInterest(l, now).Add(l.InterestDue).Add(l.Outstanding()).Add(shortfall)
}

// Repay applies up to amount from payer to a funded loan, in order: late
// interest, interest due, principal due, then prepayment of principal (the
// remaining periods re-amortize). Anything above the payoff is not taken.
// Interest is split between the tranches pro rata by principal, with
// first_loss_premium_bps of the senior share going to the junior; principal
// pro rata. The senior part goes to the vault (x/yield charges its admin fee
// on the interest), the junior part to the curator. Paying the payoff closes
// the loan: exit fee to protocol_fees (from the DSR first), the DSR remainder
// to the borrower, titles released, status REPAID. It returns the amount
// taken and whether the loan closed.
func (k Keeper) Repay(ctx context.Context, payer sdk.AccAddress, loanID uint64, amount math.Int) (math.Int, bool, error) {
	if err := types.CheckPositive("amount", amount); err != nil {
		return math.Int{}, false, err
	}
	l, err := k.GetLoan(ctx, loanID)
	if err != nil {
		return math.Int{}, false, err
	}
	if l.Status != types.LoanActive {
		return math.Int{}, false, errorsmod.Wrapf(types.ErrInvalidLoanStatus, "loan %d is %s, not ACTIVE", loanID, l.Status)
	}
	now := blockTime(ctx)
	payoff := Payoff(l, now)
	applied := math.MinInt(amount, payoff)
	closing := applied.Equal(payoff)

	rem := applied
	take := func(due math.Int) math.Int {
		x := math.MinInt(rem, due)
		rem = rem.Sub(x)
		return x
	}
	late := take(lateInterest(l, now))
	interest := take(l.InterestDue)
	principal := take(l.PrincipalDue)
	beyondDue := l.Outstanding().Sub(l.PrincipalDue)
	prepaid := take(beyondDue)
	if !closing && prepaid.Equal(beyondDue) && beyondDue.IsPositive() {
		return math.Int{}, false, errorsmod.Wrapf(types.ErrInvalidAmount,
			"amount %s repays all principal but not the exit fee: pay the payoff %s", amount, payoff)
	}
	feeFromPayment := rem // the exit-fee shortfall when closing, else zero
	fee := math.ZeroInt()
	if closing {
		fee = exitFee(l)
	}

	seniorBal, juniorBal := l.Senior.Balance, l.JuniorPrincipal
	seniorGross, juniorInterest := types.SplitProRata(late.Add(interest), seniorBal, juniorBal)
	premium := types.BpsOf(seniorGross, l.Terms.FirstLossPremiumBps)
	seniorInterest := seniorGross.Sub(premium)
	juniorInterest = juniorInterest.Add(premium)
	principalPaid := principal.Add(prepaid)
	seniorPrincipal, juniorPrincipal := types.SplitProRata(principalPaid, seniorBal, juniorBal)
	if closing {
		seniorPrincipal, juniorPrincipal = seniorBal, juniorBal
	}

	err = atomically(ctx, func(ctx sdk.Context) error {
		if err := k.bank.SendCoinsFromAccountToModule(ctx, payer, types.ModuleName, usdai(applied)); err != nil {
			return err
		}
		if seniorPrincipal.IsPositive() || seniorInterest.IsPositive() {
			pos, err := k.yield.ReceiveSenior(ctx, types.ModuleName, l.Senior, seniorPrincipal, seniorInterest)
			if err != nil {
				return err
			}
			if !pos.Balance.Equal(seniorBal.Sub(seniorPrincipal)) {
				return errorsmod.Wrapf(types.ErrInvalidAmount, "vault position balance %s, expected %s", pos.Balance, seniorBal.Sub(seniorPrincipal))
			}
			l.Senior = pos
		}
		if toCurator := juniorPrincipal.Add(juniorInterest); toCurator.IsPositive() {
			if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sdk.MustAccAddressFromBech32(l.Curator), usdai(toCurator)); err != nil {
				return err
			}
		}
		oldDue := l.NextDueTime
		l.JuniorPrincipal = juniorBal.Sub(juniorPrincipal)
		l.InterestDue = l.InterestDue.Sub(interest)
		l.PrincipalDue = l.PrincipalDue.Sub(principal)
		l.InterestPaid = l.InterestPaid.Add(late).Add(interest)
		l.PrincipalPaid = l.PrincipalPaid.Add(principalPaid)
		if err := k.addExposure(ctx, l, seniorPrincipal.Neg()); err != nil {
			return err
		}
		if err := k.addTotal(ctx, totalJunior, juniorPrincipal.Neg()); err != nil {
			return err
		}
		if closing {
			if err := k.DueQueue.Remove(ctx, collections.Join(oldDue, l.Id)); err != nil {
				return err
			}
			if err := k.close(ctx, &l, fee, feeFromPayment); err != nil {
				return err
			}
		} else if l.InterestDue.IsZero() && l.PrincipalDue.IsZero() {
			// The period is paid: the next one starts and its installment is
			// computed on the balance left (so a prepayment re-amortizes).
			l.PaymentsRemaining--
			l.AccruedSince = oldDue
			l.NextDueTime = oldDue.Add(l.Terms.RepaymentInterval)
			l.InterestDue, l.PrincipalDue = types.Installment(l.Terms.Schedule, l.Outstanding(), l.Apr, l.Terms.RepaymentInterval, l.PaymentsRemaining)
			if err := k.DueQueue.Remove(ctx, collections.Join(oldDue, l.Id)); err != nil {
				return err
			}
			if err := k.DueQueue.Set(ctx, collections.Join(l.NextDueTime, l.Id)); err != nil {
				return err
			}
		}
		if err := k.setLoan(ctx, l, types.LoanActive); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventLoanPayment{
			LoanId: l.Id, Payer: payer.String(), Amount: applied, LateInterest: late, Interest: interest,
			Principal: principal, PrepaidPrincipal: prepaid, ExitFee: fee,
			SeniorPrincipal: seniorPrincipal, SeniorInterest: seniorInterest,
			JuniorPrincipal: juniorPrincipal, JuniorInterest: juniorInterest, Premium: premium,
			PaymentsRemaining: l.PaymentsRemaining, NextDueTime: l.NextDueTime,
		})
	})
	if err != nil {
		return math.Int{}, false, err
	}
	return applied, closing, nil
}

// close settles a repaid loan: the exit fee (from the DSR, the rest from the
// payment) to protocol_fees, the DSR remainder to the borrower, titles released.
func (k Keeper) close(ctx context.Context, l *types.Loan, fee, feeFromPayment math.Int) error {
	if fee.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, FeeCollector, usdai(fee)); err != nil {
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
	l.Dsr, l.InterestDue, l.PrincipalDue, l.PaymentsRemaining = math.ZeroInt(), math.ZeroInt(), math.ZeroInt(), 0
	l.Status, l.ClosedAt = types.LoanRepaid, blockTime(ctx)
	return keeperutil.Emit(ctx, &types.EventLoanRepaid{LoanId: l.Id, Borrower: l.Borrower, DsrReturned: returned})
}
