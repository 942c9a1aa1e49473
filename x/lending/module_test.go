package lending_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/log"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/x/internal/modtest"
	"github.com/infrafi/infrafi/x/lending"
	"github.com/infrafi/infrafi/x/lending/keeper"
	"github.com/infrafi/infrafi/x/lending/types"
)

// TestMigrationsThroughModuleManager runs the registered migrations from
// state version 1 the way an upgrade handler does: the module manager finds
// every step through the configurator; version 1's curator keys under "" and
// version 2's status keys of PENDING loans are gone, while a funded loan's
// keys stay, and the plain account a payment left at the module's address is
// its module account (version 5).
func TestMigrationsThroughModuleManager(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(lending.AppModuleBasic{})
	key := storetypes.NewKVStoreKey(types.StoreKey)
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test")).Ctx
	authority := sdk.AccAddress([]byte("authority___________")).String()
	curator := sdk.AccAddress([]byte("curator_____________")).String()
	moduleAddr := authtypes.NewModuleAddress(types.ModuleName)
	accounts := modtest.NewAccounts(types.ModuleName)
	accounts.Set(authtypes.NewBaseAccount(moduleAddr, nil, 4, 0))
	k := keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(key), authority, nil, accounts, nil, nil, nil, log.NewNopLogger())
	am := lending.NewAppModule(encCfg.Codec, k, nil, nil, nil)
	cfg := modtest.Register(encCfg, am).Configurator

	curators := k.Loans.Indexes.Curator
	require.NoError(t, curators.Set(ctx, collections.Join("", uint64(7))))
	require.NoError(t, curators.Set(ctx, collections.Join(curator, uint64(8))))

	statuses := k.Loans.Indexes.Status
	require.NoError(t, statuses.Set(ctx, collections.Join(int32(types.LoanPending), uint64(7))))
	require.NoError(t, statuses.Set(ctx, collections.Join(int32(types.LoanActive), uint64(8))))

	vm, err := module.NewManager(am).RunMigrations(ctx, cfg, module.VersionMap{types.ModuleName: 1})
	require.NoError(t, err)
	require.Equal(t, uint64(lending.ConsensusVersion), vm[types.ModuleName])
	require.EqualValues(t, 5, lending.ConsensusVersion, "version 5 makes the module's account a module account")
	macc, ok := accounts.Module(types.ModuleName).(sdk.ModuleAccountI)
	require.True(t, ok, "%T", accounts.Module(types.ModuleName))
	require.Equal(t, moduleAddr, macc.GetAddress())
	for _, c := range []struct {
		has  func() (bool, error)
		want bool
	}{
		{func() (bool, error) { return curators.Has(ctx, collections.Join("", uint64(7))) }, false},
		{func() (bool, error) { return curators.Has(ctx, collections.Join(curator, uint64(8))) }, true},
		{func() (bool, error) { return statuses.Has(ctx, collections.Join(int32(types.LoanPending), uint64(7))) }, false},
		{func() (bool, error) { return statuses.Has(ctx, collections.Join(int32(types.LoanActive), uint64(8))) }, true},
	} {
		has, err := c.has()
		require.NoError(t, err)
		require.Equal(t, c.want, has)
	}
}
