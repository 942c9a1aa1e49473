package app_test

import (
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/x/metrics"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

// gauges gathers a collector into name -> joined label values -> value.
func gauges(t *testing.T, c *metrics.Collector) map[string]map[string]float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	require.NoError(t, reg.Register(c))
	mfs, err := reg.Gather()
	require.NoError(t, err)
	out := map[string]map[string]float64{}
	for _, mf := range mfs {
		require.Equal(t, dto.MetricType_GAUGE, mf.GetType(), mf.GetName())
		byLabels := map[string]float64{}
		for _, m := range mf.Metric {
			key := ""
			for _, l := range m.Label {
				key += l.GetName() + "=" + l.GetValue() + ";"
			}
			byLabels[key] = m.Gauge.GetValue()
		}
		out[mf.GetName()] = byLabels
	}
	return out
}

// usd converts micro-units to the float the gauges carry.
func usd(t *testing.T, v sdkmath.Int) float64 {
	t.Helper()
	f, err := sdkmath.LegacyNewDecFromInt(v).QuoInt64(1_000_000).Float64()
	require.NoError(t, err)
	return f
}

func decF(t *testing.T, d sdkmath.LegacyDec) float64 {
	t.Helper()
	f, err := d.Float64()
	require.NoError(t, err)
	return f
}

