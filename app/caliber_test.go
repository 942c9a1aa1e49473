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

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
	caliberkeeper "github.com/infrafi/infrafi/x/caliber/keeper"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
)

const (
	caliberH100  = "nvidia-h100-sxm5-80gb"
	caliberDoc   = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	caliberYear  = 365 * 24 * time.Hour
	usdaiPerUnit = 1_000_000
)

// The caliber fixture's accounts, by index.
const (
	calIssuer = iota
	calCustodian
	calAppraiser
	calInsurer
	calOwner
	calBuyer
	calAccounts
)

// withCaliber registers the CALIBER parties and the H100 class (market feed
// gpu/nvidia-h100-sxm5-80gb fed by the appraiser account), and makes uusdc a
// fee-free USDai reserve so the insurer and owner can mint USDai.
func withCaliber(t *testing.T) func([]testutil.Account, app.GenesisState) {
	return func(accs []testutil.Account, state app.GenesisState) {
		cdc := app.MakeEncodingConfig().Codec
		gs := calibertypes.DefaultGenesis()
		for i, role := range []calibertypes.Role{
			calibertypes.RoleIssuer, calibertypes.RoleCustodian, calibertypes.RoleAppraiser, calibertypes.RoleInsurer,
		} {
			gs.Parties = append(gs.Parties, calibertypes.Party{Address: accs[i].Address.String(), Roles: []calibertypes.Role{role}, Active: true})
		}
		gs.AssetClasses = []calibertypes.AssetClass{{
			Id: caliberH100, Kind: calibertypes.AssetKindGPU, Manufacturer: "NVIDIA", Model: "H100 SXM5 80GB",
			MaxLtv: sdkmath.LegacyMustNewDecFromStr("0.7"), DepreciationPerYear: sdkmath.LegacyMustNewDecFromStr("0.2"),
			ResidualRatio: sdkmath.LegacyMustNewDecFromStr("0.2"), MinAppraisals: 1, MarketFeed: gpuFeed, Eligible: true,
		}}
		state[calibertypes.ModuleName] = cdc.MustMarshalJSON(gs)

		og := oracletypes.DefaultGenesis()
		og.Feeds = []oracletypes.Feed{{Id: gpuFeed, Description: "H100", Unit: "uusdai/gpu", MinFeeders: 1, MaxAge: caliberYear}}
		og.Feeders = []oracletypes.Feeder{{FeedId: gpuFeed, Address: accs[calAppraiser].Address.String()}}
		state[oracletypes.ModuleName] = cdc.MustMarshalJSON(og)

		testutil.ListLocalnetReserve(cdc, state, sdkmath.NewInt(1_000_000_000_000_000), false)
	}
}

func setupCaliber(t *testing.T) *testutil.App {
	t.Helper()
	fx := testutil.Setup(t, testutil.Options{
		Accounts: calAccounts,
		Balance: sdk.NewCoins(
			sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1_000_000_000_000)),
			sdk.NewCoin(app.LocalnetReserveDenom, sdkmath.NewInt(10_000_000_000_000)),
		),
		Genesis: withCaliber(t),
	})
	// The insurer and the owner mint USDai from uusdc through x/stable.
	for _, i := range []int{calInsurer, calOwner} {
		acc := fx.Accounts[i]
		fx.MustDeliver(acc, &stabletypes.MsgMint{
			Sender: acc.Address.String(), Amount: sdk.NewCoin(app.LocalnetReserveDenom, sdkmath.NewInt(1_000_000*usdaiPerUnit)),
		})
	}
	return fx
}

// requireCode asserts a failed tx carries the given registered error.
func requireCaliberCode(t *testing.T, res *abci.ExecTxResult, err interface {
	Codespace() string
	ABCICode() uint32
}) {
	t.Helper()
	require.Equal(t, err.Codespace(), res.Codespace, res.Log)
	require.Equal(t, err.ABCICode(), res.Code, res.Log)
}

