// Package app wires the infrafi application: the SDK's standard modules and
// infrafi's own, with explicit keepers (no depinject).
package app

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	reflectionv1 "cosmossdk.io/api/cosmos/reflection/v1"
	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/core/appmodule"
	"cosmossdk.io/log"
	storetypes "cosmossdk.io/store/types"
	"cosmossdk.io/x/circuit"
	circuitkeeper "cosmossdk.io/x/circuit/keeper"
	circuittypes "cosmossdk.io/x/circuit/types"
	"cosmossdk.io/x/evidence"
	evidencekeeper "cosmossdk.io/x/evidence/keeper"
	evidencetypes "cosmossdk.io/x/evidence/types"
	"cosmossdk.io/x/feegrant"
	feegrantkeeper "cosmossdk.io/x/feegrant/keeper"
	feegrantmodule "cosmossdk.io/x/feegrant/module"
	"cosmossdk.io/x/upgrade"
	upgradekeeper "cosmossdk.io/x/upgrade/keeper"
	upgradetypes "cosmossdk.io/x/upgrade/types"
	abci "github.com/cometbft/cometbft/abci/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cast"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	nodeservice "github.com/cosmos/cosmos-sdk/client/grpc/node"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"
	runtimeservices "github.com/cosmos/cosmos-sdk/runtime/services"
	"github.com/cosmos/cosmos-sdk/server"
	"github.com/cosmos/cosmos-sdk/server/api"
	"github.com/cosmos/cosmos-sdk/server/config"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
	"github.com/cosmos/cosmos-sdk/version"
	"github.com/cosmos/cosmos-sdk/x/auth"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	authzkeeper "github.com/cosmos/cosmos-sdk/x/authz/keeper"
	authzmodule "github.com/cosmos/cosmos-sdk/x/authz/module"
	"github.com/cosmos/cosmos-sdk/x/bank"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/consensus"
	consensuskeeper "github.com/cosmos/cosmos-sdk/x/consensus/keeper"
	consensustypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	distr "github.com/cosmos/cosmos-sdk/x/distribution"
	distrkeeper "github.com/cosmos/cosmos-sdk/x/distribution/keeper"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	"github.com/cosmos/cosmos-sdk/x/gov"
	govkeeper "github.com/cosmos/cosmos-sdk/x/gov/keeper"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1beta1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1beta1"
	"github.com/cosmos/cosmos-sdk/x/mint"
	mintkeeper "github.com/cosmos/cosmos-sdk/x/mint/keeper"
	minttypes "github.com/cosmos/cosmos-sdk/x/mint/types"
	"github.com/cosmos/cosmos-sdk/x/slashing"
	slashingkeeper "github.com/cosmos/cosmos-sdk/x/slashing/keeper"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	"github.com/cosmos/cosmos-sdk/x/staking"
	stakingkeeper "github.com/cosmos/cosmos-sdk/x/staking/keeper"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/infrafi/infrafi/x/caliber"
	caliberkeeper "github.com/infrafi/infrafi/x/caliber/keeper"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/lending"
	lendingkeeper "github.com/infrafi/infrafi/x/lending/keeper"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	"github.com/infrafi/infrafi/x/metrics"
	"github.com/infrafi/infrafi/x/oracle"
	oraclekeeper "github.com/infrafi/infrafi/x/oracle/keeper"
	"github.com/infrafi/infrafi/x/oracle/provider"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	"github.com/infrafi/infrafi/x/stable"
	stablekeeper "github.com/infrafi/infrafi/x/stable/keeper"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	"github.com/infrafi/infrafi/x/yield"
	yieldkeeper "github.com/infrafi/infrafi/x/yield/keeper"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"

	ibctransferkeeper "github.com/cosmos/ibc-go/v10/modules/apps/transfer/keeper"
	ibctransfertypes "github.com/cosmos/ibc-go/v10/modules/apps/transfer/types"
	ibcexported "github.com/cosmos/ibc-go/v10/modules/core/exported"
	ibckeeper "github.com/cosmos/ibc-go/v10/modules/core/keeper"
)

