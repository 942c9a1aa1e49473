package keeper_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/oracle/types"
)

const (
	veFeed  = "gpu/vote-h100"
	veFeed2 = "rate/vote-tbill"
)

// setupVE adds two VOTE_EXTENSIONS feeds to the standard fixture.
func setupVE(t *testing.T) *fixture {
	t.Helper()
	f := setup(t)
	for _, feed := range []types.Feed{
		{Id: veFeed, Unit: "uusdai/gpu", MinFeeders: 3, MaxAge: 10 * time.Minute, Source: types.FEED_SOURCE_VOTE_EXTENSIONS},
		{Id: veFeed2, Unit: "apr", MinFeeders: 1, MaxAge: time.Hour, Source: types.FEED_SOURCE_VOTE_EXTENSIONS},
	} {
		require.NoError(t, f.k.AddFeed(f.ctx, feed))
	}
	return f
}

// ext encodes a vote extension from feed/value pairs given in feed id order.
func ext(t *testing.T, pairs ...string) []byte {
	t.Helper()
	var prices []types.VoteExtensionPrice
	for i := 0; i < len(pairs); i += 2 {
		prices = append(prices, types.VoteExtensionPrice{FeedId: pairs[i], Value: dec(pairs[i+1])})
	}
	bz, err := types.EncodeVoteExtension(prices)
	require.NoError(t, err)
	return bz
}

// vote is a committed precommit of validator n with the given power and extension.
func vote(n int, power int64, extension []byte) abci.ExtendedVoteInfo {
	return abci.ExtendedVoteInfo{
		Validator:     abci.Validator{Address: []byte(fmt.Sprintf("validator%011d", n)), Power: power},
		VoteExtension: extension,
		BlockIdFlag:   cmtproto.BlockIDFlagCommit,
	}
}

// apply runs the PreBlocker step on a fresh event manager and returns its events.
func (f *fixture) apply(votes ...abci.ExtendedVoteInfo) []string {
	f.t.Helper()
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	require.NoError(f.t, f.k.ApplyVoteExtensions(f.ctx, votes))
	var fed []string
	for _, e := range typedEvents(f.ctx.EventManager().Events(), aggregatedEvent) {
		fed = append(fed, eventAttr(e, "feed_id"))
	}
	return fed
}

func TestApplyVoteExtensionsStakeWeightedMedian(t *testing.T) {
	f := setupVE(t)
	fed := f.apply(
		vote(1, 10, ext(t, veFeed, "29000", veFeed2, "0.05")),
		vote(2, 10, ext(t, veFeed, "30000")),
		vote(3, 10, ext(t, veFeed, "31000", veFeed2, "0.06")),
		vote(4, 10, ext(t, veFeed, "300000", veFeed2, "0.04")),
	)
	require.Equal(t, []string{`"` + veFeed + `"`, `"` + veFeed2 + `"`}, fed, "feeds in id order")

	price, ok := f.storedPrice(veFeed)
	require.True(t, ok)
	require.Equal(t, dec("30500"), price.Value, "mean of the two middle reports, never the outlier")
	require.True(t, price.Valid)
	require.Equal(t, uint32(4), price.NumPosts)
	require.Equal(t, genesisTime, price.UpdatedAt)

	rate, ok := f.storedPrice(veFeed2)
	require.True(t, ok)
	require.Equal(t, dec("0.05"), rate.Value, "30 of 40 power reported, median of three")
	require.Equal(t, uint32(3), rate.NumPosts)

	require.Len(t, f.hooks.calls, 2)
	require.Equal(t, price, f.hooks.calls[0])
	require.Equal(t, rate, f.hooks.calls[1])
}

func TestApplyVoteExtensionsPowerDecides(t *testing.T) {
	f := setupVE(t)
	// The outlier has 45% of the power: the median stays among the honest reports.
	f.apply(vote(1, 45, ext(t, veFeed, "300000")), vote(2, 20, ext(t, veFeed, "29000")),
		vote(3, 20, ext(t, veFeed, "30000")), vote(4, 15, ext(t, veFeed, "31000")))
	price, _ := f.storedPrice(veFeed)
	require.Equal(t, dec("31000"), price.Value)

	// With 55% it decides: a majority of stake can set any price.
	f.advance(5 * time.Second)
	f.apply(vote(1, 55, ext(t, veFeed, "300000")), vote(2, 15, ext(t, veFeed, "29000")),
		vote(3, 15, ext(t, veFeed, "30000")), vote(4, 15, ext(t, veFeed, "31000")))
	price, _ = f.storedPrice(veFeed)
	require.Equal(t, dec("300000"), price.Value)
}

