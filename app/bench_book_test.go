package app_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/cometbft/cometbft/crypto/tmhash"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
	caliberkeeper "github.com/infrafi/infrafi/x/caliber/keeper"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingkeeper "github.com/infrafi/infrafi/x/lending/keeper"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	oraclekeeper "github.com/infrafi/infrafi/x/oracle/keeper"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stablekeeper "github.com/infrafi/infrafi/x/stable/keeper"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldkeeper "github.com/infrafi/infrafi/x/yield/keeper"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// The benchmark fixture ("book"): a chain holding n units of business, each
// one title, one funded loan, one depositor and one queued redemption. Units
// are written through the modules' own msg servers and keepers on a context
// over the committed store (no signatures, no ante), a thousand per block, so
// every index, queue and aggregate is kept by the code that keeps it on a
// real chain. Only the benchmarks use it; `go test` without -bench never
// builds one.

// Accounts of the book fixture, by index; benchSigners signers follow.
const (
	bkIssuer = iota
	bkCustodian
	bkAppraiser
	bkInsurer
	bkCurator
	bkBorrower
	bkFunder
	bkSigners
)

const (
	benchSigners   = 10
	benchFeeds     = 10
	benchProductID = "bench-senior"
	benchUSD       = 1_000_000 // uusdai per USDai
	// benchRedeemShares is the ususdai each yield-request-redeem escrows.
	benchRedeemShares = 1_000

	// Per unit: a title of 8 H100s appraised at 200,000 USDai, insured for
	// 100,000; a 100,000 USDai loan with 10,000 of first loss; a depositor of
	// 110,000 USDai who queues 1,000 sUSDai for redemption.
	bookUnits     = 8
	bookAppraisal = 200_000 * benchUSD
	bookCoverage  = 100_000 * benchUSD
	bookPremium   = 1_000 * benchUSD
	bookPrincipal = 100_000 * benchUSD
	bookJunior    = 10_000 * benchUSD
	bookDeposit   = 110_000 * benchUSD
	bookQueued    = 1_000 * benchUSD

	// benchInterval is the product's repayment interval and (the default)
	// custody attestation max age: a unit written at t has its first payment
	// due and its attestation lapsing at t + benchInterval.
	benchInterval = 24 * time.Hour
	// unitsPerBlock bounds the units written before each commit.
	unitsPerBlock = 1_000
)

// dueGroups are the units written first, one block (1 s) apart: at
// t0+benchInterval+j seconds, 1, 10 and 100 units are due. The rest of the
// book is written an hour later.
var dueGroups = []int{1, 9, 90}

func benchFeedID(i int) string { return fmt.Sprintf("bench/price-%d", i) }

// benchProduct is the localnet product shape with daily payments over 1,200
// days, so a loan can take many scheduled payments in a benchmark.
func benchProduct() lendingtypes.Product {
	p := lendingProduct()
	p.Id = benchProductID
	p.AssetClasses = []string{caliberH100}
	p.RepaymentInterval = benchInterval
	p.Duration = 1_200 * benchInterval
	p.GracePeriod = 12 * time.Hour
	p.CurePeriod = 2 * benchInterval
	p.Auction.Duration = benchInterval
	return p
}

