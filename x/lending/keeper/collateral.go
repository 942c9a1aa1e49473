package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
)

// borrowerLoan loads a loan and checks that borrower is its borrower.
func (k Keeper) borrowerLoan(ctx context.Context, borrower sdk.AccAddress, loanID uint64) (types.Loan, error) {
	l, err := k.GetLoan(ctx, loanID)
	if err != nil {
		return types.Loan{}, err
	}
	if l.Borrower != borrower.String() {
		return types.Loan{}, errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "%s is not the borrower of loan %d", borrower, loanID)
	}
	return l, nil
}

// rebucket moves a loan's titles to titleIDs, keeping its concentration
// buckets (classes, custodians), exposures and class index in step.
func (k Keeper) rebucket(ctx context.Context, l *types.Loan, titleIDs []uint64) error {
	if err := k.addExposure(ctx, *l, l.Senior.Balance.Neg()); err != nil {
		return err
	}
	for _, c := range l.AssetClasses {
		if err := k.ClassLoans.Remove(ctx, collections.Join(c, l.Id)); err != nil {
			return err
		}
	}
	classes, custodians := map[string]bool{}, map[string]bool{}
	for _, id := range titleIDs {
		t, err := k.caliber.GetTitle(ctx, id)
		if err != nil {
			return err
		}
		classes[t.ClassId], custodians[t.Custodian] = true, true
	}
	l.TitleIds, l.AssetClasses, l.Custodians = titleIDs, sortedKeys(classes), sortedKeys(custodians)
	if err := k.addExposure(ctx, *l, l.Senior.Balance); err != nil {
		return err
	}
	return k.enterPerforming(ctx, *l)
}

// AddCollateral pledges more of the borrower's titles to a performing loan
// (ACTIVE, MARGIN_CALL or DELINQUENT). Each title must be ACTIVE, owned by
// the borrower, in no loan, of a class the product accepts and valued. The
// covenants are then re-checked, so enough collateral cures a margin call.
// It returns the loan's LTV and status after the change.
func (k Keeper) AddCollateral(ctx context.Context, borrower sdk.AccAddress, loanID uint64, titleIDs []uint64) (math.LegacyDec, types.LoanStatus, error) {
	return k.addCollateral(ctx, atomically, borrower, loanID, titleIDs)
}

// addCollateral is AddCollateral with its writes run by branch: keeperutil.InTx from the msg
// server, atomically from every other caller.
func (k Keeper) addCollateral(ctx context.Context, branch keeperutil.Branch, borrower sdk.AccAddress, loanID uint64, titleIDs []uint64) (math.LegacyDec, types.LoanStatus, error) {
	l, err := k.borrowerLoan(ctx, borrower, loanID)
	if err != nil {
		return math.LegacyDec{}, 0, err
	}
	if !types.Performing(l.Status) {
		return math.LegacyDec{}, 0, errorsmod.Wrapf(types.ErrInvalidLoanStatus, "loan %d is %s: collateral can be added to ACTIVE, MARGIN_CALL and DELINQUENT loans", loanID, l.Status)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return math.LegacyDec{}, 0, err
	}
	if n := len(l.TitleIds) + len(titleIDs); uint32(n) > params.MaxTitlesPerLoan {
		return math.LegacyDec{}, 0, errorsmod.Wrapf(types.ErrInvalidTitles, "at most %d titles per loan, would have %d", params.MaxTitlesPerLoan, n)
	}
	product, err := k.GetProduct(ctx, l.ProductId)
	if err != nil {
		return math.LegacyDec{}, 0, err
	}
	for _, id := range titleIDs {
		if _, err := k.pledgeableTitle(ctx, id, l.Borrower, product); err != nil {
			return math.LegacyDec{}, 0, err
		}
	}
	if _, _, err := k.collateralValue(ctx, titleIDs); err != nil {
		return math.LegacyDec{}, 0, err
	}
	var ltv math.LegacyDec
	err = branch(ctx, func(ctx context.Context) error {
		for _, id := range titleIDs {
			if err := k.caliber.Pledge(ctx, id, borrower, l.Id); err != nil {
				return err
			}
		}
		if err := k.rebucket(ctx, &l, append(append([]uint64{}, l.TitleIds...), titleIDs...)); err != nil {
			return err
		}
		if l.Status == types.LoanDelinquent {
			// More collateral raises the expected recovery: re-impair.
			if _, err := k.impair(ctx, &l); err != nil {
				return err
			}
		}
		if err := k.Loans.Set(ctx, l.Id, l); err != nil {
			return err
		}
		if err := k.reviewCovenants(ctx, l.Id); err != nil {
			return err
		}
		if l, err = k.GetLoan(ctx, l.Id); err != nil {
			return err
		}
		value, _ := k.appraise(ctx, l.TitleIds)
		ltv = types.LTV(l.Outstanding(), value)
		return keeperutil.Emit(ctx, &types.EventCollateralChanged{LoanId: l.Id, Added: titleIDs, Ltv: ltv})
	})
	if err != nil {
		return math.LegacyDec{}, 0, err
	}
	return ltv, l.Status, nil
}

