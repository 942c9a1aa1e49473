package types

import (
	"context"
	"errors"
)

// OracleHooks lets other modules react to a new aggregate. EndBlock calls them in a
// cache context per feed: an error discards that feed's new price and everything the
// hooks wrote, and is logged; it never halts the chain.
type OracleHooks interface {
	// AfterFeedUpdated is called after a feed's price was recomputed and stored,
	// whether or not it is valid.
	AfterFeedUpdated(ctx context.Context, feedID string, price Price) error
}

var _ OracleHooks = MultiOracleHooks{}

// MultiOracleHooks calls each of its hooks in order.
type MultiOracleHooks []OracleHooks

// NewMultiOracleHooks combines hooks.
func NewMultiOracleHooks(hooks ...OracleHooks) MultiOracleHooks {
	return hooks
}

// AfterFeedUpdated calls every hook and returns their errors joined.
func (h MultiOracleHooks) AfterFeedUpdated(ctx context.Context, feedID string, price Price) error {
	var errs error
	for i := range h {
		errs = errors.Join(errs, h[i].AfterFeedUpdated(ctx, feedID, price))
	}
	return errs
}
