package keeper

import (
	"context"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// EndBlocker aggregates the feeds that received posts (or feeder/feed changes) in
// this block, in feed id order, then forgets them. Each feed runs in its own cache
// context: an error or panic there, including from a hook, is logged and discards
// only that feed's writes. EndBlocker fails only when the pending set is unreadable.
func (k Keeper) EndBlocker(ctx context.Context) error {
	var pending []string
	err := k.PendingFeeds.Walk(ctx, nil, func(feedID string) (bool, error) {
		pending = append(pending, feedID)
		return false, nil
	})
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		return nil
	}
	if err := k.PendingFeeds.Clear(ctx, nil); err != nil {
		return err
	}

	sdkCtx := sdk.UnwrapSDKContext(ctx)
	for _, feedID := range pending {
		cacheCtx, write := sdkCtx.CacheContext()
		if err := k.aggregateSafely(cacheCtx, feedID); err != nil {
			k.logger.Error("price aggregation failed; feed skipped", "feed_id", feedID, "error", err)
			continue
		}
		write()
	}
	return nil
}

// aggregateSafely turns a panic in aggregate (e.g. in a hook) into an error.
func (k Keeper) aggregateSafely(ctx sdk.Context, feedID string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return k.aggregate(ctx, feedID)
}
