package keeper_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/x/oracle/types"
)

const aggregatedEvent = "infrafi.oracle.v1.EventPriceAggregated"

func TestEndBlockerAggregatesMedianOfThreeFeeders(t *testing.T) {
	f := setup(t)
	f.post(feeder1, gpuFeed, "28500000000")
	f.post(feeder2, gpuFeed, "29000000000")
	f.post(feeder3, gpuFeed, "27900000000")
	require.Equal(t, []string{gpuFeed}, f.pending())

	events := f.endBlock()

	price, ok := f.storedPrice(gpuFeed)
	require.True(t, ok)
	require.Equal(t, dec("28500000000"), price.Value)
	require.True(t, price.Valid)
	require.Equal(t, uint32(3), price.NumPosts)
	require.Equal(t, genesisTime, price.UpdatedAt)
	require.Empty(t, f.pending(), "EndBlock clears the pending set")

	got, err := f.k.GetPrice(f.ctx, gpuFeed)
	require.NoError(t, err)
	require.Equal(t, price, got)

	agg := typedEvents(events, aggregatedEvent)
	require.Len(t, agg, 1)
	require.Equal(t, `"`+gpuFeed+`"`, eventAttr(agg[0], "feed_id"))
	require.Equal(t, `"28500000000.000000000000000000"`, eventAttr(agg[0], "value"))
	require.Equal(t, "true", eventAttr(agg[0], "valid"))
	require.Equal(t, "3", eventAttr(agg[0], "num_posts"))

	require.Len(t, f.hooks.calls, 1)
	require.Equal(t, price, f.hooks.calls[0])

	// Nothing pending: the next EndBlock neither recomputes nor calls hooks.
	f.advance(5 * time.Second)
	require.Empty(t, typedEvents(f.endBlock(), aggregatedEvent))
	require.Len(t, f.hooks.calls, 1)
	price2, _ := f.storedPrice(gpuFeed)
	require.Equal(t, price, price2)
}

func TestEndBlockerEvenCountTakesMeanOfMiddleValues(t *testing.T) {
	f := setup(t)
	f.post(feeder1, gpuFeed, "100")
	f.post(feeder2, gpuFeed, "101")
	f.endBlock()

	price, ok := f.storedPrice(gpuFeed)
	require.True(t, ok)
	require.Equal(t, dec("100.5"), price.Value)
	require.True(t, price.Valid, "2 posts meet min_feeders 2")
}

func TestMinFeedersNotMetStoresInvalidPrice(t *testing.T) {
	f := setup(t)
	f.post(feeder1, gpuFeed, "100")
	events := f.endBlock()

	price, ok := f.storedPrice(gpuFeed)
	require.True(t, ok)
	require.False(t, price.Valid)
	require.Equal(t, uint32(1), price.NumPosts)
	require.Equal(t, dec("100"), price.Value)
	require.Len(t, typedEvents(events, aggregatedEvent), 1)

	got, err := f.k.GetPrice(f.ctx, gpuFeed)
	require.NoError(t, err)
	require.False(t, got.Valid)
	require.Len(t, f.hooks.calls, 1, "hooks also hear about invalid aggregates")
	require.False(t, f.hooks.calls[0].Valid)
}

func TestStalePriceReadsInvalid(t *testing.T) {
	f := setup(t)
	f.post(feeder1, gpuFeed, "100")
	f.post(feeder2, gpuFeed, "100")
	f.endBlock()

	f.advance(10 * time.Minute) // exactly max_age: still valid
	price, err := f.k.GetPrice(f.ctx, gpuFeed)
	require.NoError(t, err)
	require.True(t, price.Valid)

	f.advance(time.Second)
	price, err = f.k.GetPrice(f.ctx, gpuFeed)
	require.NoError(t, err)
	require.False(t, price.Valid)
	require.Equal(t, dec("100"), price.Value, "a stale price keeps its value")

	stored, _ := f.storedPrice(gpuFeed)
	require.True(t, stored.Valid, "staleness is applied on read, not written")
}

func TestGetPriceNotFound(t *testing.T) {
	f := setup(t)
	_, err := f.k.GetPrice(f.ctx, gpuFeed)
	require.ErrorIs(t, err, types.ErrPriceNotFound)
	_, err = f.k.GetPrice(f.ctx, "gpu/unknown")
	require.ErrorIs(t, err, types.ErrPriceNotFound)
}

func TestLatestPostPerFeederCounts(t *testing.T) {
	f := setup(t)
	f.post(feeder1, gpuFeed, "100")
	f.post(feeder1, gpuFeed, "300") // replaces feeder1's 100 in the same block
	f.post(feeder2, gpuFeed, "150")
	f.post(feeder3, gpuFeed, "160")
	f.endBlock()

	price, _ := f.storedPrice(gpuFeed)
	require.Equal(t, uint32(3), price.NumPosts)
	require.Equal(t, dec("160"), price.Value, "median of 300, 150, 160")

	post, err := f.k.Posts.Get(f.ctx, joinKey(gpuFeed, feeder1))
	require.NoError(t, err)
	require.Equal(t, dec("300"), post.Value)
}

