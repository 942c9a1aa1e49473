package app_test

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
	lendingkeeper "github.com/infrafi/infrafi/x/lending/keeper"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
)

// withLockboxCovenant is withLending with a min_dscr of 1.5 over the last two
// periods and a cure period of three (so a recovery can cure it).
func withLockboxCovenant(accs []testutil.Account, state app.GenesisState) {
	withLending(accs, state)
	cdc := app.MakeEncodingConfig().Codec
	var lg lendingtypes.GenesisState
	cdc.MustUnmarshalJSON(state[lendingtypes.ModuleName], &lg)
	p := &lg.Products[len(lg.Products)-1]
	p.MinDscr, p.CashFlowPeriods, p.CurePeriod = lDec("1.5"), 2, 3*p.RepaymentInterval
	state[lendingtypes.ModuleName] = cdc.MustMarshalJSON(&lg)
}

// TestLockboxRevenuePaysAndCoversThroughTransactions: on the in-process chain
// a payer's plain bank sends of USDC and USDai to a loan's lockbox pay its
// installments at the due dates (the USDC minted into USDai by the real PSM)
// with no MsgRepay and the DSR untouched; revenue of 1.0× the installment
// opens a dscr margin call, a strong period cures it; the borrower withdraws
// only the excess. No USDai is created or lost outside the PSM mint.
func TestLockboxRevenuePaysAndCoversThroughTransactions(t *testing.T) {
	f := setupLendingWith(t, withLockboxCovenant)
	a := f.Accounts
	borrower, payer, stranger := a[lBorrower], a[lPayer], a[lStranger]
	id := f.borrow(t, []uint64{f.title}, lUSD(100_000), lUSD(10_000))
	box := lendingtypes.LockboxAddress(id)
	l := f.loan(t, id)
	first, dsr := l.InterestDue.Add(l.PrincipalDue), l.Dsr

	q := lendingkeeper.NewQueryServerImpl(f.LendingKeeper)
	res, err := q.Loan(f.Ctx(), &lendingtypes.QueryLoanRequest{Id: id})
	require.NoError(t, err)
	require.Equal(t, box.String(), res.Lockbox)

	// Period 1 revenue: exactly one installment, in USDC.
	f.MustDeliver(payer, &banktypes.MsgSend{FromAddress: payer.Address.String(), ToAddress: box.String(),
		Amount: sdk.NewCoins(sdk.NewCoin(app.LocalnetReserveDenom, first))})
	held := f.StableKeeper.Held(f.Ctx(), app.LocalnetReserveDenom)
	supply := f.usdaiSupply()
	f.until(t, 30, func() bool { return f.loan(t, id).PaymentsRemaining == 35 })
	l = f.loan(t, id)
	require.True(t, bal(f.App, box, app.LocalnetReserveDenom).IsZero())
	require.True(t, f.usdai(box).IsZero())
	require.Equal(t, held.Add(first).String(), f.StableKeeper.Held(f.Ctx(), app.LocalnetReserveDenom).String())
	require.Equal(t, supply.Add(first).String(), f.usdaiSupply().String()) // the PSM minted it, fee-free here
	require.Equal(t, dsr.String(), l.Dsr.String())
	require.Equal(t, first.String(), l.CashFlow[0].Revenue.String())
	require.Equal(t, lendingtypes.LoanMarginCall, l.Status)
	require.Equal(t, lendingkeeper.CovenantDSCR, l.MarginCallReason)
	f.requireInvariants(t)

	// Period 2 earns four installments in USDC: (1 + 4) / 2 > 1.5, cured.
	second := l.InterestDue.Add(l.PrincipalDue)
	f.MustDeliver(payer, &banktypes.MsgSend{FromAddress: payer.Address.String(), ToAddress: box.String(),
		Amount: sdk.NewCoins(sdk.NewCoin(app.LocalnetReserveDenom, second.MulRaw(4)))})
	f.until(t, 30, func() bool { return f.loan(t, id).PaymentsRemaining == 34 })
	l = f.loan(t, id)
	require.Equal(t, lendingtypes.LoanActive, l.Status)
	require.True(t, l.MarginCallDeadline.IsZero())
	require.Equal(t, dsr.String(), l.Dsr.String())
	require.Equal(t, second.MulRaw(3).String(), f.usdai(box).String())
	ratio, ok := l.DSCR()
	require.True(t, ok)
	require.True(t, ratio.GT(lDec("1.5")))
	f.requireInvariants(t)

	// Withdrawal: only the borrower, only the excess over two installments.
	allowed := f.LendingKeeper.Withdrawable(f.Ctx(), l)
	require.True(t, allowed.IsPositive())
	withdraw := func(who testutil.Account, amt sdkmath.Int) sdk.Msg {
		return &lendingtypes.MsgWithdrawLockbox{Borrower: who.Address.String(), LoanId: id, Amount: sdk.NewCoins(sdk.NewCoin(app.USDaiDenom, amt))}
	}
	f.requireRefused(t, stranger, withdraw(stranger, lUSD(1)), sdkerrors.ErrUnauthorized)
	f.requireRefused(t, borrower, withdraw(borrower, allowed.AddRaw(1)), lendingtypes.ErrWithdrawalTooLarge)
	f.requireRefused(t, borrower, &lendingtypes.MsgWithdrawLockbox{Borrower: borrower.Address.String(), LoanId: id,
		Amount: sdk.NewCoins(sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1)))}, lendingtypes.ErrLockboxLocked)
	before := f.usdai(borrower.Address)
	f.MustDeliver(borrower, withdraw(borrower, allowed))
	require.Equal(t, before.Add(allowed).String(), f.usdai(borrower.Address).String())
	require.Equal(t, second.MulRaw(3).Sub(allowed).String(), f.usdai(box).String())
	f.requireInvariants(t)
}
