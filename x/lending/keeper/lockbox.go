package keeper

import (
	"context"
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
)

// SourceLockbox: the loan's lockbox paid (a due-date sweep or its excess).
const SourceLockbox = "lockbox"

// Lockbox sweep reasons (EventLockboxSweep.reason).
const (
	sweepDue       = "due"
	sweepWaterfall = "waterfall"
	sweepRepaid    = "repaid"
)

// reserveDenoms lists x/stable's reserves (enabled or not): the coins a
// lockbox converts to USDai and counts as revenue. A params read failure lists
// none, so the lockbox then counts USDai only rather than failing the caller.
func (k Keeper) reserveDenoms(ctx context.Context) []string {
	params, err := k.stable.GetParams(ctx)
	if err != nil {
		return nil
	}
	denoms := make([]string, 0, len(params.Reserves))
	for _, r := range params.Reserves {
		denoms = append(denoms, r.Denom)
	}
	return denoms
}

// sweepable reports whether the lockbox sweeps (and counts as revenue) denom.
func (k Keeper) sweepable(ctx context.Context, denom string) bool {
	if denom == types.Denom {
		return true
	}
	for _, d := range k.reserveDenoms(ctx) {
		if d == denom {
			return true
		}
	}
	return false
}

// LockboxValue is what a loan's lockbox holds in USDai and listed reserves,
// counted 1:1 (x/stable requires reserves of USDai's decimals).
func (k Keeper) LockboxValue(ctx context.Context, loanID uint64) math.Int {
	addr := types.LockboxAddress(loanID)
	v := k.bank.GetBalance(ctx, addr, types.Denom).Amount
	for _, d := range k.reserveDenoms(ctx) {
		v = v.Add(k.bank.GetBalance(ctx, addr, d).Amount)
	}
	return v
}

// intOr0 reads a stored Int that older records may lack.
func intOr0(x math.Int) math.Int {
	if x.IsNil() {
		return math.ZeroInt()
	}
	return x
}

// convertReserves offers every listed reserve coin in the loan's lockbox to
// x/stable's PSM (Mint, at its mint fee, within its caps and depeg guard).
// A refusal is recorded in an event and the coins wait for the next sweep; it
// never fails the caller. The fee leaves the lockbox's value, so it lowers
// the baseline too (it is not a revenue loss of the period).
func (k Keeper) convertReserves(ctx context.Context, l *types.Loan) error {
	addr := types.LockboxAddress(l.Id)
	for _, d := range k.reserveDenoms(ctx) {
		bal := k.bank.GetBalance(ctx, addr, d)
		if !bal.IsPositive() {
			continue
		}
		ev := &types.EventLockboxConversion{LoanId: l.Id, Amount: bal, Received: math.ZeroInt(), Fee: math.ZeroInt()}
		received, fee, err := k.stable.Mint(ctx, addr, bal)
		if err != nil {
			ev.Refused = err.Error()
		} else {
			ev.Received, ev.Fee = received.Amount, fee.Amount
			l.LockboxBaseline = intOr0(l.LockboxBaseline).Sub(fee.Amount)
		}
		if err := keeperutil.Emit(ctx, ev); err != nil {
			return err
		}
	}
	return nil
}

// sweepDue is the lockbox's turn at a due date: reserves are converted, then
// the lockbox's USDai pays the installment due (all of it or what it holds);
// with sweep_excess PREPAY, what it holds beyond the installment prepays
// principal (up to the payoff, which closes the loan). It returns whether the
// loan closed; l is the stored loan after the sweep.
func (k Keeper) sweepDue(ctx context.Context, l *types.Loan) (bool, error) {
	if err := k.convertReserves(ctx, l); err != nil {
		return false, err
	}
	addr := types.LockboxAddress(l.Id)
	ev := &types.EventLockboxSweep{LoanId: l.Id, Lockbox: addr.String(), Reason: sweepDue,
		Installment: math.ZeroInt(), Prepaid: math.ZeroInt(), ToWaterfall: math.ZeroInt()}
	held := k.bank.GetBalance(ctx, addr, types.Denom).Amount
	// A DELINQUENT loan also owes grace interest, paid first.
	owed := lateInterest(*l, blockTime(ctx)).Add(l.InterestDue).Add(l.PrincipalDue)
	if amount := prepayable(*l, blockTime(ctx), math.MinInt(owed, held), held); owed.IsPositive() && amount.IsPositive() {
		applied, closed, err := k.applyPayment(ctx, l, SourceLockbox, addr, amount)
		if err != nil {
			return false, err
		}
		ev.Installment, held = applied, held.Sub(applied)
		if closed {
			return true, k.emitSweep(ctx, ev, addr)
		}
	}
	if l.Terms.SweepExcess == types.SweepExcessPrepay && held.IsPositive() &&
		types.Performing(l.Status) && l.Status != types.LoanDelinquent {
		amount := prepayable(*l, blockTime(ctx), held, held)
		if amount.IsPositive() {
			applied, closed, err := k.applyPayment(ctx, l, SourceLockbox, addr, amount)
			if err != nil {
				return false, err
			}
			ev.Prepaid = applied
			if closed {
				return true, k.emitSweep(ctx, ev, addr)
			}
		}
	}
	return false, k.emitSweep(ctx, ev, addr)
}

