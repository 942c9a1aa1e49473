//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/metadata"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"

	"github.com/infrafi/infrafi/testutil/localnet"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

const (
	lendingProduct = "gpu-senior"
	// lendingRefusedGas skips simulation so a refused tx reaches a block.
	lendingRefusedGas = "400000"
)

// testLending drives a loan through its life on the localnet preset (product
// gpu-senior: 36 payments of 60 s, 1% origination, 0.5% exit, 10% first loss,
// one period of DSR) through the CLI, gRPC and REST: the borrower pledges a
// valued, insured 8-GPU H100 title, the curator underwrites, the borrower
// receives principal − fee − DSR, three scheduled payments are paid early
// (one by the depositor), the rest is prepaid, the title returns to ACTIVE
// and the vault's share price has risen. The issuer key funds the vault, so
// the yield subtest's depositor and borrower keep only their own shares.
func testLending(t *testing.T, network *localnet.Network) {
	started := time.Now()
	txVia, readVia := network.Nodes[0], network.Nodes[len(network.Nodes)-1]
	borrower, depositor, curator := network.Key(t, "borrower"), network.Key(t, "depositor"), network.Key(t, "curator")
	insurer, lender := network.Key(t, "insurer"), network.Key(t, "issuer")
	lending := lendingtypes.NewQueryClient(readVia.GRPC())
	tx := newChainTx(t, txVia, readVia)
	usdai := func(k localnet.Key) sdkmath.Int { return balance(t, readVia, k.Address, usdaiDenom) }
	loan := func(id uint64) *lendingtypes.QueryLoanResponse {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res, err := lending.Loan(ctx, &lendingtypes.QueryLoanRequest{Id: id})
		require.NoError(t, err)
		return res
	}
	// titleStatus is a title's status and its lien (the loan holding it, "0" for none).
	titleStatus := func(id string) (status, lien string) {
		t.Helper()
		var res struct {
			Title struct {
				Status string `json:"status"`
				LoanID string `json:"loan_id"`
			} `json:"title"`
		}
		require.NoError(t, readVia.RESTGet("/infrafi/caliber/v1/titles/"+id, &res))
		return res.Title.Status, res.Title.LoanID
	}

	// USDai from uusdc through x/stable (10 bps fee).
	for _, m := range []struct {
		key  localnet.Key
		usdc int64
	}{{insurer, 250_000}, {curator, 20_000}, {borrower, 20_000}, {depositor, 10_000}, {lender, 330_000}} {
		tx("stable", "mint", fmt.Sprintf("%d000000%s", m.usdc, usdcDenom), "--from", m.key.Name)
	}

	// An 8-GPU H100 title for the borrower: custody confirmed, appraised at
	// 200,000 USDai (market 8 × 30,000), insured for 150,000 for 200 days.
	requirePrice(t, network, readVia, gpuFeed, "30000000000")
	tx("caliber", "fund-insurance-pool", "200000000000", "--from", insurer.Name)
	titleID := mintInsuredTitle(t, network, tx, readVia, borrower, fmt.Sprintf("LOAN%09d", time.Now().UnixNano()%1_000_000_000), 200_000_000_000, 150_000_000_000)
	status, lien := titleStatus(titleID)
	require.Equal(t, "TITLE_STATUS_ACTIVE", status)
	require.Equal(t, "0", lien)

	// The quote: 70% of the title's value.
	var quote struct {
		CollateralValue sdkmath.Int `json:"collateral_value"`
		LtvLimit        sdkmath.Int `json:"ltv_limit"`
		MaxPrincipal    sdkmath.Int `json:"max_principal"`
		Binding         string      `json:"binding"`
	}
	require.NoError(t, readVia.RESTGet("/infrafi/lending/v1/quote?product_id="+lendingProduct+"&title_ids="+titleID, &quote))
	require.True(t, quote.CollateralValue.GT(sdkmath.NewInt(199_000_000_000)), "value %s", quote.CollateralValue)
	require.Equal(t, sdkmath.LegacyMustNewDecFromStr("0.7").MulInt(quote.CollateralValue).TruncateInt().String(), quote.LtvLimit.String())

	// The borrower pledges the title for 100,000 USDai.
	principal, junior, fee := sdkmath.NewInt(100_000_000_000), sdkmath.NewInt(10_000_000_000), sdkmath.NewInt(1_000_000_000)
	res := tx("lending", "request-loan", titleID, lendingProduct, principal.String(), "--from", borrower.Name)
	id := lendingEvent[*lendingtypes.EventLoanRequested](t, res).LoanId
	require.Equal(t, lendingtypes.LoanPending, loan(id).Loan.Status)
	status, lien = titleStatus(titleID)
	require.Equal(t, "TITLE_STATUS_PLEDGED", status)
	require.Equal(t, fmt.Sprint(id), lien, "the title's lien names the loan")

	// Only a CURATOR underwrites: refused by the chain, the loan stays PENDING.
	curatorBefore := usdai(curator)
	res, err := txVia.Tx("lending", "underwrite", fmt.Sprint(id), "0.15", junior.String(), "--from", depositor.Name, "--gas", lendingRefusedGas)
	requireLendingRefused(t, res, err, sdkerrors.ErrUnauthorized.Codespace(), sdkerrors.ErrUnauthorized.ABCICode(), "is not an active CURATOR")
	require.NoError(t, readVia.WaitForHeight(res.Height, time.Minute))
	require.Equal(t, lendingtypes.LoanPending, loan(id).Loan.Status)

	// The lender funds the vault and the curator underwrites at 15% with the
	// minimum 10% first loss, between two treasury rebalances (each sweeps the
	// vault's idle USDai above its buffer into T-bills).
	interest1, principal1 := lendingtypes.Installment(lendingtypes.ScheduleAmortizing, principal, sdkmath.LegacyMustNewDecFromStr("0.15"), time.Minute, 36)
	dsr := interest1.Add(principal1)
	disbursed := principal.Sub(fee).Sub(dsr)
	borrowerBefore := usdai(borrower)
	var priceBefore sdkmath.LegacyDec
	for attempt := 1; ; attempt++ {
		lendingAwaitRebalance(t, txVia)
		tx("yield", "deposit", "150000000000"+usdaiDenom, "--from", lender.Name)
		priceBefore = lendingVault(t, txVia, 0).SharePrice
		res, err = txVia.Tx("lending", "underwrite", fmt.Sprint(id), "0.15", junior.String(), "--from", curator.Name)
		if err != nil && attempt < 2 && strings.Contains(err.Error(), "fundable liquidity") {
			t.Logf("a rebalance swept the deposit before the underwriting; retrying: %v", err)
			continue
		}
		require.NoError(t, err)
		require.NoError(t, readVia.WaitForHeight(res.Height, time.Minute))
		break
	}
	funded := lendingEvent[*lendingtypes.EventLoanFunded](t, res)
	require.Equal(t, disbursed.String(), funded.Disbursed.String())
	require.Equal(t, dsr.String(), funded.Dsr.String())
	require.Equal(t, sdkmath.NewInt(90_000_000_000).String(), funded.SeniorAmount.String())
	require.Equal(t, borrowerBefore.Add(disbursed).String(), usdai(borrower).String(), "principal − 1% fee − one payment of DSR")
	require.Equal(t, curatorBefore.Sub(junior).String(), usdai(curator).String(), "the curator paid the junior tranche")
	l := loan(id).Loan
	require.Equal(t, lendingtypes.LoanActive, l.Status)
	require.Equal(t, uint32(36), l.PaymentsRemaining)
	require.Equal(t, l.FundedAt.Add(time.Minute), l.NextDueTime)
	require.Equal(t, dsr.String(), l.Dsr.String())
	out, err := readVia.CLI("query", "lending", "schedule", fmt.Sprint(id), "--limit", "3", "--output", "json")
	require.NoError(t, err)
	var schedule struct {
		Payments []struct {
			Total sdkmath.Int `json:"total"`
		} `json:"payments"`
	}
	require.NoError(t, json.Unmarshal(out, &schedule), string(out))
	require.Len(t, schedule.Payments, 3)
	require.Equal(t, dsr.String(), schedule.Payments[0].Total.String())

	// Three scheduled payments, each paid early (the period's interest is
	// charged in full): the borrower, the depositor (anyone may pay), the borrower.
	for i, payer := range []localnet.Key{borrower, depositor, borrower} {
		before := loan(id).Loan
		amount := before.InterestDue.Add(before.PrincipalDue)
		payerBefore, curatorBefore := usdai(payer), usdai(curator)
		res = tx("lending", "repay", fmt.Sprint(id), amount.String(), "--from", payer.Name)
		ev := lendingEvent[*lendingtypes.EventLoanPayment](t, res)
		require.Equal(t, amount.String(), ev.Amount.String())
		require.Equal(t, before.InterestDue.String(), ev.Interest.String())
		require.Equal(t, before.PrincipalDue.String(), ev.Principal.String())
		require.Equal(t, payerBefore.Sub(amount).String(), usdai(payer).String(), "payment %d", i+1)
		require.Equal(t, curatorBefore.Add(ev.JuniorInterest).Add(ev.JuniorPrincipal).String(), usdai(curator).String(), "the junior share of payment %d", i+1)
		after := loan(id).Loan
		require.Equal(t, before.PaymentsRemaining-1, after.PaymentsRemaining)
		require.Equal(t, before.NextDueTime.Add(time.Minute), after.NextDueTime)
		require.Equal(t, before.Outstanding().Sub(ev.Principal).String(), after.Outstanding().String())

		// The vault's conservative NAV (nothing accrued) rises by exactly the
		// senior interest net of the 1% admin fee across the payment's block.
		pre, post := lendingVault(t, readVia, res.Height-1), lendingVault(t, readVia, res.Height)
		if pre.EscrowedShares.IsZero() {
			adminFee := ev.SeniorInterest.MulRaw(100).QuoRaw(10_000)
			require.Equal(t, pre.ConservativeNav.Add(ev.SeniorInterest).Sub(adminFee).String(), post.ConservativeNav.String(), "payment %d", i+1)
		} else {
			t.Logf("redemptions queued: the vault's NAV moves with them too; NAV check skipped for payment %d", i+1)
		}
	}

	// Prepay the rest, offering 1,000 USDai more than the payoff: only the payoff
	// is taken; the DSR comes back less the exit fee.
	payoffRes := loan(id)
	l, payoff := payoffRes.Loan, payoffRes.Payoff
	exitFee := lendingtypes.BpsOfCeil(l.Outstanding(), 50)
	require.Equal(t, l.InterestDue.Add(l.Outstanding()).String(), payoff.String(), "the DSR covers the exit fee")
	borrowerBefore = usdai(borrower)
	res = tx("lending", "repay", fmt.Sprint(id), payoff.AddRaw(1_000_000_000).String(), "--from", borrower.Name)
	require.Equal(t, payoff.String(), lendingEvent[*lendingtypes.EventLoanPayment](t, res).Amount.String())
	require.Equal(t, dsr.Sub(exitFee).String(), lendingEvent[*lendingtypes.EventLoanRepaid](t, res).DsrReturned.String())
	require.Equal(t, borrowerBefore.Sub(payoff).Add(dsr).Sub(exitFee).String(), usdai(borrower).String())
	l = loan(id).Loan
	require.Equal(t, lendingtypes.LoanRepaid, l.Status)
	require.True(t, l.Outstanding().IsZero())
	status, lien = titleStatus(titleID)
	require.Equal(t, "TITLE_STATUS_ACTIVE", status, "the title is released")
	require.Equal(t, "0", lien, "with its lien")
	var restLoan struct {
		Loan struct {
			Status string `json:"status"`
		} `json:"loan"`
	}
	require.NoError(t, readVia.RESTGet(fmt.Sprintf("/infrafi/lending/v1/loans/%d", id), &restLoan))
	require.Equal(t, "LOAN_STATUS_REPAID", restLoan.Loan.Status)
	priceAfter := lendingVault(t, readVia, 0).SharePrice
	require.True(t, priceAfter.GT(priceBefore), "share price %s -> %s", priceBefore, priceAfter)

	// A repaid loan takes no more payments.
	res, err = txVia.Tx("lending", "repay", fmt.Sprint(id), "1000000", "--from", borrower.Name, "--gas", lendingRefusedGas)
	requireLendingRefused(t, res, err, lendingtypes.ModuleName, lendingtypes.ErrInvalidLoanStatus.ABCICode(), "only ACTIVE, DELINQUENT and MARGIN_CALL loans take payments")
	t.Logf("lending flow took %s", time.Since(started).Round(time.Second))
}

