package app_test

import (
	"strconv"
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"
	upgradetypes "cosmossdk.io/x/upgrade/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
)

// TestBuildTimeUpgradeRunsAtPlanHeight covers app.UpgradeName in process: the
// handler it registers applies the plan in the plan height's PreBlock and
// emits the upgrade event. (tests/e2e/upgrade_test.go does the halt and the
// binary swap on a localnet.)
func TestBuildTimeUpgradeRunsAtPlanHeight(t *testing.T) {
	const name = "unit-upgrade"
	fx := setupWithUpgrade(t, name)
	// Due in the very next block: x/upgrade refuses a binary that already has
	// the handler of a plan that is scheduled but not yet due.
	planHeight := fx.Height() + 1
	require.NoError(t, fx.UpgradeKeeper.ScheduleUpgrade(fx.Ctx(), upgradetypes.Plan{Name: name, Height: planHeight}))

	res := fx.NextBlock(time.Second)
	var applied int
	for _, ev := range res.Events {
		if ev.Type != app.EventTypeUpgradeApplied {
			continue
		}
		applied++
		attrs := map[string]string{}
		for _, a := range ev.Attributes {
			attrs[a.Key] = a.Value
		}
		require.Equal(t, name, attrs[app.AttributeKeyUpgradeName])
		require.Equal(t, strconv.FormatInt(planHeight, 10), attrs[app.AttributeKeyHeight])
		require.NotEmpty(t, attrs[app.AttributeKeyModules])
	}
	require.Equal(t, 1, applied)

	height, err := fx.UpgradeKeeper.GetDoneHeight(fx.Ctx(), name)
	require.NoError(t, err)
	require.Equal(t, planHeight, height)
	_, err = fx.UpgradeKeeper.GetUpgradePlan(fx.Ctx())
	require.ErrorIs(t, err, upgradetypes.ErrNoUpgradePlanFound)
	fx.NextBlock(time.Second)
}

// TestUpgradeReplacesPlainModuleAccounts: a chain that started before
// InitGenesis created the protocol_fees and lending module accounts, and whose
// first fee or exit-fee payment (a multi-output transfer, by address) came
// after it ran the current code, holds plain accounts at those addresses.
// Its state exports and imports, with module accounts, and an upgrade's
// module migrations (x/stable 1->2, x/lending 4->5) replace them; their coins
// stay, and x/bank's module transfers to them work again.
func TestUpgradeReplacesPlainModuleAccounts(t *testing.T) {
	const name = "unit-module-accounts"
	fx := setupWithUpgrade(t, name)
	ctx := fx.Ctx()
	payer := fx.Accounts[0]
	fee := sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 5))
	modules := []string{stabletypes.ProtocolFeeCollector, lendingtypes.ModuleName}
	outs := make([]banktypes.Output, len(modules))
	for i, m := range modules {
		addr := fx.AccountKeeper.GetModuleAddress(m)
		if acc := fx.AccountKeeper.GetAccount(ctx, addr); acc != nil {
			fx.AccountKeeper.RemoveAccount(ctx, acc)
		}
		outs[i] = banktypes.Output{Address: addr.String(), Coins: fee}
	}
	in := banktypes.Input{Address: payer.Address.String(), Coins: fee.MulInt(sdkmath.NewInt(int64(len(modules))))}
	require.NoError(t, fx.BankKeeper.InputOutputCoins(ctx, in, outs))
	vm, err := fx.UpgradeKeeper.GetModuleVersionMap(ctx)
	require.NoError(t, err)
	vm[stabletypes.ModuleName], vm[lendingtypes.ModuleName] = 1, 4
	require.NoError(t, fx.UpgradeKeeper.SetModuleVersionMap(ctx, vm))
	fx.NextBlock(time.Second)

	requireModuleAccounts := func(t *testing.T, a *app.App, ctx sdk.Context, want bool) {
		t.Helper()
		for _, m := range modules {
			addr := a.AccountKeeper.GetModuleAddress(m)
			macc, ok := a.AccountKeeper.GetAccount(ctx, addr).(sdk.ModuleAccountI)
			require.Equal(t, want, ok, "%s is a module account", m)
			if ok {
				require.Equal(t, m, macc.GetName())
			}
			require.Equal(t, fee, a.BankKeeper.GetAllBalances(ctx, addr), "%s's coins", m)
		}
	}
	requireModuleAccounts(t, fx.App, fx.Ctx(), false)

	// The state as it is exports, and a chain started from it has module
	// accounts there (InitGenesis replaces the plain ones).
	fresh, exported := fx.RestartFromExport(false)
	requireModuleAccounts(t, fresh, fresh.NewUncachedContext(false, cmtproto.Header{ChainID: testutil.ChainID, Height: exported.Height + 1}), true)

	// The upgrade replaces them on the running chain.
	require.NoError(t, fx.UpgradeKeeper.ScheduleUpgrade(fx.Ctx(), upgradetypes.Plan{Name: name, Height: fx.Height() + 1}))
	fx.NextBlock(time.Second)
	requireModuleAccounts(t, fx.App, fx.Ctx(), true)
	vm, err = fx.UpgradeKeeper.GetModuleVersionMap(fx.Ctx())
	require.NoError(t, err)
	require.Equal(t, uint64(2), vm[stabletypes.ModuleName])
	require.Equal(t, uint64(5), vm[lendingtypes.ModuleName])
	ctx = fx.Ctx()
	require.NoError(t, fx.BankKeeper.SendCoinsFromAccountToModule(ctx, payer.Address, stabletypes.ProtocolFeeCollector, fee))
	require.Equal(t, fee.Add(fee...), fx.BankKeeper.GetAllBalances(ctx, fx.AccountKeeper.GetModuleAddress(stabletypes.ProtocolFeeCollector)))
}

// setupWithUpgrade starts a fixture chain whose binary registers the upgrade
// name at build time (app.UpgradeName: the plain module migrations).
func setupWithUpgrade(t *testing.T, name string) *testutil.App {
	t.Helper()
	prev := app.UpgradeName
	app.UpgradeName = name
	t.Cleanup(func() { app.UpgradeName = prev })
	return testutil.Setup(t, testutil.Options{})
}
