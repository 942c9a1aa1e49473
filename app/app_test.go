package app_test

import (
	"encoding/json"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	circuittypes "cosmossdk.io/x/circuit/types"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	minttypes "github.com/cosmos/cosmos-sdk/x/mint/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

const gpuFeed = "gpu/nvidia-h100-sxm5-80gb"

// withGPUFeed registers gpuFeed with accounts[0] as its only feeder.
func withGPUFeed(t *testing.T) func([]testutil.Account, app.GenesisState) {
	return func(accs []testutil.Account, state app.GenesisState) {
		gs := oracletypes.DefaultGenesis()
		gs.Feeds = []oracletypes.Feed{{Id: gpuFeed, Description: "H100", Unit: "uusdai/gpu", MinFeeders: 1, MaxAge: time.Hour}}
		gs.Feeders = []oracletypes.Feeder{{FeedId: gpuFeed, Address: accs[0].Address.String()}}
		state[oracletypes.ModuleName] = app.MakeEncodingConfig().Codec.MustMarshalJSON(gs)
	}
}

func TestDefaultGenesisUsesInfrafiDenoms(t *testing.T) {
	fx := testutil.Setup(t, testutil.Options{})
	gen := fx.DefaultGenesis()
	cdc := fx.AppCodec()

	var staking stakingtypes.GenesisState
	cdc.MustUnmarshalJSON(gen[stakingtypes.ModuleName], &staking)
	require.Equal(t, app.BondDenom, staking.Params.BondDenom)

	var mint minttypes.GenesisState
	cdc.MustUnmarshalJSON(gen[minttypes.ModuleName], &mint)
	require.Equal(t, app.BondDenom, mint.Params.MintDenom)

	var bank banktypes.GenesisState
	cdc.MustUnmarshalJSON(gen[banktypes.ModuleName], &bank)
	bases := make([]string, 0, len(bank.DenomMetadata))
	for _, md := range bank.DenomMetadata {
		require.NoError(t, md.Validate())
		bases = append(bases, md.Base)
	}
	require.ElementsMatch(t, []string{app.BondDenom, app.USDaiDenom, app.SUSDaiDenom}, bases)

	require.NoError(t, fx.BasicModuleManager.ValidateGenesis(cdc, fx.TxConfig(), gen))

	// The running chain serves the metadata too.
	md, found := fx.BankKeeper.GetDenomMetaData(fx.Ctx(), app.USDaiDenom)
	require.True(t, found)
	require.Equal(t, "usdai", md.Display)
	require.Equal(t, "infra", sdk.GetConfig().GetBech32AccountAddrPrefix())
}

func TestOraclePriceThroughTransactions(t *testing.T) {
	fx := testutil.Setup(t, testutil.Options{Genesis: withGPUFeed(t)})
	feeder, stranger := fx.Accounts[0], fx.Accounts[1]

	res := fx.MustDeliver(feeder, &oracletypes.MsgPostPrice{
		Feeder: feeder.Address.String(), FeedId: gpuFeed, Value: sdkmath.LegacyNewDec(25_000_000_000),
	})
	require.NotEmpty(t, testutil.EventsOfType(res, "infrafi.oracle.v1.EventPricePosted"))

	price, err := fx.OracleKeeper.GetPrice(fx.Ctx(), gpuFeed)
	require.NoError(t, err)
	require.True(t, price.Valid)
	require.Equal(t, sdkmath.LegacyNewDec(25_000_000_000), price.Value)
	require.Equal(t, fx.BlockTime(), price.UpdatedAt)

	// A stranger's post is refused with ErrUnauthorized and moves nothing.
	res = fx.Deliver(stranger, &oracletypes.MsgPostPrice{
		Feeder: stranger.Address.String(), FeedId: gpuFeed, Value: sdkmath.LegacyNewDec(1),
	})
	require.Equal(t, sdkerrors.ErrUnauthorized.Codespace(), res.Codespace)
	require.Equal(t, sdkerrors.ErrUnauthorized.ABCICode(), res.Code)
	after, err := fx.OracleKeeper.GetPrice(fx.Ctx(), gpuFeed)
	require.NoError(t, err)
	require.Equal(t, price.Value, after.Value)
	require.Equal(t, price.UpdatedAt, after.UpdatedAt)

	// The price goes stale once max_age passes with no new post.
	fx.NextBlock(time.Hour + time.Second)
	stale, err := fx.OracleKeeper.GetPrice(fx.Ctx(), gpuFeed)
	require.NoError(t, err)
	require.False(t, stale.Valid)
}

func TestCircuitBreakerPausesAMessageType(t *testing.T) {
	postURL := sdk.MsgTypeURL(&oracletypes.MsgPostPrice{})
	fx := testutil.Setup(t, testutil.Options{Genesis: func(accs []testutil.Account, state app.GenesisState) {
		withGPUFeed(t)(accs, state)
		gs := circuittypes.GenesisState{AccountPermissions: []*circuittypes.GenesisAccountPermissions{{
			Address:     accs[2].Address.String(),
			Permissions: &circuittypes.Permissions{Level: circuittypes.Permissions_LEVEL_SUPER_ADMIN},
		}}}
		state[circuittypes.ModuleName] = app.MakeEncodingConfig().Codec.MustMarshalJSON(&gs)
	}})
	feeder, admin := fx.Accounts[0], fx.Accounts[2]
	post := func(v int64) *abci.ExecTxResult {
		return fx.Deliver(feeder, &oracletypes.MsgPostPrice{
			Feeder: feeder.Address.String(), FeedId: gpuFeed, Value: sdkmath.LegacyNewDec(v),
		})
	}

	fx.MustDeliver(admin, &circuittypes.MsgTripCircuitBreaker{Authority: admin.Address.String(), MsgTypeUrls: []string{postURL}})
	res := post(100)
	require.NotZero(t, res.Code, "a tripped message type must be refused")
	require.Contains(t, res.Log, "tx type not allowed")
	_, err := fx.OracleKeeper.GetPrice(fx.Ctx(), gpuFeed)
	require.ErrorIs(t, err, oracletypes.ErrPriceNotFound)

	fx.MustDeliver(admin, &circuittypes.MsgResetCircuitBreaker{Authority: admin.Address.String(), MsgTypeUrls: []string{postURL}})
	require.Zero(t, post(100).Code)
	price, err := fx.OracleKeeper.GetPrice(fx.Ctx(), gpuFeed)
	require.NoError(t, err)
	require.Equal(t, sdkmath.LegacyNewDec(100), price.Value)
}

func TestExportImportRoundTrip(t *testing.T) {
	for _, zeroHeight := range []bool{false, true} {
		fx := testutil.Setup(t, testutil.Options{Genesis: withGPUFeed(t)})
		feeder := fx.Accounts[0]
		fx.MustDeliver(feeder, &oracletypes.MsgPostPrice{
			Feeder: feeder.Address.String(), FeedId: gpuFeed, Value: sdkmath.LegacyNewDec(42),
		})
		fx.NextBlock(time.Second)

		// A new chain started from the export holds the same module state.
		fresh, exported := fx.RestartFromExport(zeroHeight)
		require.Len(t, exported.Validators, 1)

		again, err := fresh.ExportAppStateAndValidators(false, nil, nil)
		require.NoError(t, err)
		var before, after map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(exported.AppState, &before))
		require.NoError(t, json.Unmarshal(again.AppState, &after))
		for _, m := range []string{oracletypes.ModuleName, "auth", "staking"} {
			require.JSONEq(t, string(before[m]), string(after[m]), "module %s, zeroHeight=%v", m, zeroHeight)
		}
		var oracleGen oracletypes.GenesisState
		fresh.AppCodec().MustUnmarshalJSON(after[oracletypes.ModuleName], &oracleGen)
		require.Len(t, oracleGen.Prices, 1)
		require.Equal(t, sdkmath.LegacyNewDec(42), oracleGen.Prices[0].Value)
	}
}
