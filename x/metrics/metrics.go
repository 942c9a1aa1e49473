// Package metrics exports infrafi's protocol figures as Prometheus gauges.
//
// It is a thin, stateless reader in the style of Kava's x/metrics: once per
// block, after every module's EndBlock, Record reads O(1) aggregates the
// modules maintain (supplies, totals, counters; the few reserve denoms and
// oracle feeds) and publishes them as one snapshot. A scrape reads the last
// published snapshot through an atomic pointer, so it never waits for a block
// and never sees half of one block and half of the next. Nothing here writes
// state or can fail a block.
//
// Values are float64 (client_golang gauges, as Kava does): amounts are in
// whole tokens (micro-units / 10^6), which float64 holds to the micro-unit up
// to about 9 billion tokens and to 15 significant digits beyond; prices and
// ratios are the chain's decimals rounded to the nearest float64.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	"github.com/prometheus/client_golang/prometheus"

	sdk "github.com/cosmos/cosmos-sdk/types"

	caliberkeeper "github.com/infrafi/infrafi/x/caliber/keeper"
	lendingkeeper "github.com/infrafi/infrafi/x/lending/keeper"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	oraclekeeper "github.com/infrafi/infrafi/x/oracle/keeper"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stablekeeper "github.com/infrafi/infrafi/x/stable/keeper"
	yieldkeeper "github.com/infrafi/infrafi/x/yield/keeper"
)

const namespace = "infrafi"

// unit is 10^6: USDai, sUSDai and the reserve stablecoins have 6 decimals.
var unit = math.LegacyNewDec(1_000_000)

func desc(subsystem, name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(namespace, subsystem, name), help, labels, nil)
}

// The gauges. Label values are bounded: reserve denoms and oracle feeds are
// listed by governance, loan statuses are an enum; nothing is per loan,
// title or account.
var (
	descHeight = desc("metrics", "block_height", "Height of the block whose end state the protocol gauges show.")

	descUSDaiSupply        = desc("stable", "usdai_supply", "USDai in circulation (bank supply), in USDai.")
	descReserveHeld        = desc("stable", "reserve_held", "Reserve held on chain by x/stable, in whole reserve tokens.", "denom")
	descReserveOutstanding = desc("stable", "reserve_treasury_outstanding", "Reserve principal at the treasury custodian, in whole reserve tokens.", "denom")
	descBackingRatio       = desc("stable", "backing_ratio", "Reserves held on chain / USDai supply.")
	descBackingRatioTotal  = desc("stable", "backing_ratio_total", "(Reserves held + treasury outstanding) / USDai supply.")

	descNAV             = desc("vault", "nav", "sUSDai vault NAV, in USDai.")
	descConservativeNAV = desc("vault", "conservative_nav", "Vault NAV without accrued, unpaid interest and yield, in USDai.")
	descSharePrice      = desc("vault", "share_price", "USDai per sUSDai at NAV (the deposit price).")
	descRedemptionPrice = desc("vault", "redemption_price", "USDai per sUSDai at conservative NAV (the redemption price before bids).")
	descIdle            = desc("vault", "idle", "Idle USDai in the vault, in USDai.")
	descTBillPrincipal  = desc("vault", "tbill_principal", "T-bill principal at the treasury, in USDai.")
	descQueuedShares    = desc("vault", "queued_shares", "sUSDai escrowed in the redemption queue, in sUSDai.")
	descTotalShares     = desc("vault", "total_shares", "sUSDai supply, escrowed shares included, in sUSDai.")
	descWrittenOff      = desc("vault", "written_off", "Cumulative senior principal written off, in USDai.")

	descSeniorBook   = desc("lending", "senior_book", "Senior principal outstanding on loans, in USDai.")
	descJuniorBook   = desc("lending", "junior_book", "Junior (curator) principal outstanding on loans, in USDai.")
	descDSRHeld      = desc("lending", "dsr_held", "Debt-service reserves held for loans, in USDai.")
	descLoans        = desc("lending", "loans", "Loans by status.", "status")
	descOpenAuctions = desc("lending", "open_auctions", "Foreclosure auctions open (one per FORECLOSING loan).")

	descPrice      = desc("oracle", "price", "Median price of a feed, in the feed's unit; absent while the price is missing or not valid.", "feed", "unit")
	descPriceAge   = desc("oracle", "price_age_seconds", "Block time minus the time of the feed's last aggregation.", "feed")
	descPriceValid = desc("oracle", "price_valid", "1 when the feed has a valid price at block time (enough posts, younger than max_age), else 0.", "feed")

	descPoolBalance  = desc("insurance", "pool_balance", "USDai in all insurance pools, in USDai.")
	descReserved     = desc("insurance", "reserved", "Coverage reserved by active policies over all pools, in USDai.")
	descFreeCapacity = desc("insurance", "free_capacity", "Pool balance not reserved by policies, in USDai.")

	allDescs = []*prometheus.Desc{
		descHeight,
		descUSDaiSupply, descReserveHeld, descReserveOutstanding, descBackingRatio, descBackingRatioTotal,
		descNAV, descConservativeNAV, descSharePrice, descRedemptionPrice, descIdle, descTBillPrincipal,
		descQueuedShares, descTotalShares, descWrittenOff,
		descSeniorBook, descJuniorBook, descDSRHeld, descLoans, descOpenAuctions,
		descPrice, descPriceAge, descPriceValid,
		descPoolBalance, descReserved, descFreeCapacity,
	}
)

