package simulation

import (
	"context"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/oracle/keeper"
	"github.com/infrafi/infrafi/x/oracle/types"
)

// feeds returns every registered feed in id order.
func feeds(ctx context.Context, k *keeper.Keeper) []types.Feed {
	var out []types.Feed
	err := k.Feeds.Walk(ctx, nil, func(_ string, f types.Feed) (bool, error) {
		out = append(out, f)
		return false, nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

// feedersOf returns the registered feeders of feedID in address order.
func feedersOf(ctx context.Context, k *keeper.Keeper, feedID string) []sdk.AccAddress {
	var out []sdk.AccAddress
	rng := collections.NewPrefixedPairRange[string, sdk.AccAddress](feedID)
	err := k.Feeders.Walk(ctx, rng, func(key collections.Pair[string, sdk.AccAddress]) (bool, error) {
		out = append(out, key.K2())
		return false, nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

// appraiser is the feeder of every protected feed.
func appraiser(testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) simsx.SimAccount {
	return testData.AccountAt(reporter, simutil.Appraiser)
}

// randFeedSuffix is a random [a-z0-9] string of n characters.
func randFeedSuffix(r *simsx.XRand, n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.Intn(len(chars))]
	}
	return string(b)
}

// randFactor is uniform in [lo, hi] (in 10^-4 steps).
func randFactor(r *simsx.XRand, lo, hi int64) math.LegacyDec {
	return math.LegacyNewDecWithPrec(lo+r.Int63n(hi-lo+1), 4)
}

// nextValue is the feeder's next post for feedID: a random walk within ±10% of
// the current price, and for GPU feeds rarely (1 in 50) a crash of 30–60%;
// protected feeds stay in their valueRange. The walk leans back towards the
// middle of the range (down at most 5% in the lower fifth, up at most 5% in
// the upper fifth), so that crashes do not pin a GPU at its floor.
func nextValue(ctx context.Context, k *keeper.Keeper, r *simsx.XRand, feedID string) math.LegacyDec {
	lo, hi, protected := valueRange(feedID)
	current := math.LegacyNewDec(int64(1 + r.Intn(1000)))
	if protected {
		current = lo.Add(hi).QuoInt64(2)
	}
	if price, err := k.Prices.Get(ctx, feedID); err == nil && price.Value.IsPositive() {
		current = price.Value
	}
	down, up := int64(9000), int64(11000)
	if protected {
		fifth := hi.Sub(lo).QuoInt64(5)
		switch {
		case current.LT(lo.Add(fifth)):
			down = 9500
		case current.GT(hi.Sub(fifth)):
			up = 10500
		}
	}
	var next math.LegacyDec
	if isGPUFeed(feedID) && r.Intn(50) == 0 {
		next = current.Mul(randFactor(r, 4000, 7000))
	} else {
		next = current.Mul(randFactor(r, down, up))
	}
	if protected {
		next = math.LegacyMaxDec(lo, math.LegacyMinDec(hi, next))
	}
	if !next.IsPositive() {
		next = math.LegacyOneDec()
	}
	return next
}

// MsgPostPriceFactory posts a feed's next value from a registered feeder: the
// Appraiser on the protected feeds, any simulated feeder on the others.
// Half the posts declare an expiry within max_post_ttl.
func MsgPostPriceFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgPostPrice] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgPostPrice) {
		r := testData.Rand()
		all := feeds(ctx, k)
		if len(all) == 0 {
			reporter.Skip("no feeds")
			return nil, nil
		}
		// Favour the protected feeds: the other modules live on their prices.
		var feed types.Feed
		if protected := ProtectedFeeds(); r.Intn(4) != 0 {
			id := protected[r.Intn(len(protected))]
			f, err := k.Feeds.Get(ctx, id)
			if err != nil {
				reporter.Skipf("protected feed %s is gone", id)
				return nil, nil
			}
			feed = f
		} else {
			feed = all[r.Intn(len(all))]
		}
		var feeder simsx.SimAccount
		if IsProtected(feed.Id) {
			feeder = appraiser(testData, reporter)
			if ok, _ := k.IsFeeder(ctx, feed.Id, feeder.Address); !ok {
				reporter.Skipf("the appraiser no longer feeds %s", feed.Id)
				return nil, nil
			}
		} else {
			var simFeeders []sdk.AccAddress
			for _, a := range feedersOf(ctx, k, feed.Id) {
				if testData.HasAccount(a.String()) {
					simFeeders = append(simFeeders, a)
				}
			}
			if len(simFeeders) == 0 {
				reporter.Skipf("feed %s has no simulated feeder", feed.Id)
				return nil, nil
			}
			feeder = testData.GetAccountbyAccAddr(reporter, simFeeders[r.Intn(len(simFeeders))])
		}
		if reporter.IsSkipped() {
			return nil, nil
		}
		msg := &types.MsgPostPrice{Feeder: feeder.AddressBech32, FeedId: feed.Id, Value: nextValue(ctx, k, r, feed.Id)}
		if r.Bool() {
			params, err := k.GetParams(ctx)
			if err != nil {
				panic(err)
			}
			ttl := time.Duration(1+r.Int63n(int64(params.MaxPostTtl/time.Second))) * time.Second
			expires := sdk.UnwrapSDKContext(ctx).BlockTime().Add(ttl)
			msg.ExpiresAt = &expires
		}
		return []simsx.SimAccount{feeder}, msg
	}
}

// MsgPostPriceInvalidFactory posts what must be refused: from an account that
// does not feed the feed (ErrUnauthorized), to an unknown feed
// (ErrFeedNotFound), or a value above max_value or not positive
// (ErrInvalidValue).
func MsgPostPriceInvalidFactory(k *keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgPostPrice] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgPostPrice, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		all := feeds(ctx, k)
		switch r.Intn(3) {
		case 0:
			if len(all) == 0 {
				reporter.Skip("no feeds")
				return nil, nil, nil
			}
			feed := all[r.Intn(len(all))]
			stranger := testData.AnyAccountN(10, reporter, simsx.SimAccountFilterFn(func(a simsx.SimAccount) bool {
				ok, err := k.IsFeeder(ctx, feed.Id, a.Address)
				return err == nil && !ok
			}))
			if reporter.IsSkipped() {
				return nil, nil, nil
			}
			msg := &types.MsgPostPrice{Feeder: stranger.AddressBech32, FeedId: feed.Id, Value: math.LegacyNewDec(int64(1 + r.Intn(1000)))}
			return []simsx.SimAccount{stranger}, msg, simutil.ExpectError(sdkerrors.ErrUnauthorized)
		case 1:
			from := testData.AnyAccount(reporter)
			msg := &types.MsgPostPrice{Feeder: from.AddressBech32, FeedId: "sim-unknown-" + randFeedSuffix(r, 8), Value: math.LegacyNewDec(int64(1 + r.Intn(1000)))}
			return []simsx.SimAccount{from}, msg, simutil.ExpectError(types.ErrFeedNotFound)
		default:
			feeder := appraiser(testData, reporter)
			feedID := simutil.TBillFeed
			if ok, _ := k.IsFeeder(ctx, feedID, feeder.Address); !ok {
				reporter.Skipf("the appraiser no longer feeds %s", feedID)
				return nil, nil, nil
			}
			params, err := k.GetParams(ctx)
			if err != nil {
				panic(err)
			}
			value := params.MaxValue.Add(math.LegacyNewDec(int64(1 + r.Intn(1000))))
			if r.Bool() {
				value = math.LegacyNewDec(-int64(r.Intn(1000)))
			}
			msg := &types.MsgPostPrice{Feeder: feeder.AddressBech32, FeedId: feedID, Value: value}
			return []simsx.SimAccount{feeder}, msg, simutil.ExpectError(types.ErrInvalidValue)
		}
	})
}