// benchGenesis: the CALIBER parties (signers are ISSUERs, APPRAISERs and CURATORs too), the H100 class
// priced by the gpu feed, benchFeeds oracle feeds fed by every signer, a
// fee-free uusdc reserve with caps far above the book, no concentration
// limits (one borrower holds the whole book), and the bench product. The
// vault keeps its default timings (30-day epochs, daily checkpoints) and no
// treasury.
func benchGenesis(accs []testutil.Account, state app.GenesisState) {
	cdc := app.MakeEncodingConfig().Codec
	cg := calibertypes.DefaultGenesis()
	for i, role := range []calibertypes.Role{
		calibertypes.RoleIssuer, calibertypes.RoleCustodian, calibertypes.RoleAppraiser, calibertypes.RoleInsurer, calibertypes.RoleCurator,
	} {
		cg.Parties = append(cg.Parties, calibertypes.Party{Address: accs[i].Address.String(), Roles: []calibertypes.Role{role}, Active: true})
	}
	for _, s := range accs[bkSigners:] {
		cg.Parties = append(cg.Parties, calibertypes.Party{Address: s.Address.String(), Roles: []calibertypes.Role{calibertypes.RoleIssuer, calibertypes.RoleAppraiser, calibertypes.RoleCurator}, Active: true})
	}
	cg.AssetClasses = []calibertypes.AssetClass{{
		Id: caliberH100, Kind: calibertypes.AssetKindGPU, Manufacturer: "NVIDIA", Model: "H100 SXM5 80GB",
		MaxLtv: lDec("0.7"), DepreciationPerYear: lDec("0.2"), ResidualRatio: lDec("0.2"),
		MinAppraisals: 1, MarketFeed: gpuFeed, Eligible: true,
	}}
	state[calibertypes.ModuleName] = cdc.MustMarshalJSON(cg)

	og := oracletypes.DefaultGenesis()
	og.Feeds = []oracletypes.Feed{{Id: gpuFeed, Description: "H100", Unit: "uusdai/gpu", MinFeeders: 1, MaxAge: caliberYear}}
	og.Feeders = []oracletypes.Feeder{{FeedId: gpuFeed, Address: accs[bkAppraiser].Address.String()}}
	for f := 0; f < benchFeeds; f++ {
		og.Feeds = append(og.Feeds, oracletypes.Feed{Id: benchFeedID(f), Description: "benchmark feed", Unit: "usd", MinFeeders: 1, MaxAge: time.Hour})
		for _, s := range accs[bkSigners:] {
			og.Feeders = append(og.Feeders, oracletypes.Feeder{FeedId: benchFeedID(f), Address: s.Address.String()})
		}
	}
	state[oracletypes.ModuleName] = cdc.MustMarshalJSON(og)

	var sg stabletypes.GenesisState
	cdc.MustUnmarshalJSON(state[stabletypes.ModuleName], &sg)
	huge := sdkmath.NewIntWithDecimal(1, 24)
	sg.Params = stabletypes.NewParams([]stabletypes.ReserveAsset{{
		Denom: app.LocalnetReserveDenom, Enabled: true, Cap: huge,
	}}, huge, false, false)
	state[stabletypes.ModuleName] = cdc.MustMarshalJSON(&sg)

	var lg lendingtypes.GenesisState
	cdc.MustUnmarshalJSON(state[lendingtypes.ModuleName], &lg)
	lg.Params.MaxBorrowerConcentrationBps = 10_000
	lg.Params.MaxClassConcentrationBps = 10_000
	lg.Params.MaxCustodianConcentrationBps = 10_000
	lg.Products = append(lg.Products, benchProduct())
	state[lendingtypes.ModuleName] = cdc.MustMarshalJSON(&lg)
}

// benchBook is a fixture chain and the handles to write units into it.
type benchBook struct {
	*testutil.App
	tb    testing.TB
	units int
	// t0 is the block time at which the first due group was written.
	t0      time.Time
	loans   []uint64
	caliber calibertypes.MsgServer
	lending lendingtypes.MsgServer
	yield   yieldtypes.MsgServer
	stable  stabletypes.MsgServer
	oracle  oracletypes.MsgServer
	// before and after are the store footprints around the units.
	before, after storeFootprint
}

func (bk *benchBook) acc(i int) testutil.Account { return bk.Accounts[i] }

func (bk *benchBook) signers() []testutil.Account { return bk.Accounts[bkSigners:] }