// prepayable is how much of want (at most held) a lockbox payment applies:
// want, except that an amount covering all principal (the last installment,
// or a PREPAY excess) must be the payoff, exit fee included, which applyPayment
// requires to close the loan. When held falls short of it, one uusdai of
// principal stays owed (the DSR or a later sweep pays it).
func prepayable(l types.Loan, now time.Time, want, held math.Int) math.Int {
	debt := debtNow(l, now)
	if want.LT(debt) {
		return want
	}
	if payoff := Payoff(l, now); held.GTE(payoff) {
		return payoff
	}
	return debt.SubRaw(1)
}

func (k Keeper) emitSweep(ctx context.Context, ev *types.EventLockboxSweep, addr sdk.AccAddress) error {
	ev.Held = k.bank.GetBalance(ctx, addr, types.Denom).Amount
	if ev.ToBorrower == nil {
		ev.ToBorrower = sdk.NewCoins()
	}
	return keeperutil.Emit(ctx, ev)
}

// takeForWaterfall moves a foreclosed loan's lockbox USDai (after offering
// its reserves to the PSM) into the module account for the waterfall.
// Reserves the PSM refuses stay in the lockbox.
func (k Keeper) takeForWaterfall(ctx context.Context, l *types.Loan) (math.Int, error) {
	if err := k.convertReserves(ctx, l); err != nil {
		return math.Int{}, err
	}
	addr := types.LockboxAddress(l.Id)
	held := k.bank.GetBalance(ctx, addr, types.Denom).Amount
	if !held.IsPositive() {
		return math.ZeroInt(), nil
	}
	if err := k.modules.FromAccount(ctx, addr, types.ModuleName, usdai(held)); err != nil {
		return math.Int{}, err
	}
	l.LockboxBaseline = intOr0(l.LockboxBaseline).Sub(held)
	return held, k.emitSweep(ctx, &types.EventLockboxSweep{LoanId: l.Id, Lockbox: addr.String(), Reason: sweepWaterfall,
		Installment: math.ZeroInt(), Prepaid: math.ZeroInt(), ToWaterfall: held}, addr)
}

// emptyToBorrower returns every coin of a repaid loan's lockbox to its borrower.
func (k Keeper) emptyToBorrower(ctx context.Context, l *types.Loan) error {
	addr := types.LockboxAddress(l.Id)
	all := k.bank.GetAllBalances(ctx, addr)
	l.LockboxBaseline = math.ZeroInt() // nothing is measured after the loan closes
	if all.IsZero() {
		return nil
	}
	if err := k.bank.SendCoins(ctx, addr, sdk.MustAccAddressFromBech32(l.Borrower), all); err != nil {
		return err
	}
	return k.emitSweep(ctx, &types.EventLockboxSweep{LoanId: l.Id, Lockbox: addr.String(), Reason: sweepRepaid,
		Installment: math.ZeroInt(), Prepaid: math.ZeroInt(), ToWaterfall: math.ZeroInt(), ToBorrower: all}, addr)
}

