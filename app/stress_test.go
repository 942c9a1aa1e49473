package app_test

import (
	"fmt"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// msgResponses decodes every Msg response of a tx result, in message order.
func msgResponses[T proto.Message](t *testing.T, res *abci.ExecTxResult, newT func() T) []T {
	t.Helper()
	var data sdk.TxMsgData
	require.NoError(t, proto.Unmarshal(res.Data, &data))
	out := make([]T, len(data.MsgResponses))
	for i, r := range data.MsgResponses {
		out[i] = newT()
		require.NoError(t, proto.Unmarshal(r.Value, out[i]))
	}
	return out
}

// TestStressCrashDefaultsAndRedemptionRun is #10's economic stress test at
// app level: ten loans of 80,000 USDai (LTV 40%, so the paying ones stay
// within the 85% liquidation LTV after the crash) on titles worth 200,000
// insured for 40,000; the GPU market falls 50%, three loans (30%) stop paying, and half
// of the sUSDai is queued for redemption in the same epoch. Every block the
// invariants of every module hold (USDai supply <= reserves, vault and book
// aggregates, pledged titles, module balances). Losses land insurance ->
// first loss -> senior; every queued request is served or still queued with
// its shares intact.
func TestStressCrashDefaultsAndRedemptionRun(t *testing.T) {
	runStress(t)
}

// TestStressIsDeterministic runs the stress scenario twice on fresh chains:
// both give the same app hash at every height.
func TestStressIsDeterministic(t *testing.T) {
	first, second := runStress(t), runStress(t)
	require.Equal(t, len(first), len(second), "same number of blocks")
	for h := range first {
		require.Equal(t, first[h], second[h], "app hash of block %d", h+1)
	}
}

// runStress runs the stress scenario with its assertions and returns the app
// hash of every block.
func runStress(t *testing.T) [][]byte {
	t.Helper()
	const loans, defaulting = 10, 3
	coverage := lUSD(40_000)
	// One borrower holds the whole book here: concentration limits off; and
	// 20% insurance suffices, so a write-off reaches the vault.
	f := setupLendingWith(t, func(accs []testutil.Account, state app.GenesisState) {
		withLending(accs, state)
		cdc := app.MakeEncodingConfig().Codec
		var lg lendingtypes.GenesisState
		cdc.MustUnmarshalJSON(state[lendingtypes.ModuleName], &lg)
		lg.Params.ConcentrationMinBook = lUSD(1_000_000_000)
		lg.Products[0].MinInsuranceBps = 2_000
		state[lendingtypes.ModuleName] = cdc.MustMarshalJSON(&lg)
	})
	a := f.Accounts
	issuer, custodian, appraiser, insurer := a[lIssuer], a[lCustodian], a[lAppraiser], a[lInsurer]
	curator, borrower, depositor, bidder := a[lCurator], a[lBorrower], a[lDepositor], a[lPayer]
	for _, acc := range []int{lCurator, lDepositor, lPayer, lInsurer} {
		f.MustDeliver(a[acc], &stabletypes.MsgMint{Sender: a[acc].Address.String(), Amount: sdk.NewCoin(app.LocalnetReserveDenom, lUSD(2_000_000))})
	}
	f.MustDeliver(depositor, &yieldtypes.MsgDeposit{Depositor: depositor.Address.String(), Amount: sdk.NewCoin(app.USDaiDenom, lUSD(1_500_000))})
	f.MustDeliver(insurer, &calibertypes.MsgFundInsurancePool{Insurer: insurer.Address.String(), Amount: lUSD(1_000_000)})

	// Ten titles, each in one tx per step for all of them.
	var mints, confirms, appraisals, requests []sdk.Msg
	for i := 0; i < loans; i++ {
		var serials []string
		for g := 0; g < 8; g++ {
			serials = append(serials, fmt.Sprintf("S%d-%d", i, g))
		}
		mints = append(mints, &calibertypes.MsgMintTitle{
			Issuer: issuer.Address.String(), ClassId: caliberH100, Owner: borrower.Address.String(),
			Custodian: custodian.Address.String(), Units: 8, Serials: serials,
			Facility: "DAL-01", Jurisdiction: "US-TX", Legal: calibertypes.LegalInfo{SpvId: fmt.Sprintf("SPV-S%d", i), DocumentSha256: caliberDoc},
		})
	}
	titles := make([]uint64, 0, loans)
	for _, r := range msgResponses(t, f.MustDeliver(issuer, mints...), func() *calibertypes.MsgMintTitleResponse { return &calibertypes.MsgMintTitleResponse{} }) {
		titles = append(titles, r.TitleId)
	}
	for _, id := range titles {
		confirms = append(confirms, &calibertypes.MsgConfirmCustody{Custodian: custodian.Address.String(), TitleId: id})
		appraisals = append(appraisals, &calibertypes.MsgAppraise{
			Appraiser: appraiser.Address.String(), TitleId: id, Value: lUSD(200_000),
			ValidUntil: f.BlockTime().Add(caliberYear), ReportSha256: caliberDoc,
		})
		requests = append(requests, &calibertypes.MsgRequestPolicy{
			Owner: borrower.Address.String(), TitleId: id, Insurer: insurer.Address.String(),
			InsuredValue: lUSD(200_000), Coverage: coverage, ExpiresAt: f.BlockTime().Add(caliberYear), MaxPremium: lUSD(3_000),
		})
	}
	f.MustDeliver(custodian, confirms...)
	f.MustDeliver(appraiser, appraisals...)
	var issues, loanRequests, underwrites []sdk.Msg
	for _, r := range msgResponses(t, f.MustDeliver(borrower, requests...), func() *calibertypes.MsgRequestPolicyResponse { return &calibertypes.MsgRequestPolicyResponse{} }) {
		issues = append(issues, &calibertypes.MsgIssuePolicy{Insurer: insurer.Address.String(), RequestId: r.RequestId, Premium: lUSD(1_000)})
	}
	f.MustDeliver(insurer, issues...)
	for _, id := range titles {
		loanRequests = append(loanRequests, &lendingtypes.MsgRequestLoan{
			Borrower: borrower.Address.String(), TitleIds: []uint64{id}, ProductId: lendingProductID, Principal: lUSD(80_000),
		})
	}
	var ids []uint64
	for _, r := range msgResponses(t, f.MustDeliver(borrower, loanRequests...), func() *lendingtypes.MsgRequestLoanResponse { return &lendingtypes.MsgRequestLoanResponse{} }) {
		ids = append(ids, r.LoanId)
		underwrites = append(underwrites, &lendingtypes.MsgUnderwriteLoan{Curator: curator.Address.String(), LoanId: r.LoanId, Apr: lDec("0.15"), JuniorAmount: lUSD(8_000)})
	}
	f.MustDeliver(curator, underwrites[:loans/2]...) // five per tx stay within the fixture's gas limit
	f.MustDeliver(curator, underwrites[loans/2:]...)
	juniorAtStart := f.loan(t, ids[0]).JuniorPrincipal

	// The same epoch: the market halves, half of the shares are queued for
	// redemption in two requests (one with a 1% bid for priority).
	f.postGPUPrice(t, 15_000)
	shares := bal(f.App, depositor.Address, app.SUSDaiDenom)
	quarter := shares.QuoRaw(4)
	queued, served := map[uint64]sdkmath.Int{}, map[uint64]sdkmath.Int{}
	countServed := func(res *abci.ResponseFinalizeBlock) {
		for _, ev := range blockEvents[*yieldtypes.EventRedeemServed](t, res) {
			served[ev.RequestId] = served[ev.RequestId].Add(ev.Shares)
		}
	}
	for _, bid := range []uint32{100, 0} {
		res := f.NextBlock(5*time.Second, f.SignTx(depositor, &yieldtypes.MsgRequestRedeem{Owner: depositor.Address.String(), Shares: quarter, BidBps: bid}))
		require.Zero(t, res.TxResults[0].Code, res.TxResults[0].Log)
		id := txResponse(t, res.TxResults[0], &yieldtypes.MsgRequestRedeemResponse{}).RequestId
		queued[id], served[id] = quarter, sdkmath.ZeroInt()
		countServed(res)
	}

	// The first seven loans pay each installment before it is due; the last
	// three pay nothing. One defaulted lot is bought 100 s into its auction,
	// the others go unsold to a write-off.
	bought := false
	for block := 0; block < 400; block++ {
		var pays []sdk.Msg
		for _, id := range ids[:loans-defaulting] {
			l := f.loan(t, id)
			if types := l.Status; (types == lendingtypes.LoanActive || types == lendingtypes.LoanMarginCall) && !l.NextDueTime.After(f.BlockTime().Add(10*time.Second)) {
				pays = append(pays, &lendingtypes.MsgRepay{Payer: borrower.Address.String(), LoanId: id, Amount: l.InterestDue.Add(l.PrincipalDue)})
			}
		}
		var res *abci.ResponseFinalizeBlock
		switch {
		case len(pays) > 0:
			res = f.NextBlock(5*time.Second, f.SignTx(borrower, pays...))
			for _, tx := range res.TxResults {
				require.Zero(t, tx.Code, tx.Log)
			}
		case !bought && f.loan(t, ids[loans-1]).Status == lendingtypes.LoanForeclosing &&
			f.BlockTime().Sub(mustAuction(t, f, ids[loans-1]).RoundStart) >= 95*time.Second:
			res = f.NextBlock(5*time.Second, f.SignTx(bidder, &lendingtypes.MsgBid{
				Bidder: bidder.Address.String(), AuctionId: ids[loans-1], MaxPrice: sdk.NewCoin(app.USDaiDenom, lUSD(200_000)),
			}))
			require.Zero(t, res.TxResults[0].Code, res.TxResults[0].Log)
			bought = true
		default:
			res = f.NextBlock(5 * time.Second)
		}
		countServed(res)
		f.requireInvariants(t)
		done := true
		for _, id := range ids[loans-defaulting:] {
			if s := f.loan(t, id).Status; s != lendingtypes.LoanLiquidated && s != lendingtypes.LoanWrittenOff {
				done = false
			}
		}
		if done {
			break
		}
	}

	// Losses: value insurance first, then the junior tranche, then the vault.
	for _, id := range ids[loans-defaulting:] {
		l := f.loan(t, id)
		require.Contains(t, []lendingtypes.LoanStatus{lendingtypes.LoanLiquidated, lendingtypes.LoanWrittenOff}, l.Status, "loan %d", id)
		w := mustAuction(t, f, id).Waterfall
		require.True(t, w.Insurance.IsPositive(), "loan %d: insurance pays first", id)
		if w.JuniorLoss.IsPositive() {
			require.Equal(t, coverage.String(), w.Insurance.String(), "loan %d: the junior loses only past full coverage", id)
		}
		if w.SeniorLoss.IsPositive() {
			require.True(t, w.JuniorPrincipal.IsZero() && w.JuniorInterest.IsZero(), "loan %d: the vault loses only after the junior", id)
			require.True(t, w.JuniorLoss.GTE(juniorAtStart.QuoRaw(2)), "loan %d: junior loss %s", id, w.JuniorLoss)
		}
		require.Equal(t, w.SaleProceeds.Add(w.Insurance).Add(w.Casualty).Add(w.Reserve).String(),
			w.LiquidationFee.Add(w.SeniorPrincipal).Add(w.SeniorInterest).Add(w.JuniorPrincipal).Add(w.JuniorInterest).Add(w.Surplus).String(),
			"loan %d: the waterfall pays out exactly its proceeds", id)
	}
	require.True(t, bought, "one lot was sold")
	for _, id := range ids[:loans-defaulting] {
		require.Contains(t, []lendingtypes.LoanStatus{lendingtypes.LoanActive, lendingtypes.LoanRepaid}, f.loan(t, id).Status, "paying loan %d", id)
	}

	// Every queued request is served or still queued with what is left.
	for id, want := range queued {
		left := sdkmath.ZeroInt()
		if r, err := f.YieldKeeper.Requests.Get(f.Ctx(), id); err == nil {
			left = r.Shares
		}
		require.Equal(t, want.String(), served[id].Add(left).String(), "request %d: served + queued", id)
	}
	total := sdkmath.ZeroInt()
	for _, v := range served {
		total = total.Add(v)
	}
	require.True(t, total.IsPositive(), "some redemptions were served")
	return f.AppHashes()
}

// mustAuction reads an auction.
func mustAuction(t *testing.T, f *lendingFixture, id uint64) lendingtypes.Auction {
	t.Helper()
	a, err := f.LendingKeeper.GetAuction(f.Ctx(), id)
	require.NoError(t, err)
	return a
}

// blockEvents parses the typed events of type T in a block: block events
// (without the "mode" attribute the SDK adds to them) and tx events.
func blockEvents[T proto.Message](t *testing.T, res *abci.ResponseFinalizeBlock) []T {
	t.Helper()
	var events []abci.Event
	for _, ev := range res.Events {
		kept := abci.Event{Type: ev.Type}
		for _, a := range ev.Attributes {
			if a.Key != "mode" {
				kept.Attributes = append(kept.Attributes, a)
			}
		}
		events = append(events, kept)
	}
	for _, tx := range res.TxResults {
		events = append(events, tx.Events...)
	}
	return lendingEvents[T](t, &abci.ExecTxResult{Events: events})
}
