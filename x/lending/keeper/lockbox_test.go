package keeper_test

import (
	"errors"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/lending/keeper"
	"github.com/infrafi/infrafi/x/lending/types"
)

// payLockbox is revenue arriving by plain bank send from payer.
func (f *fixture) payLockbox(t *testing.T, id uint64, c sdk.Coin) {
	t.Helper()
	require.NoError(t, f.bank.SendCoins(f.ctx, payer, types.LockboxAddress(id), sdk.NewCoins(c)))
}

// setProduct replaces the test product's terms for loans funded from now on.
func (f *fixture) setProduct(t *testing.T, edit func(*types.Product)) {
	t.Helper()
	p := testProduct()
	edit(&p)
	require.NoError(t, f.k.UpdateProduct(f.ctx, p))
}

func TestLockboxAddressIsDeterministic(t *testing.T) {
	require.Equal(t, types.LockboxAddress(7), types.LockboxAddress(7))
	require.NotEqual(t, types.LockboxAddress(7), types.LockboxAddress(8))
	require.NotEqual(t, lendingAddr, types.LockboxAddress(7))
	require.Len(t, types.LockboxAddress(7), 32)
}

// TestLockboxPaysInstallmentAtDueDate: revenue sent to the lockbox pays the
// installment at the due date with no MsgRepay; the DSR is untouched; the
// excess waits (HOLD) and the period's revenue is recorded.
func TestLockboxPaysInstallmentAtDueDate(t *testing.T) {
	f := setup(t)
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	l := f.loan(t, id)
	first, dsr := l.InterestDue.Add(l.PrincipalDue), l.Dsr
	box := types.LockboxAddress(id)
	eqInt(t, first, l.ScheduledDebtService)
	f.payLockbox(t, id, uusdai(first.Add(usd(100))))

	res, err := keeper.NewQueryServerImpl(f.k).Loan(f.ctx, &types.QueryLoanRequest{Id: id})
	require.NoError(t, err)
	require.Equal(t, box.String(), res.Lockbox)
	require.Equal(t, sdk.NewCoins(uusdai(first.Add(usd(100)))), res.LockboxBalance)
	require.True(t, res.Dscr.IsZero()) // no record yet

	f.setTime(genesisTime.Add(month))
	f.freshEvents()
	bal := f.balances()
	f.endBlock(t)
	sp, jp := types.SplitProRata(first.Sub(usd(125)), usd(9_000), usd(1_000))
	f.requireMoves(t, bal,
		move{box, first.Neg()},
		move{yieldAddr, sp.Add(usd(90))},
		move{curator, jp.Add(usd(35))},
	)
	l = f.loan(t, id)
	require.Equal(t, types.LoanActive, l.Status)
	eqInt(t, dsr, l.Dsr)
	require.Equal(t, uint32(11), l.PaymentsRemaining)
	require.Equal(t, genesisTime.Add(2*month), l.NextDueTime)
	pays := eventsOf[types.EventLoanPayment](t, f)
	require.Len(t, pays, 1)
	require.Equal(t, keeper.SourceLockbox, pays[0].Source)
	require.Equal(t, box.String(), pays[0].Payer)
	sweeps := eventsOf[types.EventLockboxSweep](t, f)
	require.Len(t, sweeps, 1)
	eqInt(t, first, sweeps[0].Installment)
	eqInt(t, usd(100), sweeps[0].Held)
	eqInt(t, math.ZeroInt(), sweeps[0].Prepaid)

	// The record: revenue = what arrived, debt service = the installment.
	require.Len(t, l.CashFlow, 1)
	eqInt(t, first.Add(usd(100)), l.CashFlow[0].Revenue)
	eqInt(t, first, l.CashFlow[0].DebtService)
	eqInt(t, usd(100), l.LockboxBaseline)
	ratio, ok := l.DSCR()
	require.True(t, ok)
	require.Equal(t, math.LegacyNewDecFromInt(first.Add(usd(100))).QuoInt(first), ratio)
	require.Len(t, eventsOf[types.EventCashFlowRecorded](t, f), 1)
	f.checkInvariants(t)

	// Paid ahead from the borrower's own pocket: no record, the period's debt
	// service is carried into the next record with the next period's.
	second := l.InterestDue.Add(l.PrincipalDue)
	f.setTime(genesisTime.Add(month + day))
	_, _, err = f.k.Repay(f.ctx, payer, id, second)
	require.NoError(t, err)
	l = f.loan(t, id)
	require.Len(t, l.CashFlow, 1)
	third := l.InterestDue.Add(l.PrincipalDue)
	eqInt(t, second.Add(third), l.ScheduledDebtService)

	// Due 3: 900 more arrives, the lockbox (1,000) pays the third installment;
	// the record covers two periods of debt service and of revenue.
	f.payLockbox(t, id, uusdai(usd(900)))
	f.setTime(genesisTime.Add(3 * month))
	f.endBlock(t)
	l = f.loan(t, id)
	require.Equal(t, uint32(9), l.PaymentsRemaining)
	require.Len(t, l.CashFlow, 2)
	eqInt(t, usd(900), l.CashFlow[1].Revenue)
	eqInt(t, second.Add(third), l.CashFlow[1].DebtService)
	eqInt(t, usd(1_000).Sub(third), f.bank.get(box))
	eqInt(t, usd(1_000).Sub(third), l.LockboxBaseline)
	f.checkInvariants(t)
}

