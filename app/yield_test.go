package app_test

import (
	"encoding/json"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldkeeper "github.com/infrafi/infrafi/x/yield/keeper"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// Accounts of the yield tests.
const (
	yFeeder = iota
	yAlice
	yBob
	yCustodian
	yStranger
	yAccounts
)

const yieldRateFeed = "rate/tbill"

func yUSD(v int64) sdkmath.Int { return sdkmath.NewInt(v * 1_000_000) }

// withYield: fee-free uusdc reserve in x/stable, the T-bill feed fed by
// yFeeder, yCustodian a TREASURY_CUSTODIAN in x/caliber, and the localnet's
// vault timings: 60 s epochs (10 s cancel cutoff), 30 s rebalances, a 10%
// buffer, checkpoints every 60 s.
func withYield(accs []testutil.Account, state app.GenesisState) {
	cdc := app.MakeEncodingConfig().Codec
	og := oracletypes.DefaultGenesis()
	og.Feeds = []oracletypes.Feed{{Id: yieldRateFeed, Description: "T-bill APR", Unit: "apr", MinFeeders: 1, MaxAge: 24 * time.Hour}}
	og.Feeders = []oracletypes.Feeder{{FeedId: yieldRateFeed, Address: accs[yFeeder].Address.String()}}
	state[oracletypes.ModuleName] = cdc.MustMarshalJSON(og)

	testutil.ListLocalnetReserve(cdc, state, yUSD(1_000_000_000), false)

	var cg calibertypes.GenesisState
	cdc.MustUnmarshalJSON(state[calibertypes.ModuleName], &cg)
	cg.Parties = append(cg.Parties, calibertypes.Party{
		Address: accs[yCustodian].Address.String(), Roles: []calibertypes.Role{calibertypes.RoleTreasuryCustodian}, Active: true,
	})
	state[calibertypes.ModuleName] = cdc.MustMarshalJSON(&cg)

	var yg yieldtypes.GenesisState
	cdc.MustUnmarshalJSON(state[yieldtypes.ModuleName], &yg)
	yg.Params.EpochLength = 60 * time.Second
	yg.Params.CancelCutoff = 10 * time.Second
	yg.Params.RebalanceInterval = 30 * time.Second
	yg.Params.LiquidityBufferBps = 1_000
	yg.Params.CheckpointInterval = 60 * time.Second
	yg.Params.TreasuryCustodian = accs[yCustodian].Address.String()
	yg.Params.TreasuryReserveDenom = app.LocalnetReserveDenom
	state[yieldtypes.ModuleName] = cdc.MustMarshalJSON(&yg)
}

func setupYield(t *testing.T) *testutil.App {
	t.Helper()
	fx := testutil.Setup(t, testutil.Options{
		Accounts: yAccounts,
		Balance: sdk.NewCoins(
			sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1_000_000_000_000)),
			sdk.NewCoin(app.LocalnetReserveDenom, yUSD(10_000)),
		),
		Genesis: withYield,
	})
	feeder := fx.Accounts[yFeeder]
	fx.MustDeliver(feeder, &oracletypes.MsgPostPrice{Feeder: feeder.Address.String(), FeedId: yieldRateFeed, Value: sdkmath.LegacyMustNewDecFromStr("0.05")})
	for _, i := range []int{yAlice, yBob} {
		acc := fx.Accounts[i]
		fx.MustDeliver(acc, &stabletypes.MsgMint{Sender: acc.Address.String(), Amount: sdk.NewCoin(app.LocalnetReserveDenom, yUSD(1_000))})
	}
	requireYieldInvariants(t, fx)
	return fx
}

func requireYieldInvariants(t *testing.T, fx *testutil.App) {
	t.Helper()
	msg, broken := yieldkeeper.AllInvariants(fx.YieldKeeper)(fx.Ctx())
	require.False(t, broken, msg)
	requireStableInvariants(t, fx)
}

