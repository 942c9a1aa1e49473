package app_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	minttypes "github.com/cosmos/cosmos-sdk/x/mint/types"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// The authorization table's accounts, by index: one per role, a second
// custodian and insurer (the right role but not the named party), the user
// who owns titles, borrows, deposits and asks for policies, and a stranger.
const (
	azIssuer = iota
	azCustodian
	azCustodian2
	azAppraiser
	azInsurer
	azInsurer2
	azCurator
	azFeeder
	azTreasury
	azOwner
	azStranger
	azAccounts
)

var azNames = [azAccounts]string{
	"issuer", "custodian", "custodian2", "appraiser", "insurer", "insurer2", "curator", "feeder", "treasury custodian", "owner", "stranger",
}

// azAuthority stands for the gov module account, the authority of every module.
const azAuthority = -1

const (
	azGPUFeed   = "gpu/nvidia-h100-sxm5-80gb"
	azRateFeed  = "rate/tbill"
	azSpareFeed = "test/spare"
	azClass     = "nvidia-h100-sxm5-80gb"
	azProduct   = "gpu-senior"
	azDoc       = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	azYear      = 365 * 24 * time.Hour
)

// azRecipient receives titles and party registrations; it never signs.
var azRecipient = testutil.NewAccount("infrafi-authz-recipient").Address

func azUSD(v int64) sdkmath.Int { return sdkmath.NewInt(v * 1_000_000) }

func azDec(s string) sdkmath.LegacyDec { return sdkmath.LegacyMustNewDecFromStr(s) }

func azH100() calibertypes.AssetClass {
	return calibertypes.AssetClass{
		Id: azClass, Kind: calibertypes.AssetKindGPU, Manufacturer: "NVIDIA", Model: "H100 SXM5 80GB",
		MaxLtv: azDec("0.7"), DepreciationPerYear: azDec("0.2"), ResidualRatio: azDec("0.2"),
		MinAppraisals: 1, MarketFeed: azGPUFeed, Eligible: true,
	}
}

func azLoanProduct() lendingtypes.Product {
	return lendingtypes.Product{
		Id: azProduct, AssetClasses: []string{azClass}, MaxLtv: azDec("0.7"), LiquidationLtv: azDec("0.85"),
		AprMin: azDec("0.12"), AprMax: azDec("0.18"), Duration: 36 * time.Minute, RepaymentInterval: time.Minute,
		Schedule: lendingtypes.ScheduleAmortizing, GracePeriod: 30 * time.Second, GraceApr: azDec("0.05"),
		OriginationFeeBps: 100, ExitFeeBps: 50, LiquidationFeeBps: 500, MinFirstLossBps: 1000, FirstLossPremiumBps: 2000,
		DebtServiceReservePeriods: 1, CurePeriod: 2 * time.Minute,
		Auction:         lendingtypes.AuctionTerms{StartMultiplier: azDec("1.1"), FloorRatio: azDec("0.5"), Duration: 5 * time.Minute, MaxResets: 2},
		RecoveryHaircut: azDec("0.3"), MinInsuranceBps: 5000, Enabled: true,
	}
}

// azReserveCap caps the uusdc reserve and the USDai supply.
var azReserveCap = azUSD(1_000_000_000)

func azStableParams() stabletypes.Params {
	return stabletypes.NewParams([]stabletypes.ReserveAsset{{
		Denom: app.LocalnetReserveDenom, Enabled: true, Cap: azReserveCap,
	}}, azReserveCap, true, false)
}

// azYieldParams keeps the treasury on (so SettleTreasury has its custodian)
// but rebalances only once, in the first block, so deposits stay idle.
func azYieldParams(treasury sdk.AccAddress) yieldtypes.Params {
	p := yieldtypes.DefaultParams()
	p.RebalanceInterval = yieldtypes.MaxDurationParam
	p.TreasuryCustodian = treasury.String()
	p.TreasuryReserveDenom = app.LocalnetReserveDenom
	return p
}

