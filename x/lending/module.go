package lending

import (
	"context"
	"encoding/json"
	"fmt"

	gwruntime "github.com/grpc-ecosystem/grpc-gateway/runtime"

	"cosmossdk.io/core/appmodule"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/infrafi/infrafi/x/lending/keeper"
	"github.com/infrafi/infrafi/x/lending/simulation"
	"github.com/infrafi/infrafi/x/lending/types"
)

// ConsensusVersion is the x/lending state version; bump it with a migration.
const ConsensusVersion = 5

var (
	_ module.AppModuleBasic      = AppModuleBasic{}
	_ module.HasGenesisBasics    = AppModuleBasic{}
	_ module.AppModule           = AppModule{} //nolint:staticcheck // still what the module manager takes
	_ module.HasGenesis          = AppModule{}
	_ module.HasServices         = AppModule{}
	_ module.HasConsensusVersion = AppModule{}
	_ appmodule.AppModule        = AppModule{}
	_ appmodule.HasEndBlocker    = AppModule{}

	_ module.AppModuleSimulation = AppModule{}
)

// AppModuleBasic is the stateless part of the module: codecs, gateway routes and
// genesis defaults/validation.
type AppModuleBasic struct{}

// Name returns the module name.
func (AppModuleBasic) Name() string { return types.ModuleName }

// RegisterLegacyAminoCodec registers the module's amino names.
func (AppModuleBasic) RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	types.RegisterLegacyAminoCodec(cdc)
}

// RegisterInterfaces registers the module's messages and Msg service.
func (AppModuleBasic) RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	types.RegisterInterfaces(registry)
}

// RegisterGRPCGatewayRoutes registers the REST routes under /infrafi/lending/v1/.
func (AppModuleBasic) RegisterGRPCGatewayRoutes(clientCtx client.Context, mux *gwruntime.ServeMux) {
	if err := types.RegisterQueryHandlerClient(context.Background(), mux, types.NewQueryClient(clientCtx)); err != nil {
		panic(err)
	}
}

// DefaultGenesis returns the default genesis state as JSON.
func (AppModuleBasic) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(types.DefaultGenesis())
}

// ValidateGenesis checks a genesis state given as JSON.
func (AppModuleBasic) ValidateGenesis(cdc codec.JSONCodec, _ client.TxEncodingConfig, bz json.RawMessage) error {
	var gs types.GenesisState
	if err := cdc.UnmarshalJSON(bz, &gs); err != nil {
		return fmt.Errorf("failed to unmarshal %s genesis state: %w", types.ModuleName, err)
	}
	return gs.Validate()
}

// AppModule is the x/lending module.
type AppModule struct {
	AppModuleBasic

	cdc    codec.Codec
	keeper *keeper.Keeper
	// sim reads x/caliber and the vault for the simulation's message factories.
	sim simulation.Keepers
}

// NewAppModule returns the x/lending module. The codec decodes the store in
// the simulation; caliber, titles (x/caliber's query server) and yield are
// read only by the simulation's message factories.
func NewAppModule(cdc codec.Codec, keeper *keeper.Keeper, caliber simulation.CaliberKeeper, titles simulation.TitleQuerier, yield simulation.YieldKeeper) AppModule {
	return AppModule{cdc: cdc, keeper: keeper, sim: simulation.Keepers{Lending: keeper, Caliber: caliber, Titles: titles, Yield: yield}}
}

// IsOnePerModuleType implements depinject.OnePerModuleType.
func (AppModule) IsOnePerModuleType() {}

// IsAppModule implements appmodule.AppModule.
func (AppModule) IsAppModule() {}

// ConsensusVersion implements module.HasConsensusVersion.
func (AppModule) ConsensusVersion() uint64 { return ConsensusVersion }

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQueryServerImpl(am.keeper))
	if err := cfg.RegisterMigration(types.ModuleName, 1, am.keeper.MigrateSparseCuratorIndex); err != nil {
		panic(fmt.Errorf("register %s migration 1->2: %w", types.ModuleName, err))
	}
	if err := cfg.RegisterMigration(types.ModuleName, 2, am.keeper.MigrateSparseStatusIndex); err != nil {
		panic(fmt.Errorf("register %s migration 2->3: %w", types.ModuleName, err))
	}
	if err := cfg.RegisterMigration(types.ModuleName, 3, am.keeper.MigrateTitleLiens); err != nil {
		panic(fmt.Errorf("register %s migration 3->4: %w", types.ModuleName, err))
	}
	if err := cfg.RegisterMigration(types.ModuleName, 4, am.keeper.MigrateModuleAccount); err != nil {
		panic(fmt.Errorf("register %s migration 4->5: %w", types.ModuleName, err))
	}
}

// InitGenesis writes the genesis state; it panics on an invalid one, which halts
// only chain initialisation.
func (am AppModule) InitGenesis(ctx sdk.Context, cdc codec.JSONCodec, data json.RawMessage) {
	var gs types.GenesisState
	cdc.MustUnmarshalJSON(data, &gs)
	if err := am.keeper.InitGenesis(ctx, &gs); err != nil {
		panic(fmt.Errorf("failed to init %s genesis state: %w", types.ModuleName, err))
	}
}

// ExportGenesis returns the module state as JSON.
func (am AppModule) ExportGenesis(ctx sdk.Context, cdc codec.JSONCodec) json.RawMessage {
	gs, err := am.keeper.ExportGenesis(ctx)
	if err != nil {
		panic(fmt.Errorf("failed to export %s genesis state: %w", types.ModuleName, err))
	}
	return cdc.MustMarshalJSON(gs)
}

// EndBlock expires PENDING loans past max_pending_age, bounded per block.
func (am AppModule) EndBlock(ctx context.Context) error {
	return am.keeper.EndBlocker(ctx)
}

// GenerateGenesisState implements module.AppModuleSimulation.
func (AppModule) GenerateGenesisState(simState *module.SimulationState) {
	simulation.RandomizedGenState(simState)
}

// RegisterStoreDecoder implements module.AppModuleSimulation.
func (am AppModule) RegisterStoreDecoder(sdr simtypes.StoreDecoderRegistry) {
	sdr[types.StoreKey] = simulation.NewDecodeStore(am.cdc)
}

// WeightedOperations implements module.AppModuleSimulation; WeightedOperationsX
// supersedes it (the simsx runner uses that).
func (AppModule) WeightedOperations(module.SimulationState) []simtypes.WeightedOperation {
	return nil
}

// WeightedOperationsX registers the operations of every x/lending message,
// with valid and invalid input.
func (am AppModule) WeightedOperationsX(weights simsx.WeightSource, reg simsx.Registry) {
	simulation.WeightedOperationsX(am.sim, weights, reg)
}

// ProposalMsgsX registers the authority-only messages as gov proposals.
func (am AppModule) ProposalMsgsX(weights simsx.WeightSource, reg simsx.Registry) {
	simulation.ProposalMsgsX(am.sim, weights, reg)
}