// WithdrawCollateral releases titles of an ACTIVE loan. At least one title
// stays; the titles left must all be valued and keep principal / value <=
// the loan's max_ltv. It returns the LTV after the change.
func (k Keeper) WithdrawCollateral(ctx context.Context, borrower sdk.AccAddress, loanID uint64, titleIDs []uint64) (math.LegacyDec, error) {
	return k.withdrawCollateral(ctx, atomically, borrower, loanID, titleIDs)
}

// withdrawCollateral is WithdrawCollateral with its writes run by branch: keeperutil.InTx from the msg
// server, atomically from every other caller.
func (k Keeper) withdrawCollateral(ctx context.Context, branch keeperutil.Branch, borrower sdk.AccAddress, loanID uint64, titleIDs []uint64) (math.LegacyDec, error) {
	l, err := k.borrowerLoan(ctx, borrower, loanID)
	if err != nil {
		return math.LegacyDec{}, err
	}
	if l.Status != types.LoanActive {
		return math.LegacyDec{}, errorsmod.Wrapf(types.ErrInvalidLoanStatus, "loan %d is %s: collateral can be withdrawn from ACTIVE loans only", loanID, l.Status)
	}
	out := make(map[uint64]bool, len(titleIDs))
	for _, id := range titleIDs {
		out[id] = true
	}
	var keep []uint64
	for _, id := range l.TitleIds {
		if !out[id] {
			keep = append(keep, id)
		}
	}
	if len(keep) != len(l.TitleIds)-len(titleIDs) {
		return math.LegacyDec{}, errorsmod.Wrapf(types.ErrTitleNotInLoan, "loan %d holds titles %v", loanID, l.TitleIds)
	}
	if len(keep) == 0 {
		return math.LegacyDec{}, errorsmod.Wrap(types.ErrInvalidTitles, "at least one title must stay pledged: repay the loan to release all")
	}
	value, _, err := k.collateralValue(ctx, keep)
	if err != nil {
		return math.LegacyDec{}, err
	}
	ltv := types.LTV(l.Outstanding(), value)
	if ltv.GT(l.Terms.MaxLtv) {
		return math.LegacyDec{}, errorsmod.Wrapf(types.ErrLTVExceeded, "ltv would be %s, above max_ltv %s (outstanding %s, value left %s)", ltv, l.Terms.MaxLtv, l.Outstanding(), value)
	}
	err = branch(ctx, func(ctx context.Context) error {
		for _, id := range titleIDs {
			if err := k.caliber.Release(ctx, id); err != nil {
				return err
			}
		}
		if err := k.rebucket(ctx, &l, keep); err != nil {
			return err
		}
		if err := k.Loans.Set(ctx, l.Id, l); err != nil {
			return err
		}
		if err := k.reviewCovenants(ctx, l.Id); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventCollateralChanged{LoanId: l.Id, Withdrawn: titleIDs, Ltv: ltv})
	})
	if err != nil {
		return math.LegacyDec{}, err
	}
	return ltv, nil
}
