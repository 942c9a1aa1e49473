package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/oracle/types"
)

func TestPostPriceStoresPostAndEvent(t *testing.T) {
	f := setup(t)
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	f.post(feeder1, gpuFeed, "28500000000.5")

	post, err := f.k.Posts.Get(f.ctx, joinKey(gpuFeed, feeder1))
	require.NoError(t, err)
	require.Equal(t, types.Post{
		FeedId:    gpuFeed,
		Feeder:    feeder1.String(),
		Value:     dec("28500000000.5"),
		PostedAt:  genesisTime,
		ExpiresAt: genesisTime.Add(types.DefaultPostTTL),
	}, post)

	events := typedEvents(f.ctx.EventManager().Events(), "infrafi.oracle.v1.EventPricePosted")
	require.Len(t, events, 1)
	require.Equal(t, `"`+feeder1.String()+`"`, eventAttr(events[0], "feeder"))
}

func TestPostPriceUnregisteredFeederUnauthorized(t *testing.T) {
	f := setup(t)
	before := f.exported()

	err := f.postErr(stranger, gpuFeed, dec("100"), nil)
	require.ErrorIs(t, err, sdkerrors.ErrUnauthorized)
	// feeder2 is registered on gpuFeed only.
	err = f.postErr(feeder2, rateFeed, dec("0.05"), nil)
	require.ErrorIs(t, err, sdkerrors.ErrUnauthorized)

	require.False(t, f.hasPost(gpuFeed, stranger))
	require.False(t, f.hasPost(rateFeed, feeder2))
	require.Empty(t, f.pending())
	require.Equal(t, before, f.exported())
}

func TestPostPriceUnknownFeed(t *testing.T) {
	f := setup(t)
	err := f.postErr(feeder1, "gpu/unknown", dec("100"), nil)
	require.ErrorIs(t, err, types.ErrFeedNotFound)
	err = f.postErr(feeder1, "GPU/Bad", dec("100"), nil)
	require.ErrorIs(t, err, types.ErrInvalidFeedID)
	require.Empty(t, f.pending())
}

func TestPostPriceRejectsBadValues(t *testing.T) {
	f := setup(t)
	f.post(feeder1, gpuFeed, "100")
	before := f.exported()
	pendingBefore := f.pending()

	maxValue := types.DefaultMaxValue
	for name, value := range map[string]math.LegacyDec{
		"zero":           math.LegacyZeroDec(),
		"negative":       dec("-1"),
		"above max":      maxValue.Add(dec("0.000000000000000001")),
		"nil (omitted)":  {},
		"far above max":  maxValue.MulInt64(1000),
		"tiny negative ": dec("-0.000000000000000001"),
	} {
		t.Run(name, func(t *testing.T) {
			err := f.postErr(feeder1, gpuFeed, value, nil)
			require.ErrorIs(t, err, types.ErrInvalidValue)
			require.Equal(t, before, f.exported(), "state unchanged")
			require.Equal(t, pendingBefore, f.pending())
		})
	}

	// max_value itself is allowed.
	require.NoError(t, f.postErr(feeder1, gpuFeed, maxValue, nil))
}

func TestPostPriceExpiry(t *testing.T) {
	f := setup(t)
	now := f.ctx.BlockTime()
	at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }

	for name, expiry := range map[string]*time.Time{
		"in the past":             at(-time.Second),
		"at block time":           at(0),
		"beyond max_post_ttl":     at(types.DefaultMaxPostTTL + time.Nanosecond),
		"far beyond max_post_ttl": at(365 * 24 * time.Hour),
	} {
		t.Run(name, func(t *testing.T) {
			err := f.postErr(feeder1, gpuFeed, dec("100"), expiry)
			require.ErrorIs(t, err, types.ErrInvalidExpiry)
			require.False(t, f.hasPost(gpuFeed, feeder1))
		})
	}

	zero := time.Time{}
	require.ErrorIs(t, f.postErr(feeder1, gpuFeed, dec("100"), &zero), types.ErrInvalidExpiry)

	require.NoError(t, f.postErr(feeder1, gpuFeed, dec("100"), at(types.DefaultMaxPostTTL)))
	post, err := f.k.Posts.Get(f.ctx, joinKey(gpuFeed, feeder1))
	require.NoError(t, err)
	require.Equal(t, now.Add(types.DefaultMaxPostTTL), post.ExpiresAt)
}

