package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/infrafi/infrafi/x/caliber/keeper"
	"github.com/infrafi/infrafi/x/caliber/types"
)

// populated drives a fixture through every kind of state.
func populated(t *testing.T) *fixture {
	f := setup(t)
	f.fund(insurer, 1_000_000)
	a := f.active()                             // insured, appraised, stale later
	b := f.toStatus(types.StatusPledged)        // pledged
	f.toStatus(types.StatusCasualty)            // casualty with serials freed
	f.mint()                                    // pending
	f.toStatus(types.StatusRedemptionRequested) // redemption requested
	f.insure(a, 100_000)
	require.NoError(t, f.appraise(appraiser1, a, 100_000_000, year))
	require.NoError(t, f.appraise(appraiser2, b, 120_000_000, year))
	_, err := f.msgs.RequestPolicy(f.ctx, f.requestMsg(b, 50_000))
	require.NoError(t, err)
	f.advance(types.DefaultCustodyAttestationMaxAge)
	f.endBlock() // every custody record is stale now
	require.NoError(t, f.attest(a))
	return f
}

func TestGenesisRoundTrip(t *testing.T) {
	f := populated(t)
	exported := f.state()
	require.NoError(t, exported.Genesis.Validate())
	require.Len(t, exported.Genesis.Titles, 5)
	require.Equal(t, lien, exported.Genesis.Titles[1].LoanId, "the pledged title exports its lien")
	require.Equal(t, uint64(6), exported.Genesis.NextTitleId)
	require.Equal(t, uint64(3), exported.Genesis.NextPolicyRequestId)

	// A fresh keeper importing the export holds the same state, indexes rebuilt.
	ctx, k, _, _ := newKeeper(t, f.bank, f.oracle)
	ctx = ctx.WithBlockTime(f.ctx.BlockTime())
	require.NoError(t, k.InitGenesis(ctx, exported.Genesis))
	g := &fixture{t: t, ctx: ctx, k: k, msgs: keeper.NewMsgServerImpl(k), query: keeper.NewQueryServerImpl(k), bank: f.bank, oracle: f.oracle}
	require.Equal(t, exported, g.state())
	g.requireInvariants()

	// Sequences continue where they were.
	g.hooks = &recordingHooks{}
	k.SetHooks(g.hooks)
	res, err := g.msgs.MintTitle(ctx, f.mintMsg(h100, "NEXT-1"))
	require.NoError(t, err)
	require.Equal(t, uint64(6), res.TitleId)

	// The module account must hold what the pools say.
	h, k2, _, _ := newKeeper(t, &fakeBank{balances: map[string]math.Int{}}, f.oracle)
	err = k2.InitGenesis(h, exported.Genesis)
	require.ErrorIs(t, err, types.ErrInvalidGenesis)
}

// Governance lowering max_serials_per_title must not make the chain's own
// titles invalid genesis: the cap is checked at mint.
func TestGenesisKeepsTitlesAboveALoweredSerialCap(t *testing.T) {
	f := populated(t)
	g := f.state().Genesis
	g.Params.MaxSerialsPerTitle = 1
	for i := range g.Titles {
		if g.Titles[i].Status == types.StatusActive {
			g.Titles[i].Serials = []string{"CAP-1", "CAP-2", "CAP-3"}
		}
	}
	require.NoError(t, g.Validate())
}

