package keeper

import (
	"context"
	"sort"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// RequestLoan pledges the borrower's ACTIVE titles for a PENDING loan under an
// enabled product that accepts their classes, and commits the loan's principal
// with the vault (held idle for its underwriting, recalled from the treasury
// if need be). Every title is checked before any is pledged.
func (k Keeper) RequestLoan(ctx context.Context, msg *types.MsgRequestLoan) (uint64, error) {
	return k.requestLoan(ctx, atomically, msg)
}

// requestLoan is RequestLoan with its writes run by branch: keeperutil.InTx from the msg
// server, atomically from every other caller.
func (k Keeper) requestLoan(ctx context.Context, branch keeperutil.Branch, msg *types.MsgRequestLoan) (uint64, error) {
	if err := msg.ValidateBasic(); err != nil {
		return 0, err
	}
	borrower := sdk.MustAccAddressFromBech32(msg.Borrower)
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	if uint32(len(msg.TitleIds)) > params.MaxTitlesPerLoan {
		return 0, errorsmod.Wrapf(types.ErrInvalidTitles, "at most %d titles per loan, got %d", params.MaxTitlesPerLoan, len(msg.TitleIds))
	}
	product, err := k.GetProduct(ctx, msg.ProductId)
	if err != nil {
		return 0, err
	}
	if !product.Enabled {
		return 0, errorsmod.Wrapf(types.ErrProductDisabled, "product %q", product.Id)
	}
	classes, custodians := map[string]bool{}, map[string]bool{}
	for _, id := range msg.TitleIds {
		t, err := k.pledgeableTitle(ctx, id, msg.Borrower, product)
		if err != nil {
			return 0, err
		}
		classes[t.ClassId], custodians[t.Custodian] = true, true
	}

	var loanID uint64
	err = branch(ctx, func(ctx context.Context) error {
		id, err := k.NextLoanID.Next(ctx)
		if err != nil {
			return err
		}
		loanID = id
		now := blockTime(ctx)
		l := newPendingLoan(id, msg, now, now.Add(params.MaxPendingAge), sortedKeys(classes), sortedKeys(custodians))
		for _, t := range msg.TitleIds {
			if err := k.caliber.Pledge(ctx, t, borrower, id); err != nil {
				return err
			}
		}
		if err := k.PendingQueue.Set(ctx, collections.Join(l.PendingExpiresAt, id)); err != nil {
			return err
		}
		if err := k.yield.CommitFunding(ctx, l.Principal); err != nil {
			return err
		}
		if err := k.setLoan(ctx, l, types.LoanStatusUnspecified); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventLoanRequested{
			LoanId: id, Borrower: l.Borrower, ProductId: l.ProductId, TitleIds: l.TitleIds,
			Principal: l.Principal, PendingExpiresAt: l.PendingExpiresAt,
		})
	})
	return loanID, err
}

// pledgeableTitle returns a title the borrower may pledge under product: it
// exists, is the borrower's, holds no lien, is ACTIVE and of a class the
// product accepts (checked in that order, for loan requests and added
// collateral alike).
func (k Keeper) pledgeableTitle(ctx context.Context, id uint64, borrower string, product types.Product) (calibertypes.Title, error) {
	t, err := k.caliber.GetTitle(ctx, id)
	if err != nil {
		return calibertypes.Title{}, err
	}
	if t.Owner != borrower {
		return calibertypes.Title{}, errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "%s does not own title %d", borrower, id)
	}
	if t.LoanId != 0 {
		return calibertypes.Title{}, errorsmod.Wrapf(types.ErrTitleInLoan, "title %d is collateral of loan %d", id, t.LoanId)
	}
	if t.Status != calibertypes.StatusActive {
		return calibertypes.Title{}, errorsmod.Wrapf(calibertypes.ErrInvalidStatus, "title %d is %s, not ACTIVE", id, t.Status)
	}
	if !product.AllowsClass(t.ClassId) {
		return calibertypes.Title{}, errorsmod.Wrapf(types.ErrClassNotAllowed, "title %d is %s; product %q accepts %v", id, t.ClassId, product.Id, product.AssetClasses)
	}
	return t, nil
}