// maccPerms lists every module account and what it may do with coins.
var maccPerms = map[string][]string{
	authtypes.FeeCollectorName:     nil,
	distrtypes.ModuleName:          nil,
	minttypes.ModuleName:           {authtypes.Minter},
	stakingtypes.BondedPoolName:    {authtypes.Burner, authtypes.Staking},
	stakingtypes.NotBondedPoolName: {authtypes.Burner, authtypes.Staking},
	govtypes.ModuleName:            {authtypes.Burner},
	// x/caliber holds the insurance pools' USDai; it neither mints nor burns.
	calibertypes.ModuleName: nil,
	// x/stable holds every reserve coin and mints/burns USDai against them.
	stabletypes.ModuleName: {authtypes.Minter, authtypes.Burner},
	// protocol_fees receives x/stable's, x/yield's and x/lending's fees.
	stabletypes.ProtocolFeeCollector: nil,
	// x/yield holds the vault's idle USDai and escrowed shares; it mints and burns sUSDai.
	yieldtypes.ModuleName: {authtypes.Minter, authtypes.Burner},
	// x/lending holds junior capital in transit, debt-service reserves and payments.
	lendingtypes.ModuleName: nil,
	// ICS-20 mints and burns vouchers of coins that arrive from other chains;
	// escrowed native coins (USDai, sUSDai) sit in per-channel escrow accounts.
	ibctransfertypes.ModuleName: {authtypes.Minter, authtypes.Burner},
}

var (
	_ runtime.AppI            = (*App)(nil)
	_ servertypes.Application = (*App)(nil)
)

// App is the infrafi ABCI application.
type App struct {
	*baseapp.BaseApp

	legacyAmino       *codec.LegacyAmino
	appCodec          codec.Codec
	txConfig          client.TxConfig
	interfaceRegistry types.InterfaceRegistry

	keys  map[string]*storetypes.KVStoreKey
	tkeys map[string]*storetypes.TransientStoreKey

	// SDK keepers
	AccountKeeper         authkeeper.AccountKeeper
	BankKeeper            bankkeeper.BaseKeeper
	StakingKeeper         *stakingkeeper.Keeper
	SlashingKeeper        slashingkeeper.Keeper
	MintKeeper            mintkeeper.Keeper
	DistrKeeper           distrkeeper.Keeper
	GovKeeper             govkeeper.Keeper
	UpgradeKeeper         *upgradekeeper.Keeper
	EvidenceKeeper        evidencekeeper.Keeper
	FeeGrantKeeper        feegrantkeeper.Keeper
	AuthzKeeper           authzkeeper.Keeper
	ConsensusParamsKeeper consensuskeeper.Keeper
	CircuitKeeper         circuitkeeper.Keeper

	// infrafi keepers
	OracleKeeper  *oraclekeeper.Keeper
	CaliberKeeper *caliberkeeper.Keeper
	StableKeeper  *stablekeeper.Keeper
	YieldKeeper   *yieldkeeper.Keeper
	LendingKeeper *lendingkeeper.Keeper

	// IBC keepers
	IBCKeeper      *ibckeeper.Keeper
	TransferKeeper ibctransferkeeper.Keeper

	ModuleManager      *module.Manager
	BasicModuleManager module.BasicManager

	configurator module.Configurator
	sm           *module.SimulationManager
	// endBlockCheck runs after every EndBlock when set (the simulation checks
	// all invariants there); nil on a node.
	endBlockCheck func(sdk.Context) error
	// oracleProvider caches the validator's price sources (app/oracle.go); nil without [oracle] feeds.
	oracleProvider *provider.Provider
	// metrics publishes the protocol gauges after every EndBlock; nil when
	// the node exports no metrics.
	metrics *metrics.Collector
}

