package simulation_test

import (
	"math/rand"
	"testing"
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/simutil"
	oraclesim "github.com/infrafi/infrafi/x/oracle/simulation"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stablesim "github.com/infrafi/infrafi/x/stable/simulation"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	"github.com/infrafi/infrafi/x/yield/simulation"
	"github.com/infrafi/infrafi/x/yield/types"
)

// registry collects the factories a module registers.
type registry []simsx.SimMsgFactoryX

func (r *registry) Add(_ uint32, f simsx.SimMsgFactoryX) { *r = append(*r, f) }

// TestFactoriesOnApp runs the x/oracle, x/stable and x/yield factories on the
// full app started from their generated genesis (the TreasuryCustodian
// account holding the role in x/caliber), one tx per block 1–3 h apart: a
// valid message must succeed and an invalid one be refused with the error
// its factory expects; every invariant holds after every block. The authority
// messages of ProposalMsgsX (which the simulation only runs when x/gov passes
// them) are executed directly as the authority and must succeed too.
func TestFactoriesOnApp(t *testing.T) {
	total := map[string]int{}
	for seed := int64(1); seed <= 3; seed++ {
		for k, v := range runFactoriesOnApp(t, seed) {
			total[k] += v
		}
	}
	for _, msg := range []sdk.Msg{
		&oracletypes.MsgPostPrice{}, &stabletypes.MsgMint{}, &stabletypes.MsgRedeem{},
		&types.MsgDeposit{}, &types.MsgRequestRedeem{}, &types.MsgUpdateBid{}, &types.MsgCancelRedeem{}, &types.MsgSettleTreasury{},
	} {
		require.Positive(t, total[sdk.MsgTypeURL(msg)], "no %s succeeded (%v)", sdk.MsgTypeURL(msg), total)
	}
	for _, msg := range []sdk.Msg{
		&oracletypes.MsgAddFeed{}, &oracletypes.MsgUpdateFeed{}, &oracletypes.MsgRemoveFeed{}, &oracletypes.MsgAddFeeder{},
		&oracletypes.MsgRemoveFeeder{}, &oracletypes.MsgUpdateParams{},
		&stabletypes.MsgUpdateParams{}, &stabletypes.MsgUpdateAllowlist{}, &types.MsgUpdateParams{},
	} {
		require.Positive(t, total["proposal "+sdk.MsgTypeURL(msg)], "no proposal %s ran", sdk.MsgTypeURL(msg))
	}
}

