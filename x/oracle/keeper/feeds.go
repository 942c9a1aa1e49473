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

// checkVoteExtFeedRoom refuses to make a feed VOTE_EXTENSIONS when
// MaxVoteExtensionFeeds feeds already are, which bounds every vote extension.
// Cost O(feeds): governance only.
func (k Keeper) checkVoteExtFeedRoom(ctx context.Context, feedID string) error {
	n := 0
	err := k.Feeds.Walk(ctx, nil, func(id string, f types.Feed) (bool, error) {
		if id != feedID && f.Source == types.FEED_SOURCE_VOTE_EXTENSIONS {
			n++
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	if n >= types.MaxVoteExtensionFeeds {
		return errorsmod.Wrapf(types.ErrTooManyVoteExtFeeds, "%s: %d feeds already use vote extensions", feedID, n)
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
	if feed.Source == types.FEED_SOURCE_VOTE_EXTENSIONS {
		if err := k.checkVoteExtFeedRoom(ctx, feed.Id); err != nil {
			return err
		}
	}
	return k.Feeds.Set(ctx, feed.Id, feed)
}

// UpdateFeed replaces an existing feed's description, unit, min_feeders, max_age
// and source. A FEEDERS feed that stays FEEDERS is re-aggregated in this block's
// EndBlock so the stored validity reflects the new min_feeders. A feed switched
// between sources is not: it keeps its last price and updated_at (and so its
// staleness) until the new source delivers a value.
func (k Keeper) UpdateFeed(ctx context.Context, feed types.Feed) error {
	if err := k.checkFeed(ctx, feed); err != nil {
		return err
	}
	old, err := k.GetFeed(ctx, feed.Id)
	if err != nil {
		return err
	}
	if feed.Source == types.FEED_SOURCE_VOTE_EXTENSIONS && old.Source != feed.Source {
		if err := k.checkVoteExtFeedRoom(ctx, feed.Id); err != nil {
			return err
		}
	}
	if err := k.Feeds.Set(ctx, feed.Id, feed); err != nil {
		return err
	}
	if old.Source != feed.Source || feed.Source != types.FEED_SOURCE_FEEDERS {
		return nil
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