// TestLockboxThenReserveThenDelinquent: a short lockbox pays what it holds,
// the DSR the rest; with neither enough the loan goes DELINQUENT after the
// lockbox's part, and revenue arriving in the grace period cures it at the
// grace end instead of a default.
func TestLockboxThenReserveThenDelinquent(t *testing.T) {
	f := setup(t)
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	box := types.LockboxAddress(id)
	l := f.loan(t, id)
	first, dsr := l.InterestDue.Add(l.PrincipalDue), l.Dsr
	f.payLockbox(t, id, uusdai(usd(400)))

	f.setTime(genesisTime.Add(month))
	bal := f.balances()
	f.endBlock(t)
	sp, jp := types.SplitProRata(first.Sub(usd(125)), usd(9_000), usd(1_000))
	f.requireMoves(t, bal,
		move{box, usd(-400)},
		move{lendingAddr, first.Sub(usd(400)).Neg()},
		move{yieldAddr, sp.Add(usd(90))},
		move{curator, jp.Add(usd(35))},
	)
	l = f.loan(t, id)
	require.Equal(t, types.LoanActive, l.Status)
	eqInt(t, dsr.Sub(first.Sub(usd(400))), l.Dsr)
	require.Len(t, l.CashFlow, 1)
	eqInt(t, usd(400), l.CashFlow[0].Revenue)
	f.checkInvariants(t)

	// Due 2: 300 in the lockbox, the DSR (400) cannot cover the rest.
	second := l.InterestDue.Add(l.PrincipalDue)
	f.payLockbox(t, id, uusdai(usd(300)))
	due2 := genesisTime.Add(2 * month)
	f.setTime(due2)
	bal = f.balances()
	f.endBlock(t)
	l = f.loan(t, id)
	require.Equal(t, types.LoanDelinquent, l.Status)
	eqInt(t, math.ZeroInt(), f.bank.get(box))
	eqInt(t, second.Sub(usd(300)), l.InterestDue.Add(l.PrincipalDue))
	eqInt(t, usd(-300), f.bank.get(box).Sub(bal[box.String()]))
	require.Len(t, l.CashFlow, 1) // the period is not paid: no record yet
	f.checkInvariants(t)

	// Revenue covering the overdue rest and the grace interest arrives; at
	// the grace end the lockbox pays it and the loan is ACTIVE again.
	f.payLockbox(t, id, uusdai(second))
	f.setTime(due2.Add(grace))
	f.endBlock(t)
	l = f.loan(t, id)
	require.Equal(t, types.LoanActive, l.Status)
	require.False(t, l.Senior.Impaired)
	require.Equal(t, genesisTime.Add(3*month), l.NextDueTime)
	require.True(t, f.inDueQueue(t, l))
	require.Len(t, l.CashFlow, 2)
	eqInt(t, usd(300).Add(second), l.CashFlow[1].Revenue)
	f.checkInvariants(t)
}