// runFactoriesOnApp runs one seed and returns how many messages of each type succeeded.
func runFactoriesOnApp(t *testing.T, seed int64) map[string]int {
	r := rand.New(rand.NewSource(seed))
	var accs []simtypes.Account
	fx := testutil.Setup(t, testutil.Options{
		Accounts: simutil.NumRoles + 4,
		Balance: sdk.NewCoins(sdk.NewCoin(app.BondDenom, math.NewInt(1_000_000_000_000)),
			sdk.NewCoin(simutil.ReserveDenom, math.NewInt(1_000_000_000_000))),
		Genesis: func(accounts []testutil.Account, state app.GenesisState) {
			for _, a := range accounts {
				accs = append(accs, simtypes.Account{PrivKey: a.Priv, PubKey: a.Priv.PubKey(), Address: a.Address, AddressBech32: a.Address.String()})
			}
			cdc := app.MakeEncodingConfig().Codec
			simState := &module.SimulationState{Cdc: cdc, Rand: r, Accounts: accs, GenState: state, GenTimestamp: testutil.GenesisTime}
			oraclesim.RandomizedGenState(simState)
			stablesim.RandomizedGenState(simState)
			simulation.RandomizedGenState(simState)
			var cg calibertypes.GenesisState
			cdc.MustUnmarshalJSON(state[calibertypes.ModuleName], &cg)
			cg.Parties = append(cg.Parties, calibertypes.Party{
				Address: accs[simutil.TreasuryCustodian].AddressBech32, Roles: []calibertypes.Role{calibertypes.RoleTreasuryCustodian},
				Name: "treasury", Active: true,
			})
			state[calibertypes.ModuleName] = cdc.MustMarshalJSON(&cg)
		},
	})

	weights := simsx.WeightSourceFn(func(_ string, w uint32) uint32 { return w })
	var ops, proposals registry
	for _, m := range []interface {
		WeightedOperationsX(simsx.WeightSource, simsx.Registry)
		ProposalMsgsX(simsx.WeightSource, simsx.Registry)
	}{moduleOf(fx, oracletypes.ModuleName), moduleOf(fx, stabletypes.ModuleName), moduleOf(fx, types.ModuleName)} {
		m.WeightedOperationsX(weights, &ops)
		m.ProposalMsgsX(weights, &proposals)
	}
	// Prices, mints and deposits first, then everything.
	var warmup registry
	for _, f := range ops {
		switch f.MsgType().(type) {
		case *oracletypes.MsgPostPrice, *stabletypes.MsgMint, *types.MsgDeposit:
			warmup = append(warmup, f)
		}
	}
	cycle := append(append(registry{}, ops...), warmup...)

	codec := address.NewBech32Codec(sdk.GetConfig().GetBech32AccountAddrPrefix())
	ok := map[string]int{}
	for step := 0; step < 500; step++ {
		f := cycle[r.Intn(len(cycle))]
		if step < 40 {
			f = warmup[r.Intn(len(warmup))]
		}
		// The factory sees the state at the time of the block its tx goes in.
		dt := time.Duration(1+r.Intn(2)) * time.Hour
		ctx, _ := fx.Ctx().WithBlockTime(fx.BlockTime().Add(dt)).WithBlockHeight(fx.Height() + 1).CacheContext()
		testData := simsx.NewChainDataSource(ctx, r, fx.AccountKeeper, fx.BankKeeper, codec, accs...)
		reporter := simsx.NewBasicSimulationReporter().WithScope(f.MsgType())
		signers, msg := f.Create()(ctx, testData, reporter)
		if reporter.IsSkipped() {
			fx.NextBlock(dt)
			continue
		}
		require.Len(t, signers, 1)
		res := fx.NextBlock(dt, fx.SignTx(testutil.Account{Priv: signers[0].PrivKey, Address: signers[0].Address}, msg))
		var err error
		if tx := res.TxResults[0]; tx.Code != 0 {
			err = errorsmod.ABCIError(tx.Codespace, tx.Code, tx.Log)
		}
		require.NoError(t, f.DeliveryResultHandler()(err), "seed %d step %d: %s %v", seed, step, sdk.MsgTypeURL(msg), msg)
		if err == nil {
			ok[sdk.MsgTypeURL(msg)]++
		}
		require.NoError(t, fx.CheckInvariants(fx.Ctx()), "seed %d step %d", seed, step)

		// Every few steps, each authority message as x/gov would execute it.
		if step%20 == 19 {
			for _, p := range proposals {
				ctx, _ := fx.Ctx().CacheContext()
				testData := simsx.NewChainDataSource(ctx, r, fx.AccountKeeper, fx.BankKeeper, codec, accs...)
				reporter := simsx.NewBasicSimulationReporter().WithScope(p.MsgType())
				_, msg := p.Create()(ctx, testData, reporter)
				if reporter.IsSkipped() {
					continue
				}
				_, err := fx.MsgServiceRouter().Handler(msg)(ctx, msg)
				require.NoError(t, err, "seed %d: proposal %s %v", seed, sdk.MsgTypeURL(msg), msg)
				ok["proposal "+sdk.MsgTypeURL(msg)]++
			}
		}
	}
	t.Logf("seed %d: %v", seed, ok)
	return ok
}

// moduleOf is the app's module name as a simsx module.
func moduleOf(fx *testutil.App, name string) interface {
	WeightedOperationsX(simsx.WeightSource, simsx.Registry)
	ProposalMsgsX(simsx.WeightSource, simsx.Registry)
} {
	return fx.ModuleManager.Modules[name].(interface {
		WeightedOperationsX(simsx.WeightSource, simsx.Registry)
		ProposalMsgsX(simsx.WeightSource, simsx.Registry)
	})
}
