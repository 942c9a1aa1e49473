package main

import (
	"context"
	"fmt"
	"time"

	sdkmath "cosmossdk.io/math"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// rebalanceWait bounds waiting for a treasury rebalance (every 30 s on the localnet).
const rebalanceWait = 2 * time.Minute

// treasuryAllocation waits for the rebalance that sweeps the new deposits
// above the liquidity buffer into T-bills.
func (d *demo) treasuryAllocation(ctx context.Context) error {
	d.r.section("Treasury: idle USDai into T-bills (x/yield, x/stable)")
	ev, h, err := waitEvent(ctx, d.c, d.stakedAt, rebalanceWait, func(*yieldtypes.EventTreasuryAllocated) bool { return true })
	if err != nil {
		return err
	}
	v, err := d.vault(ctx)
	if err != nil {
		return err
	}
	d.r.block(h, "rebalance allocates %s USDai to T-bills: burned in the vault, %s USDC sent to the treasury custodian; T-bill principal %s",
		usd(ev.Amount), usd(ev.Amount), usd(ev.Principal))
	d.r.why("idle above the 10%% liquidity buffer (%s of NAV %s), queued redemptions and committed loans earns T-bill yield", usd(v.Buffer), usd(v.Nav))
	return nil
}

// requestLoans quotes the first title and requests both loans, which
// commits their principal in the vault.
func (d *demo) requestLoans(ctx context.Context) error {
	d.r.section("Borrowing against the titles (x/lending)")
	q, err := query(ctx, d.lending.Quote, &lendingtypes.QueryQuoteRequest{ProductId: product, TitleIds: []uint64{d.titles[0]}})
	if err != nil {
		return err
	}
	d.r.info("quote for title #%d under %s: LTV limit %s (70%% of %s), liquidity limit %s → %s now (binding: %s)",
		d.titles[0], product, usd(q.LtvLimit), usd(q.CollateralValue), usd(q.LiquidityLimit), usd(q.MaxPrincipal), q.Binding)
	d.r.why("the vault's USDai above its buffer is in T-bills: a request commits liquidity and the next rebalance recalls it")
	for i, principal := range []sdkmath.Int{firstLoan, secondLoan} {
		if err := d.requestLoan(ctx, i, principal); err != nil {
			return err
		}
	}
	return nil
}

func (d *demo) requestLoan(ctx context.Context, i int, principal sdkmath.Int) error {
	title := d.titles[i]
	res, err := d.c.tx(ctx, "lending", "request-loan", fmt.Sprint(title), loanProducts[i], principal.String(), "--from", "borrower")
	if err != nil {
		return err
	}
	ev, err := event[*lendingtypes.EventLoanRequested](res)
	if err != nil {
		return err
	}
	d.loans[i], d.requestedAt = ev.LoanId, res.Height
	v, err := d.vault(ctx)
	if err != nil {
		return err
	}
	d.r.tx(res, "borrower requests loan #%d under %s: %s USDai against title #%d → PENDING, title PLEDGED; vault commitments %s",
		ev.LoanId, loanProducts[i], usd(principal), title, usd(v.Committed))
	if i == 0 {
		d.r.why("a PENDING loan's principal is committed: no other loan can take it and the rebalance keeps it idle")
		d.r.why("%s is %s with a covenant: the GPU's rent must cover the installments 1.25× over the last two periods", revenueProduct, product)
		return nil
	}
	val, err := query(ctx, d.caliber.Valuation, &calibertypes.QueryValuationRequest{TitleId: title})
	if err != nil {
		return err
	}
	d.r.why("%s is %s of the title's value %s: just within the product's 70%% max LTV",
		usd(principal), pct(sdkmath.LegacyNewDecFromInt(principal).QuoInt(val.Valuation.Value)), usd(val.Valuation.Value))
	return nil
}

// treasuryRecall waits for the rebalance that recalls the committed
// principal from T-bills, and settles it.
func (d *demo) treasuryRecall(ctx context.Context) error {
	d.r.section("Treasury: recall and settlement")
	ev, h, err := waitEvent(ctx, d.c, d.requestedAt, rebalanceWait, func(e *yieldtypes.EventTreasuryRecall) bool { return e.Recall.IsPositive() })
	if err != nil {
		return err
	}
	v, err := d.vault(ctx)
	if err != nil {
		return err
	}
	d.r.block(h, "rebalance orders the treasury custodian to return %s USDai of its %s T-bill principal", usd(ev.Recall), usd(ev.Principal))
	d.r.why("target idle = buffer %s + queued redemptions + commitments %s; idle was %s (a recall is capped at the T-bill principal)",
		usd(v.Buffer), usd(v.Committed), usd(v.Idle))
	return d.settleTreasury(ctx, v)
}

// settleTreasury returns the recalled principal with T-bill interest: a
// localnet "month" (the 60 s loan period) of the T-bill rate on the whole
// position, or what has accrued on chain if that is more (settling below
// the accrual would be booked as a loss).
func (d *demo) settleTreasury(ctx context.Context, v yieldtypes.VaultSummary) error {
	coupon := sdkmath.LegacyMustNewDecFromStr(tbillRate).MulInt(v.Treasury.Principal).QuoInt64(12).TruncateInt()
	interest := sdkmath.MaxInt(coupon, v.AccruedTreasuryYield.Add(units(1)))
	res, err := d.c.tx(ctx, "yield", "settle-treasury", v.Treasury.Recall.String(), interest.String(), "--from", "treasury")
	if err != nil {
		return err
	}
	ev, err := event[*yieldtypes.EventTreasurySettled](res)
	if err != nil {
		return err
	}
	after, err := d.vault(ctx)
	if err != nil {
		return err
	}
	d.r.tx(res, "treasury custodian returns %s USDai plus %s of T-bill interest (admin fee %s): share price %s → %s",
		usd(ev.Principal), usd(ev.Yield), usd(ev.Fee), price(v.SharePrice), price(after.SharePrice))
	d.r.why("interest = 5%%/12 (a localnet month) on the %s T-bill position (%s had accrued on chain); the vault keeps it less the 1%% fee",
		usd(v.Treasury.Principal), usd(ev.AccruedYield))
	return nil
}

// loanProducts are the products of the first and the second loan.
var loanProducts = [2]string{revenueProduct, product}

// firstLoanLife funds the first loan and lets the GPU's rent pay it through
// its lockbox: thin rent in the first period is margin-called by the DSCR
// covenant, rent in the second cures it, and the borrower then pays the loan
// off, before the second loan's story crashes the H100 price.
func (d *demo) firstLoanLife(ctx context.Context) error {
	d.r.section("A loan paid by its GPU's rent: lockbox, DSCR covenant, payoff")
	id := d.loans[0]
	res, err := d.underwrite(ctx, id, firstJunior)
	if err != nil {
		return err
	}
	from, err := d.rentPeriod(ctx, id, res.Height, 1)
	if err != nil {
		return err
	}
	// The next sweep is in a later block than this one.
	if _, err := d.rentPeriod(ctx, id, from+1, 4); err != nil {
		return err
	}
	return d.payOff(ctx, id)
}

// underwrite has the curator fund a PENDING loan at the story's APR.
func (d *demo) underwrite(ctx context.Context, id uint64, junior sdkmath.Int) (*txResult, error) {
	res, err := d.c.tx(ctx, "lending", "underwrite", fmt.Sprint(id), apr, junior.String(), "--from", "curator")
	if err != nil {
		return nil, err
	}
	f, err := event[*lendingtypes.EventLoanFunded](res)
	if err != nil {
		return nil, err
	}
	l, err := d.loan(ctx, id)
	if err != nil {
		return nil, err
	}
	d.r.tx(res, "curator underwrites loan #%d at %s APR, paying in a %s first-loss tranche: borrower receives %s; first payment %s due at %s",
		id, pct(f.Apr), usd(f.JuniorAmount), usd(f.Disbursed), usd(f.FirstPayment), f.NextDueTime.Format("15:04:05"))
	d.r.why("%s − 1%% origination fee %s − debt-service reserve %s (one payment held back); the vault lends the senior %s at %s (15%% less the curator's 20%% premium)",
		usd(f.Principal), usd(f.OriginationFee), usd(f.Dsr), usd(f.SeniorAmount), pct(l.Loan.Senior.Rate))
	return res, nil
}

func (d *demo) payOff(ctx context.Context, id uint64) error {
	l, err := d.loan(ctx, id)
	if err != nil {
		return err
	}
	res, err := d.c.tx(ctx, "lending", "repay", fmt.Sprint(id), l.Payoff.String(), "--from", "borrower")
	if err != nil {
		return err
	}
	p, err := event[*lendingtypes.EventLoanPayment](res)
	if err != nil {
		return err
	}
	repaid, err := event[*lendingtypes.EventLoanRepaid](res)
	if err != nil {
		return err
	}
	d.r.tx(res, "borrower pays off loan #%d with %s → REPAID; %s of the DSR comes back and title #%d is ACTIVE again",
		id, usd(p.Amount), usd(repaid.DsrReturned), l.Loan.TitleIds[0])
	d.r.why("payoff = principal left %s + this period's interest %s; the 0.5%% exit fee %s is taken from the DSR %s",
		usd(p.Principal.Add(p.PrepaidPrincipal)), usd(p.Interest), usd(p.ExitFee), usd(l.Loan.Dsr))
	for _, sw := range typedEvents[*lendingtypes.EventLockboxSweep](res.Events) {
		if sw.LoanId == id && sw.Reason == "repaid" {
			for _, c := range sw.ToBorrower {
				d.r.why("the lockbox's last %s %s goes back to the borrower: rent above the payoff is the operator's", usd(c.Amount), denomName(c.Denom))
			}
		}
	}
	return nil
}

// denomName names the localnet's dollar denoms as people write them.
func denomName(denom string) string {
	switch denom {
	case usdaiDenom:
		return "USDai"
	case usdcDenom:
		return "USDC"
	}
	return denom
}