// randomFeed is a feed with a new sim-gov-* id, one feeder needed, a max age
// of 1–7 days.
func randomFeed(r *simsx.XRand, id string) types.Feed {
	return types.Feed{
		Id: id, Description: "simulated governance feed", Unit: "usd", MinFeeders: 1,
		MaxAge: time.Duration(24+r.Intn(6*24+1)) * time.Hour,
	}
}

// buildAddFeed adds a feed with a fresh id.
func buildAddFeed(k *keeper.Keeper) simutil.AuthorityMsgBuilder[*types.MsgAddFeed] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, authority string) *types.MsgAddFeed {
		r := testData.Rand()
		id := "sim-gov-" + randFeedSuffix(r, 6)
		if has, _ := k.Feeds.Has(ctx, id); has {
			reporter.Skipf("feed %s exists", id)
			return nil
		}
		return &types.MsgAddFeed{Authority: authority, Feed: randomFeed(r, id)}
	}
}

// buildUpdateFeed updates an existing feed: a protected one keeps its unit and
// min_feeders 1 and gets a max age of 3–7 days; another one may need up to its
// feeder count (at least 1) of posts.
func buildUpdateFeed(k *keeper.Keeper) simutil.AuthorityMsgBuilder[*types.MsgUpdateFeed] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, authority string) *types.MsgUpdateFeed {
		r := testData.Rand()
		all := feeds(ctx, k)
		if len(all) == 0 {
			reporter.Skip("no feeds")
			return nil
		}
		feed := all[r.Intn(len(all))]
		if IsProtected(feed.Id) {
			feed.Description = fmt.Sprintf("%s (updated)", feed.Id)
			feed.MaxAge = time.Duration(3*24+r.Intn(4*24+1)) * time.Hour
			feed.MinFeeders = 1
		} else {
			n := len(feedersOf(ctx, k, feed.Id))
			feed = randomFeed(r, feed.Id)
			feed.MinFeeders = uint32(1 + r.Intn(max(n, 1)))
		}
		return &types.MsgUpdateFeed{Authority: authority, Feed: feed}
	}
}

