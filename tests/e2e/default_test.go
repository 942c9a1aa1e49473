//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/testutil/localnet"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
)

// chainTx sends a tx through one node and waits until another has its block.
type chainTx func(args ...string) *localnet.TxResult

func newChainTx(t *testing.T, txVia, readVia *localnet.Node) chainTx {
	return func(args ...string) *localnet.TxResult {
		t.Helper()
		res, err := txVia.Tx(args...)
		require.NoError(t, err)
		require.NoError(t, readVia.WaitForHeight(res.Height, time.Minute))
		return res
	}
}

// mintInsuredTitle mints an 8-GPU H100 title for owner (serials
// <prefix>-1..8), has the custodian confirm it, the appraiser value it at
// value uusdai and the insurer insure it for coverage of an insured value of
// value for 200 days. It returns the title id.
func mintInsuredTitle(t *testing.T, network *localnet.Network, tx chainTx, readVia *localnet.Node, owner localnet.Key, prefix string, value, coverage int64) string {
	t.Helper()
	custodian, insurer := network.Key(t, "custodian"), network.Key(t, "insurer")
	mintArgs := []string{"caliber", "mint-title", caliberH100Class, owner.Address, custodian.Address, "8"}
	for i := 1; i <= 8; i++ {
		mintArgs = append(mintArgs, fmt.Sprintf("%s-%d", prefix, i))
	}
	tx(append(mintArgs, "--from", "issuer")...)
	var bySerial struct {
		Title struct {
			ID string `json:"id"`
		} `json:"title"`
	}
	require.NoError(t, readVia.RESTGet("/infrafi/caliber/v1/title_by_serial/"+prefix+"-1", &bySerial))
	id := bySerial.Title.ID
	tx("caliber", "confirm-custody", id, "--from", custodian.Name)
	tx("caliber", "appraise", id, fmt.Sprint(value), time.Now().UTC().Add(300*24*time.Hour).Format(time.RFC3339), caliberReport, "--from", "appraiser")
	tx("caliber", "request-policy", id, insurer.Address, fmt.Sprint(value), fmt.Sprint(coverage),
		time.Now().UTC().Add(200*24*time.Hour).Format(time.RFC3339), "3000000000", "--from", owner.Name)
	var requests struct {
		Requests []struct {
			ID      string `json:"id"`
			TitleID string `json:"title_id"`
		} `json:"requests"`
	}
	require.NoError(t, readVia.RESTGet("/infrafi/caliber/v1/policy_requests?insurer="+insurer.Address, &requests))
	requestID := ""
	for _, r := range requests.Requests {
		if r.TitleID == id {
			requestID = r.ID
		}
	}
	require.NotEmpty(t, requestID)
	tx("caliber", "issue-policy", requestID, "2500000000", "--from", insurer.Name)
	return id
}

