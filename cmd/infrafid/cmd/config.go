package cmd

import (
	cmtcfg "github.com/cometbft/cometbft/config"

	serverconfig "github.com/cosmos/cosmos-sdk/server/config"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/x/oracle/provider"
)

// initCometConfig returns CometBFT's defaults; node operators tune them in config.toml.
func initCometConfig() *cmtcfg.Config {
	return cmtcfg.DefaultConfig()
}

// initAppConfig sets infrafi's app.toml defaults: the REST and gRPC servers on,
// and a zero minimum gas price in INFRA so a fresh node accepts transactions
// (validators raise it in app.toml), plus the [oracle] price-provider section
// with no sources configured.
func initAppConfig() (string, interface{}) {
	cfg := serverconfig.DefaultConfig()
	cfg.MinGasPrices = "0" + app.BondDenom
	cfg.API.Enable = true
	cfg.GRPC.Enable = true
	return serverconfig.DefaultConfigTemplate + provider.DefaultConfigTemplate, cfg
}