// buildRemoveFeed removes a feed other than the protected ones.
func buildRemoveFeed(k *keeper.Keeper) simutil.AuthorityMsgBuilder[*types.MsgRemoveFeed] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, authority string) *types.MsgRemoveFeed {
		var removable []string
		for _, f := range feeds(ctx, k) {
			if !IsProtected(f.Id) {
				removable = append(removable, f.Id)
			}
		}
		if len(removable) == 0 {
			reporter.Skip("no removable feed")
			return nil
		}
		return &types.MsgRemoveFeed{Authority: authority, FeedId: removable[testData.Rand().Intn(len(removable))]}
	}
}

// buildAddFeeder registers a simulated account that does not feed yet as a
// feeder of an unprotected feed with room for one more.
func buildAddFeeder(k *keeper.Keeper) simutil.AuthorityMsgBuilder[*types.MsgAddFeeder] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, authority string) *types.MsgAddFeeder {
		r := testData.Rand()
		params, err := k.GetParams(ctx)
		if err != nil {
			panic(err)
		}
		var open []string
		for _, f := range feeds(ctx, k) {
			if !IsProtected(f.Id) && uint32(len(feedersOf(ctx, k, f.Id))) < params.MaxFeedersPerFeed {
				open = append(open, f.Id)
			}
		}
		if len(open) == 0 {
			reporter.Skip("no unprotected feed with room for a feeder")
			return nil
		}
		feedID := open[r.Intn(len(open))]
		acc := testData.AnyAccountN(10, reporter, simsx.SimAccountFilterFn(func(a simsx.SimAccount) bool {
			ok, err := k.IsFeeder(ctx, feedID, a.Address)
			return err == nil && !ok
		}))
		if reporter.IsSkipped() {
			return nil
		}
		return &types.MsgAddFeeder{Authority: authority, FeedId: feedID, Feeder: acc.AddressBech32}
	}
}

