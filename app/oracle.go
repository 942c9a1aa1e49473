package app

import (
	"context"

	abci "github.com/cometbft/cometbft/abci/types"

	"cosmossdk.io/log"

	"github.com/cosmos/cosmos-sdk/baseapp"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	oracleabci "github.com/infrafi/infrafi/x/oracle/abci"
	"github.com/infrafi/infrafi/x/oracle/provider"
)

// setOracleVoteExtensions sets x/oracle's ABCI++ handlers: validators report
// VOTE_EXTENSIONS feed prices in their vote extensions, the proposer carries the
// extended commit in the block and the PreBlocker turns it into prices. They
// act only from consensus param vote_extensions_enable_height on. The price
// provider is built from app.toml's [oracle] section but started only by the
// node process (RunOracleProvider), never by tests or InitChain.
func (app *App) setOracleVoteExtensions(appOpts servertypes.AppOptions, logger log.Logger) {
	cfg, err := provider.ConfigFromAppOptions(appOpts)
	if err != nil {
		panic(err)
	}
	var prices oracleabci.PriceSource
	if len(cfg.Feeds) > 0 {
		if app.oracleProvider, err = provider.New(cfg, logger); err != nil {
			panic(err)
		}
		prices = app.oracleProvider
	}
	logger = logger.With(log.ModuleKey, "x/oracle/abci")
	proposals := baseapp.NewDefaultProposalHandler(app.Mempool(), app.BaseApp)
	app.SetExtendVoteHandler(oracleabci.NewExtendVoteHandler(app.OracleKeeper, prices, logger))
	app.SetVerifyVoteExtensionHandler(oracleabci.NewVerifyVoteExtensionHandler(app.OracleKeeper, logger))
	app.SetPrepareProposal(oracleabci.NewPrepareProposalHandler(app.StakingKeeper, proposals.PrepareProposalHandler(), logger))
	app.SetProcessProposal(oracleabci.NewProcessProposalHandler(app.StakingKeeper, proposals.ProcessProposalHandler(), logger))
}

// oraclePreBlock writes this block's VOTE_EXTENSIONS prices, after the upgrade
// module's PreBlock (so a new binary's stores exist) and before BeginBlock (so
// every module of the block sees them). It never fails the block.
func (app *App) oraclePreBlock(ctx sdk.Context, req *abci.RequestFinalizeBlock) {
	oracleabci.PreBlock(ctx, app.OracleKeeper, req, app.Logger().With(log.ModuleKey, "x/oracle/abci"))
}

// RunOracleProvider fetches the validator's price sources until ctx ends; it
// returns at once when app.toml configures none. The node's start command runs
// it next to CometBFT.
func (app *App) RunOracleProvider(ctx context.Context) {
	if app.oracleProvider != nil {
		app.oracleProvider.Run(ctx)
	}
}
