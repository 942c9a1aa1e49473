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
	lendingkeeper "github.com/infrafi/infrafi/x/lending/keeper"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// Accounts of the lending tests.
const (
	lIssuer = iota
	lCustodian
	lAppraiser
	lInsurer
	lCurator
	lBorrower
	lDepositor
	lPayer
	lStranger
	lAccounts
)

const lendingProductID = "gpu-senior"

func lUSD(v int64) sdkmath.Int { return sdkmath.NewInt(v * 1_000_000) }

func lDec(s string) sdkmath.LegacyDec { return sdkmath.LegacyMustNewDecFromStr(s) }

// lendingProduct mirrors the localnet preset's product: H100/H200/B200, max
// LTV 70%, APR 12–18%, 36 payments of 60 s, 1% origination, 0.5% exit, 10%
// first loss with 20% of the senior interest as its premium, one period of
// DSR, insurance of at least half the value.
func lendingProduct() lendingtypes.Product {
	return lendingtypes.Product{
		Id:                        lendingProductID,
		AssetClasses:              []string{caliberH100, "nvidia-h200-141gb", "nvidia-b200-192gb"},
		MaxLtv:                    lDec("0.70"),
		LiquidationLtv:            lDec("0.85"),
		AprMin:                    lDec("0.12"),
		AprMax:                    lDec("0.18"),
		Duration:                  36 * time.Minute,
		RepaymentInterval:         time.Minute,
		Schedule:                  lendingtypes.ScheduleAmortizing,
		GracePeriod:               30 * time.Second,
		GraceApr:                  lDec("0.05"),
		OriginationFeeBps:         100,
		ExitFeeBps:                50,
		LiquidationFeeBps:         500,
		MinFirstLossBps:           1000,
		FirstLossPremiumBps:       2000,
		DebtServiceReservePeriods: 1,
		CurePeriod:                2 * time.Minute,
		Auction: lendingtypes.AuctionTerms{
			StartMultiplier: lDec("1.10"), FloorRatio: lDec("0.50"), Duration: 5 * time.Minute, MaxResets: 2,
		},
		RecoveryHaircut: lDec("0.30"),
		MinInsuranceBps: 5000,
		Enabled:         true,
	}
}

// withLending registers the CALIBER parties (issuer, custodian, appraiser,
// insurer, curator) and the H100 class priced by the gpu feed (fed by the
// appraiser), makes uusdc a fee-free USDai reserve, gives the vault the
// localnet timings without a treasury (so its NAV moves only with the loan
// book), and adds the lending product with a 10-minute pending age.
func withLending(accs []testutil.Account, state app.GenesisState) {
	cdc := app.MakeEncodingConfig().Codec
	cg := calibertypes.DefaultGenesis()
	for i, role := range []calibertypes.Role{
		calibertypes.RoleIssuer, calibertypes.RoleCustodian, calibertypes.RoleAppraiser, calibertypes.RoleInsurer, calibertypes.RoleCurator,
	} {
		cg.Parties = append(cg.Parties, calibertypes.Party{Address: accs[i].Address.String(), Roles: []calibertypes.Role{role}, Active: true})
	}
	cg.AssetClasses = []calibertypes.AssetClass{{
		Id: caliberH100, Kind: calibertypes.AssetKindGPU, Manufacturer: "NVIDIA", Model: "H100 SXM5 80GB",
		MaxLtv: lDec("0.7"), DepreciationPerYear: lDec("0.2"), ResidualRatio: lDec("0.2"),
		MinAppraisals: 1, MarketFeed: gpuFeed, Eligible: true,
	}}
	state[calibertypes.ModuleName] = cdc.MustMarshalJSON(cg)

	og := oracletypes.DefaultGenesis()
	og.Feeds = []oracletypes.Feed{{Id: gpuFeed, Description: "H100", Unit: "uusdai/gpu", MinFeeders: 1, MaxAge: caliberYear}}
	og.Feeders = []oracletypes.Feeder{{FeedId: gpuFeed, Address: accs[lAppraiser].Address.String()}}
	state[oracletypes.ModuleName] = cdc.MustMarshalJSON(og)

	testutil.ListLocalnetReserve(cdc, state, lUSD(1_000_000_000), false)

	var yg yieldtypes.GenesisState
	cdc.MustUnmarshalJSON(state[yieldtypes.ModuleName], &yg)
	yg.Params.EpochLength = time.Minute
	yg.Params.CancelCutoff = 10 * time.Second
	yg.Params.RebalanceInterval = 30 * time.Second
	yg.Params.CheckpointInterval = time.Minute
	yg.Params.LiquidityBufferBps = 1_000
	state[yieldtypes.ModuleName] = cdc.MustMarshalJSON(&yg)

	var lg lendingtypes.GenesisState
	cdc.MustUnmarshalJSON(state[lendingtypes.ModuleName], &lg)
	lg.Params.MaxPendingAge = 10 * time.Minute
	lg.Products = append(lg.Products, lendingProduct())
	state[lendingtypes.ModuleName] = cdc.MustMarshalJSON(&lg)
}

// lendingFixture is a chain with USDai minted through x/stable, 200,000 USDai
// deposited in the vault, and an ACTIVE 8-GPU H100 title owned by the
// borrower: custody confirmed, appraised at 200,000 USDai (market 8 × 30,000)
// and insured for 150,000 for a year.
type lendingFixture struct {
	*testutil.App
	title uint64
}

