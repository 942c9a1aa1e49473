package types

import (
	"errors"
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
	slices.SortFunc(sorted, func(a, b math.LegacyDec) int {
		switch {
		case a.LT(b):
			return -1
		case a.GT(b):
			return 1
		default:
			return 0
		}
	})
	mid := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return sorted[mid], nil
	}
	return sorted[mid-1].Add(sorted[mid]).Quo(math.LegacyNewDec(2)), nil
}