// buildRemoveFeeder unregisters a feeder, never the Appraiser from a protected feed.
func buildRemoveFeeder(k *keeper.Keeper) simutil.AuthorityMsgBuilder[*types.MsgRemoveFeeder] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, authority string) *types.MsgRemoveFeeder {
		appr := appraiser(testData, reporter).Address
		var pairs []types.Feeder
		for _, f := range feeds(ctx, k) {
			for _, a := range feedersOf(ctx, k, f.Id) {
				if IsProtected(f.Id) && a.Equals(appr) {
					continue
				}
				pairs = append(pairs, types.Feeder{FeedId: f.Id, Address: a.String()})
			}
		}
		if len(pairs) == 0 {
			reporter.Skip("no removable feeder")
			return nil
		}
		p := pairs[testData.Rand().Intn(len(pairs))]
		return &types.MsgRemoveFeeder{Authority: authority, FeedId: p.FeedId, Feeder: p.Address}
	}
}

// buildUpdateParams sets random params that every feed fits:
// max_feeders_per_feed at least any feed's min_feeders and feeder count.
func buildUpdateParams(k *keeper.Keeper) simutil.AuthorityMsgBuilder[*types.MsgUpdateParams] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, authority string) *types.MsgUpdateParams {
		r := testData.Rand()
		var need uint32 = 1
		for _, f := range feeds(ctx, k) {
			need = max(need, f.MinFeeders, uint32(len(feedersOf(ctx, k, f.Id))))
		}
		params := RandomParams(r.Rand)
		params.MaxFeedersPerFeed = max(params.MaxFeedersPerFeed, need)
		return &types.MsgUpdateParams{Authority: authority, Params: params}
	}
}

// ProposalMsgFactories registers the valid authority messages, submitted
// through x/gov (which submits proposals at 1/25 of these weights).
func ProposalMsgFactories(weights simsx.WeightSource, reg simsx.Registry, k *keeper.Keeper) {
	auth := k.GetAuthority()
	reg.Add(weights.Get("msg_add_feed", 75), simutil.ProposalFactory(auth, buildAddFeed(k)))
	reg.Add(weights.Get("msg_update_feed", 75), simutil.ProposalFactory(auth, buildUpdateFeed(k)))
	reg.Add(weights.Get("msg_remove_feed", 50), simutil.ProposalFactory(auth, buildRemoveFeed(k)))
	reg.Add(weights.Get("msg_add_feeder", 75), simutil.ProposalFactory(auth, buildAddFeeder(k)))
	reg.Add(weights.Get("msg_remove_feeder", 50), simutil.ProposalFactory(auth, buildRemoveFeeder(k)))
	reg.Add(weights.Get("msg_update_params", 50), simutil.ProposalFactory(auth, buildUpdateParams(k)))
}

// MsgFactories registers the operations: valid and invalid price posts, and
// the authority messages sent by a wrong signer.
func MsgFactories(weights simsx.WeightSource, reg simsx.Registry, k *keeper.Keeper) {
	reg.Add(weights.Get("msg_post_price", 100), MsgPostPriceFactory(k))
	reg.Add(weights.Get("msg_post_price_invalid", 10), MsgPostPriceInvalidFactory(k))
	reg.Add(weights.Get("msg_add_feed_unauthorized", 3), simutil.UnauthorizedFactory(buildAddFeed(k)))
	reg.Add(weights.Get("msg_update_feed_unauthorized", 3), simutil.UnauthorizedFactory(buildUpdateFeed(k)))
	reg.Add(weights.Get("msg_remove_feed_unauthorized", 3), simutil.UnauthorizedFactory(buildRemoveFeed(k)))
	reg.Add(weights.Get("msg_add_feeder_unauthorized", 3), simutil.UnauthorizedFactory(buildAddFeeder(k)))
	reg.Add(weights.Get("msg_remove_feeder_unauthorized", 3), simutil.UnauthorizedFactory(buildRemoveFeeder(k)))
	reg.Add(weights.Get("msg_update_params_unauthorized", 3), simutil.UnauthorizedFactory(buildUpdateParams(k)))
}
