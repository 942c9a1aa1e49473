package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/infrafi/infrafi/x/oracle/keeper"
	"github.com/infrafi/infrafi/x/oracle/types"
)

func requireCode(t *testing.T, err error, code codes.Code) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, status.Code(err), err.Error())
}

func TestQueryParamsThroughRouter(t *testing.T) {
	f := setup(t)
	helper := baseapp.NewQueryServerTestHelper(f.ctx, f.encCfg.InterfaceRegistry)
	types.RegisterQueryServer(helper, keeper.NewQueryServerImpl(f.k))
	client := types.NewQueryClient(helper)

	res, err := client.Params(f.ctx, &types.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, types.DefaultParams(), res.Params)

	_, err = client.Price(f.ctx, &types.QueryPriceRequest{FeedId: gpuFeed})
	requireCode(t, err, codes.NotFound)
}

func TestQueryFeeds(t *testing.T) {
	f := setup(t)
	res, err := f.query.Feeds(f.ctx, &types.QueryFeedsRequest{Pagination: &query.PageRequest{Limit: 1, CountTotal: true}})
	require.NoError(t, err)
	require.Len(t, res.Feeds, 1)
	require.Equal(t, gpuFeed, res.Feeds[0].Id, "feeds are ordered by id")
	require.Equal(t, uint64(2), res.Pagination.Total)
	require.NotEmpty(t, res.Pagination.NextKey)

	res, err = f.query.Feeds(f.ctx, &types.QueryFeedsRequest{Pagination: &query.PageRequest{Key: res.Pagination.NextKey}})
	require.NoError(t, err)
	require.Len(t, res.Feeds, 1)
	require.Equal(t, rateFeed, res.Feeds[0].Id)
	require.Empty(t, res.Pagination.NextKey)

	_, err = f.query.Feeds(f.ctx, nil)
	requireCode(t, err, codes.InvalidArgument)
}

func TestQueryFeed(t *testing.T) {
	f := setup(t)
	res, err := f.query.Feed(f.ctx, &types.QueryFeedRequest{Id: rateFeed})
	require.NoError(t, err)
	require.Equal(t, "apr", res.Feed.Unit)

	_, err = f.query.Feed(f.ctx, &types.QueryFeedRequest{Id: "gpu/unknown"})
	requireCode(t, err, codes.NotFound)
	_, err = f.query.Feed(f.ctx, &types.QueryFeedRequest{})
	requireCode(t, err, codes.InvalidArgument)
	_, err = f.query.Feed(f.ctx, nil)
	requireCode(t, err, codes.InvalidArgument)
}

func TestQueryPricesApplyStaleness(t *testing.T) {
	f := setup(t)
	f.post(feeder1, gpuFeed, "100")
	f.post(feeder2, gpuFeed, "102")
	f.post(feeder1, rateFeed, "0.05")
	f.endBlock()

	res, err := f.query.Price(f.ctx, &types.QueryPriceRequest{FeedId: gpuFeed})
	require.NoError(t, err)
	require.True(t, res.Price.Valid)
	require.Equal(t, dec("101"), res.Price.Value)

	f.advance(11 * time.Minute) // beyond gpuFeed's max_age, within rateFeed's
	res, err = f.query.Price(f.ctx, &types.QueryPriceRequest{FeedId: gpuFeed})
	require.NoError(t, err)
	require.False(t, res.Price.Valid)

	all, err := f.query.Prices(f.ctx, &types.QueryPricesRequest{})
	require.NoError(t, err)
	require.Len(t, all.Prices, 2)
	require.Equal(t, gpuFeed, all.Prices[0].FeedId)
	require.False(t, all.Prices[0].Valid)
	require.Equal(t, rateFeed, all.Prices[1].FeedId)
	require.True(t, all.Prices[1].Valid)

	page, err := f.query.Prices(f.ctx, &types.QueryPricesRequest{Pagination: &query.PageRequest{Offset: 1, Limit: 1}})
	require.NoError(t, err)
	require.Len(t, page.Prices, 1)
	require.Equal(t, rateFeed, page.Prices[0].FeedId)

	_, err = f.query.Price(f.ctx, &types.QueryPriceRequest{FeedId: "fx/uusdc"})
	requireCode(t, err, codes.NotFound)
	_, err = f.query.Price(f.ctx, &types.QueryPriceRequest{})
	requireCode(t, err, codes.InvalidArgument)
}