func mintTitleResponse(t *testing.T, res *abci.ExecTxResult) uint64 {
	t.Helper()
	var data sdk.TxMsgData
	require.NoError(t, proto.Unmarshal(res.Data, &data))
	require.Len(t, data.MsgResponses, 1)
	require.Equal(t, "/infrafi.caliber.v1.MsgMintTitleResponse", data.MsgResponses[0].TypeUrl)
	var out calibertypes.MsgMintTitleResponse
	require.NoError(t, proto.Unmarshal(data.MsgResponses[0].Value, &out))
	return out.TitleId
}

func caliberUSDai(fx *testutil.App, addr sdk.AccAddress) sdkmath.Int {
	return fx.BankKeeper.GetBalance(fx.Ctx(), addr, app.USDaiDenom).Amount
}

// TestCaliberTitleFlowThroughTransactions is the issue's flow through signed
// transactions on an in-process chain.
func TestCaliberTitleFlowThroughTransactions(t *testing.T) {
	fx := setupCaliber(t)
	a := fx.Accounts
	issuer, custodian, appraiser, insurer, owner, buyer := a[calIssuer], a[calCustodian], a[calAppraiser], a[calInsurer], a[calOwner], a[calBuyer]
	k := fx.CaliberKeeper
	serials := []string{"1654922010001", "1654922010002", "1654922010003", "1654922010004",
		"1654922010005", "1654922010006", "1654922010007", "1654922010008"}
	mint := func(from testutil.Account, serials ...string) *abci.ExecTxResult {
		return fx.Deliver(from, &calibertypes.MsgMintTitle{
			Issuer: from.Address.String(), ClassId: caliberH100, Owner: owner.Address.String(),
			Custodian: custodian.Address.String(), Units: uint64(len(serials)), Serials: serials,
			Facility: "DAL-01", Jurisdiction: "US-TX", Legal: calibertypes.LegalInfo{SpvId: "SPV-7", DocumentSha256: caliberDoc},
		})
	}

	// Only an issuer mints.
	requireCaliberCode(t, mint(owner, serials...), sdkerrors.ErrUnauthorized)

	res := mint(issuer, serials...)
	require.Zero(t, res.Code, res.Log)
	id := mintTitleResponse(t, res)
	require.Equal(t, uint64(1), id)
	require.Len(t, testutil.EventsOfType(res, "infrafi.caliber.v1.EventTitleMinted"), 1)

	// Only the named custodian confirms.
	requireCaliberCode(t, fx.Deliver(issuer, &calibertypes.MsgConfirmCustody{Custodian: issuer.Address.String(), TitleId: id}), sdkerrors.ErrUnauthorized)
	fx.MustDeliver(custodian, &calibertypes.MsgConfirmCustody{Custodian: custodian.Address.String(), TitleId: id})
	title, err := k.GetTitle(fx.Ctx(), id)
	require.NoError(t, err)
	require.Equal(t, calibertypes.StatusActive, title.Status)
	appraisedAt := fx.BlockTime().Add(testutil.DefaultBlockTime)

	// 200,000 USDai appraisal; the market (8 × 30,000) is above it.
	fx.MustDeliver(appraiser, &calibertypes.MsgAppraise{
		Appraiser: appraiser.Address.String(), TitleId: id, Value: sdkmath.NewInt(200_000 * usdaiPerUnit),
		ValidUntil: fx.BlockTime().Add(caliberYear), ReportSha256: caliberDoc,
	})
	fx.MustDeliver(appraiser, &oracletypes.MsgPostPrice{Feeder: appraiser.Address.String(), FeedId: gpuFeed, Value: sdkmath.LegacyNewDec(30_000 * usdaiPerUnit)})

	// The insurer funds a pool; the owner asks for a policy, the insurer issues it.
	fx.MustDeliver(insurer, &calibertypes.MsgFundInsurancePool{Insurer: insurer.Address.String(), Amount: sdkmath.NewInt(500_000 * usdaiPerUnit)})
	res = fx.MustDeliver(owner, &calibertypes.MsgRequestPolicy{
		Owner: owner.Address.String(), TitleId: id, Insurer: insurer.Address.String(),
		InsuredValue: sdkmath.NewInt(200_000 * usdaiPerUnit), Coverage: sdkmath.NewInt(150_000 * usdaiPerUnit),
		ExpiresAt: fx.BlockTime().Add(caliberYear), MaxPremium: sdkmath.NewInt(3_000 * usdaiPerUnit),
	})
	require.Len(t, testutil.EventsOfType(res, "infrafi.caliber.v1.EventPolicyRequested"), 1)
	// Coverage above the pool's free capacity is refused.
	ownerBefore := caliberUSDai(fx, owner.Address)
	fx.MustDeliver(insurer, &calibertypes.MsgWithdrawInsurancePool{Insurer: insurer.Address.String(), Amount: sdkmath.NewInt(400_000 * usdaiPerUnit)})
	requireCaliberCode(t, fx.Deliver(insurer, &calibertypes.MsgIssuePolicy{Insurer: insurer.Address.String(), RequestId: 1, Premium: sdkmath.NewInt(2_500 * usdaiPerUnit)}),
		calibertypes.ErrInsufficientCapacity)
	fx.MustDeliver(insurer, &calibertypes.MsgFundInsurancePool{Insurer: insurer.Address.String(), Amount: sdkmath.NewInt(400_000 * usdaiPerUnit)})
	fx.MustDeliver(insurer, &calibertypes.MsgIssuePolicy{Insurer: insurer.Address.String(), RequestId: 1, Premium: sdkmath.NewInt(2_500 * usdaiPerUnit)})
	require.Equal(t, ownerBefore.Sub(sdkmath.NewInt(2_500*usdaiPerUnit)), caliberUSDai(fx, owner.Address), "owner paid the premium")
	pool, err := k.GetPool(fx.Ctx(), insurer.Address)
	require.NoError(t, err)
	require.Equal(t, sdkmath.NewInt(502_500*usdaiPerUnit), pool.Balance)
	require.Equal(t, sdkmath.NewInt(150_000*usdaiPerUnit), pool.Reserved)
	// Reserved capacity cannot be withdrawn.
	requireCaliberCode(t, fx.Deliver(insurer, &calibertypes.MsgWithdrawInsurancePool{Insurer: insurer.Address.String(), Amount: sdkmath.NewInt(352_501 * usdaiPerUnit)}),
		calibertypes.ErrInsufficientCapacity)

	// 73 days later (a fifth of a year) the valuation is depreciated by 4%.
	custodyAfter := appraisedAt.Add(73 * 24 * time.Hour).Sub(fx.BlockTime())
	fx.NextBlock(custodyAfter)
	v, err := k.GetValuation(fx.Ctx(), id)
	require.NoError(t, err)
	require.Equal(t, sdkmath.LegacyMustNewDecFromStr("0.96"), v.Appraisals[0].Factor)
	require.Equal(t, sdkmath.NewInt(192_000*usdaiPerUnit), v.Value)
	require.Equal(t, calibertypes.BoundByAppraisal, v.BoundBy)
	require.Equal(t, sdkmath.NewInt(240_000*usdaiPerUnit), v.MarketValue)
	// The custody attestation (24h) lapsed meanwhile; EndBlock marked it.
	stale, err := k.IsStale(fx.Ctx(), id)
	require.NoError(t, err)
	require.True(t, stale)
	fx.MustDeliver(custodian, &calibertypes.MsgAttestCustody{Custodian: custodian.Address.String(), TitleIds: []uint64{id}, Online: true, UptimeBps: 9_990})
	stale, err = k.IsStale(fx.Ctx(), id)
	require.NoError(t, err)
	require.False(t, stale)

	// A second title reusing a serial is refused.
	requireCaliberCode(t, mint(issuer, "NEW-0001", serials[3]), calibertypes.ErrSerialInUse)

	// The owner transfers, the buyer redeems, the custodian releases: burned.
	fx.MustDeliver(owner, &calibertypes.MsgTransferTitle{Owner: owner.Address.String(), TitleId: id, Recipient: buyer.Address.String()})
	requireCaliberCode(t, fx.Deliver(owner, &calibertypes.MsgRequestRedemption{Owner: owner.Address.String(), TitleId: id}), sdkerrors.ErrUnauthorized)
	fx.MustDeliver(buyer, &calibertypes.MsgRequestRedemption{Owner: buyer.Address.String(), TitleId: id})
	res = fx.MustDeliver(custodian, &calibertypes.MsgConfirmRedemption{Custodian: custodian.Address.String(), TitleId: id})
	require.Len(t, testutil.EventsOfType(res, "infrafi.caliber.v1.EventTitleRedeemed"), 1)
	_, err = k.GetTitle(fx.Ctx(), id)
	require.ErrorIs(t, err, calibertypes.ErrTitleNotFound)
	pool, err = k.GetPool(fx.Ctx(), insurer.Address)
	require.NoError(t, err)
	require.True(t, pool.Reserved.IsZero(), "the burned title's policy released its coverage")

	// Its serials are free again.
	res = mint(issuer, serials...)
	require.Zero(t, res.Code, res.Log)
	require.Equal(t, uint64(2), mintTitleResponse(t, res))

	moduleAddr := authtypes.NewModuleAddress(calibertypes.ModuleName)
	require.Equal(t, pool.Balance, caliberUSDai(fx, moduleAddr), "the module holds exactly the pool")
	for name, inv := range caliberkeeper.Invariants(k) {
		msg, broken := inv(fx.Ctx())
		require.False(t, broken, "%s: %s", name, msg)
	}
}