// New returns the infrafi application. loadLatest loads the newest committed
// state; appOpts carries node configuration (home, skip-upgrade heights, ...).
func New(
	logger log.Logger,
	db dbm.DB,
	traceStore io.Writer,
	loadLatest bool,
	appOpts servertypes.AppOptions,
	baseAppOptions ...func(*baseapp.BaseApp),
) *App {
	enc := MakeEncodingConfig()
	appCodec, legacyAmino, interfaceRegistry, txConfig := enc.Codec, enc.Amino, enc.InterfaceRegistry, enc.TxConfig

	bApp := baseapp.NewBaseApp(AppName, logger, db, txConfig.TxDecoder(), baseAppOptions...)
	bApp.SetCommitMultiStoreTracer(traceStore)
	bApp.SetVersion(version.Version)
	bApp.SetInterfaceRegistry(interfaceRegistry)
	bApp.SetTxEncoder(txConfig.TxEncoder())

	keys := storetypes.NewKVStoreKeys(
		authtypes.StoreKey, banktypes.StoreKey, stakingtypes.StoreKey, minttypes.StoreKey,
		distrtypes.StoreKey, slashingtypes.StoreKey, govtypes.StoreKey, consensustypes.StoreKey,
		upgradetypes.StoreKey, feegrant.StoreKey, evidencetypes.StoreKey, circuittypes.StoreKey,
		authzkeeper.StoreKey,
		oracletypes.StoreKey,
		calibertypes.StoreKey,
		stabletypes.StoreKey,
		yieldtypes.StoreKey,
		lendingtypes.StoreKey,
		ibcexported.StoreKey, ibctransfertypes.StoreKey,
	)
	tkeys := storetypes.NewTransientStoreKeys()

	app := &App{
		BaseApp:           bApp,
		legacyAmino:       legacyAmino,
		appCodec:          appCodec,
		txConfig:          txConfig,
		interfaceRegistry: interfaceRegistry,
		keys:              keys,
		tkeys:             tkeys,
	}

	authority := authtypes.NewModuleAddress(govtypes.ModuleName).String()
	accCodec := address.NewBech32Codec(sdk.GetConfig().GetBech32AccountAddrPrefix())
	valCodec := address.NewBech32Codec(sdk.GetConfig().GetBech32ValidatorAddrPrefix())
	consCodec := address.NewBech32Codec(sdk.GetConfig().GetBech32ConsensusAddrPrefix())

	app.ConsensusParamsKeeper = consensuskeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[consensustypes.StoreKey]), authority, runtime.EventService{})
	bApp.SetParamStore(app.ConsensusParamsKeeper.ParamsStore)

	app.AccountKeeper = authkeeper.NewAccountKeeper(
		appCodec, runtime.NewKVStoreService(keys[authtypes.StoreKey]), authtypes.ProtoBaseAccount,
		maccPerms, accCodec, Bech32Prefix, authority)

	app.BankKeeper = bankkeeper.NewBaseKeeper(
		appCodec, runtime.NewKVStoreService(keys[banktypes.StoreKey]), app.AccountKeeper,
		BlockedAddresses(), authority, logger)

	app.StakingKeeper = stakingkeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[stakingtypes.StoreKey]), app.AccountKeeper,
		app.BankKeeper, authority, valCodec, consCodec)

	app.MintKeeper = mintkeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[minttypes.StoreKey]), app.StakingKeeper,
		app.AccountKeeper, app.BankKeeper, authtypes.FeeCollectorName, authority)

	app.DistrKeeper = distrkeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[distrtypes.StoreKey]), app.AccountKeeper,
		app.BankKeeper, app.StakingKeeper, authtypes.FeeCollectorName, authority)

	app.SlashingKeeper = slashingkeeper.NewKeeper(
		appCodec, legacyAmino, runtime.NewKVStoreService(keys[slashingtypes.StoreKey]),
		app.StakingKeeper, authority)

	app.FeeGrantKeeper = feegrantkeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[feegrant.StoreKey]), app.AccountKeeper)

	// Staking hooks are registered after distribution and slashing exist.
	app.StakingKeeper.SetHooks(stakingtypes.NewMultiStakingHooks(
		app.DistrKeeper.Hooks(), app.SlashingKeeper.Hooks()))

	app.CircuitKeeper = circuitkeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[circuittypes.StoreKey]), authority, accCodec)
	bApp.SetCircuitBreaker(&app.CircuitKeeper)

	app.AuthzKeeper = authzkeeper.NewKeeper(
		runtime.NewKVStoreService(keys[authzkeeper.StoreKey]), appCodec, app.MsgServiceRouter(),
		app.AccountKeeper)

	homePath := cast.ToString(appOpts.Get(flags.FlagHome))
	skipUpgradeHeights := map[int64]bool{}
	for _, h := range cast.ToIntSlice(appOpts.Get(server.FlagUnsafeSkipUpgrades)) {
		skipUpgradeHeights[int64(h)] = true
	}
	app.UpgradeKeeper = upgradekeeper.NewKeeper(
		skipUpgradeHeights, runtime.NewKVStoreService(keys[upgradetypes.StoreKey]), appCodec,
		homePath, app.BaseApp, authority)

	govKeeper := govkeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[govtypes.StoreKey]), app.AccountKeeper,
		app.BankKeeper, app.StakingKeeper, app.DistrKeeper, app.MsgServiceRouter(),
		govtypes.DefaultConfig(), authority)
	// Legacy (v1beta1) text proposals still arrive as MsgExecLegacyContent;
	// without a router the gov keeper would panic on them.
	legacyRouter := govv1beta1.NewRouter().AddRoute(govtypes.RouterKey, govv1beta1.ProposalHandler)
	govKeeper.SetLegacyRouter(legacyRouter)
	app.GovKeeper = *govKeeper.SetHooks(govtypes.NewMultiGovHooks())

	evidenceKeeper := evidencekeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[evidencetypes.StoreKey]), app.StakingKeeper,
		app.SlashingKeeper, accCodec, runtime.ProvideCometInfoService())
	app.EvidenceKeeper = *evidenceKeeper

	app.OracleKeeper = oraclekeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[oracletypes.StoreKey]), authority,
		logger)

	app.CaliberKeeper = caliberkeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[calibertypes.StoreKey]), authority,
		app.BankKeeper, app.AccountKeeper, app.OracleKeeper, logger)

	app.StableKeeper = stablekeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[stabletypes.StoreKey]), app.AccountKeeper,
		app.BankKeeper, app.OracleKeeper, authority, logger)

	app.YieldKeeper = yieldkeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[yieldtypes.StoreKey]), app.AccountKeeper,
		app.BankKeeper, app.StableKeeper, app.CaliberKeeper, app.OracleKeeper, authority, logger)

	app.LendingKeeper = lendingkeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[lendingtypes.StoreKey]), authority,
		app.BankKeeper, app.AccountKeeper, app.CaliberKeeper, app.YieldKeeper, app.StableKeeper, logger)
	// x/lending reacts to valuation, custody and casualty changes of titles
	// and to market-feed moves (class-wide covenant walks).
	app.CaliberKeeper.SetHooks(app.LendingKeeper.Hooks())
	app.OracleKeeper.SetHooks(app.LendingKeeper.Hooks())

	ibcModules := app.wireIBC(appCodec, keys, authority)

	app.ModuleManager = module.NewManager(append([]module.AppModule{
		genutil.NewAppModule(app.AccountKeeper, app.StakingKeeper, app, txConfig),
		auth.NewAppModule(appCodec, app.AccountKeeper, simGenesisAccounts, nil),
		bank.NewAppModule(appCodec, app.BankKeeper, app.AccountKeeper, nil),
		feegrantmodule.NewAppModule(appCodec, app.AccountKeeper, app.BankKeeper, app.FeeGrantKeeper, interfaceRegistry),
		gov.NewAppModule(appCodec, &app.GovKeeper, app.AccountKeeper, app.BankKeeper, nil),
		mint.NewAppModule(appCodec, app.MintKeeper, app.AccountKeeper, nil, nil),
		slashing.NewAppModule(appCodec, app.SlashingKeeper, app.AccountKeeper, app.BankKeeper, app.StakingKeeper, nil, interfaceRegistry),
		distr.NewAppModule(appCodec, app.DistrKeeper, app.AccountKeeper, app.BankKeeper, app.StakingKeeper, nil),
		staking.NewAppModule(appCodec, app.StakingKeeper, app.AccountKeeper, app.BankKeeper, nil),
		upgrade.NewAppModule(app.UpgradeKeeper, accCodec),
		evidence.NewAppModule(app.EvidenceKeeper),
		authzmodule.NewAppModule(appCodec, app.AuthzKeeper, app.AccountKeeper, app.BankKeeper, interfaceRegistry),
		consensus.NewAppModule(appCodec, app.ConsensusParamsKeeper),
		circuit.NewAppModule(appCodec, app.CircuitKeeper),
		oracle.NewAppModule(appCodec, app.OracleKeeper),
		caliber.NewAppModule(appCodec, app.CaliberKeeper),
		stable.NewAppModule(appCodec, app.StableKeeper),
		yield.NewAppModule(appCodec, app.YieldKeeper),
		lending.NewAppModule(appCodec, app.LendingKeeper, app.CaliberKeeper, caliberkeeper.NewQueryServerImpl(app.CaliberKeeper), app.YieldKeeper),
	}, ibcModules...)...)

	// The basic manager carries infrafi's genesis defaults (denoms, metadata)
	// so that `infrafid init` and every preset start from them.
	app.BasicModuleManager = newBasicManager(app.ModuleManager)
	app.BasicModuleManager.RegisterLegacyAminoCodec(legacyAmino)
	app.BasicModuleManager.RegisterInterfaces(interfaceRegistry)

	// Upgrades must run before anything else reads state in a block.
	app.ModuleManager.SetOrderPreBlockers(upgradetypes.ModuleName, authtypes.ModuleName)
	app.ModuleManager.SetOrderBeginBlockers(
		minttypes.ModuleName, distrtypes.ModuleName, slashingtypes.ModuleName,
		evidencetypes.ModuleName, stakingtypes.ModuleName, ibcexported.ModuleName,
		authz.ModuleName,
		yieldtypes.ModuleName,
	)
	app.ModuleManager.SetOrderEndBlockers(
		govtypes.ModuleName, stakingtypes.ModuleName, feegrant.ModuleName,
		oracletypes.ModuleName,
		calibertypes.ModuleName,
		// after oracle, so the vault sees this block's prices
		yieldtypes.ModuleName,
		lendingtypes.ModuleName,
	)
	// genutil comes after staking and bank so gentxs see funded, bonded pools.
	genesisOrder := []string{
		authtypes.ModuleName, banktypes.ModuleName, distrtypes.ModuleName,
		stakingtypes.ModuleName, slashingtypes.ModuleName, govtypes.ModuleName,
		minttypes.ModuleName, genutiltypes.ModuleName, evidencetypes.ModuleName,
		authz.ModuleName, feegrant.ModuleName, upgradetypes.ModuleName,
		consensustypes.ModuleName, circuittypes.ModuleName,
		ibcexported.ModuleName, ibctransfertypes.ModuleName,
		oracletypes.ModuleName,
		// after bank (pool balances are checked against its module account) and oracle
		calibertypes.ModuleName,
		// after bank, whose supply and balances its genesis check reads
		stabletypes.ModuleName,
		// after bank (vault balances are checked against its module account)
		yieldtypes.ModuleName,
		// after caliber (pledged titles) and yield (senior positions)
		lendingtypes.ModuleName,
	}
	app.ModuleManager.SetOrderInitGenesis(genesisOrder...)
	app.ModuleManager.SetOrderExportGenesis(genesisOrder...)

	app.configurator = module.NewConfigurator(appCodec, app.MsgServiceRouter(), app.GRPCQueryRouter())
	if err := app.ModuleManager.RegisterServices(app.configurator); err != nil {
		panic(err)
	}

	autocliv1.RegisterQueryServer(app.GRPCQueryRouter(), runtimeservices.NewAutoCLIQueryService(app.ModuleManager.Modules))
	reflectionSvc, err := runtimeservices.NewReflectionService()
	if err != nil {
		panic(err)
	}
	reflectionv1.RegisterReflectionServiceServer(app.GRPCQueryRouter(), reflectionSvc)

	// Every Msg must declare its signer; fail at start-up, not at the first tx.
	protoFiles, err := proto.MergedRegistry()
	if err != nil {
		panic(err)
	}
	if err := msgservice.ValidateProtoAnnotations(protoFiles); err != nil {
		logger.Error("proto annotations", "err", err)
	}

	// The simulation manager takes every module that implements
	// AppModuleSimulation; auth's random genesis accounts come from its
	// constructor above.
	app.sm = module.NewSimulationManagerFromAppModules(app.ModuleManager.Modules, nil)
	app.sm.RegisterStoreDecoders()

	app.MountKVStores(keys)
	app.MountTransientStores(tkeys)

	app.metrics, err = newProtocolMetrics(appOpts, metrics.Keepers{
		Stable: app.StableKeeper, Yield: app.YieldKeeper, Lending: app.LendingKeeper,
		Oracle: app.OracleKeeper, Caliber: app.CaliberKeeper,
	})
	if err != nil {
		logger.Error("protocol metrics disabled", "err", err)
	}

	app.SetInitChainer(app.InitChainer)
	app.SetPreBlocker(app.PreBlocker)
	app.setOracleVoteExtensions(appOpts, logger)
	app.SetBeginBlocker(app.BeginBlocker)
	app.SetEndBlocker(app.EndBlocker)
	app.setAnteHandler()
	app.registerUpgradeHandlers()

	if loadLatest {
		if err := app.LoadLatestVersion(); err != nil {
			panic(fmt.Errorf("load latest version: %w", err))
		}
	}
	return app
}

