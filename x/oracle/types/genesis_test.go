package types_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/oracle/types"
)

func dec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }

func validGenesis() *types.GenesisState {
	gs := types.DefaultGenesis()
	gs.Feeds = []types.Feed{
		{Id: "gpu/nvidia-h100-sxm5-80gb", Unit: "uusdai/gpu", MinFeeders: 2, MaxAge: 10 * time.Minute},
		{Id: "rate/tbill", Unit: "apr", MinFeeders: 1, MaxAge: 24 * time.Hour},
	}
	gs.Feeders = []types.Feeder{
		{FeedId: "gpu/nvidia-h100-sxm5-80gb", Address: addr1},
		{FeedId: "gpu/nvidia-h100-sxm5-80gb", Address: addr2},
		{FeedId: "rate/tbill", Address: addr1},
	}
	gs.Posts = []types.Post{
		{FeedId: "gpu/nvidia-h100-sxm5-80gb", Feeder: addr1, Value: dec("100"), PostedAt: t0, ExpiresAt: t0.Add(time.Hour)},
		{FeedId: "rate/tbill", Feeder: addr1, Value: dec("0.05"), PostedAt: t0, ExpiresAt: t0.Add(time.Hour)},
	}
	gs.Prices = []types.Price{
		{FeedId: "rate/tbill", Value: dec("0.05"), UpdatedAt: t0, Valid: true, NumPosts: 1},
	}
	return gs
}

func TestGenesisValidate(t *testing.T) {
	require.NoError(t, types.DefaultGenesis().Validate())
	require.NoError(t, validGenesis().Validate())

	tests := map[string]struct {
		mutate func(gs *types.GenesisState)
		err    error
	}{
		"bad params": {func(gs *types.GenesisState) { gs.Params.MaxFeedersPerFeed = 0 }, types.ErrInvalidParams},
		"bad feed":   {func(gs *types.GenesisState) { gs.Feeds[0].MaxAge = 0 }, types.ErrInvalidFeed},
		"duplicate feed": {func(gs *types.GenesisState) {
			gs.Feeds = append(gs.Feeds, gs.Feeds[0])
		}, types.ErrFeedExists},
		"min_feeders above max": {func(gs *types.GenesisState) { gs.Feeds[0].MinFeeders = gs.Params.MaxFeedersPerFeed + 1 }, types.ErrInvalidFeed},
		"feeder of unknown feed": {func(gs *types.GenesisState) {
			gs.Feeders = append(gs.Feeders, types.Feeder{FeedId: "fx/uusdc", Address: addr1})
		}, types.ErrFeedNotFound},
		"feeder bad address": {func(gs *types.GenesisState) { gs.Feeders[0].Address = "infra1nope" }, sdkerrors.ErrInvalidAddress},
		"duplicate feeder": {func(gs *types.GenesisState) {
			gs.Feeders = append(gs.Feeders, gs.Feeders[0])
		}, types.ErrFeederExists},
		"too many feeders":            {func(gs *types.GenesisState) { gs.Params.MaxFeedersPerFeed = 1; gs.Feeds[0].MinFeeders = 1 }, types.ErrTooManyFeeders},
		"post of unregistered feeder": {func(gs *types.GenesisState) { gs.Posts[1].Feeder = addr2 }, types.ErrFeederNotFound},
		"duplicate post": {func(gs *types.GenesisState) {
			gs.Posts = append(gs.Posts, gs.Posts[0])
		}, types.ErrInvalidGenesis},
		"post zero value":            {func(gs *types.GenesisState) { gs.Posts[0].Value = dec("0") }, types.ErrInvalidValue},
		"post expires before posted": {func(gs *types.GenesisState) { gs.Posts[0].ExpiresAt = t0 }, types.ErrInvalidExpiry},
		"price of unknown feed":      {func(gs *types.GenesisState) { gs.Prices[0].FeedId = "fx/uusdc" }, types.ErrFeedNotFound},
		"duplicate price": {func(gs *types.GenesisState) {
			gs.Prices = append(gs.Prices, gs.Prices[0])
		}, types.ErrInvalidGenesis},
		"price without time": {func(gs *types.GenesisState) { gs.Prices[0].UpdatedAt = time.Time{} }, types.ErrInvalidGenesis},
		"price nil value":    {func(gs *types.GenesisState) { gs.Prices[0].Value = math.LegacyDec{} }, types.ErrInvalidValue},
		"price bad feed id":  {func(gs *types.GenesisState) { gs.Prices[0].FeedId = "rate/" }, types.ErrInvalidFeedID},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			gs := validGenesis()
			tc.mutate(gs)
			require.ErrorIs(t, gs.Validate(), tc.err)
		})
	}
}