// azGenesis registers every role in x/caliber, the H100 class, the gpu feed
// (priced by the feeder) and two more feeds, uusdc as a USDai reserve in
// permissioned mode (insurer, curator and owner allowlisted), the vault's
// treasury custodian and the loan product.
func azGenesis(accs []testutil.Account, state app.GenesisState) {
	cdc := app.MakeEncodingConfig().Codec
	addr := func(i int) string { return accs[i].Address.String() }

	cg := calibertypes.DefaultGenesis()
	for i, role := range map[int]calibertypes.Role{
		azIssuer: calibertypes.RoleIssuer, azCustodian: calibertypes.RoleCustodian, azCustodian2: calibertypes.RoleCustodian,
		azAppraiser: calibertypes.RoleAppraiser, azInsurer: calibertypes.RoleInsurer, azInsurer2: calibertypes.RoleInsurer,
		azCurator: calibertypes.RoleCurator, azTreasury: calibertypes.RoleTreasuryCustodian,
	} {
		cg.Parties = append(cg.Parties, calibertypes.Party{Address: addr(i), Roles: []calibertypes.Role{role}, Name: azNames[i], Active: true})
	}
	cg.AssetClasses = []calibertypes.AssetClass{azH100()}
	state[calibertypes.ModuleName] = cdc.MustMarshalJSON(cg)

	og := oracletypes.DefaultGenesis()
	for _, id := range []string{azGPUFeed, azRateFeed, azSpareFeed} {
		og.Feeds = append(og.Feeds, oracletypes.Feed{Id: id, Description: id, Unit: "u", MinFeeders: 1, MaxAge: azYear})
		og.Feeders = append(og.Feeders, oracletypes.Feeder{FeedId: id, Address: addr(azFeeder)})
	}
	state[oracletypes.ModuleName] = cdc.MustMarshalJSON(og)

	testutil.ListLocalnetReserve(cdc, state, azReserveCap, true, addr(azInsurer), addr(azCurator), addr(azOwner))

	var yg yieldtypes.GenesisState
	cdc.MustUnmarshalJSON(state[yieldtypes.ModuleName], &yg)
	yg.Params = azYieldParams(accs[azTreasury].Address)
	state[yieldtypes.ModuleName] = cdc.MustMarshalJSON(&yg)

	var lg lendingtypes.GenesisState
	cdc.MustUnmarshalJSON(state[lendingtypes.ModuleName], &lg)
	lg.Products = append(lg.Products, azLoanProduct())
	state[lendingtypes.ModuleName] = cdc.MustMarshalJSON(&lg)
}

// azFixture is the chain every row of the table runs against. Titles:
// active (ACTIVE, appraised, insured, pledged to the PENDING loan), pending
// (PENDING_CUSTODY), redeeming (REDEMPTION_REQUESTED) and free (ACTIVE, with
// the owner's policy request policyRequest to insurer pending). The owner has
// vault redemption request redeemRequest queued.
type azFixture struct {
	*testutil.App
	active, pending, redeeming, free uint64
	policyRequest, loan              uint64
	redeemRequest                    uint64
}

func (f *azFixture) acc(i int) testutil.Account { return f.Accounts[i] }

func (f *azFixture) addr(i int) string {
	if i == azAuthority {
		return testutil.Authority().String()
	}
	return f.Accounts[i].Address.String()
}

func azResponse[T proto.Message](t *testing.T, res *abci.ExecTxResult, out T) T {
	t.Helper()
	var data sdk.TxMsgData
	require.NoError(t, proto.Unmarshal(res.Data, &data))
	require.Len(t, data.MsgResponses, 1)
	require.NoError(t, proto.Unmarshal(data.MsgResponses[0].Value, out))
	return out
}