// The gauges equal the modules' own figures after a flow with USDai minted,
// a vault deposit, an insured title and a funded loan; a stale feed drops
// its price; recording changes no state; a reader that panics keeps the
// previous snapshot instead of failing the block.
func TestProtocolGaugesMatchQueries(t *testing.T) {
	f := setupLending(t)
	title := f.mintInsuredTitle(t, "M", lUSD(200_000), lUSD(100_000))
	loanID := f.borrow(t, []uint64{title}, lUSD(100_000), lUSD(10_000))
	f.NextBlock(time.Minute)

	keepers := metrics.Keepers{
		Stable: f.StableKeeper, Yield: f.YieldKeeper, Lending: f.LendingKeeper,
		Oracle: f.OracleKeeper, Caliber: f.CaliberKeeper,
	}
	c := metrics.NewCollector(keepers)
	require.Empty(t, gauges(t, c), "nothing before the first block is recorded")

	ctx := f.Ctx()
	before := f.snapshot(t)
	c.Record(ctx)
	require.Equal(t, before, f.snapshot(t), "recording wrote nothing")
	g := gauges(t, c)

	require.Equal(t, float64(f.Height()), g["infrafi_metrics_block_height"][""])

	por, err := f.StableKeeper.ProofOfReserves(ctx)
	require.NoError(t, err)
	require.Positive(t, usd(t, por.UsdaiSupply))
	require.Equal(t, usd(t, por.UsdaiSupply), g["infrafi_stable_usdai_supply"][""])
	require.Len(t, g["infrafi_stable_reserve_held"], len(por.Reserves))
	for _, r := range por.Reserves {
		require.Equal(t, usd(t, r.Held), g["infrafi_stable_reserve_held"]["denom="+r.Denom+";"], r.Denom)
		require.Equal(t, usd(t, r.TreasuryOutstanding), g["infrafi_stable_reserve_treasury_outstanding"]["denom="+r.Denom+";"], r.Denom)
	}
	require.Equal(t, decF(t, por.Ratio), g["infrafi_stable_backing_ratio"][""])
	require.Equal(t, decF(t, por.TotalRatio), g["infrafi_stable_backing_ratio_total"][""])

	v := f.vault(t)
	require.Positive(t, usd(t, v.Nav))
	require.Equal(t, usd(t, v.Nav), g["infrafi_vault_nav"][""])
	require.Equal(t, usd(t, v.ConservativeNav), g["infrafi_vault_conservative_nav"][""])
	require.Equal(t, decF(t, v.SharePrice), g["infrafi_vault_share_price"][""])
	require.Equal(t, decF(t, v.RedemptionPrice), g["infrafi_vault_redemption_price"][""])
	require.Equal(t, usd(t, v.Idle), g["infrafi_vault_idle"][""])
	require.Equal(t, usd(t, v.Treasury.Principal), g["infrafi_vault_tbill_principal"][""])
	require.Equal(t, usd(t, v.EscrowedShares), g["infrafi_vault_queued_shares"][""])
	require.Equal(t, usd(t, v.TotalShares), g["infrafi_vault_total_shares"][""])
	require.Equal(t, usd(t, v.Book.WrittenOff), g["infrafi_vault_written_off"][""])

	l := f.loan(t, loanID)
	require.Equal(t, usd(t, l.Senior.Balance), g["infrafi_lending_senior_book"][""], "one loan: the book is its senior balance")
	require.Equal(t, usd(t, l.JuniorPrincipal), g["infrafi_lending_junior_book"][""])
	require.Equal(t, usd(t, l.Dsr), g["infrafi_lending_dsr_held"][""])
	require.Equal(t, 1.0, g["infrafi_lending_loans"]["status=active;"])
	require.Equal(t, 0.0, g["infrafi_lending_loans"]["status=foreclosing;"], "every status is exported")
	require.Equal(t, 0.0, g["infrafi_lending_open_auctions"][""])

	price, err := f.OracleKeeper.GetPrice(ctx, gpuFeed)
	require.NoError(t, err)
	require.True(t, price.Valid)
	require.Equal(t, decF(t, price.Value), g["infrafi_oracle_price"]["feed="+gpuFeed+";unit=uusdai/gpu;"])
	require.Equal(t, 1.0, g["infrafi_oracle_price_valid"]["feed="+gpuFeed+";"])
	require.Equal(t, ctx.BlockTime().Sub(price.UpdatedAt).Seconds(), g["infrafi_oracle_price_age_seconds"]["feed="+gpuFeed+";"])
	require.Positive(t, g["infrafi_oracle_price_age_seconds"]["feed="+gpuFeed+";"])

	// Two policies: the fixture's (150k) and the loan title's (100k).
	reserved, err := f.CaliberKeeper.TotalReserved(ctx)
	require.NoError(t, err)
	require.Equal(t, lUSD(250_000), reserved)
	balance := f.CaliberKeeper.TotalPoolBalance(ctx)
	require.Equal(t, usd(t, reserved), g["infrafi_insurance_reserved"][""])
	require.Equal(t, usd(t, balance), g["infrafi_insurance_pool_balance"][""])
	require.Equal(t, usd(t, balance.Sub(reserved)), g["infrafi_insurance_free_capacity"][""])

	// A feed registered without a price, and the GPU price gone stale (its
	// max age cut to a minute): no price gauge, valid 0; the stale one
	// keeps its age.
	feed, err := f.OracleKeeper.GetFeed(ctx, gpuFeed)
	require.NoError(t, err)
	feed.MaxAge = time.Minute
	require.NoError(t, f.OracleKeeper.Feeds.Set(ctx, gpuFeed, feed))
	require.NoError(t, f.OracleKeeper.Feeds.Set(ctx, "fx/unpriced", oracletypes.Feed{Id: "fx/unpriced", Description: "never priced", Unit: "usd", MinFeeders: 1, MaxAge: time.Hour}))
	f.NextBlock(2 * time.Minute)
	c.Record(f.Ctx())
	g = gauges(t, c)
	require.NotContains(t, g, "infrafi_oracle_price", "no valid price: the gauge is absent")
	require.Equal(t, 0.0, g["infrafi_oracle_price_valid"]["feed="+gpuFeed+";"])
	require.Equal(t, 0.0, g["infrafi_oracle_price_valid"]["feed=fx/unpriced;"])
	require.NotContains(t, g["infrafi_oracle_price_age_seconds"], "feed=fx/unpriced;", "never priced: no age")
	require.Greater(t, g["infrafi_oracle_price_age_seconds"]["feed="+gpuFeed+";"], 120.0)
	height := g["infrafi_metrics_block_height"][""]

	broken := metrics.NewCollector(metrics.Keepers{})
	broken.Record(f.Ctx())
	require.Empty(t, gauges(t, broken), "a panicking reader publishes nothing")
	f.NextBlock(time.Second)
	c.Record(f.Ctx())
	require.Equal(t, height+1, gauges(t, c)["infrafi_metrics_block_height"][""])
}