func TestAuthorityMsgsRejectOtherSigners(t *testing.T) {
	f := setup(t)
	before := f.exported()
	other := stranger.String()
	feed := types.Feed{Id: "fx/uusdc", Unit: "usd", MinFeeders: 1, MaxAge: time.Hour}

	msgs := map[string]func() error{
		"AddFeed": func() error {
			_, err := f.msgs.AddFeed(f.ctx, &types.MsgAddFeed{Authority: other, Feed: feed})
			return err
		},
		"UpdateFeed": func() error {
			upd := feed
			upd.Id = gpuFeed
			_, err := f.msgs.UpdateFeed(f.ctx, &types.MsgUpdateFeed{Authority: other, Feed: upd})
			return err
		},
		"RemoveFeed": func() error {
			_, err := f.msgs.RemoveFeed(f.ctx, &types.MsgRemoveFeed{Authority: other, FeedId: gpuFeed})
			return err
		},
		"AddFeeder": func() error {
			_, err := f.msgs.AddFeeder(f.ctx, &types.MsgAddFeeder{Authority: other, FeedId: rateFeed, Feeder: feeder2.String()})
			return err
		},
		"RemoveFeeder": func() error {
			_, err := f.msgs.RemoveFeeder(f.ctx, &types.MsgRemoveFeeder{Authority: other, FeedId: gpuFeed, Feeder: feeder1.String()})
			return err
		},
		"UpdateParams": func() error {
			_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: other, Params: types.DefaultParams()})
			return err
		},
	}
	for name, send := range msgs {
		t.Run(name, func(t *testing.T) {
			require.ErrorIs(t, send(), sdkerrors.ErrUnauthorized)
			require.Equal(t, before, f.exported())
			require.Empty(t, f.pending())
		})
	}

	_, err := f.msgs.AddFeed(f.ctx, &types.MsgAddFeed{Authority: "bad", Feed: feed})
	require.ErrorIs(t, err, sdkerrors.ErrInvalidAddress)
}

func TestAddFeed(t *testing.T) {
	f := setup(t)
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	feed := types.Feed{Id: "fx/uusdc", Description: "USDC", Unit: "usd", MinFeeders: 1, MaxAge: time.Hour}
	_, err := f.msgs.AddFeed(f.ctx, &types.MsgAddFeed{Authority: authority.String(), Feed: feed})
	require.NoError(t, err)
	got, err := f.k.Feeds.Get(f.ctx, feed.Id)
	require.NoError(t, err)
	require.Equal(t, feed, got)
	require.Len(t, typedEvents(f.ctx.EventManager().Events(), "infrafi.oracle.v1.EventFeedAdded"), 1)

	_, err = f.msgs.AddFeed(f.ctx, &types.MsgAddFeed{Authority: authority.String(), Feed: feed})
	require.ErrorIs(t, err, types.ErrFeedExists)

	before := f.exported()
	for name, tc := range map[string]struct {
		feed types.Feed
		err  error
	}{
		"bad id":                {types.Feed{Id: "gpu//x", MinFeeders: 1, MaxAge: time.Hour}, types.ErrInvalidFeedID},
		"zero min_feeders":      {types.Feed{Id: "gpu/x", MinFeeders: 0, MaxAge: time.Hour}, types.ErrInvalidFeed},
		"min_feeders above max": {types.Feed{Id: "gpu/x", MinFeeders: types.DefaultMaxFeedersPerFeed + 1, MaxAge: time.Hour}, types.ErrInvalidFeed},
		"zero max_age":          {types.Feed{Id: "gpu/x", MinFeeders: 1}, types.ErrInvalidFeed},
		"negative max_age":      {types.Feed{Id: "gpu/x", MinFeeders: 1, MaxAge: -time.Second}, types.ErrInvalidFeed},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.msgs.AddFeed(f.ctx, &types.MsgAddFeed{Authority: authority.String(), Feed: tc.feed})
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, before, f.exported())
		})
	}
}