func TestApplyVoteExtensionsMinPowerAndMissingReporters(t *testing.T) {
	f := setupVE(t)
	absent := vote(4, 10, ext(t, veFeed, "1"))
	absent.BlockIdFlag = cmtproto.BlockIDFlagAbsent

	// Two of four equal validators report (50% < 2/3); an absent vote never counts.
	require.Empty(t, f.apply(vote(1, 10, ext(t, veFeed, "29000")), vote(2, 10, ext(t, veFeed, "30000")),
		vote(3, 10, nil), absent))
	_, ok := f.storedPrice(veFeed)
	require.False(t, ok)
	require.Empty(t, f.hooks.calls)

	// Three of four (75%) is enough; min_feeders 3 is met.
	require.Len(t, f.apply(vote(1, 10, ext(t, veFeed, "29000")), vote(2, 10, ext(t, veFeed, "30000")),
		vote(3, 10, ext(t, veFeed, "31000")), absent), 1)
	price, ok := f.storedPrice(veFeed)
	require.True(t, ok)
	require.Equal(t, dec("30000"), price.Value)
	require.True(t, price.Valid)

	// A lower min_power lets two reporters through, but below min_feeders the price is invalid.
	params := types.DefaultParams()
	params.MinPower = dec("0.5")
	require.NoError(t, f.k.SetParams(f.ctx, params))
	f.advance(time.Second)
	f.apply(vote(1, 10, ext(t, veFeed, "29000")), vote(2, 10, ext(t, veFeed, "30000")), vote(3, 10, nil), absent)
	price, _ = f.storedPrice(veFeed)
	require.Equal(t, dec("29500"), price.Value)
	require.False(t, price.Valid, "2 reporters < min_feeders 3")
	require.Equal(t, uint32(2), price.NumPosts)
}

func TestApplyVoteExtensionsSkipsBadInput(t *testing.T) {
	f := setupVE(t)
	unknown, err := (&types.VoteExtension{Prices: []types.VoteExtensionPrice{
		{FeedId: gpuFeed, Value: dec("5")}, {FeedId: "gpu/unknown", Value: dec("5")}, {FeedId: veFeed, Value: dec("30000")},
	}}).Marshal()
	require.NoError(t, err)
	above := types.DefaultParams().MaxValue.Add(dec("1")).String()

	fed := f.apply(
		vote(1, 10, []byte("garbage")), // ignored as a whole
		vote(2, 10, unknown),           // unknown and FEEDERS feeds skipped, veFeed counted
		vote(3, 10, ext(t, veFeed, "31000", veFeed2, above)),
		vote(4, 10, ext(t, veFeed, "29000", veFeed2, "0.05")),
	)
	require.Equal(t, []string{`"` + veFeed + `"`}, fed, "veFeed2 has one valid report: 10 of 40 power")
	price, _ := f.storedPrice(veFeed)
	require.Equal(t, dec("30000"), price.Value)
	require.Equal(t, uint32(3), price.NumPosts)
	_, ok := f.storedPrice(gpuFeed)
	require.False(t, ok, "a FEEDERS feed is never priced by vote extensions")
	_, ok = f.storedPrice("gpu/unknown")
	require.False(t, ok)
}

