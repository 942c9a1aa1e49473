package simulation_test

import (
	"context"
	"encoding/json"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/log"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/oracle"
	"github.com/infrafi/infrafi/x/oracle/keeper"
	"github.com/infrafi/infrafi/x/oracle/simulation"
	"github.com/infrafi/infrafi/x/oracle/types"
)

// registry collects the factories a module registers.
type registry []simsx.SimMsgFactoryX

func (r *registry) Add(_ uint32, f simsx.SimMsgFactoryX) { *r = append(*r, f) }

type noModules struct{}

func (noModules) GetModuleAddress(name string) sdk.AccAddress {
	return authtypes.NewModuleAddress(name)
}

type noBalances struct{}

func (noBalances) SpendableCoins(context.Context, sdk.AccAddress) sdk.Coins { return sdk.NewCoins() }
func (noBalances) IsSendEnabledDenom(context.Context, string) bool          { return true }

// TestFactoriesAgainstKeeper runs every factory of the module many times on a
// keeper started from the generated genesis, delivering each message through
// the Msg service: a valid message (including the proposals' authority
// messages, which the simulation only executes when x/gov passes them) must
// succeed, an invalid one must be refused with the error its factory expects.
func TestFactoriesAgainstKeeper(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		encCfg := moduletestutil.MakeTestEncodingConfig(oracle.AppModuleBasic{})
		key := storetypes.NewKVStoreKey(types.StoreKey)
		genTime := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test")).Ctx.WithBlockTime(genTime)
		k := keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(key), authtypes.NewModuleAddress("gov").String(), log.NewNopLogger())
		am := oracle.NewAppModule(encCfg.Codec, k)
		router := baseapp.NewMsgServiceRouter()
		router.SetInterfaceRegistry(encCfg.InterfaceRegistry)
		am.RegisterServices(module.NewConfigurator(encCfg.Codec, router, baseapp.NewGRPCQueryRouter()))

		r := rand.New(rand.NewSource(seed))
		accs := simtypes.RandomAccounts(r, simutil.NumRoles+5)
		simState := &module.SimulationState{Cdc: encCfg.Codec, Rand: r, Accounts: accs, GenState: map[string]json.RawMessage{}, GenTimestamp: genTime}
		simulation.RandomizedGenState(simState)
		am.InitGenesis(ctx, encCfg.Codec, simState.GenState[types.ModuleName])

		var ops, proposals registry
		am.WeightedOperationsX(simsx.WeightSourceFn(func(_ string, w uint32) uint32 { return w }), &ops)
		am.ProposalMsgsX(simsx.WeightSourceFn(func(_ string, w uint32) uint32 { return w }), &proposals)
		all := append(append(registry{}, ops...), proposals...)

		delivered := map[string]int{}
		for block := 0; block < 40; block++ {
			ctx = ctx.WithBlockTime(ctx.BlockTime().Add(2 * time.Hour)).WithBlockHeight(int64(block + 1))
			for _, f := range all {
				testData := simsx.NewChainDataSource(ctx, r, noModules{}, noBalances{}, address.NewBech32Codec(sdk.GetConfig().GetBech32AccountAddrPrefix()), accs...)
				reporter := simsx.NewBasicSimulationReporter().WithScope(f.MsgType())
				_, msg := f.Create()(ctx, testData, reporter)
				if reporter.IsSkipped() {
					continue
				}
				require.NotNil(t, msg)
				cacheCtx, write := ctx.CacheContext()
				_, err := router.Handler(msg)(cacheCtx, msg)
				require.NoError(t, f.DeliveryResultHandler()(err), "seed %d block %d: %s %v", seed, block, sdk.MsgTypeURL(msg), msg)
				if err == nil {
					write()
					delivered[sdk.MsgTypeURL(msg)]++
				}
			}
			require.NoError(t, am.EndBlock(ctx))
			for _, id := range simulation.ProtectedFeeds() {
				price, err := k.GetPrice(ctx, id)
				require.NoError(t, err)
				require.True(t, price.Valid, "seed %d: %s went stale", seed, id)
			}
		}
		for _, msg := range []sdk.Msg{
			&types.MsgPostPrice{}, &types.MsgAddFeed{}, &types.MsgUpdateFeed{}, &types.MsgRemoveFeed{},
			&types.MsgAddFeeder{}, &types.MsgRemoveFeeder{}, &types.MsgUpdateParams{},
		} {
			require.Positive(t, delivered[sdk.MsgTypeURL(msg)], "seed %d: no valid %s delivered", seed, sdk.MsgTypeURL(msg))
		}
	}
}