// TestLockboxConvertsReserves: USDC in a lockbox is minted into USDai through
// the PSM at its fee and pays the installment; a refused conversion leaves
// the coins waiting, the DSR pays, and the walk goes on.
func TestLockboxConvertsReserves(t *testing.T) {
	f := setup(t)
	f.bank.setCoins(payer, sdk.NewCoins(sdk.NewCoin(usdc, usd(10_000))))
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	box := types.LockboxAddress(id)
	l := f.loan(t, id)
	first, dsr := l.InterestDue.Add(l.PrincipalDue), l.Dsr
	f.payLockbox(t, id, sdk.NewCoin(usdc, usd(1_000)))
	eqInt(t, usd(1_000), f.k.LockboxValue(f.ctx, id))

	f.setTime(genesisTime.Add(month))
	f.freshEvents()
	feesBefore := f.bank.get(feesAddr)
	f.endBlock(t)
	fee := usd(1) // 10 bps of 1,000
	eqInt(t, feesBefore.Add(fee), f.bank.get(feesAddr))
	eqInt(t, usd(999).Sub(first), f.bank.get(box))
	eqInt(t, math.ZeroInt(), f.bank.getDenomAt(f.ctx, box, usdc))
	eqInt(t, usd(1_000), f.bank.getDenomAt(f.ctx, stableAddr, usdc))
	l = f.loan(t, id)
	eqInt(t, dsr, l.Dsr)
	require.Equal(t, uint32(11), l.PaymentsRemaining)
	conv := eventsOf[types.EventLockboxConversion](t, f)
	require.Len(t, conv, 1)
	eqInt(t, usd(999), conv[0].Received)
	eqInt(t, fee, conv[0].Fee)
	require.Empty(t, conv[0].Refused)
	// Revenue counts the reserve at face; the fee only lowers the baseline.
	eqInt(t, usd(1_000), l.CashFlow[0].Revenue)
	eqInt(t, usd(999).Sub(first), l.LockboxBaseline)
	f.checkInvariants(t)

	// The PSM refuses (cap reached): the USDC waits, the DSR pays.
	f.stable.refuse = errors.New("reserve cap exceeded")
	f.payLockbox(t, id, sdk.NewCoin(usdc, usd(2_000)))
	f.setTime(genesisTime.Add(2 * month))
	f.freshEvents()
	f.endBlock(t)
	l = f.loan(t, id)
	require.Equal(t, types.LoanActive, l.Status)
	eqInt(t, usd(2_000), f.bank.getDenomAt(f.ctx, box, usdc))
	conv = eventsOf[types.EventLockboxConversion](t, f)
	require.Len(t, conv, 1)
	require.Equal(t, "reserve cap exceeded", conv[0].Refused)
	eqInt(t, math.ZeroInt(), conv[0].Received)
	require.Equal(t, uint32(10), l.PaymentsRemaining)
	eqInt(t, usd(2_000), l.CashFlow[1].Revenue)
	f.checkInvariants(t)
}

