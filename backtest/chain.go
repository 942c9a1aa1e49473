package backtest

import (
	"fmt"
	"math"
	"time"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/backtest/report"
	"github.com/infrafi/infrafi/testutil"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// The backtest chain's fixed names.
const (
	ClassID   = "nvidia-h100-sxm5-80gb"
	GPUFeed   = "gpu/nvidia-h100-sxm5-80gb"
	TBillFeed = yieldtypes.DefaultTreasuryRateFeed
	ProductID = "gpu-backtest"
)

// Interval is one repayment period: a twelfth of a 365-day year.
const Interval = 365 * 24 * time.Hour / 12

// Product terms that the sweep does not vary (README "Backtest" lists them).
const (
	Periods         = 36 // USD.AI's ~36-month amortization
	GracePeriod     = 15 * 24 * time.Hour
	CurePeriod      = 60 * 24 * time.Hour // spans two due dates: revenue can cure a DSCR call
	AuctionDuration = 30 * 24 * time.Hour // the "auction, 30 days" speed of sale
	MinDSCR         = "1.00"              // rent over three periods must cover the installments
	CashFlowPeriods = 3
	// FirstLossPremiumBps of the senior interest goes to the first-loss curator.
	FirstLossPremiumBps = 2000
	// LiquidationMargin is how far above max LTV the liquidation LTV sits.
	LiquidationMargin = 0.15
)

// Account roles: index into testutil.App.Accounts.
const (
	accIssuer = iota
	accCustodian
	accAppraiser
	accInsurer
	accCurator
	accTreasury
	accFeeder
	accCustomer // the GPUs' renters: pays rent into lockboxes
	accVendor   // sells the GPUs: receives the loans' disbursements
	accBidder   // buys foreclosed lots
	accDepositor0
)

// Depositors is how many depositor accounts share the inflows and churn.
const Depositors = 5

// usd converts USD to uusdai (rounded to the micro-dollar).
func usd(x float64) sdkmath.Int { return sdkmath.NewInt(int64(math.Round(x * 1e6))) }

// toUSD converts uusdai to USD for the report.
func toUSD(x sdkmath.Int) float64 {
	f, _ := sdkmath.LegacyNewDecFromInt(x).QuoInt64(1_000_000).Float64()
	return f
}

// fromDec converts a chain decimal for the report.
func fromDec(d sdkmath.LegacyDec) float64 {
	if d.IsNil() {
		return 0
	}
	f, _ := d.Float64()
	return f
}

// dec4 is a parameter as a decimal with 4 places (bps precision).
func dec4(x float64) sdkmath.LegacyDec {
	return sdkmath.LegacyNewDecWithPrec(int64(math.Round(x*1e4)), 4)
}

// bps is a share in basis points.
func bps(x float64) uint32 { return uint32(math.Round(x * 1e4)) }

// Product returns the backtest's lending product for a parameter set.
func Product(p report.Params) lendingtypes.Product {
	return lendingtypes.Product{
		Id:                        ProductID,
		AssetClasses:              []string{ClassID},
		MaxLtv:                    dec4(p.MaxLTV),
		LiquidationLtv:            dec4(math.Min(0.95, p.MaxLTV+LiquidationMargin)),
		AprMin:                    dec4(p.APR),
		AprMax:                    dec4(p.APR),
		Duration:                  Periods * Interval,
		RepaymentInterval:         Interval,
		Schedule:                  lendingtypes.ScheduleAmortizing,
		GracePeriod:               GracePeriod,
		GraceApr:                  sdkmath.LegacyMustNewDecFromStr("0.05"),
		OriginationFeeBps:         100,
		ExitFeeBps:                50,
		LiquidationFeeBps:         500,
		MinFirstLossBps:           bps(p.FirstLoss),
		FirstLossPremiumBps:       FirstLossPremiumBps,
		DebtServiceReservePeriods: 1,
		CurePeriod:                CurePeriod,
		Auction: lendingtypes.AuctionTerms{
			StartMultiplier: sdkmath.LegacyMustNewDecFromStr("1.10"), FloorRatio: sdkmath.LegacyMustNewDecFromStr("0.50"),
			Duration: AuctionDuration, MaxResets: 2,
		},
		RecoveryHaircut: sdkmath.LegacyMustNewDecFromStr("0.30"),
		MinInsuranceBps: bps(p.MinInsurance),
		MinDscr:         sdkmath.LegacyMustNewDecFromStr(MinDSCR),
		CashFlowPeriods: CashFlowPeriods,
		Enabled:         true,
	}
}

// genesis configures every module for a parameter set: CALIBER parties and
// the H100 class (max LTV and depreciation from p), the GPU and T-bill feeds
// (monthly posts, so a 45-day max age), uusdc as a fee-free USDai reserve,
// the vault with a T-bill treasury and weekly epochs, and the product.
func genesis(p report.Params) func([]testutil.Account, app.GenesisState) {
	return func(accs []testutil.Account, state app.GenesisState) {
		cdc := app.MakeEncodingConfig().Codec
		addr := func(i int) string { return accs[i].Address.String() }

		cg := calibertypes.DefaultGenesis()
		for _, pr := range []struct {
			acc  int
			role calibertypes.Role
		}{
			{accIssuer, calibertypes.RoleIssuer}, {accCustodian, calibertypes.RoleCustodian},
			{accAppraiser, calibertypes.RoleAppraiser}, {accInsurer, calibertypes.RoleInsurer},
			{accCurator, calibertypes.RoleCurator}, {accTreasury, calibertypes.RoleTreasuryCustodian},
		} {
			cg.Parties = append(cg.Parties, calibertypes.Party{Address: addr(pr.acc), Roles: []calibertypes.Role{pr.role}, Active: true})
		}
		cg.Params.CustodyAttestationMaxAge = 45 * 24 * time.Hour
		cg.AssetClasses = []calibertypes.AssetClass{{
			Id: ClassID, Kind: calibertypes.AssetKindGPU, Manufacturer: "NVIDIA", Model: "H100 SXM5 80GB",
			MaxLtv: dec4(p.MaxLTV), DepreciationPerYear: dec4(p.DepreciationPerYear), ResidualRatio: sdkmath.LegacyMustNewDecFromStr("0.20"),
			MinAppraisals: 1, MarketFeed: GPUFeed, Eligible: true,
		}}
		state[calibertypes.ModuleName] = cdc.MustMarshalJSON(cg)

		og := oracletypes.DefaultGenesis()
		og.Feeds = []oracletypes.Feed{
			{Id: GPUFeed, Description: "H100 SXM resale", Unit: "uusdai/gpu", MinFeeders: 1, MaxAge: 45 * 24 * time.Hour},
			{Id: TBillFeed, Description: "3-month T-bill", Unit: "apr", MinFeeders: 1, MaxAge: 45 * 24 * time.Hour},
		}
		og.Feeders = []oracletypes.Feeder{{FeedId: GPUFeed, Address: addr(accFeeder)}, {FeedId: TBillFeed, Address: addr(accFeeder)}}
		state[oracletypes.ModuleName] = cdc.MustMarshalJSON(og)

		huge := sdkmath.NewIntWithDecimal(1, 24)
		testutil.ListLocalnetReserve(cdc, state, huge, false)

		var yg yieldtypes.GenesisState
		cdc.MustUnmarshalJSON(state[yieldtypes.ModuleName], &yg)
		yg.Params.EpochLength = 7 * 24 * time.Hour
		yg.Params.CancelCutoff = time.Hour
		yg.Params.RebalanceInterval = 24 * time.Hour
		yg.Params.CheckpointInterval = 24 * time.Hour
		yg.Params.LiquidityBufferBps = 500
		yg.Params.TreasuryCustodian = addr(accTreasury)
		yg.Params.TreasuryReserveDenom = app.LocalnetReserveDenom
		state[yieldtypes.ModuleName] = cdc.MustMarshalJSON(&yg)

		var lg lendingtypes.GenesisState
		cdc.MustUnmarshalJSON(state[lendingtypes.ModuleName], &lg)
		lg.Params.MaxPendingAge = 30 * 24 * time.Hour
		// Many small operators: the concentration limits are for books
		// dominated by one borrower or facility, not this one.
		lg.Params.ConcentrationMinBook = huge
		lg.Products = []lendingtypes.Product{Product(p)}
		state[lendingtypes.ModuleName] = cdc.MustMarshalJSON(&lg)
	}
}

// balance every account starts with: staking tokens and USDC, from which
// everyone mints the USDai they use (genesis USDai would be unbacked).
func balance() sdk.Coins {
	return sdk.NewCoins(
		sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1_000_000_000_000)),
		sdk.NewCoin(app.LocalnetReserveDenom, sdkmath.NewIntWithDecimal(1, 15)), // 1e9 USDC
	)
}

// errTx is a harness transaction the chain refused.
func errTx(what string, code uint32, log string) error {
	return fmt.Errorf("%s: code %d: %s", what, code, log)
}
