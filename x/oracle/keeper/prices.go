package keeper

import (
	"context"
	"errors"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/oracle/types"
)

// PostPrice stores feeder's value for a feed, replacing its previous post, and
// marks the feed for aggregation in this block's EndBlock. A nil expiresAt means
// block time + params.default_post_ttl; otherwise it must be after block time and
// at most block time + params.max_post_ttl.
func (k Keeper) PostPrice(ctx context.Context, feeder sdk.AccAddress, feedID string, value math.LegacyDec, expiresAt *time.Time) (types.Post, error) {
	feed, err := k.GetFeed(ctx, feedID)
	if err != nil {
		return types.Post{}, err
	}
	if feed.Source != types.FEED_SOURCE_FEEDERS {
		return types.Post{}, errorsmod.Wrapf(types.ErrWrongSource, "%s is priced by validator vote extensions, not by feeders", feedID)
	}
	registered, err := k.IsFeeder(ctx, feedID, feeder)
	if err != nil {
		return types.Post{}, err
	}
	if !registered {
		return types.Post{}, errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "%s is not a feeder of %s", feeder, feedID)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.Post{}, err
	}
	if value.IsNil() || !value.IsPositive() {
		return types.Post{}, errorsmod.Wrap(types.ErrInvalidValue, "value must be positive")
	}
	if value.GT(params.MaxValue) {
		return types.Post{}, errorsmod.Wrapf(types.ErrInvalidValue, "value %s exceeds max_value %s", value, params.MaxValue)
	}

	now := sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
	expiry := now.Add(params.DefaultPostTtl)
	if expiresAt != nil {
		expiry = expiresAt.UTC()
	}
	if !expiry.After(now) {
		return types.Post{}, errorsmod.Wrapf(types.ErrInvalidExpiry, "expires_at %s is not after block time %s", expiry.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano))
	}
	if latest := now.Add(params.MaxPostTtl); expiry.After(latest) {
		return types.Post{}, errorsmod.Wrapf(types.ErrInvalidExpiry, "expires_at %s is after block time + max_post_ttl (%s)", expiry.Format(time.RFC3339Nano), latest.Format(time.RFC3339Nano))
	}

	post := types.Post{
		FeedId:    feedID,
		Feeder:    feeder.String(),
		Value:     value,
		PostedAt:  now,
		ExpiresAt: expiry,
	}
	if err := k.Posts.Set(ctx, collections.Join(feedID, feeder), post); err != nil {
		return types.Post{}, err
	}
	if err := k.PendingFeeds.Set(ctx, feedID); err != nil {
		return types.Post{}, err
	}
	return post, nil
}

// GetPrice returns a feed's aggregated price, or ErrPriceNotFound. Valid is false
// when the last aggregation lacked min_feeders posts or is older than the feed's
// max_age at the current block time.
func (k Keeper) GetPrice(ctx context.Context, feedID string) (types.Price, error) {
	price, err := k.Prices.Get(ctx, feedID)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Price{}, errorsmod.Wrap(types.ErrPriceNotFound, feedID)
	}
	if err != nil {
		return types.Price{}, err
	}
	return k.priceAtBlockTime(ctx, price)
}

// priceAtBlockTime marks a stored price invalid once it is older than its feed's max_age.
func (k Keeper) priceAtBlockTime(ctx context.Context, price types.Price) (types.Price, error) {
	feed, err := k.GetFeed(ctx, price.FeedId)
	if err != nil {
		return types.Price{}, err
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	if now.Sub(price.UpdatedAt) > feed.MaxAge {
		price.Valid = false
	}
	return price, nil
}

// aggregate recomputes a FEEDERS feed's price as the median of the unexpired
// posts of its registered feeders, stores it, emits EventPriceAggregated and
// calls the hooks. With no unexpired post it changes nothing: the old price stays
// and ages out through max_age. Posts never price a VOTE_EXTENSIONS feed.
func (k Keeper) aggregate(ctx sdk.Context, feedID string) error {
	feed, err := k.Feeds.Get(ctx, feedID)
	if errors.Is(err, collections.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if feed.Source != types.FEED_SOURCE_FEEDERS {
		return nil
	}

	now := ctx.BlockTime().UTC()
	var values []math.LegacyDec
	err = k.Posts.Walk(ctx, feedRange(feedID), func(key collections.Pair[string, sdk.AccAddress], post types.Post) (bool, error) {
		if !post.ExpiresAt.After(now) {
			return false, nil
		}
		registered, err := k.Feeders.Has(ctx, key)
		if err != nil {
			return true, err
		}
		if registered {
			values = append(values, post.Value)
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	if len(values) == 0 {
		return nil
	}

	median, err := types.Median(values)
	if err != nil {
		return err
	}
	return k.storePrice(ctx, feed, median, uint32(len(values)))
}

// storePrice stores a freshly aggregated price (valid when it had at least
// min_feeders inputs), emits EventPriceAggregated and calls the hooks. Both
// sources end here, so consumers see the same thing whichever priced the feed.
func (k Keeper) storePrice(ctx sdk.Context, feed types.Feed, value math.LegacyDec, inputs uint32) error {
	feedID := feed.Id
	price := types.Price{
		FeedId:    feedID,
		Value:     value,
		UpdatedAt: ctx.BlockTime().UTC(),
		Valid:     inputs >= feed.MinFeeders,
		NumPosts:  inputs,
	}
	if err := k.Prices.Set(ctx, feedID, price); err != nil {
		return err
	}
	if err := keeperutil.Emit(ctx, &types.EventPriceAggregated{
		FeedId:    feedID,
		Value:     price.Value,
		Valid:     price.Valid,
		NumPosts:  price.NumPosts,
		UpdatedAt: price.UpdatedAt,
	}); err != nil {
		return err
	}
	if k.hooks != nil {
		return k.hooks.AfterFeedUpdated(ctx, feedID, price)
	}
	return nil
}
