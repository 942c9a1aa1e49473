package app_test

import (
	"encoding/json"
	"testing"
	"time"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stablekeeper "github.com/infrafi/infrafi/x/stable/keeper"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
)

const (
	stableReserve = app.LocalnetReserveDenom
	stableFxFeed  = "fx/uusdc"
)

var stableStartUSDC = sdkmath.NewInt(1_000_000_000) // 1,000 USDC per account

// withStableReserve funds every account with uusdc, lists uusdc as a reserve
// (10 bps mint, 20 bps redeem, cap 500 USDC, depeg guard at 0.98 on fx/uusdc
// with a one-hour max age) and makes accounts[0] the fx/uusdc feeder.
func withStableReserve(opts *testutil.Options) {
	opts.Balance = sdk.NewCoins(
		sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1_000_000_000_000)),
		sdk.NewCoin(stableReserve, stableStartUSDC),
	)
	opts.Genesis = func(accs []testutil.Account, state app.GenesisState) {
		cdc := app.MakeEncodingConfig().Codec
		og := oracletypes.DefaultGenesis()
		og.Feeds = []oracletypes.Feed{{Id: stableFxFeed, Description: "USDC in USD", Unit: "usd", MinFeeders: 1, MaxAge: time.Hour}}
		og.Feeders = []oracletypes.Feeder{{FeedId: stableFxFeed, Address: accs[0].Address.String()}}
		state[oracletypes.ModuleName] = cdc.MustMarshalJSON(og)

		sg := stabletypes.DefaultGenesis()
		sg.Params = stabletypes.NewParams([]stabletypes.ReserveAsset{{
			Denom: stableReserve, Enabled: true, MintFeeBps: 10, RedeemFeeBps: 20, Cap: sdkmath.NewInt(500_000_000),
			DepegFeed: stableFxFeed, DepegThreshold: sdkmath.LegacyMustNewDecFromStr("0.98"),
		}}, sdkmath.NewInt(1_000_000_000), false, false)
		state[stabletypes.ModuleName] = cdc.MustMarshalJSON(sg)
	}
}

func setupStable(t *testing.T) *testutil.App {
	var opts testutil.Options
	withStableReserve(&opts)
	fx := testutil.Setup(t, opts)
	requireStableInvariants(t, fx)
	return fx
}

func requireStableInvariants(t *testing.T, fx *testutil.App) {
	t.Helper()
	msg, broken := stablekeeper.AllInvariants(fx.StableKeeper)(fx.Ctx())
	require.False(t, broken, msg)
}

func bal(fx *testutil.App, addr sdk.AccAddress, denom string) sdkmath.Int {
	return fx.BankKeeper.GetBalance(fx.Ctx(), addr, denom).Amount
}

// requireCode checks a tx result against a registered error.
func requireCode(t *testing.T, res *abci.ExecTxResult, err *errorsmod.Error) {
	t.Helper()
	require.Equal(t, err.Codespace(), res.Codespace, res.Log)
	require.Equal(t, err.ABCICode(), res.Code, res.Log)
}

func TestStableWiring(t *testing.T) {
	require.Equal(t, app.USDaiDenom, stabletypes.USDaiDenom)
	require.Equal(t, app.SUSDaiDenom, stabletypes.SUSDaiDenom)
	fx := setupStable(t)

	perms := app.ModuleAccountPermissions()
	require.ElementsMatch(t, []string{authtypes.Minter, authtypes.Burner}, perms[stabletypes.ModuleName])
	require.Empty(t, perms[stabletypes.ProtocolFeeCollector])
	require.Contains(t, perms, stabletypes.ProtocolFeeCollector)

	// Neither module account accepts plain sends.
	sender := fx.Accounts[1]
	for _, name := range []string{stabletypes.ModuleName, stabletypes.ProtocolFeeCollector} {
		res := fx.Deliver(sender, banktypes.NewMsgSend(sender.Address, authtypes.NewModuleAddress(name),
			sdk.NewCoins(sdk.NewInt64Coin(stableReserve, 1))))
		requireCode(t, res, sdkerrors.ErrUnauthorized)
		require.True(t, bal(fx, authtypes.NewModuleAddress(name), stableReserve).IsZero())
	}
}

