package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	sdkmath "cosmossdk.io/math"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// epochWait bounds waiting for an epoch close (every 60 s on the localnet)
// and its serving round.
const epochWait = 3 * time.Minute

type redemption struct {
	key    string
	shares sdkmath.Int
	bid    uint32
	id     uint64
}

// redemptions queues two requests with different bids in one epoch and
// shows the higher bid served first at the epoch close.
func (d *demo) redemptions(ctx context.Context) error {
	d.r.section("Redemptions: the QEV queue (x/yield)")
	// Both requests must make the same epoch close.
	if err := d.waitEpochRoom(ctx, 20*time.Second); err != nil {
		return err
	}
	insurerShares, err := d.balance(ctx, "insurer", shareDenom)
	if err != nil {
		return err
	}
	reqs := []*redemption{
		{key: "insurer", shares: insurerShares, bid: insurerBidBps},
		{key: "depositor", shares: depositorRedo, bid: depositorBidBps},
	}
	var from int64
	for i, q := range reqs {
		res, err := d.c.tx(ctx, "yield", "request-redeem", q.shares.String(), fmt.Sprint(q.bid), "--from", q.key)
		if err != nil {
			return err
		}
		ev, err := event[*yieldtypes.EventRedeemRequested](res)
		if err != nil {
			return err
		}
		q.id = ev.RequestId
		if from == 0 {
			from = res.Height
		}
		d.r.tx(res, "%s queues redemption #%d: %s sUSDai, bidding %d bps of the payout for priority", q.key, q.id, usd(q.shares), q.bid)
		if i == 0 {
			d.r.why("the shares are escrowed and keep sharing gains and losses until served at the epoch close")
		} else {
			d.r.why("a lower bid: served after the insurer although the same epoch's liquidity would do for both")
		}
	}
	return d.serve(ctx, from, reqs)
}

// waitEpochRoom returns once the current epoch closes at least room after
// the latest block.
func (d *demo) waitEpochRoom(ctx context.Context, room time.Duration) error {
	deadline := time.Now().Add(epochWait)
	for {
		e, err := query(ctx, d.yield.Epoch, &yieldtypes.QueryEpochRequest{})
		if err != nil {
			return err
		}
		now, err := d.c.blockTime(ctx)
		if err != nil {
			return err
		}
		if e.Epoch.End.Sub(now) >= room {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no epoch with %s left before its close within %s", room, epochWait)
		}
		if err := sleep(ctx, time.Second); err != nil {
			return err
		}
	}
}

// serve waits for the epoch close after the requests and prints each served
// request in service order.
func (d *demo) serve(ctx context.Context, from int64, reqs []*redemption) error {
	last := reqs[len(reqs)-1].id
	closed, h, err := waitEvent(ctx, d.c, from, epochWait, func(e *yieldtypes.EventEpochClosed) bool { return e.CutoffId > last })
	if err != nil {
		return err
	}
	d.r.block(h, "epoch %d closes with %s sUSDai queued: its serving round starts", closed.Epoch, usd(closed.QueuedShares))
	d.r.why("requests are paid from idle USDai in bid order, then by age, at the redemption (conservative) price")
	for i, q := range reqs {
		s, sh, err := waitEvent(ctx, d.c, h, epochWait, func(e *yieldtypes.EventRedeemServed) bool { return e.RequestId == q.id })
		if err != nil {
			return err
		}
		d.printServed(sh, q, s, i == 0)
	}
	return nil
}

func (d *demo) printServed(h int64, q *redemption, s *yieldtypes.EventRedeemServed, first bool) {
	left := ""
	if s.RemainingShares.IsPositive() {
		left = fmt.Sprintf(" (%s sUSDai stay queued for the next epoch)", usd(s.RemainingShares))
	}
	d.r.block(h, "redemption #%d (%s, %d bps) served: %s sUSDai → %s USDai at %s%s",
		q.id, q.key, q.bid, usd(s.Shares), usd(s.Payout), price(s.Price), left)
	bid := pct(sdkmath.LegacyNewDecWithPrec(int64(q.bid), 4))
	if first {
		d.r.why("payout = shares × price × (1 − %s); the %s bid stays in the vault (less %s to the protocol), raising the price for the rest",
			bid, usd(s.BidAmount), usd(s.ProtocolShare))
		return
	}
	d.r.why("served second, at the price the higher bid raised; payout = shares × price × (1 − %s), its %s bid stays in the vault too",
		bid, usd(s.BidAmount))
}

// finalFigures prints the vault, the loan book, the USDai reserves and the
// insurance pool as they stand.
func (d *demo) finalFigures(ctx context.Context) error {
	d.r.section("Final figures")
	v, err := d.vault(ctx)
	if err != nil {
		return err
	}
	d.r.info("sUSDai vault: NAV %s (conservative %s) over %s sUSDai: share price %s, redemption price %s",
		usd(v.Nav), usd(v.ConservativeNav), usd(v.TotalShares), price(v.SharePrice), price(v.RedemptionPrice))
	d.r.why("NAV = idle + T-bills + senior loans − write-downs + interest accrued; the conservative NAV leaves out what is not yet paid")
	d.r.info("vault assets: idle %s (buffer %s), T-bills %s (recall %s), senior loans %s; written off to date %s",
		usd(v.Idle), usd(v.Buffer), usd(v.Treasury.Principal), usd(v.Treasury.Recall), usd(v.Book.Principal), usd(v.Book.WrittenOff))
	d.r.why("every 30 s the rebalance keeps 10%% of NAV idle (plus queued redemptions and commitments) and the rest in T-bills")
	book, err := query(ctx, d.lending.BookSummary, &lendingtypes.QueryBookSummaryRequest{})
	if err != nil {
		return err
	}
	d.r.info("loan book: senior %s, junior %s, DSR held %s; loans: %s",
		usd(book.SeniorPrincipal), usd(book.JuniorPrincipal), usd(book.DsrHeld), statusCounts(book.StatusCounts))
	d.r.why("this run's loans are closed (one REPAID, one LIQUIDATED), so they add nothing outstanding")
	por, err := query(ctx, d.stable.ProofOfReserves, &stabletypes.QueryProofOfReservesRequest{})
	if err != nil {
		return err
	}
	d.r.info("USDai: supply %s, backed by %s USDC held by x/stable (ratio %s); the treasury custodian holds another %s USDC in T-bills for the vault",
		usd(por.UsdaiSupply), usd(por.ReservesHeld), fixed(por.Ratio, 4), usd(por.TreasuryOutstanding))
	d.r.why("USDai is minted only against reserves: an allocation burns USDai as its USDC leaves, a settlement mints it back")
	pool, err := query(ctx, d.caliber.Pool, &calibertypes.QueryPoolRequest{Insurer: d.addr["insurer"]})
	if err != nil {
		return err
	}
	d.r.info("insurance pool: balance %s, reserved %s, free %s", usd(pool.Pool.Balance), usd(pool.Pool.Reserved), usd(pool.Free))
	d.r.why("the claim paid title #%d's coverage out; title #%d's policy stays reserved until it expires", d.titles[1], d.titles[0])
	return nil
}

// statusCounts writes loan counts per status, e.g. "REPAID 3, LIQUIDATED 2".
func statusCounts(counts []lendingtypes.StatusCount) string {
	parts := make([]string, 0, len(counts))
	for _, c := range counts {
		if c.Count > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", status(c.Status), c.Count))
		}
	}
	return strings.Join(parts, ", ")
}