func (app *App) setAnteHandler() {
	standard, err := ante.NewAnteHandler(ante.HandlerOptions{
		AccountKeeper:   app.AccountKeeper,
		BankKeeper:      app.BankKeeper,
		FeegrantKeeper:  app.FeeGrantKeeper,
		SignModeHandler: app.txConfig.SignModeHandler(),
		SigGasConsumer:  ante.DefaultSigVerificationGasConsumer,
	})
	if err != nil {
		panic(err)
	}
	app.SetAnteHandler(newCircuitAnte(&app.CircuitKeeper, withRedundantRelay(app.IBCKeeper, standard)))
}

// Name returns the application's name.
func (app *App) Name() string { return app.BaseApp.Name() }

// PreBlocker runs the upgrade module (and auth's pre-block) ahead of everything,
// then x/oracle's vote-extension prices.
func (app *App) PreBlocker(ctx sdk.Context, req *abci.RequestFinalizeBlock) (*sdk.ResponsePreBlock, error) {
	res, err := app.ModuleManager.PreBlock(ctx)
	if err != nil {
		return res, err
	}
	app.oraclePreBlock(ctx, req)
	return res, nil
}

// BeginBlocker runs every module's BeginBlock in the configured order.
func (app *App) BeginBlocker(ctx sdk.Context) (sdk.BeginBlock, error) {
	return app.ModuleManager.BeginBlock(ctx)
}