// newPendingLoan builds a PENDING loan with every amount set to zero.
func newPendingLoan(id uint64, msg *types.MsgRequestLoan, now, expires time.Time, classes, custodians []string) types.Loan {
	zero := math.ZeroInt()
	return types.Loan{
		Id: id, Borrower: msg.Borrower, ProductId: msg.ProductId, TitleIds: msg.TitleIds,
		Principal: msg.Principal, Status: types.LoanPending, CreatedAt: now, PendingExpiresAt: expires,
		AssetClasses: classes, Custodians: custodians,
		Apr: math.LegacyZeroDec(), JuniorAmount: zero,
		Terms:           types.LoanTerms{GraceApr: math.LegacyZeroDec(), LiquidationLtv: math.LegacyZeroDec(), RecoveryHaircut: math.LegacyZeroDec()},
		Senior:          yieldtypes.SeniorPosition{Balance: zero, Rate: math.LegacyZeroDec(), WriteDown: zero},
		JuniorPrincipal: zero, InterestDue: zero, PrincipalDue: zero, Dsr: zero,
		InterestPaid: zero, PrincipalPaid: zero, LateInterest: zero,
		LockboxBaseline: zero, ScheduledDebtService: zero,
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// CancelLoanRequest cancels the borrower's PENDING loan and releases its titles.
func (k Keeper) CancelLoanRequest(ctx context.Context, borrower sdk.AccAddress, loanID uint64) error {
	return k.cancelLoanRequest(ctx, atomically, borrower, loanID)
}

// cancelLoanRequest is CancelLoanRequest with its writes run by branch: keeperutil.InTx from the msg
// server, atomically from every other caller.
func (k Keeper) cancelLoanRequest(ctx context.Context, branch keeperutil.Branch, borrower sdk.AccAddress, loanID uint64) error {
	l, err := k.GetLoan(ctx, loanID)
	if err != nil {
		return err
	}
	if l.Borrower != borrower.String() {
		return errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "%s is not the borrower of loan %d", borrower, loanID)
	}
	if l.Status != types.LoanPending {
		return errorsmod.Wrapf(types.ErrInvalidLoanStatus, "loan %d is %s, not PENDING", loanID, l.Status)
	}
	return branch(ctx, func(ctx context.Context) error {
		return k.closeUnfunded(ctx, l, types.LoanCancelled)
	})
}

// closeUnfunded ends a PENDING loan (cancelled or expired): titles released,
// commitment released, loan out of the pending queue.
func (k Keeper) closeUnfunded(ctx context.Context, l types.Loan, status types.LoanStatus) error {
	if err := k.releaseTitles(ctx, l); err != nil {
		return err
	}
	if err := k.yield.ReleaseFunding(ctx, l.Principal); err != nil {
		return err
	}
	if err := k.PendingQueue.Remove(ctx, collections.Join(l.PendingExpiresAt, l.Id)); err != nil {
		return err
	}
	l.Status, l.ClosedAt = status, blockTime(ctx)
	if err := k.setLoan(ctx, l, types.LoanPending); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventLoanClosedUnfunded{LoanId: l.Id, Borrower: l.Borrower, Status: status})
}

// releaseTitles returns the loan's titles to ACTIVE, their liens cleared.
func (k Keeper) releaseTitles(ctx context.Context, l types.Loan) error {
	for _, t := range l.TitleIds {
		if err := k.caliber.Release(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// EndBlocker does the module's time-driven work, each part walking a
// time-ordered queue only up to the block time and bounded per block (the
// rest waits for the next block): PENDING requests past max_pending_age
// expire; due dates are paid from the DSR or make loans DELINQUENT; grace
// ends, cure deadlines and auction rounds are handled; queued class-wide
// covenant walks advance. Every unit runs in a cache context: a failure is
// logged and the unit retried later, never halting the chain.
func (k Keeper) EndBlocker(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if err := k.walkQueue(ctx, "pending loan expiry", k.PendingQueue, params.MaxExpiriesPerBlock, k.expire); err != nil {
		return err
	}
	if err := k.walkQueue(ctx, "due date", k.DueQueue, params.MaxDuePerBlock, k.processDue); err != nil {
		return err
	}
	if err := k.walkQueue(ctx, "deadline", k.DeadlineQueue, params.MaxDuePerBlock, k.processDeadline); err != nil {
		return err
	}
	return k.walkRevaluations(ctx, params.MaxRevaluationsPerBlock)
}

// expire closes a PENDING loan whose request expired.
func (k Keeper) expire(ctx context.Context, key collections.Pair[time.Time, uint64]) error {
	l, err := k.GetLoan(ctx, key.K2())
	if err != nil {
		return err
	}
	if l.Status != types.LoanPending {
		return k.PendingQueue.Remove(ctx, key)
	}
	if !l.PendingExpiresAt.Equal(key.K1()) {
		// A retried entry: closeUnfunded removes the loan's own entry.
		if err := k.PendingQueue.Remove(ctx, key); err != nil {
			return err
		}
	}
	return k.closeUnfunded(ctx, l, types.LoanExpired)
}
