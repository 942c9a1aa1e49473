package types_test

import (
	"testing"
	"time"

	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/lending/types"
)

// FuzzAuctionPrice: the price stays within [top × floor, top], never rises
// as the round goes on, and is the floor after a reset.
func FuzzAuctionPrice(f *testing.F) {
	f.Add(uint64(30_800_000_000), uint64(500), int64(300), int64(75), int64(1), uint32(0))
	f.Add(uint64(1), uint64(0), int64(1), int64(0), int64(5), uint32(2))
	f.Add(uint64(1<<62), uint64(1000), int64(86_400), int64(-5), int64(86_400), uint32(0))
	f.Fuzz(func(t *testing.T, top, floorPermille uint64, durationS, elapsedS, stepS int64, round uint32) {
		floor := math.LegacyNewDec(int64(floorPermille % 1001)).QuoInt64(1000)
		duration := time.Duration(durationS%(365*86_400)) * time.Second
		elapsed := time.Duration(elapsedS%(400*86_400)) * time.Second
		step := time.Duration(stepS%86_400) * time.Second
		if step < 0 {
			step = -step
		}
		topInt := math.NewIntFromUint64(top)
		p := types.AuctionPrice(topInt, floor, duration, elapsed, round)
		lo := floor.MulInt(topInt).TruncateInt()
		if p.LT(lo) || p.GT(topInt) {
			t.Fatalf("price %s outside [%s, %s]", p, lo, topInt)
		}
		if later := types.AuctionPrice(topInt, floor, duration, elapsed+step, round); later.GT(p) {
			t.Fatalf("price rose from %s to %s", p, later)
		}
		if round > 0 && !p.Equal(lo) {
			t.Fatalf("after a reset the price is the floor %s, got %s", lo, p)
		}
	})
}

// FuzzPayWaterfall: the waterfall pays out exactly its proceeds, in order,
// and the vault loses principal only once the junior tranche got nothing.
func FuzzPayWaterfall(f *testing.F) {
	f.Add(uint64(100), uint32(500), uint64(80), uint64(2), uint64(10), uint64(1))
	f.Add(uint64(0), uint32(0), uint64(1), uint64(0), uint64(0), uint64(0))
	f.Add(uint64(1<<60), uint32(10_000), uint64(1<<59), uint64(7), uint64(1<<58), uint64(3))
	f.Fuzz(func(t *testing.T, proceeds uint64, feeBps uint32, sp, si, jp, ji uint64) {
		c := types.Claims{
			SeniorPrincipal: math.NewIntFromUint64(sp), SeniorInterest: math.NewIntFromUint64(si),
			JuniorPrincipal: math.NewIntFromUint64(jp), JuniorInterest: math.NewIntFromUint64(ji),
		}
		in := math.NewIntFromUint64(proceeds)
		w := types.PayWaterfall(in, feeBps%10_001, c)
		paid := w.LiquidationFee.Add(w.SeniorPrincipal).Add(w.SeniorInterest).Add(w.JuniorPrincipal).Add(w.JuniorInterest).Add(w.Surplus)
		if !paid.Equal(in) {
			t.Fatalf("paid out %s of %s", paid, in)
		}
		for _, x := range []math.Int{w.LiquidationFee, w.SeniorPrincipal, w.SeniorInterest, w.JuniorPrincipal, w.JuniorInterest, w.Surplus, w.SeniorLoss, w.JuniorLoss} {
			if x.IsNegative() {
				t.Fatalf("negative line in %+v", w)
			}
		}
		if w.SeniorLoss.IsPositive() && (w.SeniorInterest.IsPositive() || w.JuniorPrincipal.IsPositive() || w.JuniorInterest.IsPositive() || w.Surplus.IsPositive()) {
			t.Fatalf("the vault lost %s while lower tranches were paid: %+v", w.SeniorLoss, w)
		}
		if w.Surplus.IsPositive() && (w.SeniorLoss.IsPositive() || w.JuniorLoss.IsPositive()) {
			t.Fatalf("surplus paid while a tranche lost principal: %+v", w)
		}
	})
}