func TestGenesisValidateRejects(t *testing.T) {
	f := populated(t)
	base := f.state().Genesis
	clone := func() *types.GenesisState {
		var gs types.GenesisState
		bz := f.encCfg.Codec.MustMarshalJSON(base)
		f.encCfg.Codec.MustUnmarshalJSON(bz, &gs)
		return &gs
	}
	tests := map[string]struct {
		mutate func(gs *types.GenesisState)
		err    error
	}{
		"bad params":                 {func(gs *types.GenesisState) { gs.Params.MaxSerialsPerTitle = 0 }, types.ErrInvalidParams},
		"zero next title id":         {func(gs *types.GenesisState) { gs.NextTitleId = 0 }, types.ErrInvalidGenesis},
		"title id not below next":    {func(gs *types.GenesisState) { gs.NextTitleId = 5 }, types.ErrInvalidGenesis},
		"duplicate party":            {func(gs *types.GenesisState) { gs.Parties = append(gs.Parties, gs.Parties[0]) }, types.ErrPartyExists},
		"duplicate class":            {func(gs *types.GenesisState) { gs.AssetClasses = append(gs.AssetClasses, gs.AssetClasses[0]) }, types.ErrAssetClassExists},
		"title of unknown class":     {func(gs *types.GenesisState) { gs.Titles[0].ClassId = "nope" }, types.ErrAssetClassNotFound},
		"serial in two live titles":  {func(gs *types.GenesisState) { gs.Titles[1].Serials[0] = gs.Titles[0].Serials[0] }, types.ErrSerialInUse},
		"stored REDEEMED title":      {func(gs *types.GenesisState) { gs.Titles[0].Status = types.StatusRedeemed }, types.ErrInvalidTitle},
		"pledged title without lien": {func(gs *types.GenesisState) { gs.Titles[1].LoanId = 0 }, types.ErrInvalidLien},
		"lien on an active title":    {func(gs *types.GenesisState) { gs.Titles[0].LoanId = 3 }, types.ErrInvalidLien},
		"custody of pending title":   {func(gs *types.GenesisState) { gs.Custody[0].TitleId = 4 }, types.ErrInvalidGenesis},
		"missing custody":            {func(gs *types.GenesisState) { gs.Custody = gs.Custody[1:] }, types.ErrInvalidGenesis},
		"appraisal of unknown title": {func(gs *types.GenesisState) { gs.Appraisals[0].TitleId = 99 }, types.ErrTitleNotFound},
		"reserved mismatch":          {func(gs *types.GenesisState) { gs.Pools[0].Reserved = gs.Pools[0].Reserved.AddRaw(1) }, types.ErrInvalidGenesis},
		"policy without pool":        {func(gs *types.GenesisState) { gs.Pools = nil }, types.ErrPoolNotFound},
		"request id not below next":  {func(gs *types.GenesisState) { gs.NextPolicyRequestId = 1 }, types.ErrInvalidGenesis},
		"two requests on a title": {func(gs *types.GenesisState) {
			r := gs.PolicyRequests[0]
			r.Id = 1
			gs.PolicyRequests = append(gs.PolicyRequests, r)
		}, types.ErrInvalidGenesis},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			gs := clone()
			tc.mutate(gs)
			require.ErrorIs(t, gs.Validate(), tc.err)
		})
	}
}

