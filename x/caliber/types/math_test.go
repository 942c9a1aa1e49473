package types_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/caliber/types"
)

func dec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }

const day = 24 * 3600

func TestDepreciationFactor(t *testing.T) {
	tests := []struct {
		name          string
		dep, residual string
		ageSeconds    int64
		want          string
	}{
		{"new", "0.2", "0.2", 0, "1"},
		{"negative age counts as new", "0.2", "0.2", -100, "1"},
		{"half a year", "0.2", "0.2", types.SecondsPerYear / 2, "0.9"},
		{"one year", "0.2", "0.2", types.SecondsPerYear, "0.8"},
		{"one day", "0.365", "0", day, "0.999"},
		{"exactly at the floor", "0.2", "0.2", 4 * types.SecondsPerYear, "0.2"},
		{"residual floor", "0.2", "0.2", 10 * types.SecondsPerYear, "0.2"},
		{"zero residual clamps at zero only by residual", "0.5", "0", 3 * types.SecondsPerYear, "0"},
		{"no depreciation", "0", "0.3", 50 * types.SecondsPerYear, "1"},
		{"one second (18-decimal precision)", "1", "0", 1, "0.999999968290208016"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := types.DepreciationFactor(dec(tc.dep), dec(tc.residual), tc.ageSeconds)
			require.Equal(t, dec(tc.want), got)
		})
	}
}

func TestComputeValuation(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	class := types.AssetClass{Id: "gpu", DepreciationPerYear: dec("0.2"), ResidualRatio: dec("0.25"), MinAppraisals: 1}
	appraisal := func(value int64, ageDays int, validDays int) types.Appraisal {
		at := now.Add(-time.Duration(ageDays) * 24 * time.Hour)
		return types.Appraisal{
			TitleId: 1, Appraiser: "a", Value: math.NewInt(value), AppraisedAt: at,
			ValidUntil: now.Add(time.Duration(validDays) * 24 * time.Hour),
		}
	}
	price := func(s string) *math.LegacyDec { d := dec(s); return &d }

	tests := []struct {
		name       string
		min        uint32
		units      uint64
		appraisals []types.Appraisal
		market     *math.LegacyDec
		err        error
		appraised  int64
		value      int64
		bound      string
		counted    int
	}{
		{name: "single fresh appraisal", units: 8, appraisals: []types.Appraisal{appraisal(1000, 0, 30)},
			appraised: 1000, value: 1000, bound: types.BoundByAppraisal, counted: 1},
		{name: "depreciated half a year (factor 0.9)", units: 8, appraisals: []types.Appraisal{appraisal(1000, 365/2, 30)},
			appraised: 900, value: 900, bound: types.BoundByAppraisal, counted: 1},
		{name: "floored at residual", units: 8, appraisals: []types.Appraisal{appraisal(1000, 365*5, 30)},
			appraised: 250, value: 250, bound: types.BoundByAppraisal, counted: 1},
		{name: "median of three (odd)", units: 1, appraisals: []types.Appraisal{
			appraisal(300, 0, 30), appraisal(100, 0, 30), appraisal(200, 0, 30)},
			appraised: 200, value: 200, bound: types.BoundByAppraisal, counted: 3},
		{name: "median of two (even) rounds down", units: 1, appraisals: []types.Appraisal{
			appraisal(100, 0, 30), appraisal(201, 0, 30)},
			appraised: 150, value: 150, bound: types.BoundByAppraisal, counted: 2},
		{name: "median of four", units: 1, appraisals: []types.Appraisal{
			appraisal(100, 0, 30), appraisal(400, 0, 30), appraisal(200, 0, 30), appraisal(300, 0, 30)},
			appraised: 250, value: 250, bound: types.BoundByAppraisal, counted: 4},
		{name: "each depreciated before the median", units: 1, appraisals: []types.Appraisal{
			appraisal(1000, 365, 30), appraisal(850, 0, 30), appraisal(2000, 365*10, 30)},
			appraised: 800, value: 800, bound: types.BoundByAppraisal, counted: 3}, // 800, 850, 500
		{name: "market caps the value", units: 8, appraisals: []types.Appraisal{appraisal(1000, 0, 30)},
			market: price("100"), appraised: 1000, value: 800, bound: types.BoundByMarket, counted: 1},
		{name: "market above appraisal does not raise it", units: 8, appraisals: []types.Appraisal{appraisal(1000, 0, 30)},
			market: price("200"), appraised: 1000, value: 1000, bound: types.BoundByAppraisal, counted: 1},
		{name: "fractional market value rounds down", units: 3, appraisals: []types.Appraisal{appraisal(1000, 0, 30)},
			market: price("33.339"), appraised: 1000, value: 100, bound: types.BoundByMarket, counted: 1},
		{name: "expired appraisals are dropped", units: 1, appraisals: []types.Appraisal{
			appraisal(100, 0, 30), appraisal(900, 0, 0), appraisal(500, 0, -1)},
			appraised: 100, value: 100, bound: types.BoundByAppraisal, counted: 1},
		{name: "min_appraisals not met", min: 2, units: 1, appraisals: []types.Appraisal{appraisal(100, 0, 30), appraisal(900, 0, 0)},
			err: types.ErrNoValuation},
		{name: "min_appraisals met", min: 2, units: 1, appraisals: []types.Appraisal{appraisal(100, 0, 30), appraisal(300, 0, 30)},
			appraised: 200, value: 200, bound: types.BoundByAppraisal, counted: 2},
		{name: "no appraisals, market alone is no value", units: 8, market: price("100"), err: types.ErrNoValuation},
		{name: "all expired", units: 1, appraisals: []types.Appraisal{appraisal(100, 10, -1)}, err: types.ErrNoValuation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := class
			if tc.min > 0 {
				c.MinAppraisals = tc.min
			}
			v, err := types.ComputeValuation(types.ValuationInput{
				TitleID: 1, Class: c, Units: tc.units, Appraisals: tc.appraisals, Now: now, MarketPrice: tc.market,
			})
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, math.NewInt(tc.appraised), v.AppraisedValue, "appraised")
			require.Equal(t, math.NewInt(tc.value), v.Value, "value")
			require.Equal(t, tc.bound, v.BoundBy)
			require.Len(t, v.Appraisals, tc.counted)
			require.Equal(t, tc.market != nil, v.HasMarketValue)
			require.Equal(t, now, v.ComputedAt)
		})
	}
}

func TestValueClaim(t *testing.T) {
	for _, tc := range []struct{ insured, coverage, sale, want int64 }{
		{200, 150, 120, 80}, // shortfall under coverage
		{200, 50, 120, 50},  // capped by coverage
		{200, 150, 200, 0},  // no shortfall
		{200, 150, 500, 0},  // sale above insured
		{200, 150, 0, 150},  // nothing recovered
	} {
		got := types.ValueClaim(math.NewInt(tc.insured), math.NewInt(tc.coverage), math.NewInt(tc.sale))
		require.Equal(t, math.NewInt(tc.want), got, "%+v", tc)
	}
}
