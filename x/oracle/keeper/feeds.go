package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/oracle/types"
)

// feedRange ranges over the (feed, feeder) keys of one feed.
func feedRange(feedID string) *collections.PairRange[string, sdk.AccAddress] {
	return collections.NewPrefixedPairRange[string, sdk.AccAddress](feedID)
}

// GetFeed returns a feed, or ErrFeedNotFound.
func (k Keeper) GetFeed(ctx context.Context, feedID string) (types.Feed, error) {
	feed, err := k.Feeds.Get(ctx, feedID)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Feed{}, errorsmod.Wrap(types.ErrFeedNotFound, feedID)
	}
	return feed, err
}

// checkFeed validates a feed against the params.
func (k Keeper) checkFeed(ctx context.Context, feed types.Feed) error {
	if err := feed.Validate(); err != nil {
		return err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if feed.MinFeeders > params.MaxFeedersPerFeed {
		return errorsmod.Wrapf(types.ErrInvalidFeed, "%s: min_feeders %d exceeds max_feeders_per_feed %d", feed.Id, feed.MinFeeders, params.MaxFeedersPerFeed)
	}
	return nil
}

// AddFeed registers a new feed.
func (k Keeper) AddFeed(ctx context.Context, feed types.Feed) error {
	if err := k.checkFeed(ctx, feed); err != nil {
		return err
	}
	exists, err := k.Feeds.Has(ctx, feed.Id)
	if err != nil {
		return err
	}
	if exists {
		return errorsmod.Wrap(types.ErrFeedExists, feed.Id)
	}
	return k.Feeds.Set(ctx, feed.Id, feed)
}

// UpdateFeed replaces an existing feed's description, unit, min_feeders and max_age.
// The feed is re-aggregated in this block's EndBlock so the stored validity
// reflects the new min_feeders.
func (k Keeper) UpdateFeed(ctx context.Context, feed types.Feed) error {
	if err := k.checkFeed(ctx, feed); err != nil {
		return err
	}
	if _, err := k.GetFeed(ctx, feed.Id); err != nil {
		return err
	}
	if err := k.Feeds.Set(ctx, feed.Id, feed); err != nil {
		return err
	}
	return k.PendingFeeds.Set(ctx, feed.Id)
}

// RemoveFeed deletes a feed with its feeders, posts and price.
func (k Keeper) RemoveFeed(ctx context.Context, feedID string) error {
	if _, err := k.GetFeed(ctx, feedID); err != nil {
		return err
	}
	if err := k.Feeders.Clear(ctx, feedRange(feedID)); err != nil {
		return err
	}
	if err := k.Posts.Clear(ctx, feedRange(feedID)); err != nil {
		return err
	}
	if err := k.Prices.Remove(ctx, feedID); err != nil {
		return err
	}
	if err := k.PendingFeeds.Remove(ctx, feedID); err != nil {
		return err
	}
	return k.Feeds.Remove(ctx, feedID)
}

// IsFeeder reports whether addr is a registered feeder of feedID.
func (k Keeper) IsFeeder(ctx context.Context, feedID string, addr sdk.AccAddress) (bool, error) {
	return k.Feeders.Has(ctx, collections.Join(feedID, addr))
}

// countFeeders returns the number of registered feeders of a feed.
func (k Keeper) countFeeders(ctx context.Context, feedID string) (uint32, error) {
	var n uint32
	err := k.Feeders.Walk(ctx, feedRange(feedID), func(collections.Pair[string, sdk.AccAddress]) (bool, error) {
		n++
		return false, nil
	})
	return n, err
}

// AddFeeder registers addr as a feeder of an existing feed, up to
// params.max_feeders_per_feed feeders per feed.
func (k Keeper) AddFeeder(ctx context.Context, feedID string, addr sdk.AccAddress) error {
	if _, err := k.GetFeed(ctx, feedID); err != nil {
		return err
	}
	registered, err := k.IsFeeder(ctx, feedID, addr)
	if err != nil {
		return err
	}
	if registered {
		return errorsmod.Wrapf(types.ErrFeederExists, "%s of %s", addr, feedID)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	n, err := k.countFeeders(ctx, feedID)
	if err != nil {
		return err
	}
	if n >= params.MaxFeedersPerFeed {
		return errorsmod.Wrapf(types.ErrTooManyFeeders, "%s already has %d feeders", feedID, n)
	}
	return k.Feeders.Set(ctx, collections.Join(feedID, addr))
}

// RemoveFeeder unregisters a feeder and deletes its post. The feed is
// re-aggregated in this block's EndBlock without that post.
func (k Keeper) RemoveFeeder(ctx context.Context, feedID string, addr sdk.AccAddress) error {
	if _, err := k.GetFeed(ctx, feedID); err != nil {
		return err
	}
	registered, err := k.IsFeeder(ctx, feedID, addr)
	if err != nil {
		return err
	}
	if !registered {
		return errorsmod.Wrapf(types.ErrFeederNotFound, "%s of %s", addr, feedID)
	}
	key := collections.Join(feedID, addr)
	if err := k.Feeders.Remove(ctx, key); err != nil {
		return err
	}
	if err := k.Posts.Remove(ctx, key); err != nil {
		return err
	}
	return k.PendingFeeds.Set(ctx, feedID)
}
