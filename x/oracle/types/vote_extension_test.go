package types_test

import (
	"fmt"
	stdmath "math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/oracle/types"
)

func wv(value string, power int64) types.WeightedValue {
	return types.WeightedValue{Value: math.LegacyMustNewDecFromStr(value), Power: power}
}

func TestWeightedMedian(t *testing.T) {
	tests := []struct {
		name   string
		values []types.WeightedValue
		want   string
	}{
		{"single", []types.WeightedValue{wv("30000", 10)}, "30000"},
		{"odd, equal power", []types.WeightedValue{wv("31000", 1), wv("29000", 1), wv("30000", 1)}, "30000"},
		{"even, equal power: mean of the middle two", []types.WeightedValue{wv("31000", 5), wv("29000", 5), wv("30000", 5), wv("300000", 5)}, "30500"},
		{"outlier with a quarter of the power never wins", []types.WeightedValue{wv("29000", 25), wv("30000", 25), wv("31000", 25), wv("300000", 25)}, "30500"},
		{"outlier below half the power stays out", []types.WeightedValue{wv("300000", 49), wv("29000", 17), wv("30000", 17), wv("31000", 17)}, "31000"},
		{"one validator with most power decides", []types.WeightedValue{wv("300000", 51), wv("29000", 17), wv("30000", 16), wv("31000", 16)}, "300000"},
		{"exactly half: mean with the next value", []types.WeightedValue{wv("10", 50), wv("20", 30), wv("30", 20)}, "15"},
		{"power, not count, decides", []types.WeightedValue{wv("1", 1), wv("2", 1), wv("3", 1), wv("100", 10)}, "100"},
		{"ties in value", []types.WeightedValue{wv("7", 3), wv("7", 3), wv("9", 1), wv("1", 2)}, "7"},
		{"ties at the half boundary", []types.WeightedValue{wv("7", 2), wv("7", 2), wv("9", 2), wv("1", 2)}, "7"},
		{"even mean rounds at 18 decimals", []types.WeightedValue{wv("0.000000000000000001", 1), wv("0.000000000000000002", 1)}, "0.000000000000000002"},
		{"huge powers do not overflow", []types.WeightedValue{wv("1", stdmath.MaxInt64/2), wv("2", stdmath.MaxInt64/2-1), wv("3", 1)}, "1.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := append([]types.WeightedValue(nil), tc.values...)
			got, err := types.WeightedMedian(tc.values)
			require.NoError(t, err)
			require.Equal(t, math.LegacyMustNewDecFromStr(tc.want).String(), got.String())
			require.Equal(t, before, tc.values, "input must not be reordered")
		})
	}
}

func TestWeightedMedianEqualPowersIsMedian(t *testing.T) {
	values := decs("5", "1", "9", "3", "7", "2")
	weighted := make([]types.WeightedValue, len(values))
	for i, v := range values {
		weighted[i] = types.WeightedValue{Value: v, Power: 42}
	}
	for n := 1; n <= len(values); n++ {
		want, err := types.Median(values[:n])
		require.NoError(t, err)
		got, err := types.WeightedMedian(weighted[:n])
		require.NoError(t, err)
		require.Equal(t, want.String(), got.String(), "n=%d", n)
	}
}

func TestWeightedMedianErrors(t *testing.T) {
	for name, values := range map[string][]types.WeightedValue{
		"empty":          nil,
		"nil value":      {{Power: 1}},
		"zero power":     {wv("1", 0)},
		"negative power": {wv("1", 5), wv("2", -1)},
		"overflow":       {wv("1", stdmath.MaxInt64), wv("2", 1)},
	} {
		_, err := types.WeightedMedian(values)
		require.Error(t, err, name)
	}
}

func vep(feed, value string) types.VoteExtensionPrice {
	return types.VoteExtensionPrice{FeedId: feed, Value: math.LegacyMustNewDecFromStr(value)}
}