// TestSweepExcessPrepay: with PREPAY the lockbox's excess prepays (the next
// installment first, then principal); enough to cover the payoff repays the
// loan and the rest of the lockbox (other coins too) goes to the borrower.
func TestSweepExcessPrepay(t *testing.T) {
	f := setup(t)
	f.setProduct(t, func(p *types.Product) { p.SweepExcess = types.SweepExcessPrepay })
	f.bank.setCoins(payer, sdk.NewCoins(sdk.NewCoin("ufoo", math.NewInt(7))))
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	box := types.LockboxAddress(id)
	l := f.loan(t, id)
	first := l.InterestDue.Add(l.PrincipalDue)
	l0 := l
	f.payLockbox(t, id, uusdai(first.Add(usd(2_000))))
	f.payLockbox(t, id, sdk.NewCoin("ufoo", math.NewInt(7)))

	f.setTime(genesisTime.Add(month))
	f.freshEvents()
	f.endBlock(t)
	l = f.loan(t, id)
	eqInt(t, math.ZeroInt(), f.bank.get(box))
	require.Equal(t, types.LoanActive, l.Status)
	require.Equal(t, uint32(10), l.PaymentsRemaining) // the next installment paid too
	sweeps := eventsOf[types.EventLockboxSweep](t, f)
	require.Len(t, sweeps, 1)
	eqInt(t, first, sweeps[0].Installment)
	eqInt(t, usd(2_000), sweeps[0].Prepaid)
	eqInt(t, usd(10_000).Sub(l.PrincipalPaid), l.Outstanding())
	eqInt(t, first.Add(usd(2_000)), l.PrincipalPaid.Add(l.InterestPaid))
	f.checkInvariants(t)

	// Enough for the payoff: the loan is repaid, the lockbox emptied to the
	// borrower (USDai left and the other coin).
	f.payLockbox(t, id, uusdai(usd(20_000)))
	due := l.NextDueTime
	payoff := keeper.Payoff(l, due)
	f.setTime(due)
	f.freshEvents()
	bal := f.balances()
	f.endBlock(t)
	l = f.loan(t, id)
	require.Equal(t, types.LoanRepaid, l.Status)
	// The installment, then the payoff of the next period (its full
	// interest is charged, as for any payment ahead of its due date).
	pays := eventsOf[types.EventLoanPayment](t, f)
	require.Len(t, pays, 2)
	require.True(t, pays[1].Amount.GT(payoff.Sub(pays[0].Amount)))
	paid := pays[0].Amount.Add(pays[1].Amount)
	eqInt(t, math.ZeroInt(), f.bank.get(box))
	require.True(t, f.bank.GetAllBalances(f.ctx, box).IsZero())
	eqInt(t, math.NewInt(7), f.bank.getDenomAt(f.ctx, borrower, "ufoo"))
	// The borrower gets the lockbox's rest and the DSR less the exit fee.
	eqInt(t, usd(20_000).Sub(paid).Add(l0.Dsr).Sub(pays[1].ExitFee), f.bank.get(borrower).Sub(bal[borrower.String()]))
	eqInt(t, math.ZeroInt(), l.LockboxBaseline)
	f.checkInvariants(t)
}

// lockboxState adds the lockbox's coins to the snapshot of a refused call.
func (f *fixture) lockboxState(t *testing.T, id uint64) string {
	return f.snapshot(t) + "|box:" + f.bank.GetAllBalances(f.ctx, types.LockboxAddress(id)).String()
}