// Keepers are the modules the gauges read.
type Keepers struct {
	Stable  *stablekeeper.Keeper
	Yield   *yieldkeeper.Keeper
	Lending *lendingkeeper.Keeper
	Oracle  *oraclekeeper.Keeper
	Caliber *caliberkeeper.Keeper
}

type sample struct {
	desc   *prometheus.Desc
	value  float64
	labels []string
}

// snapshot is every gauge of one block.
type snapshot []sample

// Collector is a prometheus.Collector serving the last recorded block.
type Collector struct {
	keepers Keepers
	last    atomic.Pointer[snapshot]
}

var _ prometheus.Collector = (*Collector)(nil)

// NewCollector returns a collector that reads keepers; it serves nothing
// until the first Record.
func NewCollector(keepers Keepers) *Collector {
	return &Collector{keepers: keepers}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range allDescs {
		ch <- d
	}
}

// Collect implements prometheus.Collector: the last published snapshot.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	s := c.last.Load()
	if s == nil {
		return
	}
	for _, x := range *s {
		ch <- prometheus.MustNewConstMetric(x.desc, prometheus.GaugeValue, x.value, x.labels...)
	}
}

// Record reads the aggregates at the end of the block in ctx and publishes
// them. A failure (or a panic in a reader) is logged and keeps the previous
// snapshot, whose block_height tells its age: monitoring never halts the chain.
func (c *Collector) Record(ctx sdk.Context) {
	defer func() {
		if r := recover(); r != nil {
			ctx.Logger().Error("protocol metrics: reader panicked; gauges keep the previous block", "panic", r)
		}
	}()
	// A throwaway cache: reading can never leak a write into the block.
	cctx, _ := ctx.CacheContext()
	s, err := c.read(cctx)
	if err != nil {
		ctx.Logger().Error("protocol metrics: gauges keep the previous block", "err", err)
		return
	}
	c.last.Store(&s)
}

func (c *Collector) read(ctx sdk.Context) (snapshot, error) {
	var b builder
	b.add(descHeight, float64(ctx.BlockHeight()))
	for _, read := range []func(context.Context, *builder) error{c.readStable, c.readVault, c.readLending, c.readOracle, c.readInsurance} {
		if err := read(ctx, &b); err != nil {
			return nil, err
		}
	}
	return b.out, b.err
}

// builder collects samples; the first conversion error sticks.
type builder struct {
	out snapshot
	err error
}

func (b *builder) add(d *prometheus.Desc, v float64, labels ...string) {
	b.out = append(b.out, sample{desc: d, value: v, labels: labels})
}

// amount adds an amount of micro-units as whole tokens.
func (b *builder) amount(d *prometheus.Desc, v math.Int, labels ...string) {
	b.dec(d, math.LegacyNewDecFromInt(v).Quo(unit), labels...)
}

func (b *builder) dec(d *prometheus.Desc, v math.LegacyDec, labels ...string) {
	f, err := v.Float64()
	if err != nil && b.err == nil {
		b.err = fmt.Errorf("%s: %w", d, err)
	}
	b.add(d, f, labels...)
}