func TestStableMintAndRedeemThroughTransactions(t *testing.T) {
	fx := setupStable(t)
	user := fx.Accounts[1]
	moduleAddr := authtypes.NewModuleAddress(stabletypes.ModuleName)
	feesAddr := authtypes.NewModuleAddress(stabletypes.ProtocolFeeCollector)
	query := stablekeeper.NewQueryServerImpl(fx.StableKeeper)

	// Mint 100 USDC: 0.1 USDai fee, 99.9 to the user.
	res := fx.MustDeliver(user, &stabletypes.MsgMint{Sender: user.Address.String(), Amount: sdk.NewInt64Coin(stableReserve, 100_000_000)})
	require.Len(t, testutil.EventsOfType(res, "infrafi.stable.v1.EventMint"), 1)
	requireStableInvariants(t, fx)
	require.Equal(t, stableStartUSDC.SubRaw(100_000_000), bal(fx, user.Address, stableReserve))
	require.Equal(t, sdkmath.NewInt(99_900_000), bal(fx, user.Address, app.USDaiDenom))
	require.Equal(t, sdkmath.NewInt(100_000), bal(fx, feesAddr, app.USDaiDenom))
	require.Equal(t, sdkmath.NewInt(100_000_000), bal(fx, moduleAddr, stableReserve))

	// Redeem 40 USDai: 0.08 fee, 39.92 burned and paid out in USDC.
	res = fx.MustDeliver(user, &stabletypes.MsgRedeem{Sender: user.Address.String(), Amount: sdk.NewInt64Coin(app.USDaiDenom, 40_000_000), ReserveDenom: stableReserve})
	require.Len(t, testutil.EventsOfType(res, "infrafi.stable.v1.EventRedeem"), 1)
	requireStableInvariants(t, fx)
	require.Equal(t, stableStartUSDC.SubRaw(100_000_000-39_920_000), bal(fx, user.Address, stableReserve))
	require.Equal(t, sdkmath.NewInt(59_900_000), bal(fx, user.Address, app.USDaiDenom))
	require.Equal(t, sdkmath.NewInt(180_000), bal(fx, feesAddr, app.USDaiDenom))

	proof, err := query.ProofOfReserves(fx.Ctx(), &stabletypes.QueryProofOfReservesRequest{})
	require.NoError(t, err)
	require.Equal(t, "60080000", proof.UsdaiSupply.String())
	require.Equal(t, proof.UsdaiSupply, proof.ReservesHeld)
	require.Equal(t, sdkmath.LegacyOneDec(), proof.Ratio)
	fees, err := query.FeesCollected(fx.Ctx(), &stabletypes.QueryFeesCollectedRequest{})
	require.NoError(t, err)
	require.Equal(t, sdk.NewCoins(sdk.NewInt64Coin(app.USDaiDenom, 180_000)), fees.Balance)

	// Past the 500 USDC cap: refused, nothing moves.
	before := bal(fx, user.Address, stableReserve)
	res = fx.Deliver(user, &stabletypes.MsgMint{Sender: user.Address.String(), Amount: sdk.NewInt64Coin(stableReserve, 440_000_000)})
	requireCode(t, res, stabletypes.ErrReserveCapExceeded)
	require.Contains(t, res.Log, "above the cap 500000000uusdc")
	require.Equal(t, before, bal(fx, user.Address, stableReserve))
	requireStableInvariants(t, fx)

	// USDai is an ordinary bank coin: it moves freely.
	other := fx.Accounts[2]
	fx.MustDeliver(user, banktypes.NewMsgSend(user.Address, other.Address, sdk.NewCoins(sdk.NewInt64Coin(app.USDaiDenom, 1_000_000))))
	require.Equal(t, sdkmath.NewInt(1_000_000), bal(fx, other.Address, app.USDaiDenom))
}

