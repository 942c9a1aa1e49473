package types

import (
	"math/big"

	"cosmossdk.io/math"
)

// BpsDenominator is 100% in basis points.
const BpsDenominator = 10_000

var bpsDenominator = big.NewInt(BpsDenominator)

// FeeAmount returns ceil(amount × bps / 10000): fees round up, in the
// protocol's favour. The product is taken in big.Int so no amount overflows;
// the result is at most amount for bps <= 10000. amount must not be negative.
func FeeAmount(amount math.Int, bps uint32) math.Int {
	num := new(big.Int).Mul(amount.BigInt(), big.NewInt(int64(bps)))
	q, r := new(big.Int).QuoRem(num, bpsDenominator, new(big.Int))
	if r.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return math.NewIntFromBigInt(q)
}

// SplitFee splits amount into (net, fee) with fee = FeeAmount(amount, bps)
// and net = amount − fee.
func SplitFee(amount math.Int, bps uint32) (net, fee math.Int) {
	fee = FeeAmount(amount, bps)
	return amount.Sub(fee), fee
}

// BackingRatio returns reserves / supply rounded down (never overstating the
// backing), and 1 when supply is zero: nothing is owed, so nothing is unbacked.
func BackingRatio(reserves, supply math.Int) math.LegacyDec {
	if !supply.IsPositive() {
		return math.LegacyOneDec()
	}
	return math.LegacyNewDecFromInt(reserves).QuoTruncate(math.LegacyNewDecFromInt(supply))
}

// CapRemaining returns max(0, limit − used): how much more fits under a cap.
func CapRemaining(limit, used math.Int) math.Int {
	if used.GTE(limit) {
		return math.ZeroInt()
	}
	return limit.Sub(used)
}