func yieldView(t *testing.T, fx *testutil.App) yieldkeeper.View {
	t.Helper()
	v, err := fx.YieldKeeper.View(fx.Ctx())
	require.NoError(t, err)
	return v
}

func yieldPrice(t *testing.T, fx *testutil.App) sdkmath.LegacyDec {
	t.Helper()
	sum, err := yieldView(t, fx).Summary()
	require.NoError(t, err)
	return sum.SharePrice
}

// typedEvents parses the events of type T from ABCI events.
func typedEvents[T proto.Message](t *testing.T, events []abci.Event) []T {
	t.Helper()
	var out []T
	for _, ev := range events {
		// Block events carry a "mode" attribute (BeginBlock/EndBlock) that is not a field.
		attrs := ev.Attributes[:0:0]
		for _, a := range ev.Attributes {
			if a.Key != "mode" {
				attrs = append(attrs, a)
			}
		}
		msg, err := sdk.ParseTypedEvent(abci.Event{Type: ev.Type, Attributes: attrs})
		if err != nil {
			continue
		}
		if m, ok := msg.(T); ok {
			out = append(out, m)
		}
	}
	return out
}

func TestYieldWiring(t *testing.T) {
	require.Equal(t, app.USDaiDenom, yieldtypes.AssetDenom)
	require.Equal(t, app.SUSDaiDenom, yieldtypes.ShareDenom)
	fx := setupYield(t)
	perms := app.ModuleAccountPermissions()
	require.ElementsMatch(t, []string{authtypes.Minter, authtypes.Burner}, perms[yieldtypes.ModuleName])
	require.True(t, app.BlockedAddresses()[authtypes.NewModuleAddress(yieldtypes.ModuleName).String()], "no donations by send")
	require.Equal(t, yieldkeeper.FeeCollector, stabletypes.ProtocolFeeCollector)

	// A plain bank send to the vault is refused.
	alice := fx.Accounts[yAlice]
	res := fx.Deliver(alice, &banktypes.MsgSend{
		FromAddress: alice.Address.String(), ToAddress: authtypes.NewModuleAddress(yieldtypes.ModuleName).String(),
		Amount: sdk.NewCoins(sdk.NewCoin(app.USDaiDenom, yUSD(1))),
	})
	require.Equal(t, sdkerrors.ErrUnauthorized.ABCICode(), res.Code, res.Log)

	epoch, err := fx.YieldKeeper.Epoch.Get(fx.Ctx())
	require.NoError(t, err)
	require.Equal(t, uint64(1), epoch.Number)
	require.Equal(t, testutil.GenesisTime.Add(time.Minute), epoch.End)
}