// EndBlocker runs every module's EndBlock in the configured order, then the
// end-block check if one is set.
func (app *App) EndBlocker(ctx sdk.Context) (sdk.EndBlock, error) {
	res, err := app.ModuleManager.EndBlock(ctx)
	if err == nil && app.metrics != nil {
		app.metrics.Record(ctx)
	}
	if err != nil || app.endBlockCheck == nil {
		return res, err
	}
	return res, app.endBlockCheck(ctx)
}

// SetEndBlockCheck installs a check that runs after every EndBlock; an error
// fails the block. For the simulation, which checks every invariant there.
func (app *App) SetEndBlockCheck(check func(sdk.Context) error) { app.endBlockCheck = check }

// InitChainer decodes the genesis app state and initializes every module.
func (app *App) InitChainer(ctx sdk.Context, req *abci.RequestInitChain) (*abci.ResponseInitChain, error) {
	var genesisState map[string]json.RawMessage
	if err := json.Unmarshal(req.AppStateBytes, &genesisState); err != nil {
		return nil, fmt.Errorf("decode genesis app state: %w", err)
	}
	if err := app.UpgradeKeeper.SetModuleVersionMap(ctx, app.ModuleManager.GetVersionMap()); err != nil {
		return nil, err
	}
	return app.ModuleManager.InitGenesis(ctx, app.appCodec, genesisState)
}

