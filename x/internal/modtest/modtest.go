// Package modtest wires one module the way the app does, for module tests
// that need its services without building the app, and fakes x/auth's
// account store for module-account code (Accounts). It is imported only by
// tests.
package modtest

import (
	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/types/module"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
)

// Services is a module's routers and the configurator that registers
// its services and migrations on them.
type Services struct {
	Msgs         *baseapp.MsgServiceRouter
	Queries      *baseapp.GRPCQueryRouter
	Configurator module.Configurator
}

// Register registers am's services, as the module manager does, and
// returns the routers that now serve them.
func Register(enc moduletestutil.TestEncodingConfig, am module.HasServices) Services {
	s := Services{Msgs: baseapp.NewMsgServiceRouter(), Queries: baseapp.NewGRPCQueryRouter()}
	s.Msgs.SetInterfaceRegistry(enc.InterfaceRegistry)
	s.Queries.SetInterfaceRegistry(enc.InterfaceRegistry)
	s.Configurator = module.NewConfigurator(enc.Codec, s.Msgs, s.Queries)
	am.RegisterServices(s.Configurator)
	return s
}
