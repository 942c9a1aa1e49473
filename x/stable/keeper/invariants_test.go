package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/stable/keeper"
	"github.com/infrafi/infrafi/x/stable/types"
)

func TestReservesInvariantDetectsUnbackedUSDai(t *testing.T) {
	f := setup(t)
	f.mustMint(alice, coin(usdc, 1_000_000))
	msg, broken := keeper.ReservesInvariant(f.k)(f.ctx)
	require.False(t, broken, msg)

	f.fund(bob, coin(usdai, 1)) // USDai created outside x/stable
	msg, broken = keeper.ReservesInvariant(f.k)(f.ctx)
	require.True(t, broken)
	require.Contains(t, msg, "USDai supply 1000001uusdai, reserves held 1000000")
	_, broken = keeper.AllInvariants(f.k)(f.ctx)
	require.True(t, broken)
}

func TestModuleAccountInvariant(t *testing.T) {
	f := setup(t)
	f.mustMint(alice, coin(usdc, 1_000_000))
	require.NoError(t, f.bank.SendCoinsFromAccountToModule(f.ctx, alice, types.ModuleName, sdk.NewCoins(coin(usdai, 5))))
	msg, broken := keeper.ModuleAccountInvariant(f.k)(f.ctx)
	require.True(t, broken)
	require.Contains(t, msg, "module account holds 5uusdai")

	g := setup(t)
	require.NoError(t, g.k.TreasuryOutstanding.Set(g.ctx, "ufoo", math.NewInt(3)))
	msg, broken = keeper.ModuleAccountInvariant(g.k)(g.ctx)
	require.True(t, broken)
	require.Contains(t, msg, "3ufoo is not a listed reserve")
}
