package main

import (
	"context"
	"fmt"

	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
)

// rentPayer is the key that plays the compute customer renting the GPUs:
// it pays rent in USDC straight to the loan's lockbox.
const rentPayer = "depositor"

// rentPeriod has the customer pay `times` installments' worth of rent (in
// USDC, 0.2% above so the PSM's 10 bps fee leaves enough) into the loan's
// lockbox, waits for the due date's sweep and reports what the chain did:
// the conversion, the installment paid with no MsgRepay, the period's
// coverage and the covenant's verdict. It returns the sweep's height.
func (d *demo) rentPeriod(ctx context.Context, id uint64, from int64, times int64) (int64, error) {
	l, err := d.loan(ctx, id)
	if err != nil {
		return 0, err
	}
	installment := l.Loan.InterestDue.Add(l.Loan.PrincipalDue)
	rent := installment.MulRaw(times)
	rent = rent.Add(rent.QuoRaw(500))
	res, err := d.c.tx(ctx, "bank", "send", rentPayer, l.Lockbox, coin(rent, usdcDenom), "--from", rentPayer)
	if err != nil {
		return 0, err
	}
	d.r.tx(res, "a customer renting the GPUs (the %s key) pays %s USDC of rent to loan #%d's lockbox %s with a plain bank send",
		rentPayer, usd(rent), id, l.Lockbox)
	if times == 1 {
		d.r.why("the lockbox address is derived from the module and the loan id: no key exists for it, only the chain moves what it holds")
	}

	sweep, h, err := waitEvent(ctx, d.c, from, dueWait, func(e *lendingtypes.EventLockboxSweep) bool {
		return e.LoanId == id && e.Reason == "due"
	})
	if err != nil {
		return 0, fmt.Errorf("loan %d: no due-date sweep: %w", id, err)
	}
	evs, err := d.c.blockEvents(ctx, h)
	if err != nil {
		return 0, err
	}
	for _, c := range typedEvents[*lendingtypes.EventLockboxConversion](evs) {
		if c.LoanId == id && c.Refused == "" {
			d.r.block(h, "due date: the lockbox's %s USDC is minted into %s USDai through the PSM (fee %s)", usd(c.Amount.Amount), usd(c.Received), usd(c.Fee))
		}
	}
	d.r.block(h, "the lockbox pays the installment %s with no MsgRepay; %s USDai stays in it", usd(sweep.Installment), usd(sweep.Held))
	for _, p := range typedEvents[*lendingtypes.EventLoanPayment](evs) {
		if p.LoanId == id && times == 1 {
			d.r.why("principal %s + interest %s, a level payment over 36 one-minute periods; interest = balance × 15%% × 60 s / 365 days: tiny, as a localnet month is a minute",
				usd(p.Principal), usd(p.Interest))
			d.r.why("split pro rata 90/10: the vault gets %s of the interest, the curator %s (including a %s premium: 20%% of the senior share)",
				usd(p.SeniorInterest), usd(p.JuniorInterest), usd(p.Premium))
		}
	}
	for _, cf := range typedEvents[*lendingtypes.EventCashFlowRecorded](evs) {
		if cf.LoanId == id {
			d.r.why("this period: revenue %s against debt service %s; DSCR over the record %s (covenant: at least 1.25)",
				usd(cf.Period.Revenue), usd(cf.Period.DebtService), fixed(cf.Dscr, 2))
		}
	}
	after, err := d.loan(ctx, id)
	if err != nil {
		return 0, err
	}
	switch {
	case after.Loan.Status == lendingtypes.LoanMarginCall:
		d.r.block(h, "loan #%d → MARGIN_CALL (%s): the rent covers the installment only %s×; cure by %s (repay, add collateral, or more rent)",
			id, after.Loan.MarginCallReason, fixed(after.Dscr, 2), after.Loan.MarginCallDeadline.Format("15:04:05"))
	case len(typedEvents[*lendingtypes.EventLoanCured](evs)) > 0:
		d.r.block(h, "loan #%d cured → %s: DSCR %s is back above 1.25; the DSR %s was never touched",
			id, status(after.Loan.Status), fixed(after.Dscr, 2), usd(after.Loan.Dsr))
		d.r.why("the borrower may withdraw %s USDai now: what the lockbox holds above the next two installments", usd(after.Withdrawable))
	default:
		d.r.block(h, "loan #%d stays %s; DSCR %s", id, status(after.Loan.Status), fixed(after.Dscr, 2))
	}
	return h, nil
}
