package abci_test

import (
	"testing"
	"time"

	cmtabci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log"
	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/infrafi/infrafi/testutil/voteext"
	"github.com/infrafi/infrafi/x/oracle"
	oracleabci "github.com/infrafi/infrafi/x/oracle/abci"
	"github.com/infrafi/infrafi/x/oracle/keeper"
	"github.com/infrafi/infrafi/x/oracle/types"
)

const (
	chainID  = "infrafi-test"
	h100     = "gpu/nvidia-h100-sxm5-80gb"
	tbill    = "rate/tbill"
	feederFX = "fx/uusdc"
)

var authority = sdk.AccAddress([]byte("authority___________"))

// prices is a fixed PriceSource.
type prices map[string]math.LegacyDec

func (p prices) Price(feedID string) (math.LegacyDec, bool) {
	v, ok := p[feedID]
	return v, ok
}

func dec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }

// setup returns a keeper with two VOTE_EXTENSIONS feeds (h100, tbill) and one FEEDERS feed.
func setup(t *testing.T) (sdk.Context, *keeper.Keeper) {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test")).Ctx.
		WithBlockTime(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	encCfg := moduletestutil.MakeTestEncodingConfig(oracle.AppModuleBasic{})
	k := keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(key), authority.String(), log.NewNopLogger())
	gs := types.DefaultGenesis()
	gs.Feeds = []types.Feed{
		{Id: feederFX, Unit: "usd", MinFeeders: 1, MaxAge: time.Hour},
		{Id: h100, Unit: "uusdai/gpu", MinFeeders: 3, MaxAge: time.Hour, Source: types.FEED_SOURCE_VOTE_EXTENSIONS},
		{Id: tbill, Unit: "apr", MinFeeders: 1, MaxAge: time.Hour, Source: types.FEED_SOURCE_VOTE_EXTENSIONS},
	}
	require.NoError(t, k.InitGenesis(ctx, gs))
	return ctx, k
}

func extend(t *testing.T, ctx sdk.Context, k *keeper.Keeper, p oracleabci.PriceSource) []byte {
	t.Helper()
	resp, err := oracleabci.NewExtendVoteHandler(k, p, log.NewNopLogger())(ctx, &cmtabci.RequestExtendVote{Height: 5})
	require.NoError(t, err)
	require.NotNil(t, resp.VoteExtension, "CometBFT needs a non-nil extension")
	return resp.VoteExtension
}

func TestExtendVoteReportsCachedVoteExtensionFeeds(t *testing.T) {
	ctx, k := setup(t)
	bz := extend(t, ctx, k, prices{
		h100:     dec("30000000000"),
		tbill:    dec("0.0525"),
		feederFX: dec("1"), // a FEEDERS feed: never reported
	})
	ve, err := types.DecodeVoteExtension(bz)
	require.NoError(t, err)
	require.Equal(t, []types.VoteExtensionPrice{{FeedId: h100, Value: dec("30000000000")}, {FeedId: tbill, Value: dec("0.0525")}}, ve.Prices)

	verify := oracleabci.NewVerifyVoteExtensionHandler(k, log.NewNopLogger())
	resp, err := verify(ctx, &cmtabci.RequestVerifyVoteExtension{Height: 5, VoteExtension: bz})
	require.NoError(t, err)
	require.Equal(t, cmtabci.ResponseVerifyVoteExtension_ACCEPT, resp.Status)

	// Values the other validators would reject are left out, not sent.
	above := types.DefaultParams().MaxValue.Add(dec("1"))
	bz = extend(t, ctx, k, prices{h100: above, tbill: dec("0")})
	require.Empty(t, bz)
	bz = extend(t, ctx, k, prices{tbill: dec("0.05")})
	ve, err = types.DecodeVoteExtension(bz)
	require.NoError(t, err)
	require.Equal(t, []types.VoteExtensionPrice{{FeedId: tbill, Value: dec("0.05")}}, ve.Prices, "a feed without a cached value is left out")

	// No provider, or nothing cached: an empty extension.
	require.Empty(t, extend(t, ctx, k, nil))
	require.Empty(t, extend(t, ctx, k, prices{}))
}