// writeCtx is a context on the committed store at the last block's time: what
// it writes is committed by the next block.
func (bk *benchBook) writeCtx() sdk.Context {
	return bk.NewUncachedContext(false, cmtproto.Header{ChainID: testutil.ChainID, Height: bk.Height(), Time: bk.BlockTime()})
}

// readyShares deposits, untimed, 1 USDai for each signer holding fewer than
// shares ususdai: what the next redeem requests escrow.
func (bk *benchBook) readyShares(signers []*benchSigner, shares int64) {
	ctx, flush := bk.writeCtx().CacheContext()
	wrote := false
	for _, s := range signers {
		if bk.BankKeeper.GetBalance(ctx, s.acc.Address, yieldtypes.ShareDenom).Amount.GTE(sdkmath.NewInt(shares)) {
			continue
		}
		_, err := bk.YieldKeeper.Deposit(ctx, s.acc.Address, sdkmath.NewInt(benchUSD))
		require.NoError(bk.tb, err)
		wrote = true
	}
	if wrote {
		flush()
		bk.NextBlock(time.Second)
	}
}

// benchDBEnv picks the benchmarks' store: memdb (default) or goleveldb.
const benchDBEnv = "INFRAFI_BENCH_DB"

// benchGoLevelDB reads benchDBEnv: whether the fixture chain runs on
// goleveldb, the store infrafid runs on by default.
func benchGoLevelDB(tb testing.TB) bool {
	switch db := os.Getenv(benchDBEnv); db {
	case "", "memdb":
		return false
	case "goleveldb":
		return true
	default:
		tb.Fatalf("%s: %q is neither memdb nor goleveldb", benchDBEnv, db)
		return false
	}
}

// newBenchBook starts the fixture chain and writes units units of business.
func newBenchBook(tb testing.TB, units int) *benchBook {
	tb.Helper()
	huge := sdkmath.NewIntWithDecimal(1, 22)
	fx := testutil.Setup(tb, testutil.Options{
		Accounts: bkSigners + benchSigners,
		Balance: sdk.NewCoins(
			sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1_000_000_000_000)),
			sdk.NewCoin(app.LocalnetReserveDenom, huge),
		),
		Genesis:   benchGenesis,
		GoLevelDB: benchGoLevelDB(tb),
	})
	bk := &benchBook{
		App: fx, tb: tb, units: units,
		caliber: caliberkeeper.NewMsgServerImpl(fx.CaliberKeeper),
		lending: lendingkeeper.NewMsgServerImpl(fx.LendingKeeper),
		yield:   yieldkeeper.NewMsgServerImpl(fx.YieldKeeper),
		stable:  stablekeeper.NewMsgServerImpl(fx.StableKeeper),
		oracle:  oraclekeeper.NewMsgServerImpl(fx.OracleKeeper),
	}
	bk.fund()
	bk.before = measureStore(bk.App)
	bk.writeUnits()
	bk.after = measureStore(bk.App)
	return bk
}

// fund mints the USDai the units need (from uusdc, through x/stable), fills
// the insurer's pool and posts the H100 market price.
func (bk *benchBook) fund() {
	tb := bk.tb
	ctx := bk.writeCtx()
	n := int64(bk.units) + 1
	mint := func(i int, usdai int64, times int64) {
		a := bk.acc(i)
		amount := sdkmath.NewInt(usdai).MulRaw(times)
		_, err := bk.stable.Mint(ctx, &stabletypes.MsgMint{Sender: a.Address.String(), Amount: sdk.NewCoin(app.LocalnetReserveDenom, amount)})
		require.NoError(tb, err)
	}
	mint(bkInsurer, bookCoverage, n)
	mint(bkCurator, bookJunior, n)
	mint(bkBorrower, bookPremium, n)
	mint(bkFunder, bookDeposit, n)
	for i := range bk.signers() {
		mint(bkSigners+i, 10_000_000*benchUSD, 1)
	}
	insurer := bk.acc(bkInsurer)
	_, err := bk.caliber.FundInsurancePool(ctx, &calibertypes.MsgFundInsurancePool{
		Insurer: insurer.Address.String(), Amount: sdkmath.NewInt(bookCoverage).MulRaw(n),
	})
	require.NoError(tb, err)
	appraiser := bk.acc(bkAppraiser)
	_, err = bk.oracle.PostPrice(ctx, &oracletypes.MsgPostPrice{
		Feeder: appraiser.Address.String(), FeedId: gpuFeed, Value: sdkmath.LegacyNewDec(30_000 * benchUSD),
	})
	require.NoError(tb, err)
	bk.NextBlock(time.Second)
}