func setupLending(t *testing.T) *lendingFixture {
	t.Helper()
	return setupLendingWith(t, withLending)
}

func setupLendingWith(t *testing.T, genesis func([]testutil.Account, app.GenesisState)) *lendingFixture {
	t.Helper()
	fx := testutil.Setup(t, testutil.Options{
		Accounts: lAccounts,
		Balance: sdk.NewCoins(
			sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1_000_000_000_000)),
			sdk.NewCoin(app.LocalnetReserveDenom, lUSD(10_000_000)),
		),
		Genesis: genesis,
	})
	a := fx.Accounts
	// Genesis uusdai balances are refused: everyone mints USDai from uusdc.
	// In a fixed order: the fixture is the same chain on every run.
	for _, m := range []struct {
		acc    int
		amount int64
	}{{lInsurer, 1_000_000}, {lCurator, 100_000}, {lBorrower, 50_000}, {lDepositor, 500_000}, {lPayer, 10_000}} {
		fx.MustDeliver(a[m.acc], &stabletypes.MsgMint{Sender: a[m.acc].Address.String(), Amount: sdk.NewCoin(app.LocalnetReserveDenom, lUSD(m.amount))})
	}
	depositor := a[lDepositor]
	fx.MustDeliver(depositor, &yieldtypes.MsgDeposit{Depositor: depositor.Address.String(), Amount: sdk.NewCoin(app.USDaiDenom, lUSD(200_000))})

	issuer, custodian, appraiser, insurer, borrower := a[lIssuer], a[lCustodian], a[lAppraiser], a[lInsurer], a[lBorrower]
	res := fx.MustDeliver(issuer, &calibertypes.MsgMintTitle{
		Issuer: issuer.Address.String(), ClassId: caliberH100, Owner: borrower.Address.String(),
		Custodian: custodian.Address.String(), Units: 8,
		Serials:  []string{"LN-1", "LN-2", "LN-3", "LN-4", "LN-5", "LN-6", "LN-7", "LN-8"},
		Facility: "DAL-01", Jurisdiction: "US-TX", Legal: calibertypes.LegalInfo{SpvId: "SPV-L", DocumentSha256: caliberDoc},
	})
	id := mintTitleResponse(t, res)
	fx.MustDeliver(custodian, &calibertypes.MsgConfirmCustody{Custodian: custodian.Address.String(), TitleId: id})
	fx.MustDeliver(appraiser, &calibertypes.MsgAppraise{
		Appraiser: appraiser.Address.String(), TitleId: id, Value: lUSD(200_000),
		ValidUntil: fx.BlockTime().Add(caliberYear), ReportSha256: caliberDoc,
	})
	fx.MustDeliver(appraiser, &oracletypes.MsgPostPrice{Feeder: appraiser.Address.String(), FeedId: gpuFeed, Value: sdkmath.LegacyNewDec(30_000 * usdaiPerUnit)})
	fx.MustDeliver(insurer, &calibertypes.MsgFundInsurancePool{Insurer: insurer.Address.String(), Amount: lUSD(500_000)})
	fx.MustDeliver(borrower, &calibertypes.MsgRequestPolicy{
		Owner: borrower.Address.String(), TitleId: id, Insurer: insurer.Address.String(),
		InsuredValue: lUSD(200_000), Coverage: lUSD(150_000), ExpiresAt: fx.BlockTime().Add(caliberYear), MaxPremium: lUSD(3_000),
	})
	fx.MustDeliver(insurer, &calibertypes.MsgIssuePolicy{Insurer: insurer.Address.String(), RequestId: 1, Premium: lUSD(2_500)})
	f := &lendingFixture{App: fx, title: id}
	require.Equal(t, calibertypes.StatusActive, f.titleStatus(t))
	f.requireInvariants(t)
	return f
}

func (f *lendingFixture) loan(t *testing.T, id uint64) lendingtypes.Loan {
	t.Helper()
	l, err := f.LendingKeeper.GetLoan(f.Ctx(), id)
	require.NoError(t, err)
	return l
}

func (f *lendingFixture) titleStatus(t *testing.T) calibertypes.TitleStatus {
	t.Helper()
	title, err := f.CaliberKeeper.GetTitle(f.Ctx(), f.title)
	require.NoError(t, err)
	return title.Status
}

func (f *lendingFixture) vault(t *testing.T) yieldtypes.VaultSummary {
	t.Helper()
	v, err := f.YieldKeeper.View(f.Ctx())
	require.NoError(t, err)
	sum, err := v.Summary()
	require.NoError(t, err)
	return sum
}

func (f *lendingFixture) usdai(addr sdk.AccAddress) sdkmath.Int {
	return bal(f.App, addr, app.USDaiDenom)
}

func (f *lendingFixture) requireInvariants(t *testing.T) {
	t.Helper()
	require.NoError(t, f.CheckInvariants(f.Ctx()))
}

// lendingSnapshot is the state a refused lending tx must leave unchanged.
type lendingSnapshot struct {
	Loans    []lendingtypes.Loan
	Balances map[string]string
	Title    calibertypes.TitleStatus
	Vault    yieldtypes.VaultState
	Book     yieldtypes.SeniorBook
}