// lendingVault reads the vault over gRPC at a height (0: the latest).
func lendingVault(t *testing.T, node *localnet.Node, height int64) yieldtypes.VaultSummary {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if height > 0 {
		ctx = metadata.AppendToOutgoingContext(ctx, grpctypes.GRPCBlockHeightHeader, fmt.Sprint(height))
	}
	res, err := yieldtypes.NewQueryClient(node.GRPC()).Vault(ctx, &yieldtypes.QueryVaultRequest{})
	require.NoError(t, err)
	return res.Vault
}

// lendingAwaitRebalance returns when the next treasury rebalance is at least
// 15 s away, waiting for one to happen if needed, so a deposit can be lent
// before the rebalance moves it to the treasury.
func lendingAwaitRebalance(t *testing.T, node *localnet.Node) {
	t.Helper()
	var params struct {
		Params struct {
			TreasuryCustodian string `json:"treasury_custodian"`
			RebalanceInterval string `json:"rebalance_interval"`
		} `json:"params"`
	}
	require.NoError(t, node.RESTGet("/infrafi/yield/v1/params", &params))
	if params.Params.TreasuryCustodian == "" {
		return
	}
	interval, err := time.ParseDuration(params.Params.RebalanceInterval)
	require.NoError(t, err)
	last := lendingVault(t, node, 0).Treasury.LastRebalance
	var block struct {
		Block struct {
			Header struct {
				Time time.Time `json:"time"`
			} `json:"header"`
		} `json:"block"`
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	require.NoError(t, node.RPC(ctx, "/block", &block))
	cancel()
	if last.Add(interval).Sub(block.Block.Header.Time) >= 15*time.Second {
		return
	}
	require.Eventually(t, func() bool { return !lendingVault(t, node, 0).Treasury.LastRebalance.Equal(last) },
		interval+30*time.Second, 500*time.Millisecond, "no treasury rebalance")
}

// lendingEvent returns the one typed event of type T in a tx result.
func lendingEvent[T proto.Message](t *testing.T, res *localnet.TxResult) T {
	t.Helper()
	var out []T
	for _, ev := range res.Events {
		attrs := make([]abci.EventAttribute, 0, len(ev.Attributes))
		for _, a := range ev.Attributes {
			attrs = append(attrs, abci.EventAttribute{Key: a.Key, Value: a.Value})
		}
		msg, err := sdk.ParseTypedEvent(abci.Event{Type: ev.Type, Attributes: attrs})
		if err != nil {
			continue
		}
		if m, ok := msg.(T); ok {
			out = append(out, m)
		}
	}
	require.Len(t, out, 1, "events of tx %s", res.TxHash)
	return out[0]
}

// requireLendingRefused checks that a tx was committed and refused with the
// given registered error and a message containing want.
func requireLendingRefused(t *testing.T, res *localnet.TxResult, err error, codespace string, code uint32, want string) {
	t.Helper()
	require.Error(t, err)
	require.NotNil(t, res, "refused before reaching a block: %v", err)
	require.Positive(t, res.Height, "refused at check time: %v", err)
	require.Equal(t, codespace, res.Codespace, res.RawLog)
	require.Equal(t, code, res.Code, res.RawLog)
	require.Contains(t, res.RawLog, want)
}