// testDefault is #7's "done when" on the localnet, through the CLI, REST and
// gRPC: after the H100 market crashes, loan A misses payments (the DSR pays
// the first), is DELINQUENT and impaired (the vault's redemption price
// drops), defaults after its 30 s grace, and its Dutch auction runs while one
// validator is stopped and restarted; a bidder buys the title below the debt,
// the value insurance pays its share and the curator's junior tranche takes
// the remaining loss before the vault. Loan B goes to MARGIN_CALL on the same
// crash and is cured by adding a title.
func testDefault(t *testing.T, network *localnet.Network) {
	started := time.Now()
	txVia, readVia := network.Nodes[0], network.Nodes[len(network.Nodes)-1]
	tx := newChainTx(t, txVia, readVia)
	borrower, curator, insurer, lender, bidder := network.Key(t, "borrower"), network.Key(t, "curator"), network.Key(t, "insurer"), network.Key(t, "issuer"), network.Key(t, "depositor")
	lending := lendingtypes.NewQueryClient(readVia.GRPC())
	loan := func(id uint64) lendingtypes.Loan {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res, err := lending.Loan(ctx, &lendingtypes.QueryLoanRequest{Id: id})
		require.NoError(t, err)
		return res.Loan
	}
	waitStatus := func(id uint64, want lendingtypes.LoanStatus, within time.Duration) lendingtypes.Loan {
		t.Helper()
		require.Eventually(t, func() bool { return loan(id).Status == want }, within, 500*time.Millisecond, "loan %d never %s (is %s)", id, want, loan(id).Status)
		return loan(id)
	}
	usdai := func(k localnet.Key) sdkmath.Int { return balance(t, readVia, k.Address, usdaiDenom) }

	for _, m := range []struct {
		key  localnet.Key
		usdc int64
	}{{insurer, 400_000}, {curator, 20_000}, {borrower, 20_000}, {lender, 400_000}, {bidder, 40_000}} {
		tx("stable", "mint", fmt.Sprintf("%d000000%s", m.usdc, usdcDenom), "--from", m.key.Name)
	}
	tx("caliber", "fund-insurance-pool", "350000000000", "--from", insurer.Name)
	requirePrice(t, network, readVia, gpuFeed, "30000000000")
	run := time.Now().UnixNano() % 1_000_000_000
	titleA := mintInsuredTitle(t, network, tx, readVia, borrower, fmt.Sprintf("DEF%09d", run), 200_000_000_000, 100_000_000_000)
	titleB := mintInsuredTitle(t, network, tx, readVia, borrower, fmt.Sprintf("MRG%09d", run), 200_000_000_000, 100_000_000_000)
	titleSpare := mintInsuredTitle(t, network, tx, readVia, borrower, fmt.Sprintf("SPR%09d", run), 200_000_000_000, 100_000_000_000)

	// Loan A: 138,000 USDai (senior 124,200); loan B: 30,000.
	idA := lendingEvent[*lendingtypes.EventLoanRequested](t, tx("lending", "request-loan", titleA, lendingProduct, "138000000000", "--from", borrower.Name)).LoanId
	idB := lendingEvent[*lendingtypes.EventLoanRequested](t, tx("lending", "request-loan", titleB, lendingProduct, "30000000000", "--from", borrower.Name)).LoanId
	juniors := map[uint64]string{idA: "13800000000", idB: "3000000000"}
	for attempt := 1; len(juniors) > 0; attempt++ {
		lendingAwaitRebalance(t, txVia)
		tx("yield", "deposit", "180000000000"+usdaiDenom, "--from", lender.Name)
		for _, id := range []uint64{idA, idB} {
			junior, pending := juniors[id]
			if !pending {
				continue
			}
			_, err := txVia.Tx("lending", "underwrite", fmt.Sprint(id), "0.15", junior, "--from", curator.Name)
			if err == nil {
				delete(juniors, id)
				continue
			}
			require.Less(t, attempt, 3, "underwriting loan %d: %v", id, err)
			t.Logf("underwriting loan %d raced a treasury rebalance; retrying: %v", id, err)
		}
	}
	a := waitStatus(idA, lendingtypes.LoanActive, time.Minute)
	waitStatus(idB, lendingtypes.LoanActive, time.Minute)

	// A's first due date: the DSR pays it.
	require.Eventually(t, func() bool { return loan(idA).PaymentsRemaining == 35 }, 2*time.Minute, 500*time.Millisecond)
	require.True(t, loan(idA).Dsr.IsZero(), "the DSR paid the first installment")

	// The H100 market crashes to 3,500 USDai per GPU (each title is worth
	// 28,000): both loans are margin-called by the class walk. Every validator's
	// price source reports the crash; the price is restored when the test ends.
	t.Cleanup(func() { requirePrice(t, network, readVia, gpuFeed, "30000000000") })
	requirePrice(t, network, readVia, gpuFeed, "3500000000")
	waitStatus(idA, lendingtypes.LoanMarginCall, 30*time.Second)
	b := waitStatus(idB, lendingtypes.LoanMarginCall, 30*time.Second)
	require.Equal(t, "ltv", b.MarginCallReason)

	// B is cured by pledging the spare title (LTV 30,000 / 56,000), then paid off.
	res := tx("lending", "add-collateral", fmt.Sprint(idB), titleSpare, "--from", borrower.Name)
	require.Equal(t, lendingtypes.LoanActive, lendingEvent[*lendingtypes.EventLoanCured](t, res).To)
	b = loan(idB)
	require.Equal(t, lendingtypes.LoanActive, b.Status)
	require.Len(t, b.TitleIds, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	payoff, err := lending.Loan(ctx, &lendingtypes.QueryLoanRequest{Id: idB})
	cancel()
	require.NoError(t, err)
	tx("lending", "repay", fmt.Sprint(idB), payoff.Payoff.AddRaw(1_000_000_000).String(), "--from", borrower.Name)
	require.Equal(t, lendingtypes.LoanRepaid, loan(idB).Status)

	// A's second due date passes unpaid: DELINQUENT, and the vault writes its
	// claim down to 28,000 × 0.7 + 100,000 of coverage.
	before := lendingVault(t, readVia, 0)
	a = waitStatus(idA, lendingtypes.LoanDelinquent, 90*time.Second)
	wantWD := a.Senior.Balance.Sub(sdkmath.NewInt(119_600_000_000))
	require.True(t, wantWD.IsPositive())
	require.Equal(t, wantWD.String(), a.Senior.WriteDown.String())
	var impairments struct {
		Impairments []struct {
			LoanID    string      `json:"loan_id"`
			WriteDown sdkmath.Int `json:"write_down"`
		} `json:"impairments"`
	}
	require.NoError(t, readVia.RESTGet("/infrafi/lending/v1/impairments", &impairments))
	require.Len(t, impairments.Impairments, 1)
	require.Equal(t, fmt.Sprint(idA), impairments.Impairments[0].LoanID)
	impaired := lendingVault(t, readVia, 0)
	require.True(t, impaired.RedemptionPrice.LT(before.RedemptionPrice), "redemption price %s -> %s", before.RedemptionPrice, impaired.RedemptionPrice)

	// Past the grace period: default, auction at 1.1 × 28,000 = 30,800.
	a = waitStatus(idA, lendingtypes.LoanForeclosing, time.Minute)
	require.Equal(t, "grace_expired", a.DefaultReason)
	out, err := readVia.CLI("query", "lending", "auction", fmt.Sprint(idA), "--output", "json")
	require.NoError(t, err)
	var auction struct {
		Auction struct {
			TopPrice string `json:"top_price"`
			Status   string `json:"status"`
		} `json:"auction"`
		CurrentPrice sdkmath.Int `json:"current_price"`
	}
	require.NoError(t, json.Unmarshal(out, &auction), string(out))
	require.Equal(t, "30800000000", auction.Auction.TopPrice)
	require.Equal(t, "AUCTION_STATUS_OPEN", auction.Auction.Status)
	require.True(t, auction.CurrentPrice.LTE(sdkmath.NewInt(30_800_000_000)) && auction.CurrentPrice.IsPositive())

	// One validator stops in the middle of the auction; the other three go on.
	stopped := network.Nodes[1]
	require.NoError(t, stopped.Stop())
	h, err := readVia.Height(context.Background())
	require.NoError(t, err)
	require.NoError(t, readVia.WaitForHeight(h+3, time.Minute))

	// Bad bids are refused; then the bidder buys at the current price.
	res, err = txVia.Tx("lending", "bid", fmt.Sprint(idA), "1000000000"+usdaiDenom, "--from", bidder.Name, "--gas", lendingRefusedGas)
	requireLendingRefused(t, res, err, lendingtypes.ModuleName, lendingtypes.ErrBidTooLow.ABCICode(), "below the current price")
	_, err = txVia.Tx("lending", "bid", fmt.Sprint(idA), "40000000000uinfra", "--from", bidder.Name, "--gas", lendingRefusedGas)
	require.ErrorContains(t, err, "bids are in uusdai")
	bidderBefore, curatorBefore, borrowerBefore := usdai(bidder), usdai(curator), usdai(borrower)
	res = tx("lending", "bid", fmt.Sprint(idA), "32000000000"+usdaiDenom, "--from", bidder.Name)
	sold := lendingEvent[*lendingtypes.EventAuctionSold](t, res)
	w := lendingEvent[*lendingtypes.EventLoanSettled](t, res).Waterfall
	require.True(t, sold.Price.LT(sdkmath.NewInt(30_800_000_000)) && sold.Price.GTE(sdkmath.NewInt(15_400_000_000)), "price %s", sold.Price)
	require.Equal(t, bidderBefore.Sub(sold.Price).String(), usdai(bidder).String())
	require.Equal(t, "100000000000", w.Insurance.String(), "min(coverage, insured − sale)")
	// The shortfall lands on the junior tranche first. Bought early in the
	// round (the price falls 1% every 3 s) the sale and the coverage repay the
	// vault in full; a late bid would leave the vault a loss, but only once
	// the junior tranche has lost everything.
	require.True(t, w.JuniorLoss.IsPositive(), "the junior tranche takes the loss")
	if w.SeniorLoss.IsPositive() {
		require.True(t, w.JuniorPrincipal.IsZero(), "the vault lost %s while the junior got %s back", w.SeniorLoss, w.JuniorPrincipal)
		t.Logf("bid late in the round at %s: vault loss %s", sold.Price, w.SeniorLoss)
	}
	require.Equal(t, curatorBefore.Add(w.JuniorPrincipal).Add(w.JuniorInterest).String(), usdai(curator).String())
	require.Equal(t, borrowerBefore.String(), usdai(borrower).String(), "no surplus")
	require.Equal(t, lendingtypes.LoanLiquidated, loan(idA).Status)
	var title struct {
		Title struct {
			Owner  string `json:"owner"`
			Status string `json:"status"`
		} `json:"title"`
	}
	require.NoError(t, readVia.RESTGet("/infrafi/caliber/v1/titles/"+titleA, &title))
	require.Equal(t, bidder.Address, title.Title.Owner)
	require.Equal(t, "TITLE_STATUS_ACTIVE", title.Title.Status)
	if after := lendingVault(t, readVia, 0); w.SeniorLoss.IsZero() && after.EscrowedShares.IsZero() {
		require.True(t, after.RedemptionPrice.GTE(before.RedemptionPrice), "write-down reversed: %s -> %s", before.RedemptionPrice, after.RedemptionPrice)
	}

	// The stopped validator catches up.
	require.NoError(t, stopped.Start())
	h, err = readVia.Height(context.Background())
	require.NoError(t, err)
	require.NoError(t, stopped.WaitForHeight(h+2, 2*time.Minute))
	t.Logf("default flow took %s", time.Since(started).Round(time.Second))
}