// TestYieldFlowThroughTransactions is the "done when" on the
// in-process chain: deposit, allocation to the treasury after the rebalance
// interval, yield settled by the custodian raising the price, and two
// redemptions with different bids, the higher served first.
func TestYieldFlowThroughTransactions(t *testing.T) {
	fx := setupYield(t)
	a := fx.Accounts
	alice, bob, custodian := a[yAlice], a[yBob], a[yCustodian]

	res := fx.MustDeliver(alice, &yieldtypes.MsgDeposit{Depositor: alice.Address.String(), Amount: sdk.NewCoin(app.USDaiDenom, yUSD(400))})
	require.Len(t, testutil.EventsOfType(res, "infrafi.yield.v1.EventDeposit"), 1)
	require.Equal(t, "400000000", bal(fx, alice.Address, app.SUSDaiDenom).String(), "one share per uusdai at the opening price")
	require.Equal(t, "1.000000000000000000", yieldPrice(t, fx).String())

	// The next rebalance keeps 10% idle and sends the rest to the custodian as USDC.
	custodianUSDC := bal(fx, custodian.Address, app.LocalnetReserveDenom)
	block := fx.NextBlock(30 * time.Second)
	allocated := typedEvents[*yieldtypes.EventTreasuryAllocated](t, block.Events)
	require.Len(t, allocated, 1)
	require.Equal(t, yUSD(360).String(), allocated[0].Amount.String())
	require.Equal(t, custodianUSDC.Add(yUSD(360)).String(), bal(fx, custodian.Address, app.LocalnetReserveDenom).String())
	outstanding, err := fx.StableKeeper.Outstanding(fx.Ctx(), app.LocalnetReserveDenom)
	require.NoError(t, err)
	require.Equal(t, yUSD(360).String(), outstanding.String())
	v := yieldView(t, fx)
	require.Equal(t, yUSD(40).String(), v.Vault.Idle.String())
	require.True(t, v.NAV.GTE(yUSD(400)))
	requireYieldInvariants(t, fx)

	// The custodian settles 4 USDai of yield: the price rises (1% fee).
	before := yieldPrice(t, fx)
	res = fx.Deliver(a[yStranger], &yieldtypes.MsgSettleTreasury{Custodian: a[yStranger].Address.String(), Principal: sdkmath.ZeroInt(), Yield: yUSD(1)})
	require.Equal(t, sdkerrors.ErrUnauthorized.ABCICode(), res.Code, res.Log)
	fx.MustDeliver(custodian, &yieldtypes.MsgSettleTreasury{Custodian: custodian.Address.String(), Principal: sdkmath.ZeroInt(), Yield: yUSD(4)})
	after := yieldPrice(t, fx)
	require.True(t, after.GT(before), "price %s -> %s", before, after)
	v = yieldView(t, fx)
	require.Equal(t, sdkmath.NewInt(403_960_000).String(), v.NAV.String(), "400 + 4 − 1% fee; the settlement realized all accrued yield")
	require.Equal(t, v.NAV.String(), v.Conservative.String())
	requireYieldInvariants(t, fx)

	// bob deposits at the higher price: fewer shares for the same USDai.
	fx.MustDeliver(bob, &yieldtypes.MsgDeposit{Depositor: bob.Address.String(), Amount: sdk.NewCoin(app.USDaiDenom, yUSD(400))})
	require.True(t, bal(fx, bob.Address, app.SUSDaiDenom).LT(bal(fx, alice.Address, app.SUSDaiDenom)))

	// Both queue all their shares; bob bids more.
	aliceShares, bobShares := bal(fx, alice.Address, app.SUSDaiDenom), bal(fx, bob.Address, app.SUSDaiDenom)
	fx.MustDeliver(alice, &yieldtypes.MsgRequestRedeem{Owner: alice.Address.String(), Shares: aliceShares, BidBps: 50})
	fx.MustDeliver(bob, &yieldtypes.MsgRequestRedeem{Owner: bob.Address.String(), Shares: bobShares, BidBps: 200})
	res = fx.Deliver(bob, &yieldtypes.MsgUpdateBid{Owner: bob.Address.String(), RequestId: 1, BidBps: 100})
	require.Equal(t, yieldtypes.ErrInvalidBid.ABCICode(), res.Code, "bids only go up: %s", res.Log)
	aliceUSDai, bobUSDai := bal(fx, alice.Address, app.USDaiDenom), bal(fx, bob.Address, app.USDaiDenom)

	// Blocks until the epoch closes and its round ends.
	var served []*yieldtypes.EventRedeemServed
	var finished []*yieldtypes.EventRoundFinished
	for i := 0; i < 30 && len(finished) == 0; i++ {
		block = fx.NextBlock(5 * time.Second)
		served = append(served, typedEvents[*yieldtypes.EventRedeemServed](t, block.Events)...)
		finished = typedEvents[*yieldtypes.EventRoundFinished](t, block.Events)
	}
	require.Len(t, finished, 1)
	require.NotEmpty(t, served)
	require.Equal(t, bob.Address.String(), served[0].Owner, "the higher bid is served first")
	require.Equal(t, uint32(200), served[0].BidBps)
	require.True(t, bal(fx, bob.Address, app.USDaiDenom).GT(bobUSDai), "USDai paid straight to bob")
	if len(served) > 1 {
		require.Equal(t, alice.Address.String(), served[1].Owner)
	}
	requireYieldInvariants(t, fx)

	// Whatever is left waits for the custodian to settle the recall; then the
	// next epoch serves the rest.
	for i := 0; i < 40; i++ {
		if q, err := fx.YieldKeeper.Vault.Get(fx.Ctx()); err == nil && q.EscrowedShares.IsZero() {
			break
		}
		tr, err := fx.YieldKeeper.Treasury.Get(fx.Ctx())
		require.NoError(t, err)
		if tr.Recall.IsPositive() {
			fx.MustDeliver(custodian, &yieldtypes.MsgSettleTreasury{Custodian: custodian.Address.String(), Principal: tr.Recall, Yield: sdkmath.ZeroInt()})
		} else {
			fx.NextBlock(5 * time.Second)
		}
	}
	v = yieldView(t, fx)
	require.True(t, v.Vault.EscrowedShares.IsZero(), "every request served")
	require.True(t, bal(fx, alice.Address, app.USDaiDenom).GT(aliceUSDai.Add(yUSD(390))), "alice got her 400 USDai plus yield, less a 0.5% bid")
	require.True(t, fx.BankKeeper.GetSupply(fx.Ctx(), app.SUSDaiDenom).Amount.IsZero())
	requireYieldInvariants(t, fx)
}

