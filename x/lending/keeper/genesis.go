package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
)

// InitGenesis writes the genesis state and rebuilds every index, queue and
// aggregate from the loans.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.ensureModuleAccount(ctx); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, p := range gs.Products {
		if err := k.Products.Set(ctx, p.Id, p); err != nil {
			return err
		}
	}
	for _, l := range gs.Loans {
		if err := k.setLoan(ctx, l, types.LoanStatusUnspecified); err != nil {
			return err
		}
		if !types.Live(l.Status) {
			continue
		}
		// The liens come with x/caliber's genesis, which is imported first.
		for _, id := range l.TitleIds {
			t, err := k.caliber.GetTitle(ctx, id)
			if err != nil {
				return errorsmod.Wrapf(types.ErrInvalidGenesis, "title %d of live loan %d: %v", id, l.Id, err)
			}
			if t.LoanId != l.Id {
				return errorsmod.Wrapf(types.ErrInvalidGenesis, "title %d of live loan %d has lien %d", id, l.Id, t.LoanId)
			}
		}
		if l.Status == types.LoanPending {
			if err := k.PendingQueue.Set(ctx, collections.Join(l.PendingExpiresAt, l.Id)); err != nil {
				return err
			}
			continue
		}
		if l.Status == types.LoanActive || l.Status == types.LoanMarginCall {
			if err := k.DueQueue.Set(ctx, collections.Join(l.NextDueTime, l.Id)); err != nil {
				return err
			}
		}
		if !l.Deadline.IsZero() {
			if err := k.DeadlineQueue.Set(ctx, collections.Join(l.Deadline, l.Id)); err != nil {
				return err
			}
		}
		if types.Performing(l.Status) {
			if err := k.enterPerforming(ctx, l); err != nil {
				return err
			}
		}
		if l.Senior.Impaired {
			if err := k.Impaired.Set(ctx, l.Id); err != nil {
				return err
			}
		}
		if err := k.addExposure(ctx, l, l.Senior.Balance); err != nil {
			return err
		}
		if err := k.addTotal(ctx, totalJunior, l.JuniorPrincipal); err != nil {
			return err
		}
		if err := k.addTotal(ctx, totalDSR, l.Dsr); err != nil {
			return err
		}
	}
	for _, a := range gs.Auctions {
		if err := k.Auctions.Set(ctx, a.Id, a); err != nil {
			return err
		}
	}
	for _, r := range gs.Revaluations {
		if err := k.Revaluations.Set(ctx, r.ClassId, r); err != nil {
			return err
		}
	}
	if err := k.NextLoanID.Set(ctx, gs.NextLoanId); err != nil {
		return errorsmod.Wrap(types.ErrInvalidGenesis, err.Error())
	}
	return nil
}

// ExportGenesis returns the params, products, loans, auctions, pending
// revaluations and the next loan id.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if err := k.Products.Walk(ctx, nil, func(_ string, p types.Product) (bool, error) {
		gs.Products = append(gs.Products, p)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Loans.Walk(ctx, nil, func(_ uint64, l types.Loan) (bool, error) {
		gs.Loans = append(gs.Loans, l)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Auctions.Walk(ctx, nil, func(_ uint64, a types.Auction) (bool, error) {
		gs.Auctions = append(gs.Auctions, a)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Revaluations.Walk(ctx, nil, func(_ string, r types.Revaluation) (bool, error) {
		gs.Revaluations = append(gs.Revaluations, r)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if gs.NextLoanId, err = k.NextLoanID.Peek(ctx); err != nil {
		return nil, err
	}
	return gs, nil
}

// ensureModuleAccount makes the module's account exist, as a module account,
// from genesis: a payment that tops up an exit fee pays it by address in a
// multi-output transfer, and x/bank would give an address without an account
// a plain one, which x/auth refuses every module operation. A plain account
// already there (a genesis exported from a chain that had one) is replaced.
func (k Keeper) ensureModuleAccount(ctx context.Context) error {
	return keeperutil.EnsureModuleAccount(ctx, k.account, types.ModuleName)
}

// MigrateModuleAccount (state version 4 to 5) gives a chain that started
// before InitGenesis created it the module's account, replacing a plain
// account that a payment left at its address (its coins stay).
func (k Keeper) MigrateModuleAccount(ctx sdk.Context) error {
	return k.ensureModuleAccount(ctx)
}