func setupAuthz(t *testing.T) *azFixture {
	t.Helper()
	fx := testutil.Setup(t, testutil.Options{
		Accounts: azAccounts,
		Balance: sdk.NewCoins(
			sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1_000_000_000_000)),
			sdk.NewCoin(app.LocalnetReserveDenom, azUSD(10_000_000)),
		),
		Genesis: azGenesis,
	})
	f := &azFixture{App: fx}
	for i, amount := range map[int]int64{azInsurer: 1_000_000, azCurator: 100_000, azOwner: 500_000} {
		fx.MustDeliver(f.acc(i), &stabletypes.MsgMint{Sender: f.addr(i), Amount: sdk.NewCoin(app.LocalnetReserveDenom, azUSD(amount))})
	}
	owner, custodian, insurer := f.acc(azOwner), f.acc(azCustodian), f.acc(azInsurer)
	fx.MustDeliver(owner, &yieldtypes.MsgDeposit{Depositor: f.addr(azOwner), Amount: sdk.NewCoin(app.USDaiDenom, azUSD(200_000))})
	fx.MustDeliver(insurer, &calibertypes.MsgFundInsurancePool{Insurer: f.addr(azInsurer), Amount: azUSD(500_000)})

	mint := func(serial string, units uint64) uint64 {
		serials := make([]string, units)
		for i := range serials {
			serials[i] = fmt.Sprintf("%s-%d", serial, i+1)
		}
		res := fx.MustDeliver(f.acc(azIssuer), &calibertypes.MsgMintTitle{
			Issuer: f.addr(azIssuer), ClassId: azClass, Owner: f.addr(azOwner), Custodian: f.addr(azCustodian),
			Units: units, Serials: serials, Facility: "DAL-01", Jurisdiction: "US-TX",
			Legal: calibertypes.LegalInfo{SpvId: "SPV-AZ", DocumentSha256: azDoc},
		})
		return azResponse(t, res, &calibertypes.MsgMintTitleResponse{}).TitleId
	}
	f.active, f.pending, f.redeeming, f.free = mint("AZ-A", 8), mint("AZ-P", 1), mint("AZ-R", 1), mint("AZ-F", 1)
	for _, id := range []uint64{f.active, f.redeeming, f.free} {
		fx.MustDeliver(custodian, &calibertypes.MsgConfirmCustody{Custodian: f.addr(azCustodian), TitleId: id})
	}
	fx.MustDeliver(f.acc(azAppraiser), &calibertypes.MsgAppraise{
		Appraiser: f.addr(azAppraiser), TitleId: f.active, Value: azUSD(200_000),
		ValidUntil: fx.BlockTime().Add(azYear), ReportSha256: azDoc,
	})
	fx.MustDeliver(f.acc(azFeeder), &oracletypes.MsgPostPrice{Feeder: f.addr(azFeeder), FeedId: azGPUFeed, Value: sdkmath.LegacyNewDec(30_000_000_000)})

	requestPolicy := func(title uint64, insured, coverage, maxPremium int64) uint64 {
		res := fx.MustDeliver(owner, &calibertypes.MsgRequestPolicy{
			Owner: f.addr(azOwner), TitleId: title, Insurer: f.addr(azInsurer), InsuredValue: azUSD(insured),
			Coverage: azUSD(coverage), ExpiresAt: fx.BlockTime().Add(azYear), MaxPremium: azUSD(maxPremium),
		})
		return azResponse(t, res, &calibertypes.MsgRequestPolicyResponse{}).RequestId
	}
	fx.MustDeliver(insurer, &calibertypes.MsgIssuePolicy{Insurer: f.addr(azInsurer), RequestId: requestPolicy(f.active, 200_000, 150_000, 3_000), Premium: azUSD(2_500)})
	f.policyRequest = requestPolicy(f.free, 50_000, 40_000, 1_000)
	fx.MustDeliver(owner, &calibertypes.MsgRequestRedemption{Owner: f.addr(azOwner), TitleId: f.redeeming})

	res := fx.MustDeliver(owner, &lendingtypes.MsgRequestLoan{Borrower: f.addr(azOwner), TitleIds: []uint64{f.active}, ProductId: azProduct, Principal: azUSD(100_000)})
	f.loan = azResponse(t, res, &lendingtypes.MsgRequestLoanResponse{}).LoanId
	res = fx.MustDeliver(owner, &yieldtypes.MsgRequestRedeem{Owner: f.addr(azOwner), Shares: azUSD(1_000), BidBps: 100})
	f.redeemRequest = azResponse(t, res, &yieldtypes.MsgRequestRedeemResponse{}).RequestId
	return f
}

// azState is what a refused message must leave unchanged: the exported state
// of the five infrafi modules (less the T-bill accrual clock, which every
// BeginBlock moves) and the balances of every account except those that move
// every block (fee collector, distribution, mint).
type azState struct {
	Modules  map[string]string
	Balances map[string]string
}

