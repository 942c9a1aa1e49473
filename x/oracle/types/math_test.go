package types_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/oracle/types"
)

func decs(ss ...string) []math.LegacyDec {
	out := make([]math.LegacyDec, len(ss))
	for i, s := range ss {
		out[i] = math.LegacyMustNewDecFromStr(s)
	}
	return out
}

func TestMedian(t *testing.T) {
	tests := []struct {
		name   string
		values []math.LegacyDec
		want   string
	}{
		{"single", decs("42.5"), "42.5"},
		{"odd, sorted", decs("1", "2", "3"), "2"},
		{"odd, unsorted", decs("29000000000", "27900000000", "28500000000"), "28500000000"},
		{"odd, outlier ignored", decs("100", "1000000000", "101", "99", "0.000001"), "100"},
		{"even, mean of middle two", decs("4", "1", "3", "2"), "2.5"},
		{"even, two values", decs("100", "101"), "100.5"},
		{"even, equal middle values", decs("5", "7", "7", "9"), "7"},
		{"duplicates", decs("3", "3", "3"), "3"},
		// (1e-18 + 2e-18) / 2 = 1.5e-18 rounds half to even at 18 decimals.
		{"even, rounds at 18 decimals", decs("0.000000000000000001", "0.000000000000000002"), "0.000000000000000002"},
		{"even, rounds half to even down", decs("0.000000000000000002", "0.000000000000000003"), "0.000000000000000002"},
		{"large values", decs("1000000000000000000", "999999999999999999"), "999999999999999999.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			input := make([]math.LegacyDec, len(tc.values))
			copy(input, tc.values)
			got, err := types.Median(tc.values)
			require.NoError(t, err)
			require.Equal(t, math.LegacyMustNewDecFromStr(tc.want), got)
			require.Equal(t, input, tc.values, "input is not reordered")
		})
	}
}

func TestMedianRejectsEmptyAndNil(t *testing.T) {
	_, err := types.Median(nil)
	require.Error(t, err)
	_, err = types.Median([]math.LegacyDec{math.LegacyOneDec(), {}})
	require.Error(t, err)
}