func (f *lendingFixture) snapshot(t *testing.T) lendingSnapshot {
	t.Helper()
	s := lendingSnapshot{Balances: map[string]string{}, Title: f.titleStatus(t)}
	require.NoError(t, f.LendingKeeper.Loans.Walk(f.Ctx(), nil, func(_ uint64, l lendingtypes.Loan) (bool, error) {
		s.Loans = append(s.Loans, l)
		return false, nil
	}))
	addrs := map[string]sdk.AccAddress{
		"lending": authtypes.NewModuleAddress(lendingtypes.ModuleName), "yield": authtypes.NewModuleAddress(yieldtypes.ModuleName),
		"fees": authtypes.NewModuleAddress(stabletypes.ProtocolFeeCollector),
	}
	for _, i := range []int{lCurator, lBorrower, lPayer, lStranger} {
		addrs[f.Accounts[i].Address.String()] = f.Accounts[i].Address
	}
	for name, addr := range addrs {
		s.Balances[name] = f.usdai(addr).String()
	}
	v, err := f.YieldKeeper.View(f.Ctx())
	require.NoError(t, err)
	s.Vault, s.Book = v.Vault, v.Book
	return s
}

// requireRefused delivers msg from signer and checks that it fails with the
// registered error and leaves the lending state, balances, title and vault as
// they were.
func (f *lendingFixture) requireRefused(t *testing.T, signer testutil.Account, msg sdk.Msg, want interface {
	Codespace() string
	ABCICode() uint32
},
) {
	t.Helper()
	before := f.snapshot(t)
	requireCaliberCode(t, f.Deliver(signer, msg), want)
	require.Equal(t, before, f.snapshot(t))
}

// lendingEvents parses the typed events of type T in a tx result.
func lendingEvents[T proto.Message](t *testing.T, res *abci.ExecTxResult) []T {
	t.Helper()
	var out []T
	for _, ev := range res.Events {
		msg, err := sdk.ParseTypedEvent(ev)
		if err != nil {
			continue
		}
		if m, ok := msg.(T); ok {
			out = append(out, m)
		}
	}
	return out
}

func txResponse[T proto.Message](t *testing.T, res *abci.ExecTxResult, out T) T {
	t.Helper()
	var data sdk.TxMsgData
	require.NoError(t, proto.Unmarshal(res.Data, &data))
	require.Len(t, data.MsgResponses, 1)
	require.NoError(t, proto.Unmarshal(data.MsgResponses[0].Value, out))
	return out
}