func TestYieldBadInputThroughTransactions(t *testing.T) {
	fx := setupYield(t)
	alice, bob := fx.Accounts[yAlice], fx.Accounts[yBob]
	for _, tc := range []struct {
		name   string
		signer testutil.Account
		msg    sdk.Msg
		err    uint32
		space  string
	}{
		{"deposit of USDC", alice, &yieldtypes.MsgDeposit{Depositor: alice.Address.String(), Amount: sdk.NewCoin(app.LocalnetReserveDenom, yUSD(1))},
			yieldtypes.ErrInvalidDenom.ABCICode(), yieldtypes.ModuleName},
		{"deposit of zero", alice, &yieldtypes.MsgDeposit{Depositor: alice.Address.String(), Amount: sdk.NewCoin(app.USDaiDenom, sdkmath.ZeroInt())},
			yieldtypes.ErrInvalidAmount.ABCICode(), yieldtypes.ModuleName},
		{"redeem more than owned", alice, &yieldtypes.MsgRequestRedeem{Owner: alice.Address.String(), Shares: sdkmath.OneInt()},
			yieldtypes.ErrInsufficientShares.ABCICode(), yieldtypes.ModuleName},
		{"bid above 10000", alice, &yieldtypes.MsgRequestRedeem{Owner: alice.Address.String(), Shares: sdkmath.OneInt(), BidBps: 10_001},
			yieldtypes.ErrInvalidBid.ABCICode(), yieldtypes.ModuleName},
		{"settle by a non-custodian", bob, &yieldtypes.MsgSettleTreasury{Custodian: bob.Address.String(), Principal: sdkmath.ZeroInt(), Yield: yUSD(1)},
			sdkerrors.ErrUnauthorized.ABCICode(), sdkerrors.RootCodespace},
		{"settle above the recall", fx.Accounts[yCustodian], &yieldtypes.MsgSettleTreasury{Custodian: fx.Accounts[yCustodian].Address.String(), Principal: yUSD(1), Yield: sdkmath.ZeroInt()},
			yieldtypes.ErrExceedsRecall.ABCICode(), yieldtypes.ModuleName},
		{"params by a non-authority", alice, &yieldtypes.MsgUpdateParams{Authority: alice.Address.String(), Params: yieldtypes.DefaultParams()},
			sdkerrors.ErrUnauthorized.ABCICode(), sdkerrors.RootCodespace},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := yieldView(t, fx)
			res := fx.Deliver(tc.signer, tc.msg)
			require.Equal(t, tc.space, res.Codespace, res.Log)
			require.Equal(t, tc.err, res.Code, res.Log)
			after := yieldView(t, fx)
			require.Equal(t, before.Vault, after.Vault)
			require.Equal(t, before.TotalShares.String(), after.TotalShares.String())
		})
	}

	// Cancel of another's request, and after the cutoff, in a fresh epoch.
	epoch, err := fx.YieldKeeper.Epoch.Get(fx.Ctx())
	require.NoError(t, err)
	fx.NextBlock(epoch.End.Sub(fx.BlockTime()))
	fx.MustDeliver(alice, &yieldtypes.MsgDeposit{Depositor: alice.Address.String(), Amount: sdk.NewCoin(app.USDaiDenom, yUSD(10))})
	fx.MustDeliver(alice, &yieldtypes.MsgRequestRedeem{Owner: alice.Address.String(), Shares: yUSD(1), BidBps: 0})
	res := fx.Deliver(bob, &yieldtypes.MsgCancelRedeem{Owner: bob.Address.String(), RequestId: 0})
	require.Equal(t, sdkerrors.ErrUnauthorized.ABCICode(), res.Code, res.Log)
	epoch, err = fx.YieldKeeper.Epoch.Get(fx.Ctx())
	require.NoError(t, err)
	// Jump to 5 s before the epoch's end (past the 10 s cutoff).
	fx.NextBlock(epoch.End.Sub(fx.BlockTime()) - 10*time.Second)
	res = fx.NextBlock(5*time.Second, fx.SignTx(alice, &yieldtypes.MsgCancelRedeem{Owner: alice.Address.String(), RequestId: 0})).TxResults[0]
	require.Equal(t, yieldtypes.ErrCancelClosed.ABCICode(), res.Code, res.Log)
	requireYieldInvariants(t, fx)
}