// writeUnits writes the due groups one block apart, then, an hour later, the
// rest of the book unitsPerBlock per block.
func (bk *benchBook) writeUnits() {
	next := 0
	write := func(count int) {
		ctx, flush := bk.writeCtx().CacheContext()
		for i := 0; i < count; i++ {
			bk.writeUnit(ctx, next)
			next++
		}
		flush()
		bk.NextBlock(time.Second)
	}
	bk.t0 = bk.BlockTime()
	for _, g := range dueGroups {
		if next+g > bk.units {
			g = bk.units - next
		}
		write(g)
	}
	bk.NextBlock(time.Hour)
	for next < bk.units {
		write(min(unitsPerBlock, bk.units-next))
	}
}

// benchDepositor is the deterministic address of unit i's depositor.
func benchDepositor(i int) sdk.AccAddress {
	return sdk.AccAddress(tmhash.SumTruncated([]byte(fmt.Sprintf("bench-depositor-%d", i))))
}

// writeUnit writes unit i at ctx's block time: the depositor is funded,
// deposits and queues a redemption; a title is minted, taken into custody,
// appraised and insured; a loan against it is requested and underwritten.
func (bk *benchBook) writeUnit(ctx sdk.Context, i int) {
	tb := bk.tb
	curator, borrower := bk.acc(bkCurator), bk.acc(bkBorrower)

	dep := benchDepositor(i)
	require.NoError(tb, bk.BankKeeper.SendCoins(ctx, bk.acc(bkFunder).Address, dep, sdk.NewCoins(sdk.NewInt64Coin(app.USDaiDenom, bookDeposit))))
	_, err := bk.yield.Deposit(ctx, &yieldtypes.MsgDeposit{Depositor: dep.String(), Amount: sdk.NewInt64Coin(app.USDaiDenom, bookDeposit)})
	require.NoError(tb, err)
	_, err = bk.yield.RequestRedeem(ctx, &yieldtypes.MsgRequestRedeem{Owner: dep.String(), Shares: sdkmath.NewInt(bookQueued), BidBps: uint32(i % 100)})
	require.NoError(tb, err)

	title := bk.writeTitle(ctx, borrower.Address, fmt.Sprintf("BK%08d", i))
	loan, err := bk.lending.RequestLoan(ctx, &lendingtypes.MsgRequestLoan{
		Borrower: borrower.Address.String(), TitleIds: []uint64{title}, ProductId: benchProductID, Principal: sdkmath.NewInt(bookPrincipal),
	})
	require.NoError(tb, err)
	_, err = bk.lending.UnderwriteLoan(ctx, &lendingtypes.MsgUnderwriteLoan{
		Curator: curator.Address.String(), LoanId: loan.LoanId, Apr: lDec("0.15"), JuniorAmount: sdkmath.NewInt(bookJunior),
	})
	require.NoError(tb, err)
	bk.loans = append(bk.loans, loan.LoanId)
}