func TestUpdateFeedReaggregatesWithNewMinFeeders(t *testing.T) {
	f := setup(t)
	f.post(feeder1, gpuFeed, "100")
	f.post(feeder2, gpuFeed, "100")
	f.endBlock()
	price, _ := f.storedPrice(gpuFeed)
	require.True(t, price.Valid)

	f.advance(time.Second)
	upd := types.Feed{Id: gpuFeed, Description: "new", Unit: "uusdai/gpu", MinFeeders: 3, MaxAge: time.Minute}
	_, err := f.msgs.UpdateFeed(f.ctx, &types.MsgUpdateFeed{Authority: authority.String(), Feed: upd})
	require.NoError(t, err)
	got, err := f.k.Feeds.Get(f.ctx, gpuFeed)
	require.NoError(t, err)
	require.Equal(t, upd, got)
	require.Equal(t, []string{gpuFeed}, f.pending())

	f.endBlock()
	price, _ = f.storedPrice(gpuFeed)
	require.False(t, price.Valid, "2 posts no longer meet min_feeders 3")

	upd.Id = "gpu/unknown"
	_, err = f.msgs.UpdateFeed(f.ctx, &types.MsgUpdateFeed{Authority: authority.String(), Feed: upd})
	require.ErrorIs(t, err, types.ErrFeedNotFound)
}

func TestRemoveFeedDeletesEverything(t *testing.T) {
	f := setup(t)
	f.post(feeder1, gpuFeed, "100")
	f.post(feeder2, gpuFeed, "100")
	f.endBlock()
	f.post(feeder3, gpuFeed, "100") // pending again

	_, err := f.msgs.RemoveFeed(f.ctx, &types.MsgRemoveFeed{Authority: authority.String(), FeedId: gpuFeed})
	require.NoError(t, err)

	gs := f.exported()
	require.Len(t, gs.Feeds, 1)
	require.Equal(t, rateFeed, gs.Feeds[0].Id)
	require.Equal(t, []types.Feeder{{FeedId: rateFeed, Address: feeder1.String()}}, gs.Feeders)
	require.Empty(t, gs.Posts)
	require.Empty(t, gs.Prices)
	require.Empty(t, f.pending())
	_, err = f.k.GetPrice(f.ctx, gpuFeed)
	require.ErrorIs(t, err, types.ErrPriceNotFound)

	_, err = f.msgs.RemoveFeed(f.ctx, &types.MsgRemoveFeed{Authority: authority.String(), FeedId: gpuFeed})
	require.ErrorIs(t, err, types.ErrFeedNotFound)
}

func TestAddFeeder(t *testing.T) {
	f := setup(t)
	_, err := f.msgs.AddFeeder(f.ctx, &types.MsgAddFeeder{Authority: authority.String(), FeedId: rateFeed, Feeder: feeder2.String()})
	require.NoError(t, err)
	ok, err := f.k.IsFeeder(f.ctx, rateFeed, feeder2)
	require.NoError(t, err)
	require.True(t, ok)

	_, err = f.msgs.AddFeeder(f.ctx, &types.MsgAddFeeder{Authority: authority.String(), FeedId: rateFeed, Feeder: feeder2.String()})
	require.ErrorIs(t, err, types.ErrFeederExists)
	_, err = f.msgs.AddFeeder(f.ctx, &types.MsgAddFeeder{Authority: authority.String(), FeedId: "gpu/unknown", Feeder: feeder2.String()})
	require.ErrorIs(t, err, types.ErrFeedNotFound)
	_, err = f.msgs.AddFeeder(f.ctx, &types.MsgAddFeeder{Authority: authority.String(), FeedId: rateFeed, Feeder: "infra1bad"})
	require.ErrorIs(t, err, sdkerrors.ErrInvalidAddress)
}