func (f *azFixture) state(t *testing.T) azState {
	t.Helper()
	ctx, cdc := f.Ctx(), f.AppCodec()
	s := azState{Modules: map[string]string{}, Balances: map[string]string{}}
	for name, export := range map[string]func() (proto.Message, error){
		oracletypes.ModuleName:  func() (proto.Message, error) { return f.OracleKeeper.ExportGenesis(ctx) },
		calibertypes.ModuleName: func() (proto.Message, error) { return f.CaliberKeeper.ExportGenesis(ctx) },
		stabletypes.ModuleName:  func() (proto.Message, error) { return f.StableKeeper.ExportGenesis(ctx) },
		yieldtypes.ModuleName: func() (proto.Message, error) {
			gs, err := f.YieldKeeper.ExportGenesis(ctx)
			if err == nil {
				gs.Treasury.LastAccrual = time.Time{}
			}
			return gs, err
		},
		lendingtypes.ModuleName: func() (proto.Message, error) { return f.LendingKeeper.ExportGenesis(ctx) },
	} {
		gs, err := export()
		require.NoError(t, err, name)
		bz, err := cdc.MarshalJSON(gs)
		require.NoError(t, err, name)
		s.Modules[name] = string(bz)
	}
	moving := map[string]bool{}
	for _, m := range []string{authtypes.FeeCollectorName, distrtypes.ModuleName, minttypes.ModuleName} {
		moving[authtypes.NewModuleAddress(m).String()] = true
	}
	f.BankKeeper.IterateAllBalances(ctx, func(addr sdk.AccAddress, c sdk.Coin) bool {
		if !moving[addr.String()] {
			s.Balances[addr.String()+"/"+c.Denom] = c.Amount.String()
		}
		return false
	})
	return s
}

// routeCached runs msg through the app's msg service router on a cache of the
// committed state, as governance executes a proposal's messages, and
// discards its writes.
func (f *azFixture) routeCached(msg sdk.Msg) error {
	ctx, _ := f.Ctx().CacheContext()
	handler := f.MsgServiceRouter().Handler(msg)
	if handler == nil {
		return fmt.Errorf("no handler for %s", sdk.MsgTypeURL(msg))
	}
	_, err := handler(ctx, msg)
	return err
}

// azRow is a privileged message: build makes it with the given signer
// address; right is the one account (or azAuthority) it is meant for;
// refused is the error every other signer must get (sdkerrors.ErrUnauthorized
// unless the module documents another); wrong, when set, limits the wrong
// signers (for messages open to a list of accounts).
type azRow struct {
	name    string
	right   int
	build   func(signer string) sdk.Msg
	refused *errorsmod.Error
	wrong   []int
}

