package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/x/oracle/types"
)

func TestGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	short := genesisTime.Add(time.Minute)
	require.NoError(t, f.postErr(feeder1, gpuFeed, dec("100"), &short))
	f.post(feeder2, gpuFeed, "102.25")
	f.post(feeder1, rateFeed, "0.0525")
	f.endBlock()
	f.post(feeder3, gpuFeed, "99")

	exported := f.exported()
	require.NoError(t, exported.Validate())
	require.Len(t, exported.Feeds, 2)
	require.Len(t, exported.Feeders, 4)
	require.Len(t, exported.Posts, 4)
	require.Len(t, exported.Prices, 2)

	// Through JSON, as the app does.
	bz, err := f.encCfg.Codec.MarshalJSON(exported)
	require.NoError(t, err)
	var decoded types.GenesisState
	require.NoError(t, f.encCfg.Codec.UnmarshalJSON(bz, &decoded))

	ctx2, k2, _ := newKeeper(t)
	require.NoError(t, k2.InitGenesis(ctx2, &decoded))
	reexported, err := k2.ExportGenesis(ctx2)
	require.NoError(t, err)
	require.Equal(t, exported, reexported)

	price, err := k2.GetPrice(ctx2, rateFeed)
	require.NoError(t, err)
	require.Equal(t, dec("0.0525"), price.Value)
	require.True(t, price.Valid)
}

func TestDefaultGenesisRoundTrip(t *testing.T) {
	ctx, k, _ := newKeeper(t)
	require.NoError(t, k.InitGenesis(ctx, types.DefaultGenesis()))
	gs, err := k.ExportGenesis(ctx)
	require.NoError(t, err)
	require.Equal(t, types.DefaultGenesis(), gs)
}

func TestInitGenesisRejectsInvalid(t *testing.T) {
	ctx, k, _ := newKeeper(t)
	gs := types.DefaultGenesis()
	gs.Feeders = []types.Feeder{{FeedId: gpuFeed, Address: feeder1.String()}}
	require.ErrorIs(t, k.InitGenesis(ctx, gs), types.ErrFeedNotFound)
	_, err := k.Params.Get(ctx)
	require.Error(t, err, "nothing written")
}
