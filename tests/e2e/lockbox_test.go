//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/testutil/localnet"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
)

// revenueProduct is the localnet preset's gpu-senior with min_dscr 1.25 over
// two periods and a three-minute cure period.
const revenueProduct = "gpu-revenue"

// testLockbox is #22's "done when" on the localnet through the real binary: a
// customer's plain bank sends of USDC to a loan's lockbox pay its installments
// at the due dates (the PSM converts them at its 10 bps fee) with no MsgRepay
// and the DSR untouched; revenue of about 1.0× the installment is below
// min_dscr 1.25, so the loan is margin-called (dscr) at the first due date;
// four installments of revenue in the next period cure it at the second.
func testLockbox(t *testing.T, network *localnet.Network) {
	started := time.Now()
	txVia, readVia := network.Nodes[0], network.Nodes[len(network.Nodes)-1]
	tx := newChainTx(t, txVia, readVia)
	borrower, curator, insurer, lender, customer := network.Key(t, "borrower"), network.Key(t, "curator"), network.Key(t, "insurer"), network.Key(t, "issuer"), network.Key(t, "depositor")
	lending := lendingtypes.NewQueryClient(readVia.GRPC())
	loan := func(id uint64) *lendingtypes.QueryLoanResponse {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res, err := lending.Loan(ctx, &lendingtypes.QueryLoanRequest{Id: id})
		require.NoError(t, err)
		return res
	}

	for _, m := range []struct {
		key  localnet.Key
		usdc int64
	}{{insurer, 120_000}, {curator, 5_000}, {borrower, 5_000}, {lender, 40_000}} {
		tx("stable", "mint", fmt.Sprintf("%d000000%s", m.usdc, usdcDenom), "--from", m.key.Name)
	}
	tx("caliber", "fund-insurance-pool", "110000000000", "--from", insurer.Name)
	requirePrice(t, network, txVia, gpuFeed, "30000000000")
	title := mintInsuredTitle(t, network, tx, readVia, borrower, fmt.Sprintf("BOX%09d", time.Now().UnixNano()%1_000_000_000), 200_000_000_000, 100_000_000_000)

	principal, junior := sdkmath.NewInt(20_000_000_000), sdkmath.NewInt(2_000_000_000)
	id := lendingEvent[*lendingtypes.EventLoanRequested](t, tx("lending", "request-loan", title, revenueProduct, principal.String(), "--from", borrower.Name)).LoanId
	for attempt := 1; ; attempt++ {
		lendingAwaitRebalance(t, txVia)
		tx("yield", "deposit", "30000000000"+usdaiDenom, "--from", lender.Name)
		res, err := txVia.Tx("lending", "underwrite", fmt.Sprint(id), "0.15", junior.String(), "--from", curator.Name)
		if err != nil && attempt < 3 && strings.Contains(err.Error(), "fundable liquidity") {
			t.Logf("a rebalance swept the deposit before the underwriting; retrying: %v", err)
			continue
		}
		require.NoError(t, err)
		require.NoError(t, readVia.WaitForHeight(res.Height, time.Minute))
		break
	}
	res := loan(id)
	l := res.Loan
	require.Equal(t, lendingtypes.LoanActive, l.Status)
	lockbox := res.Lockbox
	require.Equal(t, lendingtypes.LockboxAddress(id).String(), lockbox)
	// The CLI shows the same address.
	out, err := readVia.CLI("query", "lending", "loan", fmt.Sprint(id), "--output", "json")
	require.NoError(t, err)
	require.Contains(t, string(out), lockbox)
	first, dsr := l.InterestDue.Add(l.PrincipalDue), l.Dsr
	borrowerUSDai := balance(t, readVia, borrower.Address, usdaiDenom)

	// Period 1: a customer pays about one installment of rent in USDC (0.2%
	// above it, so the PSM's 10 bps fee leaves enough).
	rent1 := first.Add(first.QuoRaw(500))
	tx("bank", "send", customer.Name, lockbox, rent1.String()+usdcDenom)
	require.Eventually(t, func() bool { return loan(id).Loan.PaymentsRemaining == 35 }, 2*time.Minute, 500*time.Millisecond)
	res = loan(id)
	l = res.Loan
	minted := rent1.Sub(rent1.MulRaw(10).AddRaw(9_999).QuoRaw(10_000))
	require.True(t, balance(t, readVia, lockbox, usdcDenom).IsZero(), "the USDC was converted")
	require.Equal(t, minted.Sub(first).String(), balance(t, readVia, lockbox, usdaiDenom).String(), "the lockbox paid the installment")
	require.Equal(t, dsr.String(), l.Dsr.String(), "the DSR was not used")
	require.Equal(t, borrowerUSDai.String(), balance(t, readVia, borrower.Address, usdaiDenom).String(), "no MsgRepay")
	require.Len(t, l.CashFlow, 1)
	require.Equal(t, rent1.String(), l.CashFlow[0].Revenue.String())
	require.Equal(t, lendingtypes.LoanMarginCall, l.Status)
	require.Equal(t, "dscr", l.MarginCallReason)
	require.True(t, res.Dscr.LT(sdkmath.LegacyMustNewDecFromStr("1.25")), "dscr %s", res.Dscr)

	// Period 2: four installments of rent; (1.002 + 4) / 2 ≥ 1.25: cured, and
	// the lockbox keeps more than the next two installments.
	second := l.InterestDue.Add(l.PrincipalDue)
	tx("bank", "send", customer.Name, lockbox, second.MulRaw(4).String()+usdcDenom)
	require.Eventually(t, func() bool { return loan(id).Loan.PaymentsRemaining == 34 }, 2*time.Minute, 500*time.Millisecond)
	res = loan(id)
	l = res.Loan
	require.Equal(t, lendingtypes.LoanActive, l.Status, "cured by revenue")
	require.True(t, l.MarginCallDeadline.IsZero())
	require.Equal(t, dsr.String(), l.Dsr.String())
	require.True(t, res.Dscr.GTE(sdkmath.LegacyMustNewDecFromStr("1.25")), "dscr %s", res.Dscr)
	require.Equal(t, borrowerUSDai.String(), balance(t, readVia, borrower.Address, usdaiDenom).String(), "no MsgRepay")

	// The borrower takes the excess back; one uusdai more is refused.
	allowed := res.Withdrawable
	require.True(t, allowed.IsPositive())
	refused, err := txVia.Tx("lending", "withdraw-lockbox", fmt.Sprint(id), allowed.AddRaw(1).String()+usdaiDenom, "--from", borrower.Name, "--gas", lendingRefusedGas)
	requireLendingRefused(t, refused, err, lendingtypes.ModuleName, lendingtypes.ErrWithdrawalTooLarge.ABCICode(), "above the next two installments")
	wd := tx("lending", "withdraw-lockbox", fmt.Sprint(id), allowed.String()+usdaiDenom, "--from", borrower.Name)
	fee := txFee(t, wd).AmountOf(usdaiDenom)
	require.Equal(t, borrowerUSDai.Add(allowed).Sub(fee).String(), balance(t, readVia, borrower.Address, usdaiDenom).String())
	t.Logf("lockbox e2e took %s", time.Since(started).Round(time.Second))
}
