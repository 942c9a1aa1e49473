package keeper_test

import (
	"errors"
	"testing"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/stable/types"
)

type fakeDenoms map[string][2]string

func (d fakeDenoms) DenomOrigin(_ sdk.Context, denom string) (string, string, error) {
	o, ok := d[denom]
	if !ok {
		return "", "", errors.New("denom trace not found")
	}
	return o[0], o[1], nil
}

// usage queries the quota state of uusdai on channel-0.
func (f *fixture) usage(channel string) types.OutflowUsage {
	f.t.Helper()
	res, err := f.query.OutflowUsage(f.ctx, &types.QueryOutflowUsageRequest{Channel: channel, Denom: types.USDaiDenom})
	require.NoError(f.t, err)
	return res.Usage
}

func (f *fixture) advance(d time.Duration) {
	f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(d))
}

func TestOutflowQuotaCapsRollingNetOutflow(t *testing.T) {
	f := setup(t)
	// Supply 1,000 units of USDai: the share cap (50% = 500) is looser than
	// the absolute cap (300), so the limit is 300.
	f.mustMint(alice, sdk.NewInt64Coin(usdc, 1_000_000_000))
	supply := f.supply(types.USDaiDenom)
	require.Equal(t, math.NewInt(300_000_000), f.usage("channel-0").Limit)

	require.NoError(t, f.k.RecordOutflow(f.ctx, "channel-0", types.USDaiDenom, math.NewInt(200_000_000)))
	u := f.usage("channel-0")
	require.Equal(t, math.NewInt(200_000_000), u.Used)
	require.Equal(t, math.NewInt(100_000_000), u.Remaining)

	// Over the remaining room: refused with the registered error, nothing recorded.
	before := f.snapshot()
	err := f.k.RecordOutflow(f.ctx, "channel-0", types.USDaiDenom, math.NewInt(100_000_001))
	require.ErrorIs(t, err, types.ErrOutflowQuota)
	f.requireUnchanged(before)

	// Each channel has its own quota.
	require.NoError(t, f.k.RecordOutflow(f.ctx, "channel-1", types.USDaiDenom, math.NewInt(300_000_000)))

	// A return frees room on its channel only.
	require.NoError(t, f.k.RecordReturn(f.ctx, "channel-0", types.USDaiDenom, math.NewInt(50_000_000)))
	require.Equal(t, math.NewInt(150_000_000), f.usage("channel-0").Remaining)
	require.True(t, f.usage("channel-1").Remaining.IsZero())

	// Halfway into the next window half of the previous window's 150 still counts.
	f.advance(150 * time.Second)
	require.Equal(t, math.NewInt(75_000_000), f.usage("channel-0").Used)
	// Two windows later nothing counts.
	f.advance(200 * time.Second)
	require.True(t, f.usage("channel-0").Used.IsZero())
	require.Equal(t, supply, f.supply(types.USDaiDenom), "the quota never moves coins")
}

func TestOutflowQuotaShareOfSupply(t *testing.T) {
	f := setup(t)
	f.mustMint(alice, sdk.NewInt64Coin(usdc, 400_000_000))
	// 50% of a ~399.6 USDai supply is below the 300 absolute cap.
	supply := f.supply(types.USDaiDenom)
	limit := supply.QuoRaw(2)
	require.Equal(t, limit, f.usage("channel-0").Limit)
	require.ErrorIs(t, f.k.RecordOutflow(f.ctx, "channel-0", types.USDaiDenom, limit.AddRaw(1)), types.ErrOutflowQuota)
	require.NoError(t, f.k.RecordOutflow(f.ctx, "channel-0", types.USDaiDenom, limit))
}

func TestOutflowWithoutQuotaPasses(t *testing.T) {
	f := setup(t)
	// ususdai has no quota in the test params: no limit, nothing stored.
	require.NoError(t, f.k.RecordOutflow(f.ctx, "channel-0", types.SUSDaiDenom, math.NewInt(1_000_000_000_000)))
	has, err := f.k.OutflowWindows.Has(f.ctx, collectionsPair("channel-0", types.SUSDaiDenom))
	require.NoError(t, err)
	require.False(t, has)
	res, err := f.query.OutflowUsage(f.ctx, &types.QueryOutflowUsageRequest{Channel: "channel-0", Denom: types.SUSDaiDenom})
	require.NoError(t, err)
	require.Nil(t, res.Usage.Quota)
}

