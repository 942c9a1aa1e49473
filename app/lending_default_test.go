package app_test

import (
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingkeeper "github.com/infrafi/infrafi/x/lending/keeper"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

// mintInsuredTitle mints an ACTIVE 8-GPU H100 title for the borrower,
// appraised at value and insured for coverage of an insured value of value.
func (f *lendingFixture) mintInsuredTitle(t *testing.T, serial string, value, coverage sdkmath.Int) uint64 {
	t.Helper()
	a := f.Accounts
	issuer, custodian, appraiser, insurer, borrower := a[lIssuer], a[lCustodian], a[lAppraiser], a[lInsurer], a[lBorrower]
	var serials []string
	for i := 0; i < 8; i++ {
		serials = append(serials, serial+"-"+string(rune('A'+i)))
	}
	res := f.MustDeliver(issuer, &calibertypes.MsgMintTitle{
		Issuer: issuer.Address.String(), ClassId: caliberH100, Owner: borrower.Address.String(),
		Custodian: custodian.Address.String(), Units: 8, Serials: serials,
		Facility: "DAL-01", Jurisdiction: "US-TX", Legal: calibertypes.LegalInfo{SpvId: "SPV-" + serial, DocumentSha256: caliberDoc},
	})
	id := mintTitleResponse(t, res)
	f.MustDeliver(custodian, &calibertypes.MsgConfirmCustody{Custodian: custodian.Address.String(), TitleId: id})
	f.MustDeliver(appraiser, &calibertypes.MsgAppraise{
		Appraiser: appraiser.Address.String(), TitleId: id, Value: value,
		ValidUntil: f.BlockTime().Add(caliberYear), ReportSha256: caliberDoc,
	})
	res = f.MustDeliver(borrower, &calibertypes.MsgRequestPolicy{
		Owner: borrower.Address.String(), TitleId: id, Insurer: insurer.Address.String(),
		InsuredValue: value, Coverage: coverage, ExpiresAt: f.BlockTime().Add(caliberYear), MaxPremium: lUSD(3_000),
	})
	req := txResponse(t, res, &calibertypes.MsgRequestPolicyResponse{}).RequestId
	f.MustDeliver(insurer, &calibertypes.MsgIssuePolicy{Insurer: insurer.Address.String(), RequestId: req, Premium: lUSD(1_000)})
	return id
}

// borrow requests and underwrites a loan at 15% APR.
func (f *lendingFixture) borrow(t *testing.T, titles []uint64, principal, junior sdkmath.Int) uint64 {
	t.Helper()
	borrower, curator := f.Accounts[lBorrower], f.Accounts[lCurator]
	res := f.MustDeliver(borrower, &lendingtypes.MsgRequestLoan{
		Borrower: borrower.Address.String(), TitleIds: titles, ProductId: lendingProductID, Principal: principal,
	})
	id := txResponse(t, res, &lendingtypes.MsgRequestLoanResponse{}).LoanId
	f.MustDeliver(curator, &lendingtypes.MsgUnderwriteLoan{Curator: curator.Address.String(), LoanId: id, Apr: lDec("0.15"), JuniorAmount: junior})
	return id
}

// postGPUPrice posts the H100 market price (USDai per GPU).
func (f *lendingFixture) postGPUPrice(t *testing.T, usd int64) {
	t.Helper()
	appraiser := f.Accounts[lAppraiser]
	f.MustDeliver(appraiser, &oracletypes.MsgPostPrice{Feeder: appraiser.Address.String(), FeedId: gpuFeed, Value: sdkmath.LegacyNewDec(usd * usdaiPerUnit)})
}

// until advances blocks of 5 s until cond holds (at most limit blocks).
func (f *lendingFixture) until(t *testing.T, limit int, cond func() bool) {
	t.Helper()
	for i := 0; i < limit; i++ {
		if cond() {
			return
		}
		f.NextBlock(5 * time.Second)
	}
	require.True(t, cond(), "condition not reached in %d blocks", limit)
}

func (f *lendingFixture) usdaiSupply() sdkmath.Int {
	return f.BankKeeper.GetSupply(f.Ctx(), app.USDaiDenom).Amount
}

// TestLoanMissesPaymentsDefaultsAndIsSold is #7's first "done when" in
// process: a loan on a title insured for half its value misses payments
// after the GPU market crashes; the DSR pays the first, then it is
// DELINQUENT and impaired (the vault's conservative price drops), defaults
// after the grace period, and a bidder buys the title in the Dutch auction
// below the debt; the value insurance pays its share and the curator's junior
// tranche takes the remaining loss before the vault, whose write-down is
// reversed. No USDai is created or lost.
func TestLoanMissesPaymentsDefaultsAndIsSold(t *testing.T) {
	f := setupLending(t)
	a := f.Accounts
	borrower, curator, bidder, insurer := a[lBorrower], a[lCurator], a[lDepositor], a[lInsurer]
	lendingAddr := authtypes.NewModuleAddress(lendingtypes.ModuleName)
	feesAddr := authtypes.NewModuleAddress("protocol_fees")
	title := f.mintInsuredTitle(t, "D", lUSD(200_000), lUSD(100_000))
	id := f.borrow(t, []uint64{title}, lUSD(138_000), lUSD(13_800))
	l := f.loan(t, id)
	fundedAt := l.FundedAt
	require.True(t, l.Dsr.IsPositive())
	supply := f.usdaiSupply()

	// First due date: the DSR pays the installment.
	f.until(t, 30, func() bool { return f.loan(t, id).PaymentsRemaining == 35 })
	l = f.loan(t, id)
	require.True(t, l.Dsr.IsZero(), "the DSR paid the first installment")
	require.Equal(t, fundedAt.Add(2*time.Minute), l.NextDueTime)

	// The market crashes to 3,500 USDai per GPU: the title is worth 28,000.
	// The class walk raises a margin call at the end of the block.
	f.postGPUPrice(t, 3_500)
	l = f.loan(t, id)
	require.Equal(t, lendingtypes.LoanMarginCall, l.Status)
	require.Equal(t, lendingkeeper.CovenantLTV, l.MarginCallReason)
	before := f.vault(t)

	// Second due date: nothing pays, the loan is DELINQUENT and impaired:
	// write-down = senior − (28,000 × 0.7 + 100,000).
	f.until(t, 30, func() bool { return f.loan(t, id).Status == lendingtypes.LoanDelinquent })
	l = f.loan(t, id)
	wantWD := l.Senior.Balance.Sub(lUSD(19_600 + 100_000))
	require.True(t, wantWD.IsPositive())
	require.Equal(t, wantWD.String(), l.Senior.WriteDown.String())
	impaired := f.vault(t)
	require.Equal(t, before.ConservativeNav.Sub(wantWD).String(), impaired.ConservativeNav.String(), "the conservative NAV drops by the write-down")
	require.True(t, impaired.RedemptionPrice.LT(before.RedemptionPrice))
	q := lendingkeeper.NewQueryServerImpl(f.LendingKeeper)
	imp, err := q.Impairments(f.Ctx(), &lendingtypes.QueryImpairmentsRequest{})
	require.NoError(t, err)
	require.Len(t, imp.Impairments, 1)
	require.Equal(t, wantWD.String(), imp.Impairments[0].WriteDown.String())

	// Past the 30 s grace: default and a Dutch auction at 1.1 × 28,000.
	f.until(t, 10, func() bool { return f.loan(t, id).Status == lendingtypes.LoanForeclosing })
	require.Equal(t, "grace_expired", f.loan(t, id).DefaultReason)
	auc, err := q.Auction(f.Ctx(), &lendingtypes.QueryAuctionRequest{Id: id})
	require.NoError(t, err)
	require.Equal(t, lUSD(30_800).String(), auc.Auction.TopPrice.String())
	require.Equal(t, lUSD(30_800).String(), auc.CurrentPrice.String(), "no time elapsed in the round yet")
	title0, err := f.CaliberKeeper.GetTitle(f.Ctx(), title)
	require.NoError(t, err)
	require.Equal(t, calibertypes.StatusForeclosing, title0.Status)

	// Bad bids change nothing.
	f.requireRefused(t, bidder, &lendingtypes.MsgBid{Bidder: bidder.Address.String(), AuctionId: id, MaxPrice: sdk.NewCoin(app.USDaiDenom, lUSD(10_000))},
		lendingtypes.ErrBidTooLow)
	f.requireRefused(t, bidder, &lendingtypes.MsgBid{Bidder: bidder.Address.String(), AuctionId: id, MaxPrice: sdk.NewCoin(app.BondDenom, lUSD(50_000))},
		lendingtypes.ErrInvalidDenom)
	f.requireRefused(t, bidder, &lendingtypes.MsgBid{Bidder: bidder.Address.String(), AuctionId: id + 100, MaxPrice: sdk.NewCoin(app.USDaiDenom, lUSD(50_000))},
		lendingtypes.ErrAuctionNotFound)

	// A bidder buys 20 s into the round: price = 30,800 × (1 − 20/300).
	bidAt := f.BlockTime().Add(testutil.DefaultBlockTime)
	require.Equal(t, 20*time.Second, bidAt.Sub(auc.Auction.RoundStart))
	price := lDec("280").QuoInt64(300).MulInt(lUSD(30_800)).TruncateInt()
	balances := map[string]sdkmath.Int{}
	for name, addr := range map[string]sdk.AccAddress{"borrower": borrower.Address, "curator": curator.Address, "bidder": bidder.Address, "fees": feesAddr} {
		balances[name] = f.usdai(addr)
	}
	pool, err := f.CaliberKeeper.GetPool(f.Ctx(), insurer.Address)
	require.NoError(t, err)
	l = f.loan(t, id)
	res := f.MustDeliver(bidder, &lendingtypes.MsgBid{Bidder: bidder.Address.String(), AuctionId: id, MaxPrice: sdk.NewCoin(app.USDaiDenom, lUSD(40_000))})
	require.Equal(t, price.String(), txResponse(t, res, &lendingtypes.MsgBidResponse{}).Price.String())

	settled := lendingEvents[*lendingtypes.EventLoanSettled](t, res)
	require.Len(t, settled, 1)
	w := settled[0].Waterfall
	require.Equal(t, price.String(), w.SaleProceeds.String())
	require.Equal(t, lUSD(100_000).String(), w.Insurance.String(), "min(coverage, insured − sale) = coverage")
	proceeds := price.Add(lUSD(100_000))
	require.Equal(t, lendingtypes.BpsOf(proceeds, 500).String(), w.LiquidationFee.String())
	require.Equal(t, l.Senior.Balance.String(), w.SeniorPrincipal.String(), "the vault gets all its principal back")
	require.True(t, w.SeniorLoss.IsZero())
	require.True(t, w.JuniorLoss.IsPositive(), "the junior tranche takes the loss")
	require.Equal(t, l.JuniorPrincipal.Sub(w.JuniorLoss).String(), w.JuniorPrincipal.String())
	require.True(t, w.Surplus.IsZero())
	require.Equal(t, proceeds.String(), w.LiquidationFee.Add(w.SeniorPrincipal).Add(w.SeniorInterest).Add(w.JuniorPrincipal).Add(w.JuniorInterest).String())

	require.Equal(t, lendingtypes.LoanLiquidated, f.loan(t, id).Status)
	title1, err := f.CaliberKeeper.GetTitle(f.Ctx(), title)
	require.NoError(t, err)
	require.Equal(t, calibertypes.StatusActive, title1.Status)
	require.Equal(t, bidder.Address.String(), title1.Owner, "the bidder owns the title and can redeem the GPUs")
	require.Equal(t, balances["bidder"].Sub(price).String(), f.usdai(bidder.Address).String())
	require.Equal(t, balances["curator"].Add(w.JuniorPrincipal).Add(w.JuniorInterest).String(), f.usdai(curator.Address).String())
	require.Equal(t, balances["borrower"].String(), f.usdai(borrower.Address).String(), "no surplus")
	require.Equal(t, balances["fees"].Add(w.LiquidationFee).Add(lendingtypes.BpsOf(w.SeniorInterest, 100)).String(), f.usdai(feesAddr).String(),
		"liquidation fee + the vault's admin fee on the interest")
	pool1, err := f.CaliberKeeper.GetPool(f.Ctx(), insurer.Address)
	require.NoError(t, err)
	require.Equal(t, pool.Balance.Sub(lUSD(100_000)).String(), pool1.Balance.String())
	require.True(t, f.usdai(lendingAddr).IsZero(), "the lending module keeps nothing")
	require.Equal(t, supply.String(), f.usdaiSupply().String(), "no USDai created or destroyed")
	after := f.vault(t)
	require.True(t, after.Book.Principal.IsZero())
	require.True(t, after.ConservativeNav.GT(before.ConservativeNav), "write-down reversed and senior interest received")
	auc, err = q.Auction(f.Ctx(), &lendingtypes.QueryAuctionRequest{Id: id})
	require.NoError(t, err)
	require.Equal(t, lendingtypes.AuctionSold, auc.Auction.Status)
	require.True(t, auc.CurrentPrice.IsZero())
	f.requireRefused(t, bidder, &lendingtypes.MsgBid{Bidder: bidder.Address.String(), AuctionId: id, MaxPrice: sdk.NewCoin(app.USDaiDenom, lUSD(50_000))},
		lendingtypes.ErrAuctionClosed)
	f.requireInvariants(t)
}

// TestUnsoldAuctionIsWrittenOffThenRecovered: nobody bids through the round
// and both resets, so the loan is written off: the value insurance pays its
// coverage, the titles move to the foreclosed-asset account and the vault's
// conservative NAV falls by exactly the senior loss. A later recovery sale at
// the floor price goes to the vault.
func TestUnsoldAuctionIsWrittenOffThenRecovered(t *testing.T) {
	f := setupLending(t)
	bidder := f.Accounts[lDepositor]
	title := f.mintInsuredTitle(t, "W", lUSD(200_000), lUSD(100_000))
	id := f.borrow(t, []uint64{title}, lUSD(138_000), lUSD(13_800))
	f.postGPUPrice(t, 4_000)
	f.until(t, 30, func() bool { return f.loan(t, id).PaymentsRemaining == 35 })
	before := f.vault(t)
	supply := f.usdaiSupply()
	f.until(t, 40, func() bool { return f.loan(t, id).Status == lendingtypes.LoanForeclosing })
	l := f.loan(t, id)
	seniorBefore := l.Senior.Balance

	// Three rounds of five minutes pass unsold.
	f.until(t, 3*62, func() bool { return f.loan(t, id).Status == lendingtypes.LoanWrittenOff })
	a, err := f.LendingKeeper.GetAuction(f.Ctx(), id)
	require.NoError(t, err)
	require.Equal(t, uint32(2), a.Resets)
	require.Equal(t, lendingtypes.AuctionUnsold, a.Status)
	w := a.Waterfall
	require.Equal(t, lUSD(100_000).String(), w.Insurance.String(), "sold for nothing: the coverage")
	require.True(t, w.SaleProceeds.IsZero())
	require.Equal(t, lUSD(95_000).String(), w.SeniorPrincipal.String(), "100,000 less the 5% liquidation fee")
	require.Equal(t, seniorBefore.Sub(lUSD(95_000)).String(), w.SeniorLoss.String())
	require.Equal(t, l.JuniorPrincipal.String(), w.JuniorLoss.String(), "the junior tranche lost everything first")
	after := f.vault(t)
	require.Equal(t, before.ConservativeNav.Sub(w.SeniorLoss).String(), after.ConservativeNav.String(), "NAV falls by exactly the senior loss")
	require.Equal(t, supply.String(), f.usdaiSupply().String())
	title1, err := f.CaliberKeeper.GetTitle(f.Ctx(), title)
	require.NoError(t, err)
	require.Equal(t, f.LendingKeeper.ForeclosedAddress().String(), title1.Owner)
	f.requireInvariants(t)

	// The recovery sale at the floor price (0.5 × 35,200) goes to the vault.
	res := f.MustDeliver(bidder, &lendingtypes.MsgBid{Bidder: bidder.Address.String(), AuctionId: id, MaxPrice: sdk.NewCoin(app.USDaiDenom, lUSD(20_000))})
	rec := lendingEvents[*lendingtypes.EventRecovery](t, res)
	require.Len(t, rec, 1)
	require.Equal(t, lUSD(17_600).String(), rec[0].Price.String())
	require.Equal(t, lUSD(17_600).String(), rec[0].ToVault.String())
	require.Equal(t, after.ConservativeNav.Add(lUSD(17_600)).String(), f.vault(t).ConservativeNav.String())
	title2, err := f.CaliberKeeper.GetTitle(f.Ctx(), title)
	require.NoError(t, err)
	require.Equal(t, bidder.Address.String(), title2.Owner)
	f.requireInvariants(t)
}

// TestMarginCallCuredByAddingATitle is #7's second "done when" in process: a
// market price drop puts a loan in MARGIN_CALL (class-wide walk from the
// oracle hook); pledging a second title cures it. A title that is unvalued or
// pledged elsewhere is refused.
func TestMarginCallCuredByAddingATitle(t *testing.T) {
	f := setupLending(t)
	borrower, issuer, custodian := f.Accounts[lBorrower], f.Accounts[lIssuer], f.Accounts[lCustodian]
	title := f.mintInsuredTitle(t, "M", lUSD(200_000), lUSD(100_000))
	other := f.mintInsuredTitle(t, "O", lUSD(200_000), lUSD(100_000))
	res := f.MustDeliver(issuer, &calibertypes.MsgMintTitle{
		Issuer: issuer.Address.String(), ClassId: caliberH100, Owner: borrower.Address.String(),
		Custodian: custodian.Address.String(), Units: 8, Serials: []string{"U-1"},
		Facility: "DAL-01", Jurisdiction: "US-TX", Legal: calibertypes.LegalInfo{SpvId: "SPV-U", DocumentSha256: caliberDoc},
	})
	unvalued := mintTitleResponse(t, res)
	f.MustDeliver(custodian, &calibertypes.MsgConfirmCustody{Custodian: custodian.Address.String(), TitleId: unvalued})
	id := f.borrow(t, []uint64{title}, lUSD(100_000), lUSD(10_000))
	// The other title waits in a PENDING request (no due dates move state below).
	f.MustDeliver(borrower, &lendingtypes.MsgRequestLoan{
		Borrower: borrower.Address.String(), TitleIds: []uint64{other}, ProductId: lendingProductID, Principal: lUSD(10_000),
	})

	// 10,000 USDai per GPU: each title is worth 80,000, LTV 1.25 > 0.85.
	f.postGPUPrice(t, 10_000)
	l := f.loan(t, id)
	require.Equal(t, lendingtypes.LoanMarginCall, l.Status)
	require.Equal(t, f.BlockTime().Add(2*time.Minute), l.MarginCallDeadline)

	// A title pledged elsewhere, or unvalued, cannot cure it; nothing can be withdrawn.
	f.requireRefused(t, borrower, &lendingtypes.MsgAddCollateral{Borrower: borrower.Address.String(), LoanId: id, TitleIds: []uint64{other}},
		lendingtypes.ErrTitleInLoan)
	f.requireRefused(t, borrower, &lendingtypes.MsgAddCollateral{Borrower: borrower.Address.String(), LoanId: id, TitleIds: []uint64{unvalued}},
		lendingtypes.ErrNoValuation)
	f.requireRefused(t, borrower, &lendingtypes.MsgWithdrawCollateral{Borrower: borrower.Address.String(), LoanId: id, TitleIds: []uint64{title}},
		lendingtypes.ErrInvalidLoanStatus)

	// The fixture's own title (also 80,000 now) brings the LTV to 100,000 / 160,000.
	res = f.MustDeliver(borrower, &lendingtypes.MsgAddCollateral{Borrower: borrower.Address.String(), LoanId: id, TitleIds: []uint64{f.title}})
	resp := txResponse(t, res, &lendingtypes.MsgAddCollateralResponse{})
	require.Equal(t, lendingtypes.LoanActive, resp.Status)
	require.Len(t, lendingEvents[*lendingtypes.EventLoanCured](t, res), 1)
	l = f.loan(t, id)
	require.Equal(t, lendingtypes.LoanActive, l.Status)
	require.True(t, l.MarginCallDeadline.IsZero())
	require.Equal(t, []uint64{title, f.title}, l.TitleIds)
	require.Equal(t, calibertypes.StatusPledged, f.titleStatus(t))
	require.True(t, resp.Ltv.LT(lDec("0.85")))

	// Withdrawing a title again would put the LTV above max_ltv.
	f.requireRefused(t, borrower, &lendingtypes.MsgWithdrawCollateral{Borrower: borrower.Address.String(), LoanId: id, TitleIds: []uint64{title}},
		lendingtypes.ErrLTVExceeded)
	// The price recovers; now a title can come back out.
	f.postGPUPrice(t, 30_000)
	res = f.MustDeliver(borrower, &lendingtypes.MsgWithdrawCollateral{Borrower: borrower.Address.String(), LoanId: id, TitleIds: []uint64{f.title}})
	require.True(t, txResponse(t, res, &lendingtypes.MsgWithdrawCollateralResponse{}).Ltv.LTE(lDec("0.7")))
	require.Equal(t, calibertypes.StatusActive, f.titleStatus(t))
	require.Less(t, f.BlockTime().Sub(l.FundedAt), time.Minute, "all of this happened before the first due date")
	f.requireInvariants(t)
}