func TestStableDepegGuardFollowsTheOracle(t *testing.T) {
	fx := setupStable(t)
	feeder, user := fx.Accounts[0], fx.Accounts[1]
	mint := func() *abci.ExecTxResult {
		return fx.Deliver(user, &stabletypes.MsgMint{Sender: user.Address.String(), Amount: sdk.NewInt64Coin(stableReserve, 10_000_000)})
	}
	post := func(v string) {
		fx.MustDeliver(feeder, &oracletypes.MsgPostPrice{Feeder: feeder.Address.String(), FeedId: stableFxFeed, Value: sdkmath.LegacyMustNewDecFromStr(v)})
	}

	// No price yet: the guard does not block.
	require.Zero(t, mint().Code)

	// The feeder posts 0.95; EndBlock of that block aggregates it.
	post("0.95")
	supply := fx.BankKeeper.GetSupply(fx.Ctx(), app.USDaiDenom).Amount
	res := mint()
	requireCode(t, res, stabletypes.ErrDepegged)
	require.Contains(t, res.Log, "uusdc price 0.950000000000000000 from fx/uusdc is below the depeg threshold 0.980000000000000000")
	require.Equal(t, supply, fx.BankKeeper.GetSupply(fx.Ctx(), app.USDaiDenom).Amount)
	requireStableInvariants(t, fx)

	st, err := stablekeeper.NewQueryServerImpl(fx.StableKeeper).Reserve(fx.Ctx(), &stabletypes.QueryReserveRequest{Denom: stableReserve})
	require.NoError(t, err)
	require.True(t, st.Reserve.Depegged)
	require.False(t, st.Reserve.Mintable)

	// Redemptions stay open during a depeg.
	fx.MustDeliver(user, &stabletypes.MsgRedeem{Sender: user.Address.String(), Amount: sdk.NewInt64Coin(app.USDaiDenom, 1_000_000), ReserveDenom: stableReserve})
	requireStableInvariants(t, fx)

	// Back on peg: minting resumes.
	post("0.999")
	require.Zero(t, mint().Code)

	// A stale price does not block: after max_age a 0.95 post no longer counts.
	post("0.95")
	requireCode(t, mint(), stabletypes.ErrDepegged)
	fx.NextBlock(time.Hour + time.Second)
	require.Zero(t, mint().Code)
	requireStableInvariants(t, fx)
}

func TestStableAuthorityMessages(t *testing.T) {
	fx := setupStable(t)
	user := fx.Accounts[1]

	params := stabletypes.DefaultParams()
	res := fx.Deliver(user, &stabletypes.MsgUpdateParams{Authority: user.Address.String(), Params: params})
	requireCode(t, res, sdkerrors.ErrUnauthorized)
	// Signed by the user but naming the gov account: the signature check refuses it.
	res = fx.Deliver(user, &stabletypes.MsgUpdateAllowlist{Authority: testutil.Authority().String(), Add: []string{user.Address.String()}})
	require.NotZero(t, res.Code)

	got, err := fx.StableKeeper.GetParams(fx.Ctx())
	require.NoError(t, err)
	require.Len(t, got.Reserves, 1, "params unchanged")
	listed, err := fx.StableKeeper.IsAllowlisted(fx.Ctx(), user.Address)
	require.NoError(t, err)
	require.False(t, listed)
}

func TestStableExportImport(t *testing.T) {
	fx := setupStable(t)
	user := fx.Accounts[1]
	fx.MustDeliver(user, &stabletypes.MsgMint{Sender: user.Address.String(), Amount: sdk.NewInt64Coin(stableReserve, 100_000_000)})
	fx.NextBlock(time.Second)

	fresh, exported := fx.RestartFromExport(false)

	again, err := fresh.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	var before, after map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(exported.AppState, &before))
	require.NoError(t, json.Unmarshal(again.AppState, &after))
	require.JSONEq(t, string(before[stabletypes.ModuleName]), string(after[stabletypes.ModuleName]))
	ctx := fresh.NewUncachedContext(false, fx.Ctx().BlockHeader())
	msg, broken := stablekeeper.AllInvariants(fresh.StableKeeper)(ctx)
	require.False(t, broken, msg)
	require.Equal(t, sdkmath.NewInt(100_000_000), fresh.BankKeeper.GetSupply(ctx, app.USDaiDenom).Amount)
}