func TestApplyVoteExtensionsHookFailureSkipsOnlyThatFeed(t *testing.T) {
	f := setupVE(t)
	f.hooks.fail[veFeed] = errors.New("consumer failed")
	f.hooks.panics[veFeed2] = false
	fed := f.apply(vote(1, 10, ext(t, veFeed, "30000", veFeed2, "0.05")), vote(2, 10, ext(t, veFeed, "30000", veFeed2, "0.05")))
	require.Equal(t, []string{`"` + veFeed2 + `"`}, fed)
	_, ok := f.storedPrice(veFeed)
	require.False(t, ok, "the failing feed's price write is discarded")
	rate, ok := f.storedPrice(veFeed2)
	require.True(t, ok)
	require.Equal(t, dec("0.05"), rate.Value)

	f.hooks.fail[veFeed] = nil
	f.hooks.panics[veFeed2] = true
	f.advance(time.Second)
	fed = f.apply(vote(1, 10, ext(t, veFeed, "30000", veFeed2, "0.07")), vote(2, 10, ext(t, veFeed, "30000", veFeed2, "0.07")))
	require.Equal(t, []string{`"` + veFeed + `"`}, fed, "a panicking hook skips its feed")
	rate2, _ := f.storedPrice(veFeed2)
	require.Equal(t, rate, rate2)
}

func TestApplyVoteExtensionsBadPowerSkipsBlock(t *testing.T) {
	f := setupVE(t)
	require.Empty(t, f.apply(vote(1, 0, ext(t, veFeed, "30000")), vote(2, 10, ext(t, veFeed, "30000"))))
	require.Empty(t, f.apply())
	_, ok := f.storedPrice(veFeed)
	require.False(t, ok)
}

func TestSwitchingSourceKeepsPriceAndStaleness(t *testing.T) {
	f := setupVE(t)
	f.post(feeder1, gpuFeed, "28000")
	f.post(feeder2, gpuFeed, "28000")
	f.endBlock()
	before, ok := f.storedPrice(gpuFeed)
	require.True(t, ok)

	feed, err := f.k.GetFeed(f.ctx, gpuFeed)
	require.NoError(t, err)
	feed.Source = types.FEED_SOURCE_VOTE_EXTENSIONS
	f.advance(time.Minute)
	_, err = f.msgs.UpdateFeed(f.ctx, &types.MsgUpdateFeed{Authority: authority.String(), Feed: feed})
	require.NoError(t, err)
	require.Empty(t, f.pending(), "a source switch does not re-aggregate")
	f.endBlock()
	after, _ := f.storedPrice(gpuFeed)
	require.Equal(t, before, after, "price and updated_at kept")

	// Feeders can no longer post; their old posts are ignored.
	err = f.postErr(feeder1, gpuFeed, dec("1"), nil)
	require.ErrorIs(t, err, types.ErrWrongSource)
	_, err = f.msgs.RemoveFeeder(f.ctx, &types.MsgRemoveFeeder{Authority: authority.String(), FeedId: gpuFeed, Feeder: feeder3.String()})
	require.NoError(t, err)
	f.endBlock()
	after, _ = f.storedPrice(gpuFeed)
	require.Equal(t, before, after)

	// Staleness runs on: past max_age the kept price reads invalid.
	f.advance(10 * time.Minute)
	got, err := f.k.GetPrice(f.ctx, gpuFeed)
	require.NoError(t, err)
	require.False(t, got.Valid)

	// The validators now price it.
	f.apply(vote(1, 10, ext(t, gpuFeed, "30000")), vote(2, 10, ext(t, gpuFeed, "30000")))
	got, err = f.k.GetPrice(f.ctx, gpuFeed)
	require.NoError(t, err)
	require.Equal(t, dec("30000"), got.Value)
	require.True(t, got.Valid)

	// And back to feeders: the validators' price stays until a feeder posts.
	feed.Source = types.FEED_SOURCE_FEEDERS
	f.advance(time.Second)
	require.NoError(t, f.k.UpdateFeed(f.ctx, feed))
	require.Empty(t, f.pending())
	vePrice, _ := f.storedPrice(gpuFeed)
	require.Equal(t, dec("30000"), vePrice.Value)
	require.Empty(t, f.apply(vote(1, 10, ext(t, gpuFeed, "40000")), vote(2, 10, ext(t, gpuFeed, "40000"))))
	f.post(feeder1, gpuFeed, "29000")
	f.post(feeder2, gpuFeed, "29000")
	f.endBlock()
	got, _ = f.k.GetPrice(f.ctx, gpuFeed)
	require.Equal(t, dec("29000"), got.Value)
}

