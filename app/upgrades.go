package app

import (
	"context"
	"fmt"

	storetypes "cosmossdk.io/store/types"
	upgradetypes "cosmossdk.io/x/upgrade/types"

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
var Upgrades []Upgrade

func (app *App) registerUpgradeHandlers() {
	for _, u := range Upgrades {
		handler := u.Handler
		if handler == nil {
			handler = func(ctx context.Context, app *App, _ upgradetypes.Plan, fromVM module.VersionMap) (module.VersionMap, error) {
				return app.ModuleManager.RunMigrations(ctx, app.configurator, fromVM)
			}
		}
		app.UpgradeKeeper.SetUpgradeHandler(u.Name, func(ctx context.Context, plan upgradetypes.Plan, fromVM module.VersionMap) (module.VersionMap, error) {
			return handler(ctx, app, plan, fromVM)
		})
	}

	info, err := app.UpgradeKeeper.ReadUpgradeInfoFromDisk()
	if err != nil {
		panic(fmt.Errorf("read upgrade info: %w", err))
	}
	if info.Name == "" || app.UpgradeKeeper.IsSkipHeight(info.Height) {
		return
	}
	for _, u := range Upgrades {
		if u.Name == info.Name {
			stores := u.StoreUpgrades
			app.SetStoreLoader(upgradetypes.UpgradeStoreLoader(info.Height, &stores))
		}
	}
}
