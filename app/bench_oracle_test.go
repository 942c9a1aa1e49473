package app_test

import (
	"fmt"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
	"github.com/infrafi/infrafi/testutil/voteext"
	oracleabci "github.com/infrafi/infrafi/x/oracle/abci"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

const (
	benchVEValidators = 100
	benchVEFeeds      = 20
)

// BenchmarkOracleVoteExtensions measures x/oracle's vote-extension path for
// 100 validators × 20 VOTE_EXTENSIONS feeds: the bytes of one validator's
// extension and of the extended commit the proposer injects, and the time of a
// block (FinalizeBlock + Commit) whose PreBlocker turns that commit into 20
// stake-weighted medians, against an empty block in the same run
// (preblock-share = (vote-extension block - empty block) / empty block).
func BenchmarkOracleVoteExtensions(b *testing.B) {
	feeds := make([]oracletypes.Feed, benchVEFeeds)
	for i := range feeds {
		feeds[i] = oracletypes.Feed{Id: fmt.Sprintf("bench/feed-%02d", i), Unit: "uusdai/gpu", MinFeeders: 1, MaxAge: time.Hour, Source: oracletypes.FEED_SOURCE_VOTE_EXTENSIONS}
	}
	fx := testutil.Setup(b, testutil.Options{Genesis: func(_ []testutil.Account, state app.GenesisState) {
		gs := oracletypes.DefaultGenesis()
		gs.Feeds = feeds
		state[oracletypes.ModuleName] = app.MakeEncodingConfig().Codec.MustMarshalJSON(gs)
	}})

	powers := make([]int64, benchVEValidators)
	votes := make([]voteext.Vote, benchVEValidators)
	extBytes := 0
	for v := range powers {
		powers[v] = int64(100 + v)
		prices := make([]oracletypes.VoteExtensionPrice, benchVEFeeds)
		for f := range prices {
			// ~30,000 USDai with a per-validator spread, full uusdai precision.
			prices[f] = oracletypes.VoteExtensionPrice{FeedId: feeds[f].Id, Value: sdkmath.LegacyNewDec(29_000_000_000 + int64(v*20_000_017+f))}
		}
		bz, err := oracletypes.EncodeVoteExtension(prices)
		require.NoError(b, err)
		votes[v].Extension = bz
		extBytes += len(bz)
	}
	commit := voteext.Commit(testutil.ChainID, fx.Height(), 0, voteext.NewValidators("bench", powers...), votes)
	injected, err := oracleabci.EncodeCommit(commit)
	require.NoError(b, err)

	var emptyNs, veNs float64
	b.Run("empty-block", func(b *testing.B) {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			fx.NextBlock(time.Second)
		}
		emptyNs = float64(time.Since(start).Nanoseconds()) / float64(b.N)
	})
	b.Run("vote-extension-block", func(b *testing.B) {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			fx.NextBlock(time.Second, injected)
		}
		veNs = float64(time.Since(start).Nanoseconds()) / float64(b.N)
		b.ReportMetric(float64(extBytes)/benchVEValidators, "ext-bytes/validator")
		b.ReportMetric(float64(len(injected)), "commit-bytes")
		if emptyNs > 0 {
			b.ReportMetric((veNs-emptyNs)/emptyNs, "preblock-share")
		}
	})
	price, err := fx.App.OracleKeeper.GetPrice(fx.Ctx(), feeds[0].Id)
	require.NoError(b, err)
	require.EqualValues(b, benchVEValidators, price.NumPosts, "every block priced every feed from all validators")
	if emptyNs > 0 {
		b.Logf("100 validators x 20 feeds: %d extension bytes per validator, %d commit bytes; empty block %.0f µs, vote-extension block %.0f µs, PreBlocker share of an empty block %.2f",
			extBytes/benchVEValidators, len(injected), emptyNs/1e3, veNs/1e3, (veNs-emptyNs)/emptyNs)
	}
}