// TestLendingFlowThroughTransactions is the issue's "done when" on the
// in-process chain: the borrower pledges a valued, insured title, the curator
// underwrites, the borrower receives principal − fee − DSR, three scheduled
// payments (one by another payer, one early), a prepayment of the rest, the
// title back to ACTIVE and a higher vault share price.
func TestLendingFlowThroughTransactions(t *testing.T) {
	f := setupLending(t)
	a := f.Accounts
	curator, borrower, payer, stranger := a[lCurator], a[lBorrower], a[lPayer], a[lStranger]
	lendingAddr := authtypes.NewModuleAddress(lendingtypes.ModuleName)
	feesAddr := authtypes.NewModuleAddress(stabletypes.ProtocolFeeCollector)
	apr := lDec("0.15")
	principal, junior := lUSD(100_000), lUSD(10_000)
	q := lendingkeeper.NewQueryServerImpl(f.LendingKeeper)

	valuation, err := f.CaliberKeeper.GetValuation(f.Ctx(), f.title)
	require.NoError(t, err)
	value := valuation.Value
	require.True(t, value.GT(lUSD(199_000)) && value.LTE(lUSD(200_000)), "appraisal depreciated for a few seconds: %s", value)

	// The quote: the LTV binds (70% of the value), not the vault (fundable 180,000 / 0.9).
	quote, err := q.Quote(f.Ctx(), &lendingtypes.QueryQuoteRequest{ProductId: lendingProductID, TitleIds: []uint64{f.title}})
	require.NoError(t, err)
	require.Equal(t, value.String(), quote.CollateralValue.String())
	require.Equal(t, lDec("0.7").MulInt(value).TruncateInt().String(), quote.MaxPrincipal.String())
	require.Equal(t, lUSD(200_000).String(), quote.LiquidityLimit.String())
	require.Equal(t, "ltv", quote.Binding)
	sharePriceBefore := f.vault(t).SharePrice

	// A request above max LTV is accepted as PENDING but cannot be underwritten;
	// the borrower cancels it and gets the title back.
	res := f.MustDeliver(borrower, &lendingtypes.MsgRequestLoan{
		Borrower: borrower.Address.String(), TitleIds: []uint64{f.title}, ProductId: lendingProductID, Principal: lUSD(150_000),
	})
	require.Equal(t, uint64(1), txResponse(t, res, &lendingtypes.MsgRequestLoanResponse{}).LoanId)
	require.Equal(t, calibertypes.StatusPledged, f.titleStatus(t))
	f.requireRefused(t, curator, &lendingtypes.MsgUnderwriteLoan{Curator: curator.Address.String(), LoanId: 1, Apr: apr, JuniorAmount: lUSD(15_000)},
		lendingtypes.ErrLTVExceeded)
	f.MustDeliver(borrower, &lendingtypes.MsgCancelLoanRequest{Borrower: borrower.Address.String(), LoanId: 1})
	require.Equal(t, lendingtypes.LoanCancelled, f.loan(t, 1).Status)
	require.Equal(t, calibertypes.StatusActive, f.titleStatus(t))

	// The real request: 100,000 USDai (LTV about 50%).
	res = f.MustDeliver(borrower, &lendingtypes.MsgRequestLoan{
		Borrower: borrower.Address.String(), TitleIds: []uint64{f.title}, ProductId: lendingProductID, Principal: principal,
	})
	id := txResponse(t, res, &lendingtypes.MsgRequestLoanResponse{}).LoanId
	require.Equal(t, uint64(2), id)
	require.Len(t, lendingEvents[*lendingtypes.EventLoanRequested](t, res), 1)
	require.Equal(t, lendingtypes.LoanPending, f.loan(t, id).Status)
	require.Equal(t, calibertypes.StatusPledged, f.titleStatus(t))

	// Bad input, each a registered error that changes nothing.
	f.requireRefused(t, borrower, &lendingtypes.MsgRequestLoan{
		Borrower: borrower.Address.String(), TitleIds: []uint64{f.title}, ProductId: lendingProductID, Principal: lUSD(1),
	}, lendingtypes.ErrTitleInLoan)
	f.requireRefused(t, stranger, &lendingtypes.MsgRequestLoan{
		Borrower: stranger.Address.String(), TitleIds: []uint64{f.title}, ProductId: lendingProductID, Principal: lUSD(1),
	}, sdkerrors.ErrUnauthorized)
	f.requireRefused(t, borrower, &lendingtypes.MsgRequestLoan{
		Borrower: borrower.Address.String(), TitleIds: []uint64{f.title}, ProductId: "no-such-product", Principal: lUSD(1),
	}, lendingtypes.ErrProductNotFound)
	f.requireRefused(t, stranger, &lendingtypes.MsgUnderwriteLoan{Curator: stranger.Address.String(), LoanId: id, Apr: apr, JuniorAmount: junior},
		sdkerrors.ErrUnauthorized)
	f.requireRefused(t, curator, &lendingtypes.MsgUnderwriteLoan{Curator: curator.Address.String(), LoanId: id, Apr: lDec("0.19"), JuniorAmount: junior},
		lendingtypes.ErrAPROutOfRange)
	f.requireRefused(t, curator, &lendingtypes.MsgUnderwriteLoan{Curator: curator.Address.String(), LoanId: id, Apr: apr, JuniorAmount: junior.SubRaw(1)},
		lendingtypes.ErrJuniorTooLow)
	f.requireRefused(t, borrower, &lendingtypes.MsgRepay{Payer: borrower.Address.String(), LoanId: id, Amount: lUSD(1)},
		lendingtypes.ErrInvalidLoanStatus)
	f.requireRefused(t, borrower, &lendingtypes.MsgRepay{Payer: borrower.Address.String(), LoanId: id, Amount: sdkmath.ZeroInt()},
		lendingtypes.ErrInvalidAmount)
	f.requireRefused(t, stranger, &lendingtypes.MsgCreateProduct{Authority: stranger.Address.String(), Product: lendingProduct()},
		sdkerrors.ErrUnauthorized)

	// The curator underwrites at 15% with the minimum 10% first loss.
	interest1, principal1 := lendingtypes.Installment(lendingtypes.ScheduleAmortizing, principal, apr, time.Minute, 36)
	first := interest1.Add(principal1)
	require.Equal(t, int64(28_539), interest1.Int64(), "ceil(100,000 USDai × 15% × 60 s / year)")
	require.True(t, first.Sub(lUSD(100_000).QuoRaw(36)).Abs().LT(sdkmath.NewInt(20_000)), "level payment %s ≈ 100,000/36 + a little interest", first)
	fee, dsr := lUSD(1_000), first
	disbursed := principal.Sub(fee).Sub(dsr)
	borrowerBefore, curatorBefore, feesBefore := f.usdai(borrower.Address), f.usdai(curator.Address), f.usdai(feesAddr)
	vaultBefore := f.vault(t)
	res = f.MustDeliver(curator, &lendingtypes.MsgUnderwriteLoan{Curator: curator.Address.String(), LoanId: id, Apr: apr, JuniorAmount: junior})
	fundedAt := f.BlockTime()
	require.Equal(t, disbursed.String(), txResponse(t, res, &lendingtypes.MsgUnderwriteLoanResponse{}).Disbursed.String())
	funded := lendingEvents[*lendingtypes.EventLoanFunded](t, res)
	require.Len(t, funded, 1)
	require.Equal(t, lUSD(90_000).String(), funded[0].SeniorAmount.String())
	valuation, err = f.CaliberKeeper.GetValuation(f.Ctx(), f.title) // at the underwriting block's time
	require.NoError(t, err)
	require.Equal(t, lendingtypes.LTV(principal, valuation.Value).String(), funded[0].Ltv.String())
	require.Equal(t, borrowerBefore.Add(disbursed).String(), f.usdai(borrower.Address).String(), "principal − 1% fee − one payment of DSR")
	require.Equal(t, curatorBefore.Sub(junior).String(), f.usdai(curator.Address).String(), "the curator paid the junior tranche")
	require.Equal(t, feesBefore.Add(fee).String(), f.usdai(feesAddr).String())
	require.Equal(t, dsr.String(), f.usdai(lendingAddr).String(), "the module holds the DSR")
	vaultAfter := f.vault(t)
	require.Equal(t, vaultBefore.Idle.Sub(lUSD(90_000)).String(), vaultAfter.Idle.String())
	require.Equal(t, lUSD(90_000).String(), vaultAfter.Book.Principal.String())
	l := f.loan(t, id)
	require.Equal(t, lendingtypes.LoanActive, l.Status)
	require.Equal(t, lUSD(90_000).String(), l.Senior.Balance.String())
	require.Equal(t, lDec("0.12").String(), l.Senior.Rate.String(), "15% less the 20% first-loss premium")
	require.Equal(t, junior.String(), l.JuniorPrincipal.String())
	require.Equal(t, uint32(36), l.PaymentsRemaining)
	require.Equal(t, fundedAt.Add(time.Minute), l.NextDueTime)
	require.Equal(t, fundedAt.Add(36*time.Minute), l.Maturity)
	require.Equal(t, interest1.String(), l.InterestDue.String())
	require.Equal(t, principal1.String(), l.PrincipalDue.String())
	schedule, err := q.Schedule(f.Ctx(), &lendingtypes.QueryScheduleRequest{LoanId: id, Limit: 3})
	require.NoError(t, err)
	require.Len(t, schedule.Payments, 3)
	require.Equal(t, l.NextDueTime, schedule.Payments[0].DueTime)
	f.requireInvariants(t)

	// pay delivers one payment of amount from payer and checks the split, the
	// payer's balance, the curator's share and the vault's NAV.
	pay := func(payer testutil.Account, amount sdkmath.Int) *lendingtypes.EventLoanPayment {
		t.Helper()
		before := f.loan(t, id)
		payerBefore, curatorBefore := f.usdai(payer.Address), f.usdai(curator.Address)
		vaultBefore := f.vault(t)
		res := f.MustDeliver(payer, &lendingtypes.MsgRepay{Payer: payer.Address.String(), LoanId: id, Amount: amount})
		require.Equal(t, amount.String(), txResponse(t, res, &lendingtypes.MsgRepayResponse{}).Applied.String())
		events := lendingEvents[*lendingtypes.EventLoanPayment](t, res)
		require.Len(t, events, 1)
		ev := events[0]
		require.Equal(t, before.InterestDue.String(), ev.Interest.String())
		require.Equal(t, before.PrincipalDue.String(), ev.Principal.String())
		// Split pro rata 90/10 (junior rounded down), then 20% of the senior
		// interest moved to the junior as its premium.
		juniorInterest := ev.Interest.Mul(before.JuniorPrincipal).Quo(before.Senior.Balance.Add(before.JuniorPrincipal))
		seniorGross := ev.Interest.Sub(juniorInterest)
		premium := lendingtypes.BpsOf(seniorGross, 2000)
		require.Equal(t, premium.String(), ev.Premium.String())
		require.Equal(t, seniorGross.Sub(premium).String(), ev.SeniorInterest.String())
		require.Equal(t, juniorInterest.Add(premium).String(), ev.JuniorInterest.String())
		require.Equal(t, ev.Principal.String(), ev.SeniorPrincipal.Add(ev.JuniorPrincipal).String())
		require.Equal(t, payerBefore.Sub(amount).String(), f.usdai(payer.Address).String())
		require.Equal(t, curatorBefore.Add(ev.JuniorInterest).Add(ev.JuniorPrincipal).String(), f.usdai(curator.Address).String())

		// The vault's NAV rises by exactly the senior interest net of the 1%
		// admin fee: its conservative NAV by that amount (principal only moves
		// from the book to idle), and, the position restarting its accrual at
		// this block, nothing accrued remains on top of it.
		adminFee := yieldtypes.BpsOf(ev.SeniorInterest, 100)
		vaultAfter := f.vault(t)
		require.Equal(t, vaultBefore.ConservativeNav.Add(ev.SeniorInterest).Sub(adminFee).String(), vaultAfter.ConservativeNav.String())
		require.Equal(t, vaultAfter.ConservativeNav.String(), vaultAfter.Nav.String())
		require.Equal(t, vaultBefore.Idle.Add(ev.SeniorPrincipal).Add(ev.SeniorInterest).Sub(adminFee).String(), vaultAfter.Idle.String())
		require.Equal(t, vaultBefore.Book.Principal.Sub(ev.SeniorPrincipal).String(), vaultAfter.Book.Principal.String())
		f.requireInvariants(t)
		return ev
	}

	// Payment 1 on its due date, by the borrower.
	f.NextBlock(f.loan(t, id).NextDueTime.Sub(f.BlockTime()) - testutil.DefaultBlockTime)
	ev := pay(borrower, first)
	require.Equal(t, uint32(35), ev.PaymentsRemaining)
	require.Equal(t, fundedAt.Add(2*time.Minute), ev.NextDueTime)
	require.Equal(t, int64(2_853), ev.JuniorInterest.Sub(ev.Premium).Int64(), "10% of 28,539 rounded down")
	l = f.loan(t, id)
	require.Equal(t, fundedAt.Add(time.Minute), l.AccruedSince)
	require.Equal(t, principal.Sub(principal1).String(), l.Outstanding().String())

	// Payment 2 on its due date, by another payer (anyone may pay).
	borrowerBefore = f.usdai(borrower.Address)
	f.NextBlock(l.NextDueTime.Sub(f.BlockTime()) - testutil.DefaultBlockTime)
	ev = pay(payer, l.InterestDue.Add(l.PrincipalDue))
	require.Equal(t, uint32(34), ev.PaymentsRemaining)
	require.Equal(t, borrowerBefore.String(), f.usdai(borrower.Address).String(), "the borrower paid nothing")

	// Payment 3 early, 30 s before its due date: the schedule keeps its grid.
	l = f.loan(t, id)
	f.NextBlock(l.NextDueTime.Sub(f.BlockTime()) - 30*time.Second - testutil.DefaultBlockTime)
	ev = pay(borrower, l.InterestDue.Add(l.PrincipalDue))
	require.Equal(t, uint32(33), ev.PaymentsRemaining)
	require.Equal(t, fundedAt.Add(4*time.Minute), ev.NextDueTime)

	// Prepay the rest, offering more than the payoff: only the payoff is taken.
	l = f.loan(t, id)
	loanRes, err := q.Loan(f.Ctx(), &lendingtypes.QueryLoanRequest{Id: id})
	require.NoError(t, err)
	payoff := loanRes.Payoff
	exitFee := lendingtypes.BpsOfCeil(l.Outstanding(), 50)
	require.True(t, exitFee.LT(l.Dsr), "the DSR covers the exit fee")
	require.Equal(t, l.InterestDue.Add(l.Outstanding()).String(), payoff.String())
	borrowerBefore, feesBefore = f.usdai(borrower.Address), f.usdai(feesAddr)
	vaultBefore = f.vault(t)
	res = f.MustDeliver(borrower, &lendingtypes.MsgRepay{Payer: borrower.Address.String(), LoanId: id, Amount: payoff.Add(lUSD(1_000))})
	repaid := txResponse(t, res, &lendingtypes.MsgRepayResponse{})
	require.Equal(t, payoff.String(), repaid.Applied.String())
	require.True(t, repaid.Closed)
	require.Len(t, lendingEvents[*lendingtypes.EventLoanRepaid](t, res), 1)
	payments := lendingEvents[*lendingtypes.EventLoanPayment](t, res)
	require.Len(t, payments, 1)
	last := payments[0]
	require.Equal(t, l.Senior.Balance.String(), last.SeniorPrincipal.String(), "the vault gets all its principal back")
	require.Equal(t, exitFee.String(), last.ExitFee.String())
	l = f.loan(t, id)
	require.Equal(t, lendingtypes.LoanRepaid, l.Status)
	require.True(t, l.Outstanding().IsZero())
	require.Equal(t, calibertypes.StatusActive, f.titleStatus(t), "the title is released")
	require.Equal(t, borrowerBefore.Sub(payoff).Add(dsr).Sub(exitFee).String(), f.usdai(borrower.Address).String(), "DSR returned less the exit fee")
	adminFee := yieldtypes.BpsOf(last.SeniorInterest, 100)
	require.Equal(t, feesBefore.Add(exitFee).Add(adminFee).String(), f.usdai(feesAddr).String(), "exit fee and the vault's admin fee")
	require.True(t, f.usdai(lendingAddr).IsZero(), "nothing left in the lending module")
	vaultAfter = f.vault(t)
	require.Equal(t, vaultBefore.Idle.Add(last.SeniorPrincipal).Add(last.SeniorInterest).Sub(adminFee).String(), vaultAfter.Idle.String())
	require.True(t, vaultAfter.Book.Principal.IsZero())
	require.Zero(t, vaultAfter.Book.Positions)
	require.True(t, vaultAfter.SharePrice.GT(sharePriceBefore), "share price %s -> %s", sharePriceBefore, vaultAfter.SharePrice)
	require.True(t, vaultAfter.Nav.GT(lUSD(200_000)), "the vault earned interest: NAV %s", vaultAfter.Nav)
	book, err := q.BookSummary(f.Ctx(), &lendingtypes.QueryBookSummaryRequest{})
	require.NoError(t, err)
	require.True(t, book.SeniorPrincipal.IsZero() && book.JuniorPrincipal.IsZero() && book.DsrHeld.IsZero())
	f.requireInvariants(t)

	// A closed loan takes no more payments.
	f.requireRefused(t, borrower, &lendingtypes.MsgRepay{Payer: borrower.Address.String(), LoanId: id, Amount: lUSD(1)}, lendingtypes.ErrInvalidLoanStatus)
	f.requireRefused(t, borrower, &lendingtypes.MsgRepay{Payer: borrower.Address.String(), LoanId: 1, Amount: lUSD(1)}, lendingtypes.ErrInvalidLoanStatus)
}