func (c *Collector) readStable(ctx context.Context, b *builder) error {
	por, err := c.keepers.Stable.ProofOfReserves(ctx)
	if err != nil {
		return fmt.Errorf("proof of reserves: %w", err)
	}
	b.amount(descUSDaiSupply, por.UsdaiSupply)
	for _, r := range por.Reserves {
		b.amount(descReserveHeld, r.Held, r.Denom)
		b.amount(descReserveOutstanding, r.TreasuryOutstanding, r.Denom)
	}
	b.dec(descBackingRatio, por.Ratio)
	b.dec(descBackingRatioTotal, por.TotalRatio)
	return nil
}

func (c *Collector) readVault(ctx context.Context, b *builder) error {
	v, err := c.keepers.Yield.View(ctx)
	if err != nil {
		return fmt.Errorf("vault: %w", err)
	}
	s, err := v.Summary()
	if err != nil {
		return fmt.Errorf("vault summary: %w", err)
	}
	b.amount(descNAV, s.Nav)
	b.amount(descConservativeNAV, s.ConservativeNav)
	b.dec(descSharePrice, s.SharePrice)
	b.dec(descRedemptionPrice, s.RedemptionPrice)
	b.amount(descIdle, s.Idle)
	b.amount(descTBillPrincipal, s.Treasury.Principal)
	b.amount(descQueuedShares, s.EscrowedShares)
	b.amount(descTotalShares, s.TotalShares)
	b.amount(descWrittenOff, s.Book.WrittenOff)
	return nil
}

func (c *Collector) readLending(ctx context.Context, b *builder) error {
	k := c.keepers.Lending
	senior, junior, dsr, err := k.BookTotals(ctx)
	if err != nil {
		return fmt.Errorf("lending totals: %w", err)
	}
	b.amount(descSeniorBook, senior)
	b.amount(descJuniorBook, junior)
	b.amount(descDSRHeld, dsr)
	// Every status is exported, zero when no loan has it, so a series does
	// not vanish when its last loan moves on.
	statuses := make([]int32, 0, len(lendingtypes.LoanStatus_name))
	for s := range lendingtypes.LoanStatus_name {
		if s != int32(lendingtypes.LoanStatusUnspecified) {
			statuses = append(statuses, s)
		}
	}
	sort.Slice(statuses, func(i, j int) bool { return statuses[i] < statuses[j] })
	var foreclosing uint64
	for _, s := range statuses {
		n, err := k.StatusCounts.Get(ctx, s)
		switch {
		case errors.Is(err, collections.ErrNotFound):
			n = 0
		case err != nil:
			return fmt.Errorf("loan status counts: %w", err)
		}
		if s == int32(lendingtypes.LoanForeclosing) {
			foreclosing = n
		}
		b.add(descLoans, float64(n), statusLabel(lendingtypes.LoanStatus(s)))
	}
	// An auction opens exactly when its loan becomes FORECLOSING and closes
	// when the loan leaves it (x/lending's queues invariant checks the pair).
	b.add(descOpenAuctions, float64(foreclosing))
	return nil
}

// statusLabel turns LOAN_STATUS_MARGIN_CALL into margin_call.
func statusLabel(s lendingtypes.LoanStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "LOAN_STATUS_"))
}

func (c *Collector) readOracle(ctx context.Context, b *builder) error {
	k := c.keepers.Oracle
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	return k.Feeds.Walk(ctx, nil, func(id string, feed oracletypes.Feed) (bool, error) {
		price, err := k.GetPrice(ctx, id)
		if errors.Is(err, oracletypes.ErrPriceNotFound) {
			b.add(descPriceValid, 0, id)
			return false, nil
		}
		if err != nil {
			return true, fmt.Errorf("price of %s: %w", id, err)
		}
		b.add(descPriceAge, now.Sub(price.UpdatedAt).Seconds(), id)
		if !price.Valid {
			// A stale or under-posted price is not shown as a price.
			b.add(descPriceValid, 0, id)
			return false, nil
		}
		b.add(descPriceValid, 1, id)
		b.dec(descPrice, price.Value, id, feed.Unit)
		return false, nil
	})
}

func (c *Collector) readInsurance(ctx context.Context, b *builder) error {
	k := c.keepers.Caliber
	reserved, err := k.TotalReserved(ctx)
	if err != nil {
		return fmt.Errorf("insurance reserved: %w", err)
	}
	balance := k.TotalPoolBalance(ctx)
	b.amount(descPoolBalance, balance)
	b.amount(descReserved, reserved)
	b.amount(descFreeCapacity, balance.Sub(reserved))
	return nil
}
