package main

import (
	"context"
	"fmt"
	"time"

	sdkmath "cosmossdk.io/math"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
)

// dueWait bounds waiting for a due date, grace end or margin call: the
// localnet's periods are 60 s and its grace 30 s.
const dueWait = 2 * time.Minute

// secondLoanDefaults funds the second loan and lets it fail: the DSR pays
// the first due date, the H100 price crashes (margin call), the second due
// date is missed (DELINQUENT, vault write-down), the grace period ends
// (default, Dutch auction), a bidder buys the title and the loss goes down
// the waterfall. The price is restored at the end.
func (d *demo) secondLoanDefaults(ctx context.Context) error {
	d.r.section("A loan that defaults: DSR, margin call, delinquency, auction, waterfall")
	id := d.loans[1]
	res, err := d.underwrite(ctx, id, secondJunior)
	if err != nil {
		return err
	}
	paidAt, err := d.reservePays(ctx, id, res.Height)
	if err != nil {
		return err
	}
	before, err := d.vault(ctx)
	if err != nil {
		return err
	}
	if err := d.crash(ctx, id); err != nil {
		return err
	}
	// Scanned from the DSR payment: on a slow machine the second due date
	// may come before the margin call.
	h, err := d.delinquent(ctx, id, paidAt, before.RedemptionPrice)
	if err != nil {
		return err
	}
	if err := d.foreclosure(ctx, id, h); err != nil {
		return err
	}
	if err := d.auctionSale(ctx, id); err != nil {
		return err
	}
	return d.restorePrice(ctx)
}

// reservePays waits for the first due date, which the debt-service reserve pays.
func (d *demo) reservePays(ctx context.Context, id uint64, from int64) (int64, error) {
	p, h, err := waitEvent(ctx, d.c, from, dueWait, func(e *lendingtypes.EventLoanPayment) bool {
		return e.LoanId == id && e.Source == "reserve"
	})
	if err != nil {
		return 0, err
	}
	d.r.block(h, "loan #%d's first due date passes unpaid: the debt-service reserve pays the %s installment → %d payments left",
		id, usd(p.Amount), p.PaymentsRemaining)
	d.r.why("the DSR held back at funding covers one missed payment, so the loan stays ACTIVE; the reserve is now empty")
	return h, nil
}

// crash posts the H100 price that makes the title worth 28,000, and waits
// for the margin call it causes.
func (d *demo) crash(ctx context.Context, id uint64) error {
	pricedAt, err := d.setPrice(ctx, h100Feed, crashPrice.String())
	if err != nil {
		return err
	}
	d.r.block(pricedAt, "the validators' market sources crash: they report %s USDai per H100", usd(crashPrice))
	d.r.why("title #%d is now valued min(its appraisal, %d × %s = %s): the market bound wins",
		d.titles[1], gpusPerBox, usd(crashPrice), usd(crashPrice.MulRaw(gpusPerBox)))
	// The margin call comes in the block that stored the crashed price, which
	// may be just before the height setPrice saw it at.
	mc, h, err := waitEvent(ctx, d.c, pricedAt-2, dueWait, func(e *lendingtypes.EventMarginCall) bool { return e.LoanId == id })
	if err != nil {
		return err
	}
	d.r.block(h, "the class-wide revaluation margin-calls loan #%d (%s): LTV %s above the 85%% liquidation LTV; cure by %s",
		id, mc.Reason, pct(mc.Ltv), mc.Deadline.Format("15:04:05"))
	d.r.why("LTV = outstanding / collateral value; adding titles or repaying before the deadline would cure it")
	return nil
}

// delinquent waits for the second due date, missed with the reserve empty,
// and shows the vault's write-down.
func (d *demo) delinquent(ctx context.Context, id uint64, from int64, priceBefore sdkmath.LegacyDec) (int64, error) {
	ev, h, err := waitEvent(ctx, d.c, from, dueWait, func(e *lendingtypes.EventLoanDelinquent) bool { return e.LoanId == id })
	if err != nil {
		return 0, err
	}
	d.r.block(h, "the second due date passes unpaid with the reserve empty: loan #%d DELINQUENT, %s overdue, grace until %s",
		id, usd(ev.Overdue), ev.GraceEnds.Format("15:04:05"))
	d.r.why("from the due date, late interest at 5%% APR accrues on the whole outstanding principal")
	l, err := d.loan(ctx, id)
	if err != nil {
		return 0, err
	}
	val, err := query(ctx, d.caliber.Valuation, &calibertypes.QueryValuationRequest{TitleId: d.titles[1]})
	if err != nil {
		return 0, err
	}
	v, err := d.vault(ctx)
	if err != nil {
		return 0, err
	}
	d.r.block(h, "the vault writes its senior claim down by %s: redemption price %s → %s",
		usd(ev.WriteDown), price(priceBefore), price(v.RedemptionPrice))
	d.r.why("write-down = senior %s − expected recovery %s (value %s × (1 − 30%% haircut) + coverage %s); redemptions use the conservative NAV",
		usd(l.Loan.Senior.Balance), usd(l.Loan.Senior.Balance.Sub(ev.WriteDown)), usd(val.Valuation.Value), usd(coverage))
	return h, nil
}