func TestVerifyVoteExtension(t *testing.T) {
	f := setupVE(t)
	require.NoError(t, f.k.VerifyVoteExtension(f.ctx, nil), "an empty extension is a validator without prices")
	require.NoError(t, f.k.VerifyVoteExtension(f.ctx, ext(t, veFeed, "30000", veFeed2, "0.05")))

	maxValue := types.DefaultParams().MaxValue
	tests := map[string]struct {
		bz  []byte
		err error
	}{
		"malformed":      {[]byte{0xff, 0x01}, types.ErrInvalidVoteExtension},
		"oversized":      {make([]byte, types.MaxVoteExtensionBytes+1), types.ErrInvalidVoteExtension},
		"unknown feed":   {ext(t, "gpu/unknown", "1"), types.ErrFeedNotFound},
		"FEEDERS feed":   {ext(t, gpuFeed, "1"), types.ErrWrongSource},
		"zero":           {mustMarshal(t, veFeed, "0"), types.ErrInvalidVoteExtension},
		"negative":       {mustMarshal(t, veFeed, "-5"), types.ErrInvalidVoteExtension},
		"above maxValue": {ext(t, veFeed, maxValue.Add(dec("0.000000000000000001")).String()), types.ErrInvalidValue},
	}
	for name, tc := range tests {
		require.ErrorIs(t, f.k.VerifyVoteExtension(f.ctx, tc.bz), tc.err, name)
	}
	require.NoError(t, f.k.VerifyVoteExtension(f.ctx, ext(t, veFeed, maxValue.String())), "max_value itself is allowed")
}

func mustMarshal(t *testing.T, feedID, value string) []byte {
	t.Helper()
	bz, err := (&types.VoteExtension{Prices: []types.VoteExtensionPrice{{FeedId: feedID, Value: dec(value)}}}).Marshal()
	require.NoError(t, err)
	return bz
}

func TestVoteExtensionFeedsAndCap(t *testing.T) {
	f := setupVE(t)
	feeds, err := f.k.VoteExtensionFeeds(f.ctx)
	require.NoError(t, err)
	require.Len(t, feeds, 2)
	require.Equal(t, veFeed, feeds[0].Id)
	require.Equal(t, veFeed2, feeds[1].Id)

	for i := len(feeds); i < types.MaxVoteExtensionFeeds; i++ {
		require.NoError(t, f.k.AddFeed(f.ctx, types.Feed{Id: fmt.Sprintf("ve/%03d", i), MinFeeders: 1, MaxAge: time.Hour, Source: types.FEED_SOURCE_VOTE_EXTENSIONS}))
	}
	before := f.exported()
	_, err = f.msgs.AddFeed(f.ctx, &types.MsgAddFeed{Authority: authority.String(), Feed: types.Feed{Id: "ve/one-too-many", MinFeeders: 1, MaxAge: time.Hour, Source: types.FEED_SOURCE_VOTE_EXTENSIONS}})
	require.ErrorIs(t, err, types.ErrTooManyVoteExtFeeds)
	rate, err := f.k.GetFeed(f.ctx, rateFeed)
	require.NoError(t, err)
	rate.Source = types.FEED_SOURCE_VOTE_EXTENSIONS
	_, err = f.msgs.UpdateFeed(f.ctx, &types.MsgUpdateFeed{Authority: authority.String(), Feed: rate})
	require.ErrorIs(t, err, types.ErrTooManyVoteExtFeeds)
	require.Equal(t, before, f.exported(), "refused changes write nothing")

	// Updating a feed that already is VOTE_EXTENSIONS is fine at the cap.
	feed, err := f.k.GetFeed(f.ctx, veFeed)
	require.NoError(t, err)
	feed.MaxAge = time.Hour
	require.NoError(t, f.k.UpdateFeed(f.ctx, feed))

	// An unknown source value is an invalid feed.
	_, err = f.msgs.AddFeed(f.ctx, &types.MsgAddFeed{Authority: authority.String(), Feed: types.Feed{Id: "x/y", MinFeeders: 1, MaxAge: time.Hour, Source: 7}})
	require.ErrorIs(t, err, types.ErrInvalidFeed)
}