func TestExpiredPostsAreExcluded(t *testing.T) {
	f := setup(t)
	short := genesisTime.Add(time.Minute)
	require.NoError(t, f.postErr(feeder1, gpuFeed, dec("1000"), &short))
	f.post(feeder2, gpuFeed, "100")
	f.post(feeder3, gpuFeed, "110")
	f.endBlock()
	price, _ := f.storedPrice(gpuFeed)
	require.Equal(t, uint32(3), price.NumPosts)
	require.Equal(t, dec("110"), price.Value)

	// At exactly expires_at the post no longer counts.
	f.advance(time.Minute)
	f.post(feeder2, gpuFeed, "120")
	f.endBlock()
	price, _ = f.storedPrice(gpuFeed)
	require.Equal(t, uint32(2), price.NumPosts)
	require.Equal(t, dec("115"), price.Value, "mean of 110 and 120; feeder1's 1000 expired")
	require.True(t, f.hasPost(gpuFeed, feeder1), "expired posts stay visible until replaced")
}

func TestNoUnexpiredPostsKeepsOldPrice(t *testing.T) {
	f := setup(t)
	f.post(feeder1, gpuFeed, "100")
	f.post(feeder2, gpuFeed, "100")
	f.endBlock()
	before, _ := f.storedPrice(gpuFeed)

	// Removing both feeders leaves no post; the old price stays and ages out.
	for _, fd := range []string{feeder1.String(), feeder2.String()} {
		_, err := f.msgs.RemoveFeeder(f.ctx, &types.MsgRemoveFeeder{Authority: authority.String(), FeedId: gpuFeed, Feeder: fd})
		require.NoError(t, err)
	}
	f.advance(time.Second)
	events := f.endBlock()
	require.Empty(t, typedEvents(events, aggregatedEvent))
	after, _ := f.storedPrice(gpuFeed)
	require.Equal(t, before, after)
	require.Len(t, f.hooks.calls, 1)
}

func TestFailingHookDiscardsFeedAndDoesNotHalt(t *testing.T) {
	f := setup(t)
	hookErr := errors.New("consumer broke")
	f.hooks.fail[gpuFeed] = hookErr
	f.hooks.onCall = func(ctx context.Context, feedID string) {
		// A write made by the hook must be rolled back with the feed's price.
		feed, err := f.k.Feeds.Get(ctx, feedID)
		require.NoError(t, err)
		feed.Description = "written by hook"
		require.NoError(t, f.k.Feeds.Set(ctx, feedID, feed))
	}
	f.post(feeder1, gpuFeed, "100")
	f.post(feeder2, gpuFeed, "100")
	f.post(feeder1, rateFeed, "0.05")

	events := f.endBlock()

	_, ok := f.storedPrice(gpuFeed)
	require.False(t, ok, "the failed feed's price is discarded")
	feed, err := f.k.Feeds.Get(f.ctx, gpuFeed)
	require.NoError(t, err)
	require.Equal(t, "H100 SXM5 80GB unit price", feed.Description, "the hook's write is discarded")

	rate, ok := f.storedPrice(rateFeed)
	require.True(t, ok, "other feeds still aggregate")
	require.Equal(t, dec("0.05"), rate.Value)
	rateFeedDesc, err := f.k.Feeds.Get(f.ctx, rateFeed)
	require.NoError(t, err)
	require.Equal(t, "written by hook", rateFeedDesc.Description, "a successful feed keeps its hook's writes")

	agg := typedEvents(events, aggregatedEvent)
	require.Len(t, agg, 1, "only the successful feed's event is emitted")
	require.Len(t, f.hooks.calls, 2)
	require.Empty(t, f.pending())
}

func TestPanickingHookDoesNotHalt(t *testing.T) {
	f := setup(t)
	f.hooks.panics[rateFeed] = true
	f.post(feeder1, rateFeed, "0.05")
	f.post(feeder1, gpuFeed, "100")
	f.post(feeder2, gpuFeed, "102")

	require.NotPanics(t, func() { f.endBlock() })
	_, ok := f.storedPrice(rateFeed)
	require.False(t, ok)
	gpu, ok := f.storedPrice(gpuFeed)
	require.True(t, ok)
	require.Equal(t, dec("101"), gpu.Value)
}

func TestMultiOracleHooksCallsEach(t *testing.T) {
	a := &recordingHooks{fail: map[string]error{"x": errors.New("a failed")}}
	b := &recordingHooks{}
	multi := types.NewMultiOracleHooks(a, b)
	price := types.Price{FeedId: "x", Value: dec("1")}
	err := multi.AfterFeedUpdated(context.Background(), "x", price)
	require.ErrorContains(t, err, "a failed")
	require.Equal(t, []types.Price{price}, a.calls)
	require.Equal(t, []types.Price{price}, b.calls, "later hooks run even when one fails")
}