func TestVoteExtensionRoundTrip(t *testing.T) {
	prices := []types.VoteExtensionPrice{
		vep("fx/uusdc", "1.0001"),
		vep("gpu/nvidia-h100-sxm5-80gb", "30000000000"),
		vep("rate/tbill", "0.0525"),
	}
	bz, err := types.EncodeVoteExtension(prices)
	require.NoError(t, err)
	ve, err := types.DecodeVoteExtension(bz)
	require.NoError(t, err)
	require.Len(t, ve.Prices, 3)
	for i := range prices {
		require.Equal(t, prices[i].FeedId, ve.Prices[i].FeedId)
		require.Equal(t, prices[i].Value.String(), ve.Prices[i].Value.String())
	}

	empty, err := types.EncodeVoteExtension(nil)
	require.NoError(t, err)
	require.Empty(t, empty)
	ve, err = types.DecodeVoteExtension(empty)
	require.NoError(t, err)
	require.Empty(t, ve.Prices)
}

func TestVoteExtensionMaxSizeFits(t *testing.T) {
	// The largest extension ValidateBasic allows must encode within the byte bound.
	prices := make([]types.VoteExtensionPrice, types.MaxVoteExtensionFeeds)
	for i := range prices {
		id := strings.Repeat("a", types.MaxFeedIDLength-2) + string(rune('a'+i/26)) + string(rune('a'+i%26))
		prices[i] = types.VoteExtensionPrice{FeedId: id, Value: types.MaxValueLimit}
	}
	bz, err := types.EncodeVoteExtension(prices)
	require.NoError(t, err)
	require.LessOrEqual(t, len(bz), types.MaxVoteExtensionBytes)
	_, err = types.DecodeVoteExtension(bz)
	require.NoError(t, err)
}

func TestVoteExtensionRejections(t *testing.T) {
	encode := func(prices ...types.VoteExtensionPrice) []byte {
		bz, err := (&types.VoteExtension{Prices: prices}).Marshal()
		require.NoError(t, err)
		return bz
	}
	good := encode(vep("fx/uusdc", "1"))
	tooMany := make([]types.VoteExtensionPrice, types.MaxVoteExtensionFeeds+1)
	for i := range tooMany {
		tooMany[i] = vep(fmt.Sprintf("f%03d", i), "1")
	}

	tests := map[string][]byte{
		"garbage":            []byte("not a protobuf message"),
		"truncated":          good[:len(good)-1],
		"oversized":          append(encode(vep("fx/uusdc", "1")), make([]byte, types.MaxVoteExtensionBytes)...),
		"unknown field":      append(append([]byte(nil), good...), 0x10, 0x01),
		"too many prices":    encode(tooMany...),
		"bad feed id":        encode(vep("GPU/H100", "1")),
		"duplicate feed":     encode(vep("fx/uusdc", "1"), vep("fx/uusdc", "2")),
		"unsorted feeds":     encode(vep("rate/tbill", "1"), vep("fx/uusdc", "2")),
		"zero value":         encode(vep("fx/uusdc", "0")),
		"negative value":     encode(vep("fx/uusdc", "-1")),
		"value above limit":  encode(types.VoteExtensionPrice{FeedId: "fx/uusdc", Value: types.MaxValueLimit.Add(math.LegacySmallestDec())}),
		"non-numeric value":  append([]byte{0x0a, 0x0c, 0x0a, 0x03, 'f', '/', 'x', 0x12, 0x05}, []byte("abcde")...),
		"nil value (absent)": {0x0a, 0x05, 0x0a, 0x03, 'f', '/', 'x'},
	}
	for name, bz := range tests {
		_, err := types.DecodeVoteExtension(bz)
		require.ErrorIs(t, err, types.ErrInvalidVoteExtension, name)
	}

	_, err := types.EncodeVoteExtension([]types.VoteExtensionPrice{vep("fx/uusdc", "0")})
	require.ErrorIs(t, err, types.ErrInvalidVoteExtension)
}
