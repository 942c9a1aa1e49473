package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/x/oracle/types"
)

func TestMigrateMinPower(t *testing.T) {
	f := setup(t)
	params, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)

	// Version 1 stored no min_power.
	params.MinPower = math.LegacyDec{}
	require.NoError(t, f.k.Params.Set(f.ctx, params))
	require.NoError(t, f.k.MigrateMinPower(f.ctx))
	got, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	require.True(t, got.MinPower.Equal(types.DefaultMinPower), "min_power %s", got.MinPower)
	require.Equal(t, params.MaxValue, got.MaxValue, "other params unchanged")

	// A chain that already has a min_power keeps it.
	got.MinPower = dec("0.5")
	require.NoError(t, f.k.Params.Set(f.ctx, got))
	require.NoError(t, f.k.MigrateMinPower(f.ctx))
	again, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	require.True(t, again.MinPower.Equal(dec("0.5")))
}
