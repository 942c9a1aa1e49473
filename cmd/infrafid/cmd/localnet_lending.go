package cmd

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
)

// localnetLendingProduct is the one demo product: the three GPU classes,
// 36 payments of 60 s (a loan runs 36 minutes), 30 s of grace. The curator
// may price up to 25% APR: in the backtest over the 2024–2026 H100 market
// (README "Backtest") every swept set lost nothing senior and 25% paid
// sUSDai the most at every max LTV.
func localnetLendingProduct() lendingtypes.Product {
	return lendingtypes.Product{
		Id:                "gpu-senior",
		AssetClasses:      []string{"nvidia-h100-sxm5-80gb", "nvidia-h200-141gb", "nvidia-b200-192gb"},
		MaxLtv:            localnetDec("0.70"),
		LiquidationLtv:    localnetDec("0.85"),
		AprMin:            localnetDec("0.12"),
		AprMax:            localnetDec("0.25"),
		Duration:          36 * time.Minute,
		RepaymentInterval: time.Minute,
		Schedule:          lendingtypes.ScheduleAmortizing,
		GracePeriod:       30 * time.Second,
		GraceApr:          localnetDec("0.05"),
		OriginationFeeBps: 100,
		ExitFeeBps:        50,
		LiquidationFeeBps: 500,
		MinFirstLossBps:   1000,
		// 20% of the senior interest goes to the first-loss curator.
		FirstLossPremiumBps:       2000,
		DebtServiceReservePeriods: 1,
		CurePeriod:                2 * time.Minute,
		Auction: lendingtypes.AuctionTerms{
			StartMultiplier: localnetDec("1.10"), FloorRatio: localnetDec("0.50"),
			Duration: 5 * time.Minute, MaxResets: 2,
		},
		RecoveryHaircut: localnetDec("0.30"),
		MinInsuranceBps: 5000,
		Enabled:         true,
	}
}

// localnetRevenueProduct is gpu-senior with a debt-service-coverage
// covenant: revenue reaching the loan's lockbox over the last two periods
// must cover the installments 1.25×, with three periods to cure.
func localnetRevenueProduct() lendingtypes.Product {
	p := localnetLendingProduct()
	p.Id = "gpu-revenue"
	p.MinDscr, p.CashFlowPeriods, p.CurePeriod = localnetDec("1.25"), 2, 3*time.Minute
	return p
}

// localnetLendingGenesis adds the demo products and short localnet timings
// (pending requests expire after 10 minutes). addr is unused today: the
// curator is a CALIBER party set by the caliber preset.
func localnetLendingGenesis(cdc codec.Codec, state map[string]json.RawMessage, _ func(name string) sdk.AccAddress) error {
	raw, ok := state[lendingtypes.ModuleName]
	if !ok {
		return fmt.Errorf("no %s genesis state", lendingtypes.ModuleName)
	}
	var gs lendingtypes.GenesisState
	if err := cdc.UnmarshalJSON(raw, &gs); err != nil {
		return err
	}
	gs.Params.MaxPendingAge = 10 * time.Minute
	gs.Products = append(gs.Products, localnetLendingProduct(), localnetRevenueProduct())
	if err := gs.Validate(); err != nil {
		return err
	}
	bz, err := cdc.MarshalJSON(&gs)
	if err != nil {
		return err
	}
	state[lendingtypes.ModuleName] = bz
	return nil
}
