package keeper

import (
	"context"
	"errors"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

// Hooks are x/lending's reactions to x/caliber (valuation, custody,
// casualty) and x/oracle (market-feed moves).
type Hooks struct{ k *Keeper }

var (
	_ calibertypes.CaliberHooks = Hooks{}
	_ oracletypes.OracleHooks   = Hooks{}
)

// Hooks returns the hooks to register with x/caliber and x/oracle.
func (k *Keeper) Hooks() Hooks { return Hooks{k: k} }

// AfterValuationChanged re-checks the covenants of the loan holding the
// title, its lien (x/caliber passes it: no read of the title here).
func (h Hooks) AfterValuationChanged(ctx context.Context, _, loanID uint64) error {
	return h.k.reviewLienLoan(ctx, loanID)
}

// AfterCustodyStale re-checks the covenants of the loan holding the title,
// its lien.
func (h Hooks) AfterCustodyStale(ctx context.Context, _, loanID uint64) error {
	return h.k.reviewLienLoan(ctx, loanID)
}

// AfterCasualty takes a destroyed title out of the loan it was collateral of
// (see HandleCasualty).
func (h Hooks) AfterCasualty(ctx context.Context, titleID, loanID uint64) error {
	if loanID == 0 {
		return nil
	}
	return h.k.HandleCasualty(ctx, titleID, loanID)
}

// AfterFeedUpdated queues a covenant walk over the loans of every asset
// class valued by the feed.
func (h Hooks) AfterFeedUpdated(ctx context.Context, feedID string, _ oracletypes.Price) error {
	return h.k.QueueRevaluation(ctx, feedID)
}

// reviewLienLoan re-checks the covenants of the loan a title's lien names;
// a title in no loan (lien 0) has none to check.
func (k Keeper) reviewLienLoan(ctx context.Context, loanID uint64) error {
	if loanID == 0 {
		return nil
	}
	return k.reviewCovenants(ctx, loanID)
}

// HandleCasualty takes a title reported destroyed out of loan loanID, the
// lien the title held (x/caliber has cleared it). A PENDING
// loan just drops it (cancelled when none is left). A performing loan
// collects the title's casualty claim and applies it as a payment (what
// exceeds the debt goes to the borrower), then re-checks its covenants. A
// FORECLOSING loan's claim joins its auction's proceeds; an auction left
// without titles settles at once.
func (k Keeper) HandleCasualty(ctx context.Context, titleID, loanID uint64) error {
	l, err := k.GetLoan(ctx, loanID)
	if err != nil {
		return err
	}
	if !slices.Contains(l.TitleIds, titleID) {
		return errorsmod.Wrapf(types.ErrTitleNotInLoan, "title %d has lien %d, but loan %d holds titles %v", titleID, loanID, loanID, l.TitleIds)
	}
	rest := without(l.TitleIds, titleID)
	switch {
	case l.Status == types.LoanPending:
		if len(rest) == 0 {
			l.TitleIds = rest
			return k.closeUnfunded(ctx, l, types.LoanCancelled)
		}
		l.TitleIds = rest
		return k.Loans.Set(ctx, l.Id, l)
	case types.Performing(l.Status):
		claim, err := k.casualtyClaim(ctx, titleID)
		if err != nil {
			return err
		}
		if err := k.rebucket(ctx, &l, rest); err != nil {
			return err
		}
		if err := k.Loans.Set(ctx, l.Id, l); err != nil {
			return err
		}
		if err := keeperutil.Emit(ctx, &types.EventCasualtyClaim{LoanId: l.Id, TitleId: titleID, Claim: claim}); err != nil {
			return err
		}
		if claim.IsPositive() {
			applied, closed, err := k.applyPayment(ctx, &l, SourceCasualty, nil, claim)
			if err != nil {
				return err
			}
			if err := k.pay(ctx, l.Borrower, claim.Sub(applied)); err != nil {
				return err
			}
			if closed {
				return nil
			}
		}
		return k.reviewCovenants(ctx, l.Id)
	case l.Status == types.LoanForeclosing:
		claim, err := k.casualtyClaim(ctx, titleID)
		if err != nil {
			return err
		}
		a, err := k.GetAuction(ctx, l.Id)
		if err != nil {
			return err
		}
		// The lot loses the title: its value leaves the reference and the top
		// price (a lot priced on the debt keeps its price).
		var values []math.Int
		for i, id := range a.TitleIds {
			if id != titleID {
				values = append(values, a.TitleValues[i])
			} else if a.TitleValues[i].IsPositive() {
				a.ReferenceValue = a.ReferenceValue.Sub(a.TitleValues[i])
				a.TopPrice = l.Terms.Auction.StartMultiplier.MulInt(a.ReferenceValue).TruncateInt()
			}
		}
		a.TitleIds, a.TitleValues = without(a.TitleIds, titleID), values
		a.CasualtyProceeds = a.CasualtyProceeds.Add(claim)
		l.TitleIds = rest
		if err := keeperutil.Emit(ctx, &types.EventCasualtyClaim{LoanId: l.Id, TitleId: titleID, Claim: claim}); err != nil {
			return err
		}
		if len(a.TitleIds) == 0 && a.Status == types.AuctionOpen {
			a.Status, a.ClosedAt = types.AuctionSold, blockTime(ctx)
			if err := k.settle(ctx, &l, &a, math.ZeroInt(), math.ZeroInt(), types.LoanLiquidated); err != nil {
				return err
			}
			if err := k.Auctions.Set(ctx, a.Id, a); err != nil {
				return err
			}
			return k.setLoan(ctx, l, types.LoanForeclosing)
		}
		if err := k.Auctions.Set(ctx, a.Id, a); err != nil {
			return err
		}
		return k.Loans.Set(ctx, l.Id, l)
	}
	return nil
}

// casualtyClaim collects a destroyed title's casualty insurance into the
// module account (zero without an active policy).
func (k Keeper) casualtyClaim(ctx context.Context, titleID uint64) (math.Int, error) {
	claim, err := k.caliber.PayCasualtyClaim(ctx, titleID, types.ModuleName)
	if errorsmod.IsOf(err, calibertypes.ErrPolicyNotFound) {
		return math.ZeroInt(), nil
	}
	return claim, err
}

func without(ids []uint64, drop uint64) []uint64 {
	out := make([]uint64, 0, len(ids))
	for _, id := range ids {
		if id != drop {
			out = append(out, id)
		}
	}
	return out
}

// QueueRevaluation queues a covenant walk over the loans of every asset
// class whose market feed is feedID. A walk already under way is marked to
// run again from the start once it finishes, so every loan sees the new price.
func (k Keeper) QueueRevaluation(ctx context.Context, feedID string) error {
	classes, err := k.caliber.ClassesWithMarketFeed(ctx, feedID)
	if err != nil {
		return err
	}
	for _, c := range classes {
		r, err := k.Revaluations.Get(ctx, c)
		switch {
		case errors.Is(err, collections.ErrNotFound):
			r = types.Revaluation{ClassId: c}
		case err != nil:
			return err
		case r.NextLoanId > 0:
			r.Rerun = true
		}
		if err := k.Revaluations.Set(ctx, c, r); err != nil {
			return err
		}
	}
	return nil
}

// walkRevaluations checks the covenants of up to limit loans of the queued
// classes, in class then loan id order, each in a cache context (a failure
// is logged and the loan skipped). Each class keeps its cursor between blocks.
func (k Keeper) walkRevaluations(ctx context.Context, limit uint32) error {
	var queued []types.Revaluation
	if err := k.Revaluations.Walk(ctx, nil, func(_ string, r types.Revaluation) (bool, error) {
		queued = append(queued, r)
		return false, nil
	}); err != nil {
		return err
	}
	budget := limit
	for _, r := range queued {
		if budget == 0 {
			return nil
		}
		rng := collections.NewPrefixedPairRange[string, uint64](r.ClassId).StartInclusive(r.NextLoanId)
		var ids []uint64
		done := true
		err := k.ClassLoans.Walk(ctx, rng, func(key collections.Pair[string, uint64]) (bool, error) {
			if uint32(len(ids)) == budget {
				r.NextLoanId, done = key.K2(), false
				return true, nil
			}
			ids = append(ids, key.K2())
			return false, nil
		})
		if err != nil {
			return err
		}
		budget -= uint32(len(ids))
		for _, id := range ids {
			if err := atomically(ctx, func(ctx context.Context) error { return k.reviewCovenants(ctx, id) }); err != nil {
				k.logger.Error("covenant review failed; skipped", "loan_id", id, "class", r.ClassId, "error", err)
			}
		}
		switch {
		case !done:
			err = k.Revaluations.Set(ctx, r.ClassId, r)
		case r.Rerun:
			r.NextLoanId, r.Rerun = 0, false
			err = k.Revaluations.Set(ctx, r.ClassId, r)
		default:
			err = k.Revaluations.Remove(ctx, r.ClassId)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
