package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	sdkmath "cosmossdk.io/math"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/oracle/provider"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// priceWait covers a price provider refresh (1s on a localnet) and the two
// blocks a vote extension takes to become the chain's price.
const priceWait = time.Minute

// marketData has the validators report the H100 price (also undoing a crash an
// interrupted run may have left) and the T-bill rate, through their price files.
func (d *demo) marketData(ctx context.Context) error {
	d.r.section("Market data (x/oracle, validator vote extensions)")
	h, err := d.setPrice(ctx, h100Feed, gpuPrice.String())
	if err != nil {
		return err
	}
	d.r.block(h, "the validators report the H100 market price in their votes: %s USDai per GPU", usd(gpuPrice))
	d.r.why("an 8-GPU title is worth at most %d × %s = %s on the market; valuations are capped by that",
		gpusPerBox, usd(gpuPrice), usd(gpuPrice.MulRaw(gpusPerBox)))
	if h, err = d.setPrice(ctx, tbillFeed, tbillRate); err != nil {
		return err
	}
	d.r.block(h, "the validators report the T-bill rate: %s APR", pct(sdkmath.LegacyMustNewDecFromStr(tbillRate)))
	d.r.why("the vault's T-bill position accrues at this rate while the feed is fresh")
	return nil
}

// setPrice writes value into every validator's price file for feedID (what
// each reads as its market source) and waits until the chain's price, the
// stake-weighted median of their vote extensions, is value. It returns that height.
func (d *demo) setPrice(ctx context.Context, feedID, value string) (int64, error) {
	want, err := sdkmath.LegacyNewDecFromStr(value)
	if err != nil {
		return 0, err
	}
	for _, home := range d.homes {
		path := filepath.Join(home, "oracle", provider.FeedFileName(feedID))
		if err := os.WriteFile(path+".tmp", []byte(value+"\n"), 0o644); err != nil {
			return 0, err
		}
		if err := os.Rename(path+".tmp", path); err != nil {
			return 0, err
		}
	}
	deadline := time.Now().Add(priceWait)
	for time.Now().Before(deadline) {
		h, err := d.c.height(ctx)
		if err != nil {
			return 0, err
		}
		res, err := d.oracle.Price(ctx, &oracletypes.QueryPriceRequest{FeedId: feedID})
		if err == nil && res.Price.Valid && res.Price.Value.Equal(want) {
			return h, nil
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return 0, fmt.Errorf("the chain's %s price did not become %s within %s: are the validators' price files in %v?", feedID, value, priceWait, d.homes)
}

// mintUSDai gives each party USDai for its part, through the PSM.
func (d *demo) mintUSDai(ctx context.Context) error {
	d.r.section("USDai from USDC (x/stable)")
	for _, m := range []struct {
		key  string
		usdc sdkmath.Int
		why  string
	}{
		{"depositor", units(300_000), "to stake 250,000 and to bid at an auction later"},
		{"insurer", units(215_000), "for its insurance pool (200,000) and a 10,000 stake"},
		{"curator", units(25_000), "for the first-loss (junior) tranches: 10,000 + 13,800"},
		{"borrower", units(10_000), "for insurance premiums, the origination fee and interest"},
	} {
		res, err := d.c.tx(ctx, "stable", "mint", coin(m.usdc, usdcDenom), "--from", m.key)
		if err != nil {
			return err
		}
		ev, err := event[*stabletypes.EventMint](res)
		if err != nil {
			return err
		}
		d.r.tx(res, "%s mints %s USDai for %s USDC (fee %s)", m.key, usd(ev.Received.Amount), usd(ev.Deposited.Amount), usd(ev.Fee.Amount))
		d.r.why("1:1 less the 10 bps mint fee; %s", m.why)
	}
	return nil
}

// stake deposits the depositor's and the insurer's USDai into sUSDai.
func (d *demo) stake(ctx context.Context) error {
	d.r.section("Staking USDai into sUSDai (x/yield)")
	for _, s := range []struct {
		key    string
		amount sdkmath.Int
	}{{"depositor", units(250_000)}, {"insurer", units(10_000)}} {
		v, err := d.vault(ctx)
		if err != nil {
			return err
		}
		res, err := d.c.tx(ctx, "yield", "deposit", coin(s.amount, usdaiDenom), "--from", s.key)
		if err != nil {
			return err
		}
		ev, err := event[*yieldtypes.EventDeposit](res)
		if err != nil {
			return err
		}
		if d.stakedAt == 0 {
			d.stakedAt = res.Height
		}
		d.r.tx(res, "%s stakes %s USDai → %s sUSDai at %s USDai per sUSDai", s.key, usd(ev.Assets), usd(ev.Shares), price(v.SharePrice))
		d.r.why("priced at NAV before the deposit: %s USDai over %s sUSDai, plus a virtual 1/1 against inflation attacks; shares round down",
			usd(v.Nav), usd(v.TotalShares))
	}
	return nil
}

// insuredTitles funds the insurer's pool and brings two 8×H100 titles to
// ACTIVE, appraised and insured: one for each loan.
func (d *demo) insuredTitles(ctx context.Context) error {
	d.r.section("GPU titles: mint, custody, appraisal, insurance (x/caliber)")
	res, err := d.c.tx(ctx, "caliber", "fund-insurance-pool", poolFunding.String(), "--from", "insurer")
	if err != nil {
		return err
	}
	ev, err := event[*calibertypes.EventPoolFunded](res)
	if err != nil {
		return err
	}
	d.r.tx(res, "insurer funds its pool with %s USDai: balance %s, reserved %s", usd(ev.Amount), usd(ev.Pool.Balance), usd(ev.Pool.Reserved))
	d.r.why("a policy reserves its whole coverage from free capacity (balance − reserved): claims are always funded")
	for i, tag := range []string{"A", "B"} {
		id, err := d.insuredTitle(ctx, tag, i == 0)
		if err != nil {
			return err
		}
		d.titles[i] = id
	}
	return nil
}

// insuredTitle mints one title for the borrower and takes it through custody,
// appraisal and insurance. explain is false for the second title, whose
// numbers are the first one's.
func (d *demo) insuredTitle(ctx context.Context, tag string, explain bool) (uint64, error) {
	id, err := d.mintTitle(ctx, tag, explain)
	if err != nil {
		return 0, err
	}
	res, err := d.c.tx(ctx, "caliber", "confirm-custody", fmt.Sprint(id), "--from", "custodian")
	if err != nil {
		return 0, err
	}
	d.r.tx(res, "custodian confirms it holds title #%d's GPUs → ACTIVE", id)
	if explain {
		d.r.why("only the custodian named at mint can; it must then attest custody at least every 10 minutes (localnet)")
	}
	if err := d.appraise(ctx, id, explain); err != nil {
		return 0, err
	}
	return id, d.insure(ctx, id, explain)
}

func (d *demo) mintTitle(ctx context.Context, tag string, explain bool) (uint64, error) {
	args := []string{"caliber", "mint-title", h100Class, d.addr["borrower"], d.addr["custodian"], fmt.Sprint(gpusPerBox)}
	serials := make([]string, gpusPerBox)
	for i := range serials {
		serials[i] = fmt.Sprintf("%s-%s%d", d.run, tag, i+1)
	}
	args = append(args, serials...)
	args = append(args, "--facility", "DAL-01", "--jurisdiction", "US-TX", "--from", "issuer")
	res, err := d.c.tx(ctx, args...)
	if err != nil {
		return 0, err
	}
	ev, err := event[*calibertypes.EventTitleMinted](res)
	if err != nil {
		return 0, err
	}
	// The event names the title, not its serials (they are the ones sent).
	d.r.tx(res, "issuer mints title #%d: %d × H100 (serials %s…%s) for the borrower, held by the custodian → %s",
		ev.TitleId, ev.Units, serials[0], serials[len(serials)-1], status(calibertypes.StatusPendingCustody))
	if explain {
		d.r.why("a serial can be in one live title only: the on-chain guard against pledging a GPU twice")
	}
	return ev.TitleId, nil
}

func (d *demo) appraise(ctx context.Context, id uint64, explain bool) error {
	res, err := d.c.tx(ctx, "caliber", "appraise", fmt.Sprint(id), appraisal.String(), d.appraisalExpiry.Format(time.RFC3339), reportHash, "--from", "appraiser")
	if err != nil {
		return err
	}
	v, err := query(ctx, d.caliber.Valuation, &calibertypes.QueryValuationRequest{TitleId: id})
	if err != nil {
		return err
	}
	val := v.Valuation
	d.r.tx(res, "appraiser values title #%d at %s → valuation %s (market %s, bound by %s)",
		id, usd(appraisal), usd(val.Value), usd(val.MarketValue), val.BoundBy)
	if explain {
		d.r.why("value = min(appraisal depreciated 20%%/year for its age in seconds, %d GPUs × market price)", gpusPerBox)
	}
	return nil
}

// insure has the borrower request a policy and the insurer issue it.
func (d *demo) insure(ctx context.Context, id uint64, explain bool) error {
	res, err := d.c.tx(ctx, "caliber", "request-policy", fmt.Sprint(id), d.addr["insurer"], appraisal.String(), coverage.String(),
		d.policyExpiry.Format(time.RFC3339), maxPremium.String(), "--from", "borrower")
	if err != nil {
		return err
	}
	req, err := event[*calibertypes.EventPolicyRequested](res)
	if err != nil {
		return err
	}
	d.r.tx(res, "borrower requests policy #%d on title #%d: coverage %s of an insured value of %s, premium at most %s",
		req.Request.Id, id, usd(coverage), usd(appraisal), usd(maxPremium))
	if explain {
		d.r.why("the loan product requires cover of at least 50%% of the collateral's value for the whole loan")
	}
	if res, err = d.c.tx(ctx, "caliber", "issue-policy", fmt.Sprint(req.Request.Id), premium.String(), "--from", "insurer"); err != nil {
		return err
	}
	pool, err := query(ctx, d.caliber.Pool, &calibertypes.QueryPoolRequest{Insurer: d.addr["insurer"]})
	if err != nil {
		return err
	}
	d.r.tx(res, "insurer issues it for a %s premium: pool balance %s, reserved %s, free %s",
		usd(premium), usd(pool.Pool.Balance), usd(pool.Pool.Reserved), usd(pool.Free))
	if explain {
		d.r.why("the borrower pays the premium (pre-authorized by the request); the coverage is set aside in the pool")
	}
	return nil
}
