//go:build e2e

package e2e

import (
	"context"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/testutil/localnet"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

// priceWait covers a provider refresh (1s on a localnet) and the two blocks a
// vote extension takes to become a price.
const priceWait = time.Minute

// requirePrice makes every validator's price source report value for feedID
// and waits until the chain's price is value.
func requirePrice(t *testing.T, network *localnet.Network, via *localnet.Node, feedID, value string) int64 {
	t.Helper()
	h, err := network.SetPriceAndWait(via, feedID, value, priceWait)
	require.NoError(t, err)
	return h
}

// testOracleVoteExtensions: each validator reads its own file source; the
// chain's price is the stake-weighted median of their reports, on every node.
func testOracleVoteExtensions(t *testing.T, network *localnet.Network) {
	node0 := network.Nodes[0]
	t.Cleanup(func() { requirePrice(t, network, node0, gpuFeed, "30000000000") })

	// No transaction priced the feed: `localnet init` wrote the defaults.
	for _, feed := range []struct{ id, value string }{{gpuFeed, "30000000000"}, {"rate/tbill", "0.05"}, {"fx/uusdc", "1"}} {
		_, err := node0.WaitForPrice(feed.id, sdkmath.LegacyMustNewDecFromStr(feed.value), priceWait)
		require.NoError(t, err)
	}

	// 29,000 / 30,000 / 31,000 / 300,000 USDai with equal power: the median is
	// the mean of the middle two, never the outlier.
	reports := []string{"29000000000", "30000000000", "31000000000", "300000000000"}
	for i, node := range network.Nodes {
		require.NoError(t, node.SetPrice(gpuFeed, reports[i]))
	}
	want := sdkmath.LegacyNewDec(30_500_000_000)
	seenAt, err := node0.WaitForPrice(gpuFeed, want, priceWait)
	require.NoError(t, err)
	for _, node := range network.Nodes {
		require.NoError(t, node.WaitForHeight(seenAt, time.Minute))
		p, err := node.Price(gpuFeed)
		require.NoError(t, err, node.Name)
		require.True(t, want.Equal(p.Value), "%s REST value %s", node.Name, p.Value)
		require.True(t, p.Valid, node.Name)
		require.EqualValues(t, numValidators, p.NumPosts, node.Name)

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		res, err := oracletypes.NewQueryClient(node.GRPC()).Price(ctx, &oracletypes.QueryPriceRequest{FeedId: gpuFeed})
		cancel()
		require.NoError(t, err, node.Name)
		require.True(t, want.Equal(res.Price.Value), "%s gRPC value %s", node.Name, res.Price.Value)

		feed, err := oracletypes.NewQueryClient(node.GRPC()).Feed(context.Background(), &oracletypes.QueryFeedRequest{Id: gpuFeed})
		require.NoError(t, err, node.Name)
		require.Equal(t, oracletypes.FEED_SOURCE_VOTE_EXTENSIONS, feed.Feed.Source, node.Name)
	}
	// Block after block, the outlier never becomes the price.
	for h := seenAt + 1; h <= seenAt+3; h++ {
		require.NoError(t, node0.WaitForHeight(h, time.Minute))
		p, err := node0.Price(gpuFeed)
		require.NoError(t, err)
		require.True(t, want.Equal(p.Value), "height %d: %s", h, p.Value)
	}

	// The outlier's source breaks: that validator reports nothing for the feed
	// (an empty extension), blocks go on and the price is the median of three.
	require.NoError(t, network.Nodes[3].SetPrice(gpuFeed, "garbage"))
	seenAt, err = node0.WaitForPrice(gpuFeed, sdkmath.LegacyNewDec(30_000_000_000), priceWait)
	require.NoError(t, err)
	p, err := node0.Price(gpuFeed)
	require.NoError(t, err)
	require.EqualValues(t, 3, p.NumPosts)
	require.NoError(t, network.WaitForHeight(seenAt+3, time.Minute), "the chain goes on")

	// A feeder transaction to a vote-extension feed is refused.
	_, err = node0.Tx("oracle", "post-price", gpuFeed, "1", "--from", "feeder")
	require.ErrorContains(t, err, oracletypes.ErrWrongSource.Error())
}

// testOraclePriceWhileStopped runs with victim stopped: the other three
// validators hold 3/4 of the power, above min_power, so prices keep updating.
func testOraclePriceWhileStopped(t *testing.T, network *localnet.Network, victim *localnet.Node) {
	for _, node := range network.Nodes {
		if node != victim {
			require.NoError(t, node.SetPrice(gpuFeed, "32000000000"))
		}
	}
	_, err := network.Nodes[0].WaitForPrice(gpuFeed, sdkmath.LegacyNewDec(32_000_000_000), priceWait)
	require.NoError(t, err)
	p, err := network.Nodes[0].Price(gpuFeed)
	require.NoError(t, err)
	require.EqualValues(t, numValidators-1, p.NumPosts)
}