func TestQueriesPaginateThroughIndexes(t *testing.T) {
	f := setup(t)
	var active []uint64
	for n := 0; n < 5; n++ {
		active = append(active, f.active())
	}
	pending := f.mint()
	_, err := f.msgs.TransferTitle(f.ctx, &types.MsgTransferTitle{Owner: owner.String(), TitleId: active[4], Recipient: buyer.String()})
	require.NoError(t, err)

	ids := func(ts []types.Title) []uint64 {
		out := []uint64{}
		for _, t := range ts {
			out = append(out, t.Id)
		}
		return out
	}

	// By owner, two per page.
	var got []uint64
	var key []byte
	for {
		res, err := f.query.Titles(f.ctx, &types.QueryTitlesRequest{Owner: owner.String(), Pagination: &query.PageRequest{Key: key, Limit: 2}})
		require.NoError(t, err)
		require.LessOrEqual(t, len(res.Titles), 2)
		got = append(got, ids(res.Titles)...)
		if key = res.Pagination.NextKey; key == nil {
			break
		}
	}
	require.Equal(t, []uint64{active[0], active[1], active[2], active[3], pending}, got)

	res, err := f.query.Titles(f.ctx, &types.QueryTitlesRequest{Owner: owner.String(), Status: types.StatusActive})
	require.NoError(t, err)
	require.Equal(t, active[:4], ids(res.Titles), "owner and status combined")
	res, err = f.query.Titles(f.ctx, &types.QueryTitlesRequest{Status: types.StatusPendingCustody})
	require.NoError(t, err)
	require.Equal(t, []uint64{pending}, ids(res.Titles))
	res, err = f.query.Titles(f.ctx, &types.QueryTitlesRequest{ClassId: h100, Pagination: &query.PageRequest{CountTotal: true}})
	require.NoError(t, err)
	require.Len(t, res.Titles, 6)
	require.Equal(t, uint64(6), res.Pagination.Total)
	res, err = f.query.Titles(f.ctx, &types.QueryTitlesRequest{Custodian: custodian2.String()})
	require.NoError(t, err)
	require.Empty(t, res.Titles)
	res, err = f.query.Titles(f.ctx, &types.QueryTitlesRequest{Pagination: &query.PageRequest{Offset: 4, Limit: 10}})
	require.NoError(t, err)
	require.Equal(t, []uint64{active[4], pending}, ids(res.Titles))
	_, err = f.query.Titles(f.ctx, &types.QueryTitlesRequest{Owner: "bad"})
	require.Error(t, err)

	// Title by serial, title with custody.
	serial := f.title(active[0]).Serials[3]
	bySerial, err := f.query.TitleBySerial(f.ctx, &types.QueryTitleBySerialRequest{Serial: serial})
	require.NoError(t, err)
	require.Equal(t, active[0], bySerial.Title.Id)
	_, err = f.query.TitleBySerial(f.ctx, &types.QueryTitleBySerialRequest{Serial: "NOT-THERE"})
	require.Error(t, err)
	tres, err := f.query.Title(f.ctx, &types.QueryTitleRequest{Id: active[0]})
	require.NoError(t, err)
	require.NotNil(t, tres.Custody)
	require.False(t, tres.Stale)
	tres, err = f.query.Title(f.ctx, &types.QueryTitleRequest{Id: pending})
	require.NoError(t, err)
	require.Nil(t, tres.Custody)

	// Parties by role.
	parties, err := f.query.Parties(f.ctx, &types.QueryPartiesRequest{Role: types.RoleAppraiser})
	require.NoError(t, err)
	require.Len(t, parties.Parties, 3)
	parties, err = f.query.Parties(f.ctx, &types.QueryPartiesRequest{Role: types.RoleCurator})
	require.NoError(t, err)
	require.Len(t, parties.Parties, 1)
	require.Equal(t, appraiser3.String(), parties.Parties[0].Address)
	parties, err = f.query.Parties(f.ctx, &types.QueryPartiesRequest{Pagination: &query.PageRequest{Limit: 3, CountTotal: true}})
	require.NoError(t, err)
	require.Len(t, parties.Parties, 3)
	require.Equal(t, uint64(8), parties.Pagination.Total)

	// Classes, pools, requests, params.
	classes, err := f.query.AssetClasses(f.ctx, &types.QueryAssetClassesRequest{})
	require.NoError(t, err)
	require.Len(t, classes.AssetClasses, 2)
	class, err := f.query.AssetClass(f.ctx, &types.QueryAssetClassRequest{Id: h100})
	require.NoError(t, err)
	require.Equal(t, h100Class(), class.AssetClass)
	f.fund(insurer, 10_000)
	pool, err := f.query.Pool(f.ctx, &types.QueryPoolRequest{Insurer: insurer.String()})
	require.NoError(t, err)
	require.Equal(t, i(10_000), pool.Free)
	_, err = f.query.Pool(f.ctx, &types.QueryPoolRequest{Insurer: insurer2.String()})
	require.Error(t, err)
	_, err = f.msgs.RequestPolicy(f.ctx, f.requestMsg(active[0], 1_000))
	require.NoError(t, err)
	reqs, err := f.query.PolicyRequests(f.ctx, &types.QueryPolicyRequestsRequest{Insurer: insurer.String()})
	require.NoError(t, err)
	require.Len(t, reqs.Requests, 1)
	reqs, err = f.query.PolicyRequests(f.ctx, &types.QueryPolicyRequestsRequest{Insurer: insurer2.String()})
	require.NoError(t, err)
	require.Empty(t, reqs.Requests)
	params, err := f.query.Params(f.ctx, &types.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, types.DefaultParams(), params.Params)
	_, err = f.query.Title(f.ctx, nil)
	require.Error(t, err)
}
