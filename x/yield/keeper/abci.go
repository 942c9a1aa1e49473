package keeper

import (
	"context"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// BeginBlocker starts the first epoch, accrues T-bill yield and records a
// NAV checkpoint when one is due. O(1).
func (k Keeper) BeginBlocker(ctx context.Context) error {
	k.runUnit(ctx, "epoch start", k.initEpoch)
	k.runUnit(ctx, "treasury accrual", k.accrueTreasury)
	k.runUnit(ctx, "checkpoint", k.checkpoint)
	return nil
}

// EndBlocker closes the epoch when due, continues serving the redemption
// queue (at most max_redemptions_per_block entries) and rebalances with the
// treasury when due. Serving runs before the rebalance, so the rebalance
// sees what the queue still needs.
func (k Keeper) EndBlocker(ctx context.Context) error {
	k.runUnit(ctx, "epoch close", k.closeEpochIfDue)
	k.runUnit(ctx, "queue serving", k.serveQueue)
	k.runUnit(ctx, "treasury rebalance", k.rebalanceIfDue)
	return nil
}

// runUnit runs one unit of block work in a cache context: an error or panic
// is logged and discards only that unit's writes; it never halts the chain.
func (k Keeper) runUnit(ctx context.Context, name string, fn func(context.Context) error) {
	cacheCtx, write := sdk.UnwrapSDKContext(ctx).CacheContext()
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return fn(cacheCtx)
	}()
	if err != nil {
		k.logger.Error("block work failed; skipped", "unit", name, "error", err)
		return
	}
	write()
}