// TestLendingUnderwriteChecksThroughTransactions: the vault short of
// liquidity (the redemption queue comes first) and a lapsed custody
// attestation are each refused with their own error, the loan staying
// PENDING; an unfunded request expires and frees its title.
func TestLendingUnderwriteChecksThroughTransactions(t *testing.T) {
	f := setupLending(t)
	a := f.Accounts
	curator, borrower, custodian, depositor, stranger := a[lCurator], a[lBorrower], a[lCustodian], a[lDepositor], a[lStranger]
	underwrite := func(id uint64, junior sdkmath.Int) *lendingtypes.MsgUnderwriteLoan {
		return &lendingtypes.MsgUnderwriteLoan{Curator: curator.Address.String(), LoanId: id, Apr: lDec("0.12"), JuniorAmount: junior}
	}

	// 139,000 USDai (just under 70% LTV): a senior part of 125,100.
	f.MustDeliver(borrower, &lendingtypes.MsgRequestLoan{
		Borrower: borrower.Address.String(), TitleIds: []uint64{f.title}, ProductId: lendingProductID, Principal: lUSD(139_000),
	})
	// Half the shares queued for redemption: the queue has first call on idle
	// USDai, leaving 200,000 − 100,000 − 20,000 (buffer) = 80,000 for loans.
	// The pending loan's 139,000 is committed, so the vault shows nothing
	// fundable to other loans; underwriting releases the loan's own
	// commitment and sees 80,000, short of the senior part.
	shares := bal(f.App, depositor.Address, app.SUSDaiDenom)
	f.MustDeliver(depositor, &yieldtypes.MsgRequestRedeem{Owner: depositor.Address.String(), Shares: shares.QuoRaw(2), BidBps: 0})
	require.Equal(t, lUSD(139_000).String(), f.vault(t).Committed.String())
	require.True(t, f.vault(t).Fundable.IsZero())
	f.requireRefused(t, curator, underwrite(1, lUSD(13_900)), lendingtypes.ErrInsufficientLiquidity)
	require.Equal(t, lendingtypes.LoanPending, f.loan(t, 1).Status)
	require.Equal(t, lUSD(139_000).String(), f.vault(t).Committed.String(), "a refused underwriting keeps the commitment")

	// A day later the request has expired (10 minutes) and the title is back;
	// its custody attestation (24 h) has lapsed.
	f.NextBlock(25 * time.Hour)
	require.Equal(t, lendingtypes.LoanExpired, f.loan(t, 1).Status)
	require.True(t, f.vault(t).Committed.IsZero(), "expiry releases the commitment")
	require.Equal(t, calibertypes.StatusActive, f.titleStatus(t))
	f.requireRefused(t, curator, underwrite(1, lUSD(13_900)), lendingtypes.ErrInvalidLoanStatus)
	stale, err := f.CaliberKeeper.IsStale(f.Ctx(), f.title)
	require.NoError(t, err)
	require.True(t, stale)

	f.MustDeliver(borrower, &lendingtypes.MsgRequestLoan{
		Borrower: borrower.Address.String(), TitleIds: []uint64{f.title}, ProductId: lendingProductID, Principal: lUSD(50_000),
	})
	f.requireRefused(t, curator, underwrite(2, lUSD(5_000)), lendingtypes.ErrCustodyStale)
	// A fresh attestation cures it.
	f.MustDeliver(custodian, &calibertypes.MsgAttestCustody{Custodian: custodian.Address.String(), TitleIds: []uint64{f.title}, Online: true, UptimeBps: 9_990})
	// A curator without the junior part fails after every check has passed
	// and x/yield has funded the senior part: the funding reverts with the
	// rest (requireRefused compares the vault, its book and the balances).
	held := f.usdai(curator.Address)
	usdai := func(n sdkmath.Int) sdk.Coins { return sdk.NewCoins(sdk.NewCoin(app.USDaiDenom, n)) }
	f.MustDeliver(curator, &banktypes.MsgSend{FromAddress: curator.Address.String(), ToAddress: stranger.Address.String(), Amount: usdai(held.Sub(lUSD(4_999)))})
	f.requireRefused(t, curator, underwrite(2, lUSD(5_000)), sdkerrors.ErrInsufficientFunds)
	require.Equal(t, lUSD(50_000).String(), f.vault(t).Committed.String(), "a refused underwriting keeps the commitment")
	f.MustDeliver(stranger, &banktypes.MsgSend{FromAddress: stranger.Address.String(), ToAddress: curator.Address.String(), Amount: usdai(held.Sub(lUSD(4_999)))})
	f.MustDeliver(curator, underwrite(2, lUSD(5_000)))
	require.Equal(t, lendingtypes.LoanActive, f.loan(t, 2).Status)
	f.requireInvariants(t)
}