// recordCashFlow closes a period of the loan's cash-flow record at a period
// change that happens at or after its due date: revenue = lockbox value now −
// baseline (never below zero: a reserve governance de-lists leaves the value
// without being a loss of revenue), debt service = scheduled_debt_service.
func (k Keeper) recordCashFlow(ctx context.Context, l *types.Loan) error {
	value := k.LockboxValue(ctx, l.Id)
	revenue := math.MaxInt(math.ZeroInt(), value.Sub(intOr0(l.LockboxBaseline)))
	p := types.CashFlowPeriod{End: blockTime(ctx), Revenue: revenue, DebtService: intOr0(l.ScheduledDebtService)}
	l.RecordCashFlow(p)
	l.LockboxBaseline = value
	ratio, _ := l.DSCR()
	return keeperutil.Emit(ctx, &types.EventCashFlowRecorded{LoanId: l.Id, Period: p, Dscr: ratio})
}

// Withdrawable is the USDai value the borrower may take from an ACTIVE
// loan's lockbox: its USDai and reserves above the next two installments
// (what is still due this period plus the next period's installment).
func (k Keeper) Withdrawable(ctx context.Context, l types.Loan) math.Int {
	if l.Status != types.LoanActive {
		return math.ZeroInt()
	}
	return math.MaxInt(math.ZeroInt(), k.LockboxValue(ctx, l.Id).Sub(nextTwoInstallments(l)))
}

// nextTwoInstallments is the current period's dues plus the next period's
// installment on the balance left after them.
func nextTwoInstallments(l types.Loan) math.Int {
	owed := l.InterestDue.Add(l.PrincipalDue)
	if l.PaymentsRemaining <= 1 {
		return owed
	}
	i, p := types.Installment(l.Terms.Schedule, l.Outstanding().Sub(l.PrincipalDue), l.Apr, l.Terms.RepaymentInterval, l.PaymentsRemaining-1)
	return owed.Add(i).Add(p)
}

// WithdrawLockbox moves amount from a loan's lockbox to its borrower. While
// the loan is ACTIVE only USDai and listed reserves, and only up to
// Withdrawable; once the loan is closed (repaid, liquidated, written off,
// cancelled, expired) any coin. Refused otherwise, changing nothing.
func (k Keeper) WithdrawLockbox(ctx context.Context, borrower sdk.AccAddress, loanID uint64, amount sdk.Coins) error {
	if amount.Empty() || !amount.IsValid() {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "amount must be positive coins, got %s", amount)
	}
	l, err := k.GetLoan(ctx, loanID)
	if err != nil {
		return err
	}
	if l.Borrower != borrower.String() {
		return errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "%s is not the borrower of loan %d", borrower, loanID)
	}
	addr := types.LockboxAddress(loanID)
	closed := !types.Live(l.Status)
	if !closed && l.Status != types.LoanActive {
		return errorsmod.Wrapf(types.ErrInvalidLoanStatus, "loan %d is %s: the lockbox opens to the borrower only while ACTIVE or once the loan is closed", loanID, l.Status)
	}
	value := math.ZeroInt()
	if !closed {
		for _, c := range amount {
			if !k.sweepable(ctx, c.Denom) {
				return errorsmod.Wrapf(types.ErrLockboxLocked, "%s is neither USDai nor a listed reserve: it can be withdrawn once loan %d is closed", c.Denom, loanID)
			}
			value = value.Add(c.Amount)
		}
		if allowed := k.Withdrawable(ctx, l); value.GT(allowed) {
			return errorsmod.Wrapf(types.ErrWithdrawalTooLarge, "withdrawing %s from loan %d's lockbox; at most %s (USDai value) is above the next two installments", amount, loanID, allowed)
		}
	}
	if held := k.bank.GetAllBalances(ctx, addr); !held.IsAllGTE(amount) {
		return errorsmod.Wrapf(sdkerrors.ErrInsufficientFunds, "lockbox of loan %d holds %s, asked %s", loanID, held, amount)
	}
	if err := k.bank.SendCoins(ctx, addr, borrower, amount); err != nil {
		return err
	}
	if !closed {
		l.LockboxBaseline = intOr0(l.LockboxBaseline).Sub(value)
		if err := k.Loans.Set(ctx, l.Id, l); err != nil {
			return err
		}
	}
	return keeperutil.Emit(ctx, &types.EventLockboxWithdrawal{LoanId: loanID, Borrower: borrower.String(), Amount: amount})
}
