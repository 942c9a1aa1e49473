package keeper_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/fuzzutil"
	"github.com/infrafi/infrafi/x/oracle/types"
)

// FuzzMsgServer sends one x/oracle message built from fuzzed fields, from a
// fuzzed signer, to the fixture of setup. The msg server must succeed or
// return a registered error, never panic, and on error write nothing.
func FuzzMsgServer(f *testing.F) {
	f.Add(uint8(0), uint8(1), uint8(0), "", []byte{0, 7}, int64(60), false, uint32(2), uint32(0))
	f.Add(uint8(0), uint8(4), uint8(1), "", []byte{0, 7}, int64(60), true, uint32(2), uint32(0))
	f.Add(uint8(1), uint8(0), uint8(3), "fx/uusdc", []byte{}, int64(600), false, uint32(1), uint32(5))
	f.Add(uint8(3), uint8(0), uint8(0), "", []byte{}, int64(0), false, uint32(0), uint32(0))
	f.Add(uint8(4), uint8(0), uint8(1), "", []byte{}, int64(0), false, uint32(0), uint32(0))
	f.Add(uint8(5), uint8(0), uint8(0), "", []byte{}, int64(0), false, uint32(0), uint32(0))
	f.Add(uint8(6), uint8(0), uint8(0), "", []byte{0, 1, 0}, int64(3600), false, uint32(32), uint32(0))
	f.Fuzz(func(t *testing.T, op, signerSel, feedSel uint8, rawFeed string, value []byte, secs int64, withExpiry bool, count, advance uint32) {
		fx := setup(t)
		fx.advance(time.Duration(advance%100_000) * time.Second)
		signer := fuzzutil.Pick(signerSel, authority.String(), feeder1.String(), feeder2.String(), feeder3.String(), stranger.String(), rawFeed)
		feedID := fuzzutil.Pick(feedSel, gpuFeed, rateFeed, "fx/uusdc", rawFeed)
		v := fuzzutil.Dec(value)
		var expiry *time.Time
		if withExpiry {
			e := fuzzutil.Time(fx.ctx.BlockTime(), secs)
			expiry = &e
		}
		feed := types.Feed{Id: feedID, Description: "fuzz", Unit: "u", MinFeeders: count, MaxAge: time.Duration(secs) * time.Second}

		before := fuzzutil.StoreSnapshot(t, fx.ctx)
		var err error
		switch op % 7 {
		case 0:
			_, err = fx.msgs.PostPrice(fx.ctx, &types.MsgPostPrice{Feeder: signer, FeedId: feedID, Value: v, ExpiresAt: expiry})
		case 1:
			_, err = fx.msgs.AddFeed(fx.ctx, &types.MsgAddFeed{Authority: signer, Feed: feed})
		case 2:
			_, err = fx.msgs.UpdateFeed(fx.ctx, &types.MsgUpdateFeed{Authority: signer, Feed: feed})
		case 3:
			_, err = fx.msgs.RemoveFeed(fx.ctx, &types.MsgRemoveFeed{Authority: signer, FeedId: feedID})
		case 4:
			_, err = fx.msgs.AddFeeder(fx.ctx, &types.MsgAddFeeder{Authority: signer, FeedId: feedID, Feeder: stranger.String()})
		case 5:
			_, err = fx.msgs.RemoveFeeder(fx.ctx, &types.MsgRemoveFeeder{Authority: signer, FeedId: feedID, Feeder: feeder1.String()})
		case 6:
			params := types.NewParams(time.Duration(secs)*time.Second, time.Duration(count)*time.Second, count, v, types.DefaultMinPower)
			_, err = fx.msgs.UpdateParams(fx.ctx, &types.MsgUpdateParams{Authority: signer, Params: params})
		}
		fuzzutil.RequireRegistered(t, err, types.ModuleName)
		if err != nil {
			require.Equal(t, before, fuzzutil.StoreSnapshot(t, fx.ctx), "failed message wrote state: %v", err)
			return
		}
		if op%7 == 0 {
			post, err := fx.k.Posts.Get(fx.ctx, joinKey(feedID, sdk.MustAccAddressFromBech32(signer)))
			require.NoError(t, err)
			require.True(t, post.Value.Equal(v), "stored %s, posted %s", post.Value, v)
			require.True(t, post.ExpiresAt.After(fx.ctx.BlockTime()))
		}
		fx.endBlock()
	})
}

// FuzzAggregate posts fuzzed values with fuzzed expiries from the three
// feeders of gpuFeed (min_feeders 2), moves time on and runs EndBlock. The
// aggregate must be the median of exactly the accepted posts still unexpired,
// lie within their range, count them, and be valid only with at least two;
// with none, no price is stored.
func FuzzAggregate(f *testing.F) {
	f.Add([]byte{0, 10}, []byte{0, 20}, []byte{0, 30}, int64(60), int64(120), int64(0), uint32(90))
	f.Add([]byte{0, 10}, []byte{}, []byte{1, 30}, int64(60), int64(60), int64(60), uint32(0))
	f.Add([]byte{0, 0xff, 0xff}, []byte{0, 1}, []byte{0, 2}, int64(7200), int64(30), int64(86400), uint32(3599))
	f.Fuzz(func(t *testing.T, v1, v2, v3 []byte, ttl1, ttl2, ttl3 int64, advance uint32) {
		fx := setup(t)
		type posted struct {
			value   math.LegacyDec
			expires time.Time
		}
		var accepted []posted
		for i, p := range []struct {
			value []byte
			ttl   int64
		}{{v1, ttl1}, {v2, ttl2}, {v3, ttl3}} {
			var expiry *time.Time
			if p.ttl != 0 {
				e := fuzzutil.Time(fx.ctx.BlockTime(), p.ttl)
				expiry = &e
			}
			feeder := []sdk.AccAddress{feeder1, feeder2, feeder3}[i]
			err := fx.postErr(feeder, gpuFeed, fuzzutil.Dec(p.value), expiry)
			fuzzutil.RequireRegistered(t, err, types.ModuleName)
			if err == nil {
				post, err := fx.k.Posts.Get(fx.ctx, joinKey(gpuFeed, feeder))
				require.NoError(t, err)
				accepted = append(accepted, posted{post.Value, post.ExpiresAt})
			}
		}
		fx.advance(time.Duration(advance%(2*24*3600)) * time.Second)
		fx.endBlock()

		var live []math.LegacyDec
		for _, p := range accepted {
			if p.expires.After(fx.ctx.BlockTime()) {
				live = append(live, p.value)
			}
		}
		price, found := fx.storedPrice(gpuFeed)
		if len(live) == 0 {
			require.False(t, found, "price %v stored without a live post", price)
			return
		}
		require.True(t, found, "no price from %d live posts", len(live))
		want, err := types.Median(live)
		require.NoError(t, err)
		require.True(t, price.Value.Equal(want), "price %s, median of %v is %s", price.Value, live, want)
		require.True(t, price.Value.GTE(slices.MinFunc(live, cmpDec)) && price.Value.LTE(slices.MaxFunc(live, cmpDec)))
		require.Equal(t, uint32(len(live)), price.NumPosts)
		require.Equal(t, len(live) >= 2, price.Valid)
		require.True(t, price.UpdatedAt.Equal(fx.ctx.BlockTime()))
	})
}

func cmpDec(a, b math.LegacyDec) int {
	switch {
	case a.LT(b):
		return -1
	case a.GT(b):
		return 1
	}
	return 0
}
