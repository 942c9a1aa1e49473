package app

import (
	"context"
	"fmt"
	"strconv"

	storetypes "cosmossdk.io/store/types"
	upgradetypes "cosmossdk.io/x/upgrade/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
)

// Upgrade is one named software upgrade: the handler that migrates state and
// the stores it adds or removes.
type Upgrade struct {
	Name          string
	Handler       func(ctx context.Context, app *App, plan upgradetypes.Plan, fromVM module.VersionMap) (module.VersionMap, error)
	StoreUpgrades storetypes.StoreUpgrades
}

// Upgrades is the hook point for software upgrades: append one entry per
// release that needs a migration. A plain module migration needs only a Name.
var Upgrades = []Upgrade{ibcUpgrade}

// IBCUpgradeName is the plan that brings IBC to a chain started without it.
const IBCUpgradeName = "v2-ibc"

// ibcUpgrade adds the IBC core and transfer stores; the module migration
// then runs their InitGenesis with defaults (they are new in the version
// map), and the handler narrows the light clients to 07-tendermint as in
// the localnet preset.
var ibcUpgrade = Upgrade{
	Name:          IBCUpgradeName,
	StoreUpgrades: storetypes.StoreUpgrades{Added: ibcStoreKeys},
	Handler: func(ctx context.Context, app *App, _ upgradetypes.Plan, fromVM module.VersionMap) (module.VersionMap, error) {
		vm, err := app.ModuleManager.RunMigrations(ctx, app.configurator, fromVM)
		if err != nil {
			return nil, err
		}
		app.IBCKeeper.ClientKeeper.SetParams(sdk.UnwrapSDKContext(ctx), IBCClientParams())
		return vm, nil
	},
}

// UpgradeName, set at build time with
//
//	-ldflags "-X github.com/infrafi/infrafi/app.UpgradeName=<plan name>"
//
// registers one more upgrade of that name with the plain module migration
// (unless Upgrades already lists the name).
// It builds, from unchanged code, a binary that differs from the running one
// only in knowing the plan: enough to rehearse the halt and binary swap of
// an upgrade on a localnet (tests/e2e/upgrade_test.go). Real releases list
// their upgrades in Upgrades.
var UpgradeName string

// Upgrade events: every applied upgrade emits one in the FinalizeBlock events
// of the plan's height, so operators and indexers can see the handler ran.
const (
	EventTypeUpgradeApplied = "upgrade_applied"
	AttributeKeyUpgradeName = "name"
	AttributeKeyHeight      = "height"
	AttributeKeyModules     = "modules"
)

// registeredUpgrades is Upgrades plus the build-time UpgradeName, if any.
func registeredUpgrades() []Upgrade {
	all := append([]Upgrade(nil), Upgrades...)
	if UpgradeName == "" {
		return all
	}
	for _, u := range all {
		if u.Name == UpgradeName {
			return all
		}
	}
	return append(all, Upgrade{Name: UpgradeName})
}

func (app *App) registerUpgradeHandlers() {
	upgrades := registeredUpgrades()
	for _, u := range upgrades {
		handler := u.Handler
		if handler == nil {
			handler = func(ctx context.Context, app *App, _ upgradetypes.Plan, fromVM module.VersionMap) (module.VersionMap, error) {
				return app.ModuleManager.RunMigrations(ctx, app.configurator, fromVM)
			}
		}
		app.UpgradeKeeper.SetUpgradeHandler(u.Name, func(ctx context.Context, plan upgradetypes.Plan, fromVM module.VersionMap) (module.VersionMap, error) {
			vm, err := handler(ctx, app, plan, fromVM)
			if err != nil {
				return nil, err
			}
			sdkCtx := sdk.UnwrapSDKContext(ctx)
			sdkCtx.Logger().Info("upgrade handler done", "name", plan.Name, "height", plan.Height, "modules", len(vm))
			sdkCtx.EventManager().EmitEvent(sdk.NewEvent(EventTypeUpgradeApplied,
				sdk.NewAttribute(AttributeKeyUpgradeName, plan.Name),
				sdk.NewAttribute(AttributeKeyHeight, strconv.FormatInt(plan.Height, 10)),
				sdk.NewAttribute(AttributeKeyModules, strconv.Itoa(len(vm))),
			))
			return vm, nil
		})
	}

	info, err := app.UpgradeKeeper.ReadUpgradeInfoFromDisk()
	if err != nil {
		panic(fmt.Errorf("read upgrade info: %w", err))
	}
	if info.Name == "" || app.UpgradeKeeper.IsSkipHeight(info.Height) {
		return
	}
	for _, u := range upgrades {
		if u.Name == info.Name {
			stores := u.StoreUpgrades
			app.SetStoreLoader(upgradetypes.UpgradeStoreLoader(info.Height, &stores))
		}
	}
}