// foreclosure waits for the grace period to end: default and auction.
func (d *demo) foreclosure(ctx context.Context, id uint64, from int64) error {
	ev, h, err := waitEvent(ctx, d.c, from, dueWait, func(e *lendingtypes.EventLoanDefaulted) bool { return e.LoanId == id })
	if err != nil {
		return err
	}
	a, err := query(ctx, d.lending.Auction, &lendingtypes.QueryAuctionRequest{Id: id})
	if err != nil {
		return err
	}
	floor := a.Auction.FloorRatio.MulInt(a.Auction.TopPrice).TruncateInt()
	d.r.block(h, "the grace period ends: loan #%d DEFAULTED (%s) → FORECLOSING; Dutch auction #%d of title #%d opens at %s",
		id, ev.Reason, a.Auction.Id, a.Auction.TitleIds[0], usd(a.Auction.TopPrice))
	d.r.why("top price = 1.10 × the title's value %s; it falls linearly to the %s floor over %.0f s",
		usd(a.Auction.ReferenceValue), usd(floor), a.Auction.Duration.Seconds())
	return nil
}

// auctionSale has the depositor buy the lot early in the round and shows
// the insurance claim and the waterfall.
func (d *demo) auctionSale(ctx context.Context, id uint64) error {
	l, err := d.loan(ctx, id)
	if err != nil {
		return err
	}
	res, err := d.c.tx(ctx, "lending", "bid", fmt.Sprint(id), coin(maxBid, usdaiDenom), "--from", "depositor")
	if err != nil {
		return err
	}
	sold, err := event[*lendingtypes.EventAuctionSold](res)
	if err != nil {
		return err
	}
	a, err := query(ctx, d.lending.Auction, &lendingtypes.QueryAuctionRequest{Id: id})
	if err != nil {
		return err
	}
	elapsed := a.Auction.ClosedAt.Sub(a.Auction.RoundStart).Seconds()
	d.r.tx(res, "depositor bids up to %s and buys title #%d for %s, %.1f s into the round",
		usd(maxBid), sold.TitleIds[0], usd(sold.Price), elapsed)
	d.r.why("price = %s × (1 − %.1f s / %.0f s); a bid pays the current price, not its maximum",
		usd(a.Auction.TopPrice), elapsed, a.Auction.Duration.Seconds())
	claim, err := event[*calibertypes.EventClaimPaid](res)
	if err != nil {
		return err
	}
	d.r.tx(res, "value insurance pays %s into the waterfall", usd(claim.Paid))
	d.r.why("min(coverage %s, insured value %s − sale price %s)", usd(coverage), usd(appraisal), usd(sold.Price))
	return d.waterfall(ctx, res, l.Loan)
}

// waterfall prints how the proceeds were shared and what the vault's
// redemption price did.
func (d *demo) waterfall(ctx context.Context, res *txResult, l lendingtypes.Loan) error {
	settled, err := event[*lendingtypes.EventLoanSettled](res)
	if err != nil {
		return err
	}
	w := settled.Waterfall
	proceeds := w.SaleProceeds.Add(w.Insurance).Add(w.Casualty).Add(w.Reserve)
	d.r.tx(res, "waterfall of %s: liquidation fee %s, vault %s + %s interest, curator %s of its %s junior → %s",
		usd(proceeds), usd(w.LiquidationFee), usd(w.SeniorPrincipal), usd(w.SeniorInterest),
		usd(w.JuniorPrincipal.Add(w.JuniorInterest)), usd(l.JuniorPrincipal), status(settled.Status))
	d.r.why("sale + insurance + DSR, paid fee → senior → junior: the first-loss tranche loses %s, the vault %s",
		usd(w.JuniorLoss), usd(w.SeniorLoss))
	v, err := d.vault(ctx)
	if err != nil {
		return err
	}
	d.r.info("vault redemption price back to %s, share price %s", price(v.RedemptionPrice), price(v.SharePrice))
	if w.SeniorLoss.IsZero() {
		d.r.why("the senior claim was repaid in full, so its write-down is reversed")
	} else {
		d.r.why("the vault lost %s only once the junior tranche was wiped out", usd(w.SeniorLoss))
	}
	return nil
}

// restorePrice undoes the crash, so H100 titles (and the next run) are valued normally.
func (d *demo) restorePrice(ctx context.Context) error {
	h, err := d.setPrice(ctx, h100Feed, gpuPrice.String())
	if err != nil {
		return err
	}
	d.r.block(h, "the validators' sources report the H100 at %s USDai per GPU again", usd(gpuPrice))
	d.r.why("the crash margin-calls every H100 loan; the next run needs titles valued normally again")
	return nil
}