// TestWithdrawLockbox: the borrower takes only USDai and reserves above the
// next two installments of an ACTIVE loan; anything once the loan is closed;
// every other case is refused with its error and changes nothing.
func TestWithdrawLockbox(t *testing.T) {
	f := setup(t)
	f.bank.setCoins(payer, sdk.NewCoins(sdk.NewCoin("ufoo", math.NewInt(50)), sdk.NewCoin(usdc, usd(1_000))))
	pending := f.request(t, usd(5_000), 2)
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	box := types.LockboxAddress(id)
	l := f.loan(t, id)
	first := l.InterestDue.Add(l.PrincipalDue)
	// Level payments: the next two installments are 2 × first (to rounding).
	i2, p2 := types.Installment(types.ScheduleAmortizing, usd(10_000).Sub(l.PrincipalDue), apr15, month, 11)
	reserved := first.Add(i2).Add(p2)
	f.payLockbox(t, id, uusdai(usd(3_000)))
	f.payLockbox(t, id, sdk.NewCoin(usdc, usd(500)))
	f.payLockbox(t, id, sdk.NewCoin("ufoo", math.NewInt(50)))
	allowed := usd(3_500).Sub(reserved)
	eqInt(t, allowed, f.k.Withdrawable(f.ctx, l))

	ms := keeper.NewMsgServerImpl(f.k)
	withdraw := func(who sdk.AccAddress, loan uint64, amt ...sdk.Coin) error {
		_, err := ms.WithdrawLockbox(f.ctx, &types.MsgWithdrawLockbox{Borrower: who.String(), LoanId: loan, Amount: sdk.NewCoins(amt...)})
		return err
	}
	for _, c := range []struct {
		name string
		err  error
		run  func() error
	}{
		{"not the borrower", sdkerrors.ErrUnauthorized, func() error { return withdraw(other, id, uusdai(usd(1))) }},
		{"above the allowed", types.ErrWithdrawalTooLarge, func() error { return withdraw(borrower, id, uusdai(allowed.AddRaw(1))) }},
		{"reserve counts too", types.ErrWithdrawalTooLarge, func() error {
			return withdraw(borrower, id, uusdai(allowed), sdk.NewCoin(usdc, math.NewInt(1)))
		}},
		{"other coin while live", types.ErrLockboxLocked, func() error { return withdraw(borrower, id, sdk.NewCoin("ufoo", math.NewInt(1))) }},
		{"pending loan", types.ErrInvalidLoanStatus, func() error { return withdraw(borrower, pending, uusdai(usd(1))) }},
		{"unknown loan", types.ErrLoanNotFound, func() error { return withdraw(borrower, 99, uusdai(usd(1))) }},
		{"no coins", types.ErrInvalidAmount, func() error { return withdraw(borrower, id) }},
	} {
		before := f.lockboxState(t, id)
		require.ErrorIs(t, c.run(), c.err, c.name)
		require.Equal(t, before, f.lockboxState(t, id), c.name)
	}

	// Exactly the allowed amount, part of it in USDC.
	bal := f.balances()
	require.NoError(t, withdraw(borrower, id, uusdai(allowed.Sub(usd(200))), sdk.NewCoin(usdc, usd(200))))
	f.requireMoves(t, bal, move{box, allowed.Sub(usd(200)).Neg()}, move{borrower, allowed.Sub(usd(200))})
	eqInt(t, usd(200), f.bank.getDenomAt(f.ctx, borrower, usdc))
	l = f.loan(t, id)
	eqInt(t, allowed.Neg(), l.LockboxBaseline)
	eqInt(t, math.ZeroInt(), f.k.Withdrawable(f.ctx, l))
	f.checkInvariants(t)

	// The withdrawal does not reduce the period's recorded revenue (3,500).
	f.setTime(genesisTime.Add(month))
	f.endBlock(t)
	l = f.loan(t, id)
	eqInt(t, usd(3_500), l.CashFlow[0].Revenue)

	// DELINQUENT: nothing may be withdrawn.
	f.stable.refuse = errors.New("paused")
	f.setTime(genesisTime.Add(2 * month))
	f.endBlock(t)
	f.setTime(genesisTime.Add(3 * month))
	f.endBlock(t)
	l = f.loan(t, id)
	require.Equal(t, types.LoanDelinquent, l.Status)
	before := f.lockboxState(t, id)
	require.ErrorIs(t, withdraw(borrower, id, sdk.NewCoin(usdc, usd(1))), types.ErrInvalidLoanStatus)
	require.Equal(t, before, f.lockboxState(t, id))

	// Repaid by the payer: the lockbox is emptied to the borrower; a coin
	// arriving later is the borrower's to take, whatever its denom.
	_, closed, err := f.k.Repay(f.ctx, payer, id, usd(100_000))
	require.NoError(t, err)
	require.True(t, closed)
	require.True(t, f.bank.GetAllBalances(f.ctx, box).IsZero())
	eqInt(t, math.NewInt(50), f.bank.getDenomAt(f.ctx, borrower, "ufoo"))
	f.bank.setCoins(payer, sdk.NewCoins(sdk.NewCoin("ufoo", math.NewInt(9))))
	f.payLockbox(t, id, sdk.NewCoin("ufoo", math.NewInt(9)))
	require.NoError(t, withdraw(borrower, id, sdk.NewCoin("ufoo", math.NewInt(9))))
	eqInt(t, math.NewInt(59), f.bank.getDenomAt(f.ctx, borrower, "ufoo"))
	require.ErrorIs(t, withdraw(borrower, id, sdk.NewCoin("ufoo", math.NewInt(1))), sdkerrors.ErrInsufficientFunds)
	f.checkInvariants(t)
}

