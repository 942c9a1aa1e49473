package cmd

import (
	cmtcfg "github.com/cometbft/cometbft/config"

	serverconfig "github.com/cosmos/cosmos-sdk/server/config"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/x/oracle/provider"
)

// Node defaults for homes made by `infrafid init` (the localnet writes its own).
const (
	// DefaultMinGasPrices is the lowest gas price a fresh node admits to its
	// mempool: free transactions would let anyone fill every validator's
	// mempool and blocks at no cost. Validators may raise it in app.toml.
	DefaultMinGasPrices = "0.0025" + app.BondDenom
	// DefaultSnapshotInterval makes every node serve state-sync snapshots,
	// so new nodes join without replaying from genesis; it is a multiple of
	// the default pruning interval (10) so snapshot heights are never pruned
	// before the snapshot is taken.
	DefaultSnapshotInterval = 1000
	// DefaultSnapshotKeepRecent is how many snapshots a node keeps.
	DefaultSnapshotKeepRecent = 2
)

// initCometConfig returns CometBFT's defaults; node operators tune them in config.toml.
func initCometConfig() *cmtcfg.Config {
	return cmtcfg.DefaultConfig()
}

// initAppConfig sets infrafi's app.toml defaults: the REST and gRPC servers
// on, a non-zero minimum gas price in INFRA, state-sync snapshots on, and the
// [oracle] price-provider section with no sources configured. Pruning keeps
// the SDK default (the last 362880 states, pruned every 10 blocks); the
// README's "Running a validator" explains the choices.
func initAppConfig() (string, interface{}) {
	cfg := serverconfig.DefaultConfig()
	cfg.MinGasPrices = DefaultMinGasPrices
	cfg.API.Enable = true
	cfg.GRPC.Enable = true
	cfg.StateSync.SnapshotInterval = DefaultSnapshotInterval
	cfg.StateSync.SnapshotKeepRecent = DefaultSnapshotKeepRecent
	return serverconfig.DefaultConfigTemplate + provider.DefaultConfigTemplate, cfg
}