func TestOutflowQueriesRejectBadInput(t *testing.T) {
	f := setup(t)
	_, err := f.query.OutflowUsage(f.ctx, &types.QueryOutflowUsageRequest{Channel: "chan-0", Denom: types.USDaiDenom})
	require.ErrorContains(t, err, "channel-<n>")
	_, err = f.query.OutflowUsage(f.ctx, &types.QueryOutflowUsageRequest{Channel: "channel-0", Denom: "1bad"})
	require.Error(t, err)

	f.mustMint(alice, sdk.NewInt64Coin(usdc, 1_000_000_000))
	require.NoError(t, f.k.RecordOutflow(f.ctx, "channel-3", types.USDaiDenom, math.NewInt(7)))
	require.NoError(t, f.k.RecordOutflow(f.ctx, "channel-1", types.USDaiDenom, math.NewInt(5)))
	all, err := f.query.OutflowUsages(f.ctx, &types.QueryOutflowUsagesRequest{})
	require.NoError(t, err)
	require.Len(t, all.Usages, 2)
	require.Equal(t, "channel-1", all.Usages[0].Channel)
	require.Equal(t, math.NewInt(5), all.Usages[0].Used)
	require.Equal(t, math.NewInt(7), all.Usages[1].Used)
}

func TestOutflowWindowsSurviveGenesis(t *testing.T) {
	f := setup(t)
	f.mustMint(alice, sdk.NewInt64Coin(usdc, 1_000_000_000))
	require.NoError(t, f.k.RecordOutflow(f.ctx, "channel-2", types.USDaiDenom, math.NewInt(9)))
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Len(t, gs.OutflowWindows, 1)
	require.NoError(t, gs.Validate())

	g := newFixture(t)
	g.bank.InitGenesis(g.ctx, f.bank.ExportGenesis(f.ctx))
	require.NoError(t, g.k.InitGenesis(g.ctx, gs))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, gs.OutflowWindows, again.OutflowWindows)

	bad := *gs
	bad.OutflowWindows = append(bad.OutflowWindows, gs.OutflowWindows[0])
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
}

func TestVoucherReserveNeedsATraceAndShowsOrigin(t *testing.T) {
	f := setup(t)
	voucher := "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"
	f.k.SetDenomResolver(fakeDenoms{})
	before := f.snapshot()
	p := testParams()
	p.Reserves = append(p.Reserves, types.ReserveAsset{Denom: voucher, Enabled: true, Cap: math.NewInt(1_000_000), DepegThreshold: math.LegacyZeroDec()})
	err := f.k.SetParams(f.ctx, p)
	require.ErrorIs(t, err, types.ErrUnknownVoucher)
	f.requireUnchanged(before)

	f.k.SetDenomResolver(fakeDenoms{voucher: {"transfer/channel-7", "uusdc"}})
	require.NoError(t, f.k.SetParams(f.ctx, p))
	res, err := f.query.Reserve(f.ctx, &types.QueryReserveRequest{Denom: voucher})
	require.NoError(t, err)
	require.Equal(t, &types.ReserveOrigin{Path: "transfer/channel-7", BaseDenom: "uusdc"}, res.Reserve.Origin)
	proof := f.proof()
	require.Equal(t, voucher, proof.Reserves[3].Denom)
	require.Equal(t, "uusdc", proof.Reserves[3].Origin.BaseDenom)
	require.Nil(t, proof.Reserves[0].Origin, "a native reserve has no origin")

	// Listed twice: the params are refused.
	p.Reserves = append(p.Reserves, p.Reserves[3])
	require.ErrorIs(t, f.k.SetParams(f.ctx, p), types.ErrInvalidParams)
}

func collectionsPair(channel, denom string) collections.Pair[string, string] {
	return collections.Join(channel, denom)
}