func TestYieldExportImport(t *testing.T) {
	fx := setupYield(t)
	alice := fx.Accounts[yAlice]
	fx.MustDeliver(alice, &yieldtypes.MsgDeposit{Depositor: alice.Address.String(), Amount: sdk.NewCoin(app.USDaiDenom, yUSD(100))})
	fx.NextBlock(30 * time.Second) // allocation
	fx.MustDeliver(alice, &yieldtypes.MsgRequestRedeem{Owner: alice.Address.String(), Shares: yUSD(10), BidBps: 25})

	exported, err := fx.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	var state map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(exported.AppState, &state))
	var gs yieldtypes.GenesisState
	fx.AppCodec().MustUnmarshalJSON(state[yieldtypes.ModuleName], &gs)
	require.NoError(t, gs.Validate())
	require.Len(t, gs.Requests, 1)
	require.True(t, gs.Treasury.Principal.IsPositive())

	fresh := testutil.NewApp(t)
	_, err = fresh.InitChain(&abci.RequestInitChain{
		ChainId: testutil.ChainID, Time: fx.BlockTime(), ConsensusParams: &exported.ConsensusParams,
		AppStateBytes: exported.AppState, InitialHeight: exported.Height + 1,
	})
	require.NoError(t, err)
	_, err = fresh.FinalizeBlock(&abci.RequestFinalizeBlock{Height: exported.Height + 1, Time: fx.BlockTime()})
	require.NoError(t, err)
	_, err = fresh.Commit()
	require.NoError(t, err)
	again, err := fresh.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	var state2 map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(again.AppState, &state2))
	var gs2 yieldtypes.GenesisState
	fresh.AppCodec().MustUnmarshalJSON(state2[yieldtypes.ModuleName], &gs2)
	require.Equal(t, gs.Params, gs2.Params)
	require.Equal(t, gs.Vault, gs2.Vault)
	require.Equal(t, gs.Book, gs2.Book)
	require.Equal(t, gs.Epoch, gs2.Epoch)
	require.Equal(t, gs.Requests, gs2.Requests)
	require.Equal(t, gs.Treasury.Principal, gs2.Treasury.Principal)
	require.Equal(t, gs.Checkpoints, gs2.Checkpoints)
}