// TestCaliberExportImport checks that caliber state (titles, custody, pools,
// policies) survives an export and a new chain's InitChain, the module account
// balance included.
func TestCaliberExportImport(t *testing.T) {
	fx := setupCaliber(t)
	a := fx.Accounts
	issuer, custodian, insurer, owner := a[calIssuer], a[calCustodian], a[calInsurer], a[calOwner]
	fx.MustDeliver(issuer, &calibertypes.MsgMintTitle{
		Issuer: issuer.Address.String(), ClassId: caliberH100, Owner: owner.Address.String(),
		Custodian: custodian.Address.String(), Units: 1, Serials: []string{"SN-1"},
	})
	fx.MustDeliver(custodian, &calibertypes.MsgConfirmCustody{Custodian: custodian.Address.String(), TitleId: 1})
	fx.MustDeliver(insurer, &calibertypes.MsgFundInsurancePool{Insurer: insurer.Address.String(), Amount: sdkmath.NewInt(1_000)})
	fx.MustDeliver(owner, &calibertypes.MsgRequestPolicy{
		Owner: owner.Address.String(), TitleId: 1, Insurer: insurer.Address.String(), InsuredValue: sdkmath.NewInt(500),
		Coverage: sdkmath.NewInt(400), ExpiresAt: fx.BlockTime().Add(caliberYear), MaxPremium: sdkmath.NewInt(10),
	})
	fx.MustDeliver(insurer, &calibertypes.MsgIssuePolicy{Insurer: insurer.Address.String(), RequestId: 1, Premium: sdkmath.NewInt(10)})

	fresh, exported := fx.RestartFromExport(false)
	again, err := fresh.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	var before, after map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(exported.AppState, &before))
	require.NoError(t, json.Unmarshal(again.AppState, &after))
	require.JSONEq(t, string(before[calibertypes.ModuleName]), string(after[calibertypes.ModuleName]))

	var gs calibertypes.GenesisState
	fresh.AppCodec().MustUnmarshalJSON(after[calibertypes.ModuleName], &gs)
	require.Len(t, gs.Titles, 1)
	require.Len(t, gs.Policies, 1)
	require.Equal(t, sdkmath.NewInt(1_010), gs.Pools[0].Balance)
}
