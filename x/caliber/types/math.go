package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

// SecondsPerYear is the protocol year: 365 days.
const SecondsPerYear = 31_536_000

// Which bound set a valuation's value (Valuation.bound_by).
const (
	BoundByAppraisal = "appraisal"
	BoundByMarket    = "market"
)

// DepreciationFactor is max(residual, 1 − depreciationPerYear × age_years) with
// age_years = ageSeconds / SecondsPerYear; a negative age counts as zero. The
// product is formed before the division so no precision is lost to age_years,
// and the loss is rounded up (the factor down) at the 18th decimal.
func DepreciationFactor(depreciationPerYear, residual math.LegacyDec, ageSeconds int64) math.LegacyDec {
	if ageSeconds < 0 {
		ageSeconds = 0
	}
	loss := depreciationPerYear.MulInt64(ageSeconds).QuoRoundUp(math.LegacyNewDec(SecondsPerYear))
	factor := math.LegacyOneDec().Sub(loss)
	if factor.LT(residual) {
		return residual
	}
	return factor
}

// CollateralView is one title as a covenant review reads it (Keeper.Collateral):
// its valuation and whether its custody is stale, each with the error
// GetValuation and IsStale would return for it.
type CollateralView struct {
	Valuation    Valuation
	ValuationErr error
	Stale        bool
	StaleErr     error
}

// ValuationInput is everything a valuation depends on. Appraisals must already
// be limited to the latest appraisal of each currently active appraiser;
// ComputeValuation drops the expired ones itself.
type ValuationInput struct {
	TitleID    uint64
	Class      AssetClass
	Units      uint64
	Appraisals []Appraisal
	Now        time.Time
	// MarketPrice is the class's valid market price per unit, nil when there is none.
	MarketPrice *math.LegacyDec
}

// ComputeValuation values a title:
//
//	depreciated_i = floor(value_i × DepreciationFactor(age_i))  for appraisals with valid_until > now
//	appraised     = floor(median(depreciated_i))                 needs >= class.min_appraisals of them
//	market        = floor(units × market_price)                  when a valid market price exists
//	value         = min(appraised, market), else appraised
//
// Every rounding is down, in the protocol's favour for collateral. It returns
// ErrNoValuation when too few appraisals count.
func ComputeValuation(in ValuationInput) (Valuation, error) {
	v := Valuation{
		TitleId:        in.TitleID,
		ClassId:        in.Class.Id,
		Units:          in.Units,
		Appraisals:     []ValuedAppraisal{},
		AppraisedValue: math.ZeroInt(),
		MarketPrice:    math.LegacyZeroDec(),
		MarketValue:    math.ZeroInt(),
		Value:          math.ZeroInt(),
		ComputedAt:     in.Now,
	}
	depreciated := make([]math.LegacyDec, 0, len(in.Appraisals))
	for _, a := range in.Appraisals {
		if !a.ValidUntil.After(in.Now) {
			continue
		}
		age := int64(in.Now.Sub(a.AppraisedAt) / time.Second)
		factor := DepreciationFactor(in.Class.DepreciationPerYear, in.Class.ResidualRatio, age)
		dv := factor.MulInt(a.Value).TruncateInt()
		v.Appraisals = append(v.Appraisals, ValuedAppraisal{
			Appraiser:        a.Appraiser,
			Value:            a.Value,
			AppraisedAt:      a.AppraisedAt,
			ValidUntil:       a.ValidUntil,
			Factor:           factor,
			DepreciatedValue: dv,
		})
		depreciated = append(depreciated, math.LegacyNewDecFromInt(dv))
	}
	if len(depreciated) == 0 || uint32(len(depreciated)) < in.Class.MinAppraisals {
		return v, errorsmod.Wrapf(ErrNoValuation, "title %d has %d valid appraisals, class %s needs %d",
			in.TitleID, len(depreciated), in.Class.Id, in.Class.MinAppraisals)
	}
	median, err := oracletypes.Median(depreciated)
	if err != nil {
		return v, err
	}
	v.AppraisedValue = median.TruncateInt()
	v.Value = v.AppraisedValue
	v.BoundBy = BoundByAppraisal

	if in.MarketPrice != nil && in.MarketPrice.IsPositive() {
		v.HasMarketValue = true
		v.MarketPrice = *in.MarketPrice
		v.MarketValue = in.MarketPrice.MulInt(math.NewIntFromUint64(in.Units)).TruncateInt()
		if v.MarketValue.LT(v.AppraisedValue) {
			v.Value = v.MarketValue
			v.BoundBy = BoundByMarket
		}
	}
	return v, nil
}

// ValueClaim is what value insurance pays after a foreclosure sale:
// min(coverage, max(0, insured − salePrice)).
func ValueClaim(insured, coverage, salePrice math.Int) math.Int {
	shortfall := insured.Sub(salePrice)
	if shortfall.IsNegative() {
		return math.ZeroInt()
	}
	return math.MinInt(coverage, shortfall)
}
