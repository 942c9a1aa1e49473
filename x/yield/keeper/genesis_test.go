package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/yield/types"
)

// busyFixture has every kind of state: deposits, a senior position, a
// treasury position with accrued yield and a recall, queued requests, an
// active serving round with a cursor and checkpoints.
func busyFixture(t *testing.T) *fixture {
	t.Helper()
	f := setupWith(t, func(p *types.Params) { p.MaxRedemptionsPerBlock = 1 })
	for _, who := range [][]byte{alice, bob, carol} {
		f.deposit(who, usd(1_000))
	}
	_, err := f.k.FundSenior(f.ctx, lending, usd(500), dec("0.12"))
	require.NoError(t, err)
	f.endBlock() // allocates to the treasury
	f.requestRedeem(alice, usd(100), 300)
	f.requestRedeem(bob, usd(200), 100)
	f.requestRedeem(carol, usd(50), 0)
	f.block(time.Hour) // closes the epoch; serves one request per block; recall set
	round, err := f.k.Round.Get(f.ctx)
	require.NoError(t, err)
	require.True(t, round.Active && round.HasCursor)
	require.True(t, f.treasury().Recall.IsPositive())
	require.True(t, f.treasury().AccruedYield.IsPositive())
	return f
}

func TestGenesisRoundTrip(t *testing.T) {
	f := busyFixture(t)
	require.NoError(t, f.k.CommitFunding(f.ctx, usd(70)))
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.Equal(t, usd(70).String(), gs.Committed.String())
	require.Len(t, gs.Requests, 2, "alice's top bid was served in the first block")
	require.NotEmpty(t, gs.Checkpoints)
	require.Equal(t, uint64(1), gs.Book.Positions)

	// A fresh chain with the same module balances imports it unchanged.
	g := newFixture(t)
	g.ctx = g.ctx.WithBlockTime(f.ctx.BlockTime())
	g.fundModule(types.ModuleName, sdkCoin(usdai, gs.Vault.Idle))
	g.fundModule(types.ModuleName, sdkCoin(susdai, gs.Vault.EscrowedShares))
	require.NoError(t, g.k.InitGenesis(g.ctx, gs))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, again)
	count, err := g.k.CheckpointCount.Get(g.ctx)
	require.NoError(t, err)
	require.Equal(t, uint64(len(gs.Checkpoints)), count)
	require.Equal(t, queueIDs(t, f), queueIDs(t, g), "queue order survives")
	committed, err := g.k.GetCommitted(g.ctx)
	require.NoError(t, err)
	require.Equal(t, usd(70).String(), committed.String())

	// Balances that disagree with the vault are refused.
	h := newFixture(t)
	require.ErrorIs(t, h.k.InitGenesis(h.ctx, gs), types.ErrInvalidGenesis)
}

func TestGenesisValidate(t *testing.T) {
	valid := func() *types.GenesisState {
		gs := types.DefaultGenesis()
		gs.Params = testParams()
		gs.Vault.NextRequestId = 2
		gs.Vault.EscrowedShares = math.NewInt(30)
		gs.Requests = []types.RedeemRequest{
			{Id: 0, Owner: alice.String(), Shares: math.NewInt(10), BidBps: 0, RequestedAt: genesisTime},
			{Id: 1, Owner: bob.String(), Shares: math.NewInt(20), BidBps: 100, RequestedAt: genesisTime},
		}
		gs.Checkpoints = []types.Checkpoint{
			{Time: genesisTime, Nav: math.ZeroInt(), ConservativeNav: math.ZeroInt(), TotalShares: math.ZeroInt(), SharePrice: dec("1")},
			{Time: genesisTime.Add(time.Hour), Nav: math.ZeroInt(), ConservativeNav: math.ZeroInt(), TotalShares: math.ZeroInt(), SharePrice: dec("1")},
		}
		return gs
	}
	require.NoError(t, valid().Validate())
	require.NoError(t, types.DefaultGenesis().Validate())

	for _, tc := range []struct {
		name string
		edit func(gs *types.GenesisState)
		err  error
	}{
		{"invalid params", func(gs *types.GenesisState) { gs.Params.CancelCutoff = gs.Params.EpochLength }, types.ErrInvalidParams},
		{"escrow differs from the queue", func(gs *types.GenesisState) { gs.Vault.EscrowedShares = math.NewInt(31) }, types.ErrInvalidGenesis},
		{"duplicate request", func(gs *types.GenesisState) { gs.Requests[1].Id = 0 }, types.ErrInvalidGenesis},
		{"request id not below next", func(gs *types.GenesisState) { gs.Vault.NextRequestId = 1 }, types.ErrInvalidGenesis},
		{"bid above 10000", func(gs *types.GenesisState) { gs.Requests[0].BidBps = 10_001 }, types.ErrInvalidGenesis},
		{"request without shares", func(gs *types.GenesisState) {
			gs.Requests[0].Shares = math.ZeroInt()
			gs.Vault.EscrowedShares = math.NewInt(20)
		}, types.ErrInvalidGenesis},
		{"bad owner", func(gs *types.GenesisState) { gs.Requests[0].Owner = "nope" }, types.ErrInvalidGenesis},
		{"negative idle", func(gs *types.GenesisState) { gs.Vault.Idle = math.NewInt(-1) }, types.ErrInvalidGenesis},
		{"recall above principal", func(gs *types.GenesisState) { gs.Treasury.Recall = math.NewInt(1) }, types.ErrInvalidGenesis},
		{"impairment above impaired principal", func(gs *types.GenesisState) {
			gs.Book.Positions, gs.Book.Principal, gs.Book.Impairment = 1, math.NewInt(5), math.NewInt(1)
		}, types.ErrInvalidGenesis},
		{"principal without positions", func(gs *types.GenesisState) { gs.Book.Principal = math.NewInt(5) }, types.ErrInvalidGenesis},
		{"checkpoints out of order", func(gs *types.GenesisState) { gs.Checkpoints[1].Time = genesisTime }, types.ErrInvalidGenesis},
		{"round cutoff beyond next id", func(gs *types.GenesisState) { gs.Round.CutoffId = 3 }, types.ErrInvalidGenesis},
		{"epoch ends before it starts", func(gs *types.GenesisState) { gs.Epoch.Start = genesisTime }, types.ErrInvalidGenesis},
		{"negative committed", func(gs *types.GenesisState) { gs.Committed = math.NewInt(-1) }, types.ErrInvalidGenesis},
		{"absurd committed", func(gs *types.GenesisState) { gs.Committed = types.MaxAssets.AddRaw(1) }, types.ErrInvalidGenesis},
		{"absurd accrued yield", func(gs *types.GenesisState) {
			gs.Treasury.AccruedYield = types.MaxAssets.ToLegacyDec().Add(math.LegacyOneDec())
		}, types.ErrInvalidGenesis},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gs := valid()
			tc.edit(gs)
			require.ErrorIs(t, gs.Validate(), tc.err)
		})
	}
}