func (f *azFixture) rows() []azRow {
	recipient := azRecipient.String()
	now := f.BlockTime()
	h100 := azH100()
	h100.MaxLtv = azDec("0.6")
	b200 := azH100()
	b200.Id, b200.Model, b200.MarketFeed = "nvidia-b200-192gb", "B200", ""
	junior := azLoanProduct()
	junior.Id = "gpu-junior"
	cheaper := azLoanProduct()
	cheaper.AprMax = azDec("0.2")
	notAllowlisted := azAllBut(azInsurer, azCurator, azOwner)

	return []azRow{
		// x/oracle
		{name: "oracle MsgAddFeed", right: azAuthority, build: func(s string) sdk.Msg {
			return &oracletypes.MsgAddFeed{Authority: s, Feed: oracletypes.Feed{Id: "fx/upyusd", Description: "PYUSD", Unit: "usd", MinFeeders: 1, MaxAge: time.Hour}}
		}},
		{name: "oracle MsgUpdateFeed", right: azAuthority, build: func(s string) sdk.Msg {
			return &oracletypes.MsgUpdateFeed{Authority: s, Feed: oracletypes.Feed{Id: azGPUFeed, Description: "H100", Unit: "uusdai/gpu", MinFeeders: 1, MaxAge: 2 * azYear}}
		}},
		{name: "oracle MsgRemoveFeed", right: azAuthority, build: func(s string) sdk.Msg {
			return &oracletypes.MsgRemoveFeed{Authority: s, FeedId: azSpareFeed}
		}},
		{name: "oracle MsgAddFeeder", right: azAuthority, build: func(s string) sdk.Msg {
			return &oracletypes.MsgAddFeeder{Authority: s, FeedId: azGPUFeed, Feeder: recipient}
		}},
		{name: "oracle MsgRemoveFeeder", right: azAuthority, build: func(s string) sdk.Msg {
			return &oracletypes.MsgRemoveFeeder{Authority: s, FeedId: azSpareFeed, Feeder: f.addr(azFeeder)}
		}},
		{name: "oracle MsgUpdateParams", right: azAuthority, build: func(s string) sdk.Msg {
			return &oracletypes.MsgUpdateParams{Authority: s, Params: oracletypes.DefaultParams()}
		}},
		{name: "oracle MsgPostPrice (feeder of the feed)", right: azFeeder, build: func(s string) sdk.Msg {
			return &oracletypes.MsgPostPrice{Feeder: s, FeedId: azGPUFeed, Value: sdkmath.LegacyNewDec(31_000_000_000)}
		}},

		// x/caliber: authority
		{name: "caliber MsgRegisterParty", right: azAuthority, build: func(s string) sdk.Msg {
			return &calibertypes.MsgRegisterParty{Authority: s, Party: calibertypes.Party{Address: recipient, Roles: []calibertypes.Role{calibertypes.RoleIssuer}, Name: "new", Active: true}}
		}},
		{name: "caliber MsgUpdateParty", right: azAuthority, build: func(s string) sdk.Msg {
			return &calibertypes.MsgUpdateParty{Authority: s, Party: calibertypes.Party{Address: f.addr(azInsurer2), Roles: []calibertypes.Role{calibertypes.RoleInsurer, calibertypes.RoleCurator}, Name: "renamed", Active: true}}
		}},
		{name: "caliber MsgSetPartyActive", right: azAuthority, build: func(s string) sdk.Msg {
			return &calibertypes.MsgSetPartyActive{Authority: s, Address: f.addr(azAppraiser), Active: false}
		}},
		{name: "caliber MsgAddAssetClass", right: azAuthority, build: func(s string) sdk.Msg {
			return &calibertypes.MsgAddAssetClass{Authority: s, AssetClass: b200}
		}},
		{name: "caliber MsgUpdateAssetClass", right: azAuthority, build: func(s string) sdk.Msg {
			return &calibertypes.MsgUpdateAssetClass{Authority: s, AssetClass: h100}
		}},
		{name: "caliber MsgUpdateParams", right: azAuthority, build: func(s string) sdk.Msg {
			return &calibertypes.MsgUpdateParams{Authority: s, Params: calibertypes.DefaultParams()}
		}},
		// x/caliber: roles
		{name: "caliber MsgMintTitle (issuer)", right: azIssuer, build: func(s string) sdk.Msg {
			return &calibertypes.MsgMintTitle{
				Issuer: s, ClassId: azClass, Owner: f.addr(azOwner), Custodian: f.addr(azCustodian), Units: 1,
				Serials: []string{"AZ-NEW-1"}, Facility: "DAL-01", Jurisdiction: "US-TX",
			}
		}},
		{name: "caliber MsgConfirmCustody (the title's custodian)", right: azCustodian, build: func(s string) sdk.Msg {
			return &calibertypes.MsgConfirmCustody{Custodian: s, TitleId: f.pending}
		}},
		{name: "caliber MsgAttestCustody (the titles' custodian)", right: azCustodian, build: func(s string) sdk.Msg {
			return &calibertypes.MsgAttestCustody{Custodian: s, TitleIds: []uint64{f.free, f.active}, Online: true, UptimeBps: 9_990, Facility: "DAL-01"}
		}},
		{name: "caliber MsgReportCasualty (the title's custodian)", right: azCustodian, build: func(s string) sdk.Msg {
			return &calibertypes.MsgReportCasualty{Custodian: s, TitleId: f.free, Reason: "fire"}
		}},
		{name: "caliber MsgConfirmRedemption (the title's custodian)", right: azCustodian, build: func(s string) sdk.Msg {
			return &calibertypes.MsgConfirmRedemption{Custodian: s, TitleId: f.redeeming}
		}},
		{name: "caliber MsgAppraise (appraiser)", right: azAppraiser, build: func(s string) sdk.Msg {
			return &calibertypes.MsgAppraise{Appraiser: s, TitleId: f.free, Value: azUSD(40_000), ValidUntil: now.Add(30 * 24 * time.Hour), ReportSha256: azDoc}
		}},
		{name: "caliber MsgFundInsurancePool (any insurer)", right: azInsurer, wrong: azAllBut(azInsurer, azInsurer2), build: func(s string) sdk.Msg {
			return &calibertypes.MsgFundInsurancePool{Insurer: s, Amount: azUSD(1_000)}
		}},
		{name: "caliber MsgWithdrawInsurancePool (the pool's insurer)", right: azInsurer, refused: calibertypes.ErrPoolNotFound, build: func(s string) sdk.Msg {
			return &calibertypes.MsgWithdrawInsurancePool{Insurer: s, Amount: azUSD(1_000)}
		}},
		{name: "caliber MsgIssuePolicy (the requested insurer)", right: azInsurer, build: func(s string) sdk.Msg {
			return &calibertypes.MsgIssuePolicy{Insurer: s, RequestId: f.policyRequest, Premium: azUSD(100)}
		}},
		{name: "caliber MsgTransferTitle (owner)", right: azOwner, build: func(s string) sdk.Msg {
			return &calibertypes.MsgTransferTitle{Owner: s, TitleId: f.free, Recipient: recipient}
		}},
		{name: "caliber MsgRequestRedemption (owner)", right: azOwner, build: func(s string) sdk.Msg {
			return &calibertypes.MsgRequestRedemption{Owner: s, TitleId: f.free}
		}},
		{name: "caliber MsgCancelRedemption (owner)", right: azOwner, build: func(s string) sdk.Msg {
			return &calibertypes.MsgCancelRedemption{Owner: s, TitleId: f.redeeming}
		}},
		{name: "caliber MsgRequestPolicy (owner)", right: azOwner, build: func(s string) sdk.Msg {
			return &calibertypes.MsgRequestPolicy{
				Owner: s, TitleId: f.free, Insurer: f.addr(azInsurer2), InsuredValue: azUSD(50_000), Coverage: azUSD(40_000),
				ExpiresAt: now.Add(azYear), MaxPremium: azUSD(1_000),
			}
		}},
		{name: "caliber MsgCancelPolicyRequest (the requesting owner)", right: azOwner, build: func(s string) sdk.Msg {
			return &calibertypes.MsgCancelPolicyRequest{Owner: s, RequestId: f.policyRequest}
		}},

		// x/stable
		{name: "stable MsgUpdateParams", right: azAuthority, build: func(s string) sdk.Msg {
			return &stabletypes.MsgUpdateParams{Authority: s, Params: azStableParams()}
		}},
		{name: "stable MsgUpdateAllowlist", right: azAuthority, build: func(s string) sdk.Msg {
			return &stabletypes.MsgUpdateAllowlist{Authority: s, Add: []string{recipient}}
		}},
		{name: "stable MsgMint (allowlisted, permissioned mode)", right: azOwner, refused: stabletypes.ErrNotAllowlisted, wrong: notAllowlisted, build: func(s string) sdk.Msg {
			return &stabletypes.MsgMint{Sender: s, Amount: sdk.NewCoin(app.LocalnetReserveDenom, azUSD(1_000))}
		}},
		{name: "stable MsgRedeem (allowlisted, permissioned mode)", right: azOwner, refused: stabletypes.ErrNotAllowlisted, wrong: notAllowlisted, build: func(s string) sdk.Msg {
			return &stabletypes.MsgRedeem{Sender: s, Amount: sdk.NewCoin(app.USDaiDenom, azUSD(1_000)), ReserveDenom: app.LocalnetReserveDenom}
		}},

		// x/yield
		{name: "yield MsgUpdateParams", right: azAuthority, build: func(s string) sdk.Msg {
			p := azYieldParams(f.acc(azTreasury).Address)
			p.AdminFeeBps = 200
			return &yieldtypes.MsgUpdateParams{Authority: s, Params: p}
		}},
		{name: "yield MsgSettleTreasury (treasury custodian)", right: azTreasury, build: func(s string) sdk.Msg {
			return &yieldtypes.MsgSettleTreasury{Custodian: s, Principal: sdkmath.ZeroInt(), Yield: azUSD(1)}
		}},
		{name: "yield MsgUpdateBid (the request's owner)", right: azOwner, build: func(s string) sdk.Msg {
			return &yieldtypes.MsgUpdateBid{Owner: s, RequestId: f.redeemRequest, BidBps: 200}
		}},
		{name: "yield MsgCancelRedeem (the request's owner)", right: azOwner, build: func(s string) sdk.Msg {
			return &yieldtypes.MsgCancelRedeem{Owner: s, RequestId: f.redeemRequest}
		}},

		// x/lending
		{name: "lending MsgCreateProduct", right: azAuthority, build: func(s string) sdk.Msg {
			return &lendingtypes.MsgCreateProduct{Authority: s, Product: junior}
		}},
		{name: "lending MsgUpdateProduct", right: azAuthority, build: func(s string) sdk.Msg {
			return &lendingtypes.MsgUpdateProduct{Authority: s, Product: cheaper}
		}},
		{name: "lending MsgUpdateParams", right: azAuthority, build: func(s string) sdk.Msg {
			return &lendingtypes.MsgUpdateParams{Authority: s, Params: lendingtypes.DefaultParams()}
		}},
		{name: "lending MsgRequestLoan (the titles' owner)", right: azOwner, build: func(s string) sdk.Msg {
			return &lendingtypes.MsgRequestLoan{Borrower: s, TitleIds: []uint64{f.free}, ProductId: azProduct, Principal: azUSD(10_000)}
		}},
		{name: "lending MsgCancelLoanRequest (borrower)", right: azOwner, build: func(s string) sdk.Msg {
			return &lendingtypes.MsgCancelLoanRequest{Borrower: s, LoanId: f.loan}
		}},
		{name: "lending MsgUnderwriteLoan (curator)", right: azCurator, build: func(s string) sdk.Msg {
			return &lendingtypes.MsgUnderwriteLoan{Curator: s, LoanId: f.loan, Apr: azDec("0.15"), JuniorAmount: azUSD(10_000)}
		}},
	}
}