func TestVerifyVoteExtensionRejects(t *testing.T) {
	ctx, k := setup(t)
	verify := oracleabci.NewVerifyVoteExtensionHandler(k, log.NewNopLogger())
	status := func(bz []byte) cmtabci.ResponseVerifyVoteExtension_VerifyStatus {
		resp, err := verify(ctx, &cmtabci.RequestVerifyVoteExtension{Height: 5, VoteExtension: bz})
		require.NoError(t, err)
		return resp.Status
	}
	require.Equal(t, cmtabci.ResponseVerifyVoteExtension_ACCEPT, status(nil))
	encode := func(feed, value string) []byte {
		bz, err := (&types.VoteExtension{Prices: []types.VoteExtensionPrice{{FeedId: feed, Value: dec(value)}}}).Marshal()
		require.NoError(t, err)
		return bz
	}
	for name, bz := range map[string][]byte{
		"malformed":      []byte("\xff\xff"),
		"oversized":      make([]byte, types.MaxVoteExtensionBytes+1),
		"unknown feed":   encode("gpu/unknown", "1"),
		"FEEDERS feed":   encode(feederFX, "1"),
		"zero":           encode(h100, "0"),
		"negative":       encode(h100, "-1"),
		"above maxValue": encode(h100, "1000000000000000001"),
	} {
		require.Equal(t, cmtabci.ResponseVerifyVoteExtension_REJECT, status(bz), name)
	}
}

// network is four equal validators whose extensions report the given H100 prices.
type network struct {
	vals   []voteext.Validator
	store  voteext.Store
	commit cmtabci.ExtendedCommitInfo
}

func newNetwork(t *testing.T, ctx sdk.Context, k *keeper.Keeper, h100Prices ...string) network {
	t.Helper()
	vals := voteext.NewValidators("oracle", 10, 10, 10, 10)
	votes := make([]voteext.Vote, len(vals))
	for i := range vals {
		if i < len(h100Prices) && h100Prices[i] != "" {
			votes[i].Extension = extend(t, ctx, k, prices{h100: dec(h100Prices[i]), tbill: dec("0.05")})
		} else if i >= len(h100Prices) {
			votes[i].Absent = true
		}
	}
	return network{vals: vals, store: voteext.NewStore(vals), commit: voteext.Commit(chainID, 4, 0, vals, votes)}
}

// nextPrepare records what the default handler received and returns its txs.
type nextPrepare struct {
	req *cmtabci.RequestPrepareProposal
}

func (n *nextPrepare) handle(_ sdk.Context, req *cmtabci.RequestPrepareProposal) (*cmtabci.ResponsePrepareProposal, error) {
	n.req = req
	return &cmtabci.ResponsePrepareProposal{Txs: req.Txs}, nil
}