// TestLendingExportImport: a funded loan survives export and a new chain's
// InitChain (caliber pledges, the vault's senior position, the lending indexes).
func TestLendingExportImport(t *testing.T) {
	f := setupLending(t)
	a := f.Accounts
	curator, borrower := a[lCurator], a[lBorrower]
	f.MustDeliver(borrower, &lendingtypes.MsgRequestLoan{
		Borrower: borrower.Address.String(), TitleIds: []uint64{f.title}, ProductId: lendingProductID, Principal: lUSD(50_000),
	})
	f.MustDeliver(curator, &lendingtypes.MsgUnderwriteLoan{Curator: curator.Address.String(), LoanId: 1, Apr: lDec("0.12"), JuniorAmount: lUSD(5_000)})
	l := f.loan(t, 1)
	f.NextBlock(l.NextDueTime.Sub(f.BlockTime()) - testutil.DefaultBlockTime)
	f.MustDeliver(borrower, &lendingtypes.MsgRepay{Payer: borrower.Address.String(), LoanId: 1, Amount: l.InterestDue.Add(l.PrincipalDue)})

	fresh, exported := f.RestartFromExport(false)
	again, err := fresh.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	var before, after map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(exported.AppState, &before))
	require.NoError(t, json.Unmarshal(again.AppState, &after))
	require.JSONEq(t, string(before[lendingtypes.ModuleName]), string(after[lendingtypes.ModuleName]))

	var gs lendingtypes.GenesisState
	fresh.AppCodec().MustUnmarshalJSON(after[lendingtypes.ModuleName], &gs)
	require.Len(t, gs.Loans, 1)
	require.Equal(t, lendingtypes.LoanActive, gs.Loans[0].Status)
	require.Equal(t, uint32(35), gs.Loans[0].PaymentsRemaining)
}