// LoadHeight loads the state committed at a height (used by export).
func (app *App) LoadHeight(height int64) error { return app.LoadVersion(height) }

// LegacyAmino returns the amino codec (still needed by some SDK CLI paths).
func (app *App) LegacyAmino() *codec.LegacyAmino { return app.legacyAmino }

// AppCodec returns the app's protobuf codec.
func (app *App) AppCodec() codec.Codec { return app.appCodec }

// InterfaceRegistry returns the app's interface registry.
func (app *App) InterfaceRegistry() types.InterfaceRegistry { return app.interfaceRegistry }

// TxConfig returns the app's transaction config.
func (app *App) TxConfig() client.TxConfig { return app.txConfig }

// DefaultGenesis returns infrafi's default genesis state for every module.
func (app *App) DefaultGenesis() map[string]json.RawMessage {
	return app.BasicModuleManager.DefaultGenesis(app.appCodec)
}

// StoreNames returns the names of the app's KV stores, sorted.
func (app *App) StoreNames() []string {
	names := make([]string, 0, len(app.keys))
	for name := range app.keys {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// GetKey returns the store key of a module (tests and simulation).
func (app *App) GetKey(storeKey string) *storetypes.KVStoreKey { return app.keys[storeKey] }

// SimulationManager returns the modules' simulation (genesis generators,
// store decoders, operations).
func (app *App) SimulationManager() *module.SimulationManager { return app.sm }

// GetBaseApp returns the BaseApp (the simulation framework drives it).
func (app *App) GetBaseApp() *baseapp.BaseApp { return app.BaseApp }

// SetNotSigverifyTx is part of the simulation framework's app interface, for
// runs that skip signature checks (-SigverifyTx=false). infrafi's ante chain
// is fixed at construction and always verifies signatures, so such a run is
// refused rather than silently verifying anyway.
func (app *App) SetNotSigverifyTx() {
	panic("infrafi: the simulation always verifies signatures; run without -SigverifyTx=false")
}

// AutoCliOpts gives autocli every module's services and options.
func (app *App) AutoCliOpts() autocli.AppOptions {
	modules := make(map[string]appmodule.AppModule)
	for name, m := range app.ModuleManager.Modules {
		if am, ok := m.(appmodule.AppModule); ok {
			modules[name] = am
		}
	}
	return autocli.AppOptions{
		Modules:               modules,
		ModuleOptions:         runtimeservices.ExtractAutoCLIOptions(app.ModuleManager.Modules),
		AddressCodec:          authcodec.NewBech32Codec(sdk.GetConfig().GetBech32AccountAddrPrefix()),
		ValidatorAddressCodec: authcodec.NewBech32Codec(sdk.GetConfig().GetBech32ValidatorAddrPrefix()),
		ConsensusAddressCodec: authcodec.NewBech32Codec(sdk.GetConfig().GetBech32ConsensusAddrPrefix()),
	}
}

// RegisterAPIRoutes registers every module's grpc-gateway routes on the REST server.
func (app *App) RegisterAPIRoutes(apiSvr *api.Server, _ config.APIConfig) {
	clientCtx := apiSvr.ClientCtx
	authtx.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	cmtservice.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	nodeservice.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	app.BasicModuleManager.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
}

// RegisterTxService serves the tx service over gRPC.
func (app *App) RegisterTxService(clientCtx client.Context) {
	authtx.RegisterTxService(app.BaseApp.GRPCQueryRouter(), clientCtx, app.BaseApp.Simulate, app.interfaceRegistry)
}

// RegisterTendermintService serves CometBFT queries over gRPC.
func (app *App) RegisterTendermintService(clientCtx client.Context) {
	cmtservice.RegisterTendermintService(clientCtx, app.BaseApp.GRPCQueryRouter(), app.interfaceRegistry, app.Query)
}

// RegisterNodeService serves node queries (config, status) over gRPC.
func (app *App) RegisterNodeService(clientCtx client.Context, cfg config.Config) {
	nodeservice.RegisterNodeService(clientCtx, app.GRPCQueryRouter(), cfg)
}

// BlockedAddresses are the module accounts that may not receive coins by a
// plain send (gov may: it receives deposits).
func BlockedAddresses() map[string]bool {
	blocked := make(map[string]bool)
	for name := range maccPerms {
		blocked[authtypes.NewModuleAddress(name).String()] = true
	}
	delete(blocked, authtypes.NewModuleAddress(govtypes.ModuleName).String())
	return blocked
}

// ModuleAccountPermissions returns a copy of the module account permissions.
func ModuleAccountPermissions() map[string][]string {
	out := make(map[string][]string, len(maccPerms))
	for k, v := range maccPerms {
		out[k] = append([]string(nil), v...)
	}
	return out
}
