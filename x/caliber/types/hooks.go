package types

import (
	"context"
	"errors"
)

// CaliberHooks lets other modules (x/lending) react to title events. Hooks
// called from a message make the message fail when they return an error; hooks
// called from EndBlock run in a cache context per title and their errors are
// logged, never halting the chain.
type CaliberHooks interface {
	// AfterValuationChanged is called after an appraisal of the title is
	// recorded; loanID is the title's lien (0: in no loan).
	AfterValuationChanged(ctx context.Context, titleID, loanID uint64) error
	// AfterCustodyStale is called once per lapse, by EndBlock, when the title's
	// custody attestation is older than custody_attestation_max_age; loanID
	// is the title's lien (0: in no loan).
	AfterCustodyStale(ctx context.Context, titleID, loanID uint64) error
	// AfterCasualty is called after a custodian reported the title's hardware
	// destroyed or lost. loanID is the lien the title held until then (its
	// loan, for a PLEDGED or FORECLOSING title), 0 when none: the CASUALTY
	// title holds no lien any more.
	AfterCasualty(ctx context.Context, titleID, loanID uint64) error
}

var _ CaliberHooks = MultiCaliberHooks{}

// MultiCaliberHooks calls each of its hooks in order.
type MultiCaliberHooks []CaliberHooks

// NewMultiCaliberHooks combines hooks.
func NewMultiCaliberHooks(hooks ...CaliberHooks) MultiCaliberHooks {
	return hooks
}

// AfterValuationChanged calls every hook and returns their errors joined.
func (h MultiCaliberHooks) AfterValuationChanged(ctx context.Context, titleID, loanID uint64) error {
	var errs error
	for i := range h {
		errs = errors.Join(errs, h[i].AfterValuationChanged(ctx, titleID, loanID))
	}
	return errs
}

// AfterCustodyStale calls every hook and returns their errors joined.
func (h MultiCaliberHooks) AfterCustodyStale(ctx context.Context, titleID, loanID uint64) error {
	var errs error
	for i := range h {
		errs = errors.Join(errs, h[i].AfterCustodyStale(ctx, titleID, loanID))
	}
	return errs
}

// AfterCasualty calls every hook and returns their errors joined.
func (h MultiCaliberHooks) AfterCasualty(ctx context.Context, titleID, loanID uint64) error {
	var errs error
	for i := range h {
		errs = errors.Join(errs, h[i].AfterCasualty(ctx, titleID, loanID))
	}
	return errs
}
