package types

import (
	"errors"
	stdmath "math"
	"slices"

	"cosmossdk.io/math"
)

// Median returns the median of values: the middle value of an odd count, the mean
// of the two middle values of an even count (LegacyDec division, 18 decimals,
// rounded half to even). values is not modified.
func Median(values []math.LegacyDec) (math.LegacyDec, error) {
	if len(values) == 0 {
		return math.LegacyDec{}, errors.New("median of no values")
	}
	for _, v := range values {
		if v.IsNil() {
			return math.LegacyDec{}, errors.New("median of a nil value")
		}
	}
	sorted := slices.Clone(values)
	slices.SortFunc(sorted, compareDec)
	mid := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return sorted[mid], nil
	}
	return sorted[mid-1].Add(sorted[mid]).Quo(math.LegacyNewDec(2)), nil
}

// WeightedValue is one validator's report for a feed, weighted by its voting power.
type WeightedValue struct {
	Value math.LegacyDec
	Power int64
}

// WeightedMedian returns the stake-weighted median: with the reports sorted by
// value, the first value at which the cumulative power reaches half the total.
// When it reaches exactly half and another report follows, the result is the mean
// of that value and the next, so equal powers give the plain Median. Powers must
// be positive and their sum must fit in an int64. values is not modified.
func WeightedMedian(values []WeightedValue) (math.LegacyDec, error) {
	if len(values) == 0 {
		return math.LegacyDec{}, errors.New("weighted median of no values")
	}
	var total int64
	for _, v := range values {
		if v.Value.IsNil() {
			return math.LegacyDec{}, errors.New("weighted median of a nil value")
		}
		if v.Power <= 0 {
			return math.LegacyDec{}, errors.New("weighted median with a non-positive power")
		}
		if total > stdmath.MaxInt64-v.Power {
			return math.LegacyDec{}, errors.New("weighted median: total power overflows")
		}
		total += v.Power
	}
	sorted := slices.Clone(values)
	slices.SortStableFunc(sorted, func(a, b WeightedValue) int { return compareDec(a.Value, b.Value) })
	var cum int64
	for i, v := range sorted {
		cum += v.Power
		// cum >= total-cum is 2*cum >= total without overflowing.
		if cum < total-cum {
			continue
		}
		if cum == total-cum && i+1 < len(sorted) {
			return v.Value.Add(sorted[i+1].Value).Quo(math.LegacyNewDec(2)), nil
		}
		return v.Value, nil
	}
	return sorted[len(sorted)-1].Value, nil
}

func compareDec(a, b math.LegacyDec) int {
	switch {
	case a.LT(b):
		return -1
	case a.GT(b):
		return 1
	default:
		return 0
	}
}
