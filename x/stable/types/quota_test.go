package types_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/x/stable/types"
)

func TestOutflowWindowRollAndUsed(t *testing.T) {
	const w = 100
	win := types.OutflowWindow{Start: 1000, Current: math.NewInt(80), Previous: math.NewInt(40)}
	for _, tc := range []struct {
		name      string
		now       int64
		wantStart int64
		wantUsed  int64
	}{
		{"start of window: all of previous", 1000, 1000, 120},
		{"quarter in: 3/4 of previous", 1025, 1000, 110},
		{"rounding up the previous share", 1099, 1000, 81},
		{"next window: current becomes previous", 1100, 1100, 80},
		{"half into next window", 1150, 1100, 40},
		{"two windows on: nothing", 1200, 1200, 0},
		{"long after: aligned fresh window", 5432, 5400, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rolled := win.Roll(tc.now, w)
			require.Equal(t, tc.wantStart, rolled.Start)
			require.Equal(t, math.NewInt(tc.wantUsed), rolled.Used(tc.now, w))
		})
	}
	negative := types.OutflowWindow{Start: 0, Current: math.NewInt(-50), Previous: math.NewInt(10)}
	require.True(t, negative.Used(0, w).IsZero(), "more returned than sent counts as nothing out")
}

func TestOutflowQuotaLimitAndValidate(t *testing.T) {
	q := types.OutflowQuota{Denom: "uusdai", WindowSeconds: 60, MaxSupplyBps: 1000, MaxAmount: math.NewInt(500)}
	require.Equal(t, math.NewInt(100), q.Limit(math.NewInt(1000)), "10% of 1000 is under 500")
	require.Equal(t, math.NewInt(500), q.Limit(math.NewInt(100000)), "the absolute cap binds")
	q.MaxAmount = math.ZeroInt()
	require.Equal(t, math.NewInt(10000), q.Limit(math.NewInt(100000)), "no absolute cap")
	q.MaxSupplyBps, q.MaxAmount = 0, math.NewInt(7)
	require.Equal(t, math.NewInt(7), q.Limit(math.NewInt(100000)), "no share cap")

	for name, bad := range map[string]types.OutflowQuota{
		"no cap":     {Denom: "uusdai", WindowSeconds: 60, MaxAmount: math.ZeroInt()},
		"no window":  {Denom: "uusdai", MaxSupplyBps: 10, MaxAmount: math.ZeroInt()},
		"bps > 100%": {Denom: "uusdai", WindowSeconds: 60, MaxSupplyBps: 10001, MaxAmount: math.ZeroInt()},
		"voucher":    {Denom: "ibc/ABC", WindowSeconds: 60, MaxSupplyBps: 10, MaxAmount: math.ZeroInt()},
		"negative":   {Denom: "uusdai", WindowSeconds: 60, MaxAmount: math.NewInt(-1)},
		"nil amount": {Denom: "uusdai", WindowSeconds: 60, MaxSupplyBps: 10},
		"bad denom":  {Denom: "1x", WindowSeconds: 60, MaxSupplyBps: 10, MaxAmount: math.ZeroInt()},
	} {
		require.ErrorIs(t, bad.Validate(), types.ErrInvalidParams, name)
	}
	p := types.DefaultParams()
	require.NoError(t, p.Validate())
	p.OutflowQuotas = append(p.OutflowQuotas, p.OutflowQuotas[0])
	require.ErrorIs(t, p.Validate(), types.ErrInvalidParams, "duplicate quota denom")
}

func TestValidateChannelID(t *testing.T) {
	require.NoError(t, types.ValidateChannelID("channel-0"))
	require.NoError(t, types.ValidateChannelID("channel-1234"))
	for _, bad := range []string{"", "channel-", "channel-x", "chan-1", "channel-1/2", "07-tendermint-0"} {
		require.ErrorIs(t, types.ValidateChannelID(bad), types.ErrInvalidChannel, bad)
	}
}