// withLendingTreasury is withLending with the vault's treasury on: the
// stranger is the TREASURY_CUSTODIAN holding the T-bills in uusdc.
func withLendingTreasury(accs []testutil.Account, state app.GenesisState) {
	withLending(accs, state)
	cdc := app.MakeEncodingConfig().Codec
	var cg calibertypes.GenesisState
	cdc.MustUnmarshalJSON(state[calibertypes.ModuleName], &cg)
	cg.Parties = append(cg.Parties, calibertypes.Party{
		Address: accs[lStranger].Address.String(), Roles: []calibertypes.Role{calibertypes.RoleTreasuryCustodian}, Active: true,
	})
	state[calibertypes.ModuleName] = cdc.MustMarshalJSON(&cg)
	var yg yieldtypes.GenesisState
	cdc.MustUnmarshalJSON(state[yieldtypes.ModuleName], &yg)
	yg.Params.TreasuryCustodian = accs[lStranger].Address.String()
	yg.Params.TreasuryReserveDenom = app.LocalnetReserveDenom
	state[yieldtypes.ModuleName] = cdc.MustMarshalJSON(&yg)
}

// TestLendingFundingRecalledFromTreasury: the rebalance has swept the idle
// USDai above the buffer into T-bills; a loan request commits its principal,
// the next rebalance recalls it from the treasury, the custodian settles and
// the curator funds the loan.
func TestLendingFundingRecalledFromTreasury(t *testing.T) {
	f := setupLendingWith(t, withLendingTreasury)
	a := f.Accounts
	curator, borrower, treasury := a[lCurator], a[lBorrower], a[lStranger]
	underwrite := &lendingtypes.MsgUnderwriteLoan{Curator: curator.Address.String(), LoanId: 1, Apr: lDec("0.12"), JuniorAmount: lUSD(5_000)}

	// A rebalance keeps the 10% buffer idle and allocates the rest.
	f.NextBlock(30 * time.Second)
	v := f.vault(t)
	require.Equal(t, lUSD(20_000).String(), v.Idle.String())
	require.Equal(t, lUSD(180_000).String(), v.Treasury.Principal.String())
	require.True(t, v.Fundable.IsZero())

	// The request commits its 50,000: nothing is fundable yet.
	f.MustDeliver(borrower, &lendingtypes.MsgRequestLoan{
		Borrower: borrower.Address.String(), TitleIds: []uint64{f.title}, ProductId: lendingProductID, Principal: lUSD(50_000),
	})
	require.Equal(t, lUSD(50_000).String(), f.vault(t).Committed.String())
	f.requireRefused(t, curator, underwrite, lendingtypes.ErrInsufficientLiquidity)
	require.Equal(t, lUSD(50_000).String(), f.vault(t).Committed.String(), "a refused underwriting keeps the commitment")
	f.requireInvariants(t)

	// The next rebalance wants buffer + committed idle: it recalls 50,000.
	block := f.NextBlock(30 * time.Second)
	recalls := typedEvents[*yieldtypes.EventTreasuryRecall](t, block.Events)
	require.Len(t, recalls, 1)
	require.Equal(t, lUSD(50_000).String(), recalls[0].Recall.String())
	v = f.vault(t)
	require.Equal(t, lUSD(50_000).String(), v.Treasury.Recall.String())
	require.Equal(t, lUSD(20_000).String(), v.Idle.String(), "the committed liquidity is not allocated")

	// The custodian settles the recall; the curator funds the loan.
	f.MustDeliver(treasury, &yieldtypes.MsgSettleTreasury{Custodian: treasury.Address.String(), Principal: lUSD(50_000), Yield: sdkmath.ZeroInt()})
	v = f.vault(t)
	require.Equal(t, lUSD(70_000).String(), v.Idle.String())
	require.True(t, v.Fundable.IsZero(), "the loan's own commitment is not fundable to others")
	f.MustDeliver(curator, underwrite)
	l := f.loan(t, 1)
	require.Equal(t, lendingtypes.LoanActive, l.Status)
	require.Equal(t, lUSD(45_000).String(), l.Senior.Balance.String())
	v = f.vault(t)
	require.True(t, v.Committed.IsZero())
	require.Equal(t, lUSD(25_000).String(), v.Idle.String())
	f.requireInvariants(t)
}