// writeTitle writes at ctx's block time a title of bookUnits serials
// (prefix-0..) owned by owner: minted, taken into custody, appraised at
// bookAppraisal and insured for bookCoverage (owner pays the premium).
func (bk *benchBook) writeTitle(ctx sdk.Context, owner sdk.AccAddress, prefix string) uint64 {
	tb := bk.tb
	now := ctx.BlockTime()
	issuer, custodian, appraiser, insurer := bk.acc(bkIssuer), bk.acc(bkCustodian), bk.acc(bkAppraiser), bk.acc(bkInsurer)
	serials := make([]string, bookUnits)
	for s := range serials {
		serials[s] = fmt.Sprintf("%s-%d", prefix, s)
	}
	minted, err := bk.caliber.MintTitle(ctx, &calibertypes.MsgMintTitle{
		Issuer: issuer.Address.String(), ClassId: caliberH100, Owner: owner.String(),
		Custodian: custodian.Address.String(), Units: bookUnits, Serials: serials,
		Facility: "DAL-01", Jurisdiction: "US-TX", Legal: calibertypes.LegalInfo{SpvId: "SPV-BENCH", DocumentSha256: caliberDoc},
	})
	require.NoError(tb, err)
	title := minted.TitleId
	_, err = bk.caliber.ConfirmCustody(ctx, &calibertypes.MsgConfirmCustody{Custodian: custodian.Address.String(), TitleId: title})
	require.NoError(tb, err)
	_, err = bk.caliber.Appraise(ctx, &calibertypes.MsgAppraise{
		Appraiser: appraiser.Address.String(), TitleId: title, Value: sdkmath.NewInt(bookAppraisal),
		ValidUntil: now.Add(300 * benchInterval), ReportSha256: caliberDoc,
	})
	require.NoError(tb, err)
	req, err := bk.caliber.RequestPolicy(ctx, &calibertypes.MsgRequestPolicy{
		Owner: owner.String(), TitleId: title, Insurer: insurer.Address.String(),
		InsuredValue: sdkmath.NewInt(bookAppraisal), Coverage: sdkmath.NewInt(bookCoverage),
		ExpiresAt: now.Add(1_250 * benchInterval), MaxPremium: sdkmath.NewInt(bookPremium),
	})
	require.NoError(tb, err)
	_, err = bk.caliber.IssuePolicy(ctx, &calibertypes.MsgIssuePolicy{Insurer: insurer.Address.String(), RequestId: req.RequestId, Premium: sdkmath.NewInt(bookPremium)})
	require.NoError(tb, err)
	return title
}

// requireBookState checks the book is what the benchmarks claim: units
// ACTIVE loans, titles, queued requests, and the modules' invariants.
func (bk *benchBook) requireBookState() {
	tb := bk.tb
	ctx := bk.Ctx()
	counts, err := bk.LendingKeeper.StatusCounts.Get(ctx, int32(lendingtypes.LoanActive))
	require.NoError(tb, err)
	require.Equal(tb, uint64(bk.units), counts)
	v, err := bk.YieldKeeper.View(ctx)
	require.NoError(tb, err)
	require.Equal(tb, uint64(bk.units), v.Book.Positions)
	require.Equal(tb, sdkmath.NewInt(bookQueued).MulRaw(int64(bk.units)).String(), v.Vault.EscrowedShares.String())
	for name, inv := range lendingkeeper.Invariants(bk.LendingKeeper) {
		msg, broken := inv(ctx)
		require.False(tb, broken, "lending %s: %s", name, msg)
	}
	for name, inv := range caliberkeeper.Invariants(bk.CaliberKeeper) {
		msg, broken := inv(ctx)
		require.False(tb, broken, "caliber %s: %s", name, msg)
	}
	msg, broken := yieldkeeper.AllInvariants(bk.YieldKeeper)(ctx)
	require.False(tb, broken, msg)
	msg, broken = stablekeeper.AllInvariants(bk.StableKeeper)(ctx)
	require.False(tb, broken, msg)
	require.True(tb, bk.BankKeeper.GetBalance(ctx, authtypes.NewModuleAddress(lendingtypes.ModuleName), app.USDaiDenom).Amount.IsPositive(), "the loans' DSR is held")
}