// TestDSCRMarginCallCuredByRevenue: revenue covering only 1.0× the
// installment breaches min_dscr 1.5 at the due date (MARGIN_CALL, reason
// dscr); a strong next period lifts the two-period ratio to 2.0 and cures it
// within the cure period.
func TestDSCRMarginCallCuredByRevenue(t *testing.T) {
	f := setup(t)
	f.setProduct(t, func(p *types.Product) {
		p.MinDscr, p.CashFlowPeriods, p.CurePeriod = math.LegacyMustNewDecFromStr("1.5"), 2, 45*day
	})
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	l := f.loan(t, id)
	first := l.InterestDue.Add(l.PrincipalDue)
	f.payLockbox(t, id, uusdai(first))

	due1 := genesisTime.Add(month)
	f.setTime(due1)
	f.freshEvents()
	f.endBlock(t)
	l = f.loan(t, id)
	require.Equal(t, types.LoanMarginCall, l.Status)
	require.Equal(t, keeper.CovenantDSCR, l.MarginCallReason)
	require.Equal(t, due1.Add(45*day), l.MarginCallDeadline)
	mc := eventsOf[types.EventMarginCall](t, f)
	require.Len(t, mc, 1)
	require.Equal(t, keeper.CovenantDSCR, mc[0].Reason)
	res, err := keeper.NewQueryServerImpl(f.k).Loan(f.ctx, &types.QueryLoanRequest{Id: id})
	require.NoError(t, err)
	require.Equal(t, math.LegacyOneDec(), res.Dscr)
	eqInt(t, math.ZeroInt(), res.Withdrawable) // not ACTIVE
	f.checkInvariants(t)

	// Period 2 earns three installments: (1 + 3) / 2 = 2.0 >= 1.5: cured.
	second := l.InterestDue.Add(l.PrincipalDue)
	f.payLockbox(t, id, uusdai(second.MulRaw(3)))
	f.setTime(genesisTime.Add(2 * month))
	f.freshEvents()
	f.endBlock(t)
	l = f.loan(t, id)
	require.Equal(t, types.LoanActive, l.Status)
	require.True(t, l.MarginCallDeadline.IsZero())
	require.Len(t, eventsOf[types.EventLoanCured](t, f), 1)
	ratio, _ := l.DSCR()
	require.Equal(t, math.LegacyNewDecFromInt(first.Add(second.MulRaw(3))).QuoInt(first.Add(second)), ratio)
	eqInt(t, second.MulRaw(2), f.bank.get(types.LockboxAddress(id)))
	f.checkInvariants(t)
}

// TestDSCRMarginCallDefaultsWithoutRecovery: revenue that never recovers
// defaults the loan at the cure deadline (margin_call:dscr).
func TestDSCRMarginCallDefaultsWithoutRecovery(t *testing.T) {
	f := setup(t)
	f.setProduct(t, func(p *types.Product) { p.MinDscr = math.LegacyMustNewDecFromStr("1.2") })
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	f.setTime(genesisTime.Add(month)) // no revenue: the DSR pays, ratio 0
	f.endBlock(t)
	l := f.loan(t, id)
	require.Equal(t, types.LoanMarginCall, l.Status)
	require.Equal(t, keeper.CovenantDSCR, l.MarginCallReason)
	f.setTime(l.MarginCallDeadline)
	f.endBlock(t)
	l = f.loan(t, id)
	require.Equal(t, types.LoanForeclosing, l.Status)
	require.Equal(t, "margin_call:dscr", l.DefaultReason)
	f.checkInvariants(t)
}

