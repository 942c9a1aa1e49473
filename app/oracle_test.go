package app_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
	"github.com/infrafi/infrafi/testutil/voteext"
	oracleabci "github.com/infrafi/infrafi/x/oracle/abci"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

const veH100 = "gpu/nvidia-h100-sxm5-80gb"

// TestOracleVoteExtensionsThroughFinalizeBlock drives the app's PreBlocker with
// a constructed extended commit in the block, as PrepareProposal injects it.
func TestOracleVoteExtensionsThroughFinalizeBlock(t *testing.T) {
	fx := testutil.Setup(t, testutil.Options{Genesis: func(_ []testutil.Account, state app.GenesisState) {
		gs := oracletypes.DefaultGenesis()
		gs.Feeds = []oracletypes.Feed{{Id: veH100, Unit: "uusdai/gpu", MinFeeders: 3, MaxAge: time.Hour, Source: oracletypes.FEED_SOURCE_VOTE_EXTENSIONS}}
		state[oracletypes.ModuleName] = app.MakeEncodingConfig().Codec.MustMarshalJSON(gs)
	}})

	ext := func(value string) []byte {
		bz, err := oracletypes.EncodeVoteExtension([]oracletypes.VoteExtensionPrice{{FeedId: veH100, Value: sdkmath.LegacyMustNewDecFromStr(value)}})
		require.NoError(t, err)
		return bz
	}
	vals := voteext.NewValidators("app", 10, 10, 10, 10)
	commit := voteext.Commit(testutil.ChainID, fx.Height(), 0, vals, []voteext.Vote{
		{Extension: ext("29000000000")}, {Extension: ext("30000000000")}, {Extension: ext("31000000000")}, {Extension: ext("300000000000")},
	})
	injected, err := oracleabci.EncodeCommit(commit)
	require.NoError(t, err)

	res := fx.NextBlock(5*time.Second, injected)
	require.Len(t, res.TxResults, 1)
	require.NotZero(t, res.TxResults[0].Code, "the injected entry is not executed as a transaction")
	price, err := fx.App.OracleKeeper.GetPrice(fx.Ctx(), veH100)
	require.NoError(t, err)
	require.Equal(t, sdkmath.LegacyNewDec(30_500_000_000), price.Value, "weighted median, not the outlier")
	require.True(t, price.Valid)
	require.EqualValues(t, 4, price.NumPosts)
	require.Equal(t, fx.BlockTime(), price.UpdatedAt)

	// A malformed commit, or a block without one, changes nothing and the chain goes on.
	fx.NextBlock(5*time.Second, append(injected[:40:40], 0xff))
	fx.NextBlock(5 * time.Second)
	after, err := fx.App.OracleKeeper.GetPrice(fx.Ctx(), veH100)
	require.NoError(t, err)
	require.Equal(t, price.Value, after.Value)
	require.Equal(t, price.UpdatedAt, after.UpdatedAt)
}
