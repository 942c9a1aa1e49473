package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/infrafi/infrafi/x/yield/types"
)

func (f *fixture) history() []types.Checkpoint {
	f.t.Helper()
	res, err := f.query.PriceHistory(f.ctx, &types.QueryPriceHistoryRequest{})
	require.NoError(f.t, err)
	return res.Checkpoints
}

// TestCheckpointsAreBoundedAndPruned: hourly checkpoints, at most 5. Blocks
// every 30 min checkpoint every other block; beyond 5 the oldest is pruned.
func TestCheckpointsAreBoundedAndPruned(t *testing.T) {
	f := setup(t)
	require.Len(t, f.history(), 1, "the first block checkpoints")
	f.deposit(alice, usd(1_000))
	for i := 0; i < 14; i++ {
		f.block(30 * time.Minute)
	}
	h := f.history()
	require.Len(t, h, 5)
	require.Equal(t, genesisTime.Add(3*time.Hour), h[0].Time, "the oldest kept is 4 hours before the newest")
	require.Equal(t, genesisTime.Add(7*time.Hour), h[4].Time)
	require.Equal(t, usd(1_000).String(), h[4].TotalShares.String(), "one share per uusdai at the opening price")
	require.True(t, h[4].Nav.GTE(usd(1_000)))
	count, err := f.k.CheckpointCount.Get(f.ctx)
	require.NoError(t, err)
	require.Equal(t, uint64(5), count)

	// A lower limit is reached one pruning per block.
	p := testParams()
	p.MaxCheckpoints = 2
	_, err = f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority.String(), Params: p})
	require.NoError(t, err)
	f.block(time.Second)
	require.Len(t, f.history(), 4)
	f.block(time.Second)
	f.block(time.Second)
	require.Len(t, f.history(), 2)
	f.block(time.Second)
	require.Len(t, f.history(), 2)

	// Pagination, newest first.
	res, err := f.query.PriceHistory(f.ctx, &types.QueryPriceHistoryRequest{Pagination: &query.PageRequest{Limit: 1, Reverse: true}})
	require.NoError(t, err)
	require.Len(t, res.Checkpoints, 1)
	require.Equal(t, genesisTime.Add(7*time.Hour), res.Checkpoints[0].Time)
	require.NotNil(t, res.Pagination.NextKey)
}

// TestAPR: 900 of 1,000 USDai lent at 10% from day 0, daily checkpoints.
// NAV grows by 90 × 0.99 = 89.1 USDai a year, linearly; the share price,
// (NAV + 1 USDai) / (1,000 + 1 USDai of virtual shares), by 89.1 / 1,001 a year.
func TestAPR(t *testing.T) {
	f := setupWith(t, func(p *types.Params) {
		noTreasury(p)
		p.CheckpointInterval = 24 * time.Hour
		p.MaxCheckpoints = 400
		p.LiquidityBufferBps = 0
	})
	f.deposit(alice, usd(1_000))
	_, err := f.k.FundSenior(f.ctx, lending, usd(900), dec("0.10"))
	require.NoError(t, err)

	realized, projected, err := f.k.APR(f.ctx)
	require.NoError(t, err)
	for _, r := range realized {
		require.True(t, r.Apr.IsZero() && r.CoveredSeconds == 0, "no history yet: %v", r)
	}
	require.Equal(t, "0.089100000000000000", projected.String())

	for day := 0; day < 20; day++ {
		f.block(24 * time.Hour)
	}
	res, err := f.query.APR(f.ctx, &types.QueryAPRRequest{})
	require.NoError(t, err)
	require.Len(t, res.Realized, 3)
	day := int64(86_400)
	navAt := func(days int64) math.LegacyDec { // 1,000 + 89.1 × days / 365
		return math.LegacyNewDec(1_000).Add(dec("89.1").MulInt64(days).QuoInt64(365))
	}
	priceAt := func(days int64) math.LegacyDec { // (NAV + 1) / (1,000 + 1), in USDai
		return navAt(days).Add(math.LegacyOneDec()).QuoInt64(1_001)
	}
	for i, want := range []struct {
		window  uint32
		covered int64
		apr     math.LegacyDec
	}{
		{7, 7 * day, priceAt(20).Quo(priceAt(13)).Sub(math.LegacyOneDec()).MulInt64(365).QuoInt64(7)},
		{30, 20 * day, dec("89.1").QuoInt64(1_001)},
		{365, 20 * day, dec("89.1").QuoInt64(1_001)},
	} {
		got := res.Realized[i]
		require.Equal(t, want.window, got.WindowDays)
		require.Equal(t, uint64(want.covered), got.CoveredSeconds, "window %d", want.window)
		diff := got.Apr.Sub(want.apr).Abs()
		require.True(t, diff.LT(dec("0.000001")), "window %d: apr %s, want %s", want.window, got.Apr, want.apr)
	}
	require.True(t, res.Realized[0].Apr.LT(res.Realized[1].Apr), "a growing NAV earns a smaller rate on itself")
	// Projected: 90 × 0.99 over the grown NAV.
	wantProjected := dec("89.1").Quo(navAt(20))
	require.True(t, res.Projected.Sub(wantProjected).Abs().LT(dec("0.000001")), "projected %s, want %s", res.Projected, wantProjected)
}