// TestLockboxJoinsWaterfall: at a sale the lockbox's USDai joins the
// proceeds next to the DSR.
func TestLockboxJoinsWaterfall(t *testing.T) {
	f := setup(t)
	id := foreclose(t, f, title1Falls, 1)
	box := types.LockboxAddress(id)
	d := f.loan(t, id).Dsr
	f.payLockbox(t, id, uusdai(usd(500)))
	f.setPolicy(1, usd(12_000), usd(6_000))
	f.setTime(auctionStart.Add(12 * time.Hour))
	bal := f.balances()
	_, _, err := f.k.Bid(f.ctx, bidder, id, uusdai(usd(8_250)))
	require.NoError(t, err)
	proceeds := usd(12_500).Add(d)
	fee := types.BpsOf(proceeds, 500)
	surplus := proceeds.Sub(fee).Sub(usd(10_125))
	f.requireMoves(t, bal,
		move{bidder, usd(-8_250)},
		move{insurer, usd(-3_750)},
		move{box, usd(-500)},
		move{lendingAddr, d.Neg()},
		move{feesAddr, fee},
		move{yieldAddr, usd(9_090)},
		move{curator, usd(1_035)},
		move{borrower, surplus},
	)
	w := f.auction(t, id).Waterfall
	eqInt(t, usd(500), w.Lockbox)
	eqInt(t, d, w.Reserve)
	eqInt(t, surplus, w.Surplus)
	requireClosed(t, f, id, types.LoanLiquidated)
	f.checkInvariants(t)
}

// TestLockboxPaysFinalInstallment: the last installment is all the principal
// left; a lockbox holding exactly it pays the payoff (the exit fee comes from
// the DSR, which covers it) and the loan closes REPAID.
func TestLockboxPaysFinalInstallment(t *testing.T) {
	f := setup(t)
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	for i := 1; i <= 11; i++ {
		l := f.loan(t, id)
		f.setTime(l.NextDueTime)
		_, _, err := f.k.Repay(f.ctx, payer, id, l.InterestDue.Add(l.PrincipalDue))
		require.NoError(t, err)
		f.endBlock(t)
	}
	l := f.loan(t, id)
	require.Equal(t, uint32(1), l.PaymentsRemaining)
	last := l.InterestDue.Add(l.PrincipalDue)
	eqInt(t, l.Outstanding(), l.PrincipalDue)
	f.payLockbox(t, id, uusdai(last))
	f.setTime(l.NextDueTime)
	f.freshEvents()
	bal := f.balances()
	f.endBlock(t)
	require.Equal(t, types.LoanRepaid, f.loan(t, id).Status)
	eqInt(t, math.ZeroInt(), f.bank.get(types.LockboxAddress(id)))
	pays := eventsOf[types.EventLoanPayment](t, f)
	require.Len(t, pays, 1)
	require.Equal(t, keeper.SourceLockbox, pays[0].Source)
	eqInt(t, last, pays[0].Amount)
	fee := pays[0].ExitFee
	eqInt(t, types.BpsOfCeil(l.Outstanding(), 50), fee)
	eqInt(t, bal[lendingAddr.String()].Sub(l.Dsr), f.bank.get(lendingAddr))
	eqInt(t, bal[borrower.String()].Add(l.Dsr).Sub(fee), f.bank.get(borrower))
	f.checkInvariants(t)
}

// TestLockboxShortOfExitFee: without a DSR the payoff includes the exit fee;
// a lockbox holding the last installment but not the fee pays all but one
// uusdai (applyPayment refuses repaying all principal without the fee), so
// the loan is DELINQUENT for that uusdai and the walk goes on.
func TestLockboxShortOfExitFee(t *testing.T) {
	f := setup(t)
	f.noReserve(t)
	id := f.fundLoan(t, usd(10_000), usd(1_000), 1)
	for i := 1; i <= 11; i++ {
		l := f.loan(t, id)
		f.setTime(l.NextDueTime)
		_, _, err := f.k.Repay(f.ctx, payer, id, l.InterestDue.Add(l.PrincipalDue))
		require.NoError(t, err)
		f.endBlock(t)
	}
	l := f.loan(t, id)
	last := l.InterestDue.Add(l.PrincipalDue)
	f.payLockbox(t, id, uusdai(last))
	f.setTime(l.NextDueTime)
	f.endBlock(t)
	l = f.loan(t, id)
	require.Equal(t, types.LoanDelinquent, l.Status)
	eqInt(t, math.OneInt(), l.Outstanding())
	eqInt(t, math.OneInt(), f.bank.get(types.LockboxAddress(id)))
	f.checkInvariants(t)
}