func TestPrepareProposalInjectsValidCommit(t *testing.T) {
	ctx, k := setup(t)
	net := newNetwork(t, ctx, k, "29000", "30000", "31000", "300000")
	userTx := []byte("user tx")
	next := &nextPrepare{}
	prepare := oracleabci.NewPrepareProposalHandler(net.store, next.handle, log.NewNopLogger())

	pctx := voteext.Context(ctx, chainID, 5, 1, net.commit)
	resp, err := prepare(pctx, &cmtabci.RequestPrepareProposal{Height: 5, MaxTxBytes: 1 << 20, Txs: [][]byte{userTx}, LocalLastCommit: net.commit})
	require.NoError(t, err)
	require.Len(t, resp.Txs, 2)
	commit, ok, err := oracleabci.DecodeCommit(resp.Txs[0])
	require.True(t, ok)
	require.NoError(t, err)
	require.Equal(t, net.commit, commit)
	require.Equal(t, userTx, resp.Txs[1])
	require.Equal(t, int64(1<<20-len(resp.Txs[0])), next.req.MaxTxBytes, "the commit's bytes come out of the block budget")

	// Extensions disabled (or not yet carried at the enable height): nothing injected.
	for _, enable := range []int64{0, 5} {
		pctx := voteext.Context(ctx, chainID, 5, enable, net.commit)
		resp, err = prepare(pctx, &cmtabci.RequestPrepareProposal{Height: 5, MaxTxBytes: 1 << 20, Txs: [][]byte{userTx}, LocalLastCommit: net.commit})
		require.NoError(t, err)
		require.Equal(t, [][]byte{userTx}, resp.Txs, "enable height %d", enable)
	}

	// A commit that fails ValidateVoteExtensions (tampered extension) is not injected.
	bad := tamper(net.commit)
	pctx = voteext.Context(ctx, chainID, 5, 1, bad)
	resp, err = prepare(pctx, &cmtabci.RequestPrepareProposal{Height: 5, MaxTxBytes: 1 << 20, Txs: [][]byte{userTx}, LocalLastCommit: bad})
	require.NoError(t, err)
	require.Equal(t, [][]byte{userTx}, resp.Txs)

	// Too big for the block: not injected.
	resp, err = prepare(voteext.Context(ctx, chainID, 5, 1, net.commit), &cmtabci.RequestPrepareProposal{Height: 5, MaxTxBytes: 10, LocalLastCommit: net.commit})
	require.NoError(t, err)
	require.Empty(t, resp.Txs)
}

// tamper changes the first committed vote's extension after signing.
func tamper(commit cmtabci.ExtendedCommitInfo) cmtabci.ExtendedCommitInfo {
	out := commit
	out.Votes = append([]cmtabci.ExtendedVoteInfo(nil), commit.Votes...)
	bz, _ := types.EncodeVoteExtension([]types.VoteExtensionPrice{{FeedId: h100, Value: dec("1")}})
	out.Votes[0].VoteExtension = bz
	return out
}

func TestProcessProposal(t *testing.T) {
	ctx, k := setup(t)
	net := newNetwork(t, ctx, k, "29000", "30000", "31000", "300000")
	var got [][]byte
	next := func(_ sdk.Context, req *cmtabci.RequestProcessProposal) (*cmtabci.ResponseProcessProposal, error) {
		got = req.Txs
		return &cmtabci.ResponseProcessProposal{Status: cmtabci.ResponseProcessProposal_ACCEPT}, nil
	}
	process := oracleabci.NewProcessProposalHandler(net.store, next, log.NewNopLogger())
	userTx := []byte("user tx")
	run := func(lastCommit cmtabci.ExtendedCommitInfo, enable int64, first []byte) cmtabci.ResponseProcessProposal_ProposalStatus {
		t.Helper()
		got = nil
		txs := [][]byte{userTx}
		if first != nil {
			txs = append([][]byte{first}, txs...)
		}
		resp, err := process(voteext.Context(ctx, chainID, 5, enable, lastCommit), &cmtabci.RequestProcessProposal{Height: 5, Txs: txs})
		require.NoError(t, err)
		return resp.Status
	}
	encode := func(c cmtabci.ExtendedCommitInfo) []byte {
		bz, err := oracleabci.EncodeCommit(c)
		require.NoError(t, err)
		return bz
	}

	require.Equal(t, cmtabci.ResponseProcessProposal_ACCEPT, run(net.commit, 1, encode(net.commit)))
	require.Equal(t, [][]byte{userTx}, got, "the default handler sees only the transactions")

	require.Equal(t, cmtabci.ResponseProcessProposal_ACCEPT, run(net.commit, 1, nil), "a proposal without prices is fine")
	require.Equal(t, [][]byte{userTx}, got)

	otherRound := net.commit
	otherRound.Round = 1
	rejects := map[string]struct {
		last   cmtabci.ExtendedCommitInfo
		enable int64
		first  []byte
	}{
		"tampered extension":         {net.commit, 1, encode(tamper(net.commit))},
		"extensions disabled":        {net.commit, 0, encode(net.commit)},
		"malformed commit":           {net.commit, 1, append(encode(net.commit)[:40], 0xff, 0xff)},
		"other than the last commit": {otherRound, 1, encode(net.commit)},
	}
	for name, tc := range rejects {
		require.Equal(t, cmtabci.ResponseProcessProposal_REJECT, run(tc.last, tc.enable, tc.first), name)
		require.Nil(t, got, "%s: the default handler is not reached", name)
	}

	// Below 2/3 of the power signed: rejected.
	weak := newNetwork(t, ctx, k, "29000", "30000")
	require.Equal(t, cmtabci.ResponseProcessProposal_REJECT, run(weak.commit, 1, encode(weak.commit)))

	// A correctly signed but malformed extension (a faulty validator, or one the
	// proposer's node never verified) makes the proposal invalid.
	vals := voteext.NewValidators("oracle", 10, 10, 10, 10)
	votes := []voteext.Vote{{Extension: []byte("garbage")}, {}, {}, {}}
	garbage := voteext.Commit(chainID, 4, 0, vals, votes)
	require.Equal(t, cmtabci.ResponseProcessProposal_REJECT, run(garbage, 1, encode(garbage)))
}