func TestQueryPostsAndFeeders(t *testing.T) {
	f := setup(t)
	// A feed whose id is a prefix of another must not leak into its listings.
	_, err := f.msgs.AddFeed(f.ctx, &types.MsgAddFeed{Authority: authority.String(), Feed: types.Feed{Id: "gpu/nvidia-h100", MinFeeders: 1, MaxAge: time.Hour}})
	require.NoError(t, err)
	_, err = f.msgs.AddFeeder(f.ctx, &types.MsgAddFeeder{Authority: authority.String(), FeedId: "gpu/nvidia-h100", Feeder: stranger.String()})
	require.NoError(t, err)
	f.post(stranger, "gpu/nvidia-h100", "5")
	f.post(feeder1, gpuFeed, "100")
	f.post(feeder2, gpuFeed, "102")

	posts, err := f.query.Posts(f.ctx, &types.QueryPostsRequest{FeedId: gpuFeed, Pagination: &query.PageRequest{Limit: 1, CountTotal: true}})
	require.NoError(t, err)
	require.Len(t, posts.Posts, 1)
	require.Equal(t, uint64(2), posts.Pagination.Total)
	require.Equal(t, feeder1.String(), posts.Posts[0].Feeder)
	posts, err = f.query.Posts(f.ctx, &types.QueryPostsRequest{FeedId: gpuFeed, Pagination: &query.PageRequest{Key: posts.Pagination.NextKey}})
	require.NoError(t, err)
	require.Len(t, posts.Posts, 1)
	require.Equal(t, feeder2.String(), posts.Posts[0].Feeder)
	require.Empty(t, posts.Pagination.NextKey)

	feeders, err := f.query.Feeders(f.ctx, &types.QueryFeedersRequest{FeedId: gpuFeed})
	require.NoError(t, err)
	require.ElementsMatch(t, []string{feeder1.String(), feeder2.String(), feeder3.String()}, feeders.Feeders)

	feeders, err = f.query.Feeders(f.ctx, &types.QueryFeedersRequest{FeedId: gpuFeed, Pagination: &query.PageRequest{Limit: 2}})
	require.NoError(t, err)
	require.Len(t, feeders.Feeders, 2)
	require.NotEmpty(t, feeders.Pagination.NextKey)

	feeders, err = f.query.Feeders(f.ctx, &types.QueryFeedersRequest{FeedId: "gpu/nvidia-h100"})
	require.NoError(t, err)
	require.Equal(t, []string{stranger.String()}, feeders.Feeders)

	for _, feedID := range []string{"", "Bad/Id"} {
		_, err = f.query.Posts(f.ctx, &types.QueryPostsRequest{FeedId: feedID})
		requireCode(t, err, codes.InvalidArgument)
		_, err = f.query.Feeders(f.ctx, &types.QueryFeedersRequest{FeedId: feedID})
		requireCode(t, err, codes.InvalidArgument)
	}
	_, err = f.query.Posts(f.ctx, &types.QueryPostsRequest{FeedId: "gpu/unknown"})
	requireCode(t, err, codes.NotFound)
	_, err = f.query.Feeders(f.ctx, &types.QueryFeedersRequest{FeedId: "gpu/unknown"})
	requireCode(t, err, codes.NotFound)
	_, err = f.query.Posts(f.ctx, nil)
	requireCode(t, err, codes.InvalidArgument)
}

func TestQueriesUseBlockTimeOfContext(t *testing.T) {
	f := setup(t)
	f.post(feeder1, rateFeed, "0.05")
	f.endBlock()
	later := f.ctx.WithBlockTime(f.ctx.BlockTime().Add(25 * time.Hour))
	res, err := f.query.Price(later, &types.QueryPriceRequest{FeedId: rateFeed})
	require.NoError(t, err)
	require.False(t, res.Price.Valid)
}