// TestAuthorizationTable sends every privileged message of the infrafi
// modules from every wrong signer, each in a signed transaction from that
// account (the authority, which cannot sign, through the msg service router
// as a proposal would): each is refused with the row's error and the block
// of refused transactions changes no module state or balance. The right
// signer's message passes the same checks (run on a discarded cache), so a
// row cannot pass because the message is broken for everyone.
func TestAuthorizationTable(t *testing.T) {
	f := setupAuthz(t)
	for _, row := range f.rows() {
		t.Run(row.name, func(t *testing.T) {
			refused := row.refused
			if refused == nil {
				refused = sdkerrors.ErrUnauthorized
			}
			wrong := row.wrong
			if wrong == nil {
				wrong = azAllBut(row.right)
			}

			require.NoError(t, f.routeCached(row.build(f.addr(row.right))), "the right signer (%s) is refused", f.name(row.right))

			var txs [][]byte
			var signers []int
			for _, i := range wrong {
				require.NotEqual(t, row.right, i)
				msg := row.build(f.addr(i))
				if i == azAuthority {
					err := f.routeCached(msg)
					require.ErrorIs(t, err, refused, "authority: %v", err)
					continue
				}
				txs = append(txs, f.SignTx(f.acc(i), msg))
				signers = append(signers, i)
			}
			before := f.state(t)
			res := f.NextBlock(testutil.DefaultBlockTime, txs...)
			require.Len(t, res.TxResults, len(txs))
			for k, r := range res.TxResults {
				require.Equal(t, refused.Codespace(), r.Codespace, "%s: %s", f.name(signers[k]), r.Log)
				require.Equal(t, refused.ABCICode(), r.Code, "%s: %s", f.name(signers[k]), r.Log)
			}
			require.Equal(t, before, f.state(t), "refused messages changed state")
		})
	}
}

// azAllBut lists the authority and every account except the given ones.
func azAllBut(except ...int) []int {
	var out []int
	for i := azAuthority; i < azAccounts; i++ {
		if !slices.Contains(except, i) {
			out = append(out, i)
		}
	}
	return out
}

func (f *azFixture) name(i int) string {
	if i == azAuthority {
		return "authority"
	}
	return azNames[i]
}