func TestPreBlockWritesWeightedMedian(t *testing.T) {
	ctx, k := setup(t)
	net := newNetwork(t, ctx, k, "29000", "30000", "31000", "300000")
	injected, err := oracleabci.EncodeCommit(net.commit)
	require.NoError(t, err)

	oracleabci.PreBlock(ctx, k, &cmtabci.RequestFinalizeBlock{Height: 5, Txs: [][]byte{injected, []byte("tx")}}, log.NewNopLogger())
	price, err := k.GetPrice(ctx, h100)
	require.NoError(t, err)
	require.Equal(t, dec("30500"), price.Value, "the outlier never sets the price")
	require.True(t, price.Valid)
	require.Equal(t, uint32(4), price.NumPosts)
	rate, err := k.GetPrice(ctx, tbill)
	require.NoError(t, err)
	require.Equal(t, dec("0.05"), rate.Value)

	// One validator absent, one with a failing source (empty extension): 2 of 4
	// reported, below min_power, so the prices stay as they were.
	ctx = ctx.WithBlockTime(ctx.BlockTime().Add(time.Minute))
	partial := newNetwork(t, ctx, k, "40000", "", "40000")
	injected, err = oracleabci.EncodeCommit(partial.commit)
	require.NoError(t, err)
	oracleabci.PreBlock(ctx, k, &cmtabci.RequestFinalizeBlock{Height: 6, Txs: [][]byte{injected}}, log.NewNopLogger())
	again, err := k.GetPrice(ctx, h100)
	require.NoError(t, err)
	require.Equal(t, price, again)

	// One validator stopped: 3 of 4 still update.
	ctx = ctx.WithBlockTime(ctx.BlockTime().Add(time.Minute))
	three := newNetwork(t, ctx, k, "40000", "41000", "42000")
	injected, err = oracleabci.EncodeCommit(three.commit)
	require.NoError(t, err)
	oracleabci.PreBlock(ctx, k, &cmtabci.RequestFinalizeBlock{Height: 7, Txs: [][]byte{injected}}, log.NewNopLogger())
	price, err = k.GetPrice(ctx, h100)
	require.NoError(t, err)
	require.Equal(t, dec("41000"), price.Value)
	require.Equal(t, ctx.BlockTime(), price.UpdatedAt)

	// Blocks without a commit, or with a malformed one, change nothing and do not fail.
	oracleabci.PreBlock(ctx, k, &cmtabci.RequestFinalizeBlock{Height: 8, Txs: [][]byte{[]byte("tx")}}, log.NewNopLogger())
	oracleabci.PreBlock(ctx, k, &cmtabci.RequestFinalizeBlock{Height: 8, Txs: [][]byte{append(injected[:40:40], 0xff)}}, log.NewNopLogger())
	oracleabci.PreBlock(ctx, k, &cmtabci.RequestFinalizeBlock{Height: 8}, log.NewNopLogger())
	after, err := k.GetPrice(ctx, h100)
	require.NoError(t, err)
	require.Equal(t, price, after)
}