func TestAddFeederLimit(t *testing.T) {
	f := setup(t)
	params := types.DefaultParams()
	params.MaxFeedersPerFeed = 3
	_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority.String(), Params: params})
	require.NoError(t, err)

	// gpuFeed already has 3 feeders.
	before := f.exported()
	_, err = f.msgs.AddFeeder(f.ctx, &types.MsgAddFeeder{Authority: authority.String(), FeedId: gpuFeed, Feeder: stranger.String()})
	require.ErrorIs(t, err, types.ErrTooManyFeeders)
	require.Equal(t, before, f.exported())
}

func TestRemoveFeederDropsPostAndReaggregates(t *testing.T) {
	f := setup(t)
	f.post(feeder1, gpuFeed, "100")
	f.post(feeder2, gpuFeed, "200")
	f.post(feeder3, gpuFeed, "1000000")
	f.endBlock()
	price, _ := f.storedPrice(gpuFeed)
	require.Equal(t, dec("200"), price.Value)

	f.advance(time.Second)
	_, err := f.msgs.RemoveFeeder(f.ctx, &types.MsgRemoveFeeder{Authority: authority.String(), FeedId: gpuFeed, Feeder: feeder3.String()})
	require.NoError(t, err)
	require.False(t, f.hasPost(gpuFeed, feeder3))
	ok, err := f.k.IsFeeder(f.ctx, gpuFeed, feeder3)
	require.NoError(t, err)
	require.False(t, ok)

	f.endBlock()
	price, _ = f.storedPrice(gpuFeed)
	require.Equal(t, dec("150"), price.Value, "median of the remaining 100 and 200")
	require.Equal(t, uint32(2), price.NumPosts)

	_, err = f.msgs.RemoveFeeder(f.ctx, &types.MsgRemoveFeeder{Authority: authority.String(), FeedId: gpuFeed, Feeder: feeder3.String()})
	require.ErrorIs(t, err, types.ErrFeederNotFound)
	require.ErrorIs(t, f.postErr(feeder3, gpuFeed, dec("1"), nil), sdkerrors.ErrUnauthorized)
}

func TestUpdateParams(t *testing.T) {
	f := setup(t)
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	params := types.NewParams(2*time.Hour, 48*time.Hour, 10, dec("1000000"), types.DefaultMinPower)
	_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority.String(), Params: params})
	require.NoError(t, err)
	got, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	require.Equal(t, params, got)
	require.Len(t, typedEvents(f.ctx.EventManager().Events(), "infrafi.oracle.v1.EventParamsUpdated"), 1)

	// The new max_value applies to posts.
	require.ErrorIs(t, f.postErr(feeder1, gpuFeed, dec("1000000.1"), nil), types.ErrInvalidValue)

	before := f.exported()
	for name, tc := range map[string]struct {
		params types.Params
		err    error
	}{
		"below a feed's feeder count": {types.NewParams(time.Hour, time.Hour, 2, dec("1"), types.DefaultMinPower), types.ErrInvalidParams},
		"below a feed's min_feeders":  {types.NewParams(time.Hour, time.Hour, 1, dec("1"), types.DefaultMinPower), types.ErrInvalidParams},
		"default ttl above max":       {types.NewParams(2*time.Hour, time.Hour, 10, dec("1"), types.DefaultMinPower), types.ErrInvalidParams},
		"zero max_value":              {types.NewParams(time.Hour, time.Hour, 10, math.LegacyZeroDec(), types.DefaultMinPower), types.ErrInvalidParams},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority.String(), Params: tc.params})
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, before, f.exported())
		})
	}
}
