package types_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/stable/types"
)

func TestFeeAmount(t *testing.T) {
	huge := math.NewIntWithDecimal(1, 76) // near the 256-bit limit: amount × bps must not overflow
	tests := []struct {
		amount math.Int
		bps    uint32
		want   math.Int
	}{
		{math.ZeroInt(), 10, math.ZeroInt()},
		{math.NewInt(1), 0, math.ZeroInt()},
		{math.NewInt(1), 1, math.NewInt(1)},      // 0.0001 rounds up
		{math.NewInt(1), 10, math.NewInt(1)},     // 0.001 rounds up
		{math.NewInt(9_999), 1, math.NewInt(1)},  // 0.9999 -> 1
		{math.NewInt(10_000), 1, math.NewInt(1)}, // exact
		{math.NewInt(10_001), 1, math.NewInt(2)}, // 1.0001 -> 2
		{math.NewInt(1_000_000), 10, math.NewInt(1_000)},
		{math.NewInt(1_000_001), 10, math.NewInt(1_001)},
		{math.NewInt(100_000_000), 20, math.NewInt(200_000)},
		{math.NewInt(123_456_789), 30, math.NewInt(370_371)}, // 370370.367 -> 370371
		{math.NewInt(5), 10_000, math.NewInt(5)},             // 100%
		{huge, 10_000, huge},
		{huge, 1, math.NewIntWithDecimal(1, 72)},
	}
	for _, tc := range tests {
		got := types.FeeAmount(tc.amount, tc.bps)
		require.Equal(t, tc.want.String(), got.String(), "FeeAmount(%s, %d)", tc.amount, tc.bps)

		net, fee := types.SplitFee(tc.amount, tc.bps)
		require.Equal(t, tc.want.String(), fee.String())
		require.Equal(t, tc.amount.String(), net.Add(fee).String(), "net + fee == amount")
		require.False(t, net.IsNegative())
	}
}

func TestBackingRatio(t *testing.T) {
	tests := []struct {
		reserves, supply int64
		want             string
	}{
		{0, 0, "1"},
		{5, 0, "1"},
		{100, 100, "1"},
		{150, 100, "1.5"},
		{50, 100, "0.5"},
		{100, 60, "1.666666666666666666"}, // rounded down, never overstating
		{2, 3, "0.666666666666666666"},
	}
	for _, tc := range tests {
		got := types.BackingRatio(math.NewInt(tc.reserves), math.NewInt(tc.supply))
		require.Equal(t, math.LegacyMustNewDecFromStr(tc.want), got, "BackingRatio(%d, %d)", tc.reserves, tc.supply)
	}
}

func TestCapRemaining(t *testing.T) {
	tests := []struct{ limit, used, want int64 }{
		{100, 0, 100},
		{100, 40, 60},
		{100, 100, 0},
		{100, 150, 0},
		{0, 0, 0},
	}
	for _, tc := range tests {
		require.Equal(t, math.NewInt(tc.want), types.CapRemaining(math.NewInt(tc.limit), math.NewInt(tc.used)), "CapRemaining(%d, %d)", tc.limit, tc.used)
	}
}
