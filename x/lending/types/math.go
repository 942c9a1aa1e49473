package types

import (
	"math/big"
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// SecondsPerYear is the 365-day year of every APR.
const SecondsPerYear = 31_536_000

// BpsDenominator is 100%.
const BpsDenominator = 10_000

var year = math.LegacyNewDec(SecondsPerYear)

// The Dec arithmetic below uses the mutating operations (MulMut, QuoMut,
// ...) on values the function owns: they round exactly as Mul and Quo,
// which are the same operations on a copy of the receiver, and skip that
// copy (two allocations each; a repayment's installment makes a dozen).

// PeriodRate is i = apr × seconds / year.
func PeriodRate(apr math.LegacyDec, period time.Duration) math.LegacyDec {
	return apr.MulInt64(int64(period / time.Second)).QuoMut(year)
}

// PowInt is x^n by repeated squaring.
func PowInt(x math.LegacyDec, n uint64) math.LegacyDec {
	result := math.LegacyOneDec()
	base := x.Clone()
	for n > 0 {
		if n&1 == 1 {
			result.MulMut(base)
		}
		n >>= 1
		if n > 0 {
			base.MulMut(base)
		}
	}
	return result
}

// LevelPayment is the level payment P = B·i / (1 − (1+i)^−n) that repays
// balance over n periods of length period at apr, computed as
// B·i·(1+i)^n / ((1+i)^n − 1); with a zero rate it is B / n.
func LevelPayment(balance math.Int, apr math.LegacyDec, period time.Duration, n uint32) math.LegacyDec {
	b := math.LegacyNewDecFromInt(balance)
	if n == 0 {
		return b
	}
	i := PeriodRate(apr, period)
	if !i.IsPositive() {
		return b.QuoInt64(int64(n))
	}
	growth := PowInt(math.LegacyOneDec().AddMut(i), uint64(n))
	payment := b.MulMut(i).MulMut(growth)
	return payment.QuoMut(growth.SubMut(math.LegacyOneDec()))
}

// PeriodInterest is ceil(balance × apr × seconds / year): debt rounds up.
func PeriodInterest(balance math.Int, apr math.LegacyDec, period time.Duration) math.Int {
	// In integers: apr is exactly apr.BigInt() / 10^18, so the ceiling is
	// exact (dividing a LegacyDec first would truncate at 18 decimals).
	num := math.NewIntFromBigIntMut(apr.BigInt()).Mul(balance).MulRaw(int64(period / time.Second))
	return ceilQuo(num, yearAtDecPrecision)
}

// yearAtDecPrecision is SecondsPerYear × 10^18, PeriodInterest's denominator.
var yearAtDecPrecision = math.NewInt(SecondsPerYear).Mul(math.NewIntWithDecimal(1, math.LegacyPrecision))

// ceilQuo is ⌈num / den⌉ for num >= 0, den > 0.
func ceilQuo(num, den math.Int) math.Int {
	q, r := new(big.Int).QuoRem(num.BigIntMut(), den.BigIntMut(), new(big.Int))
	if r.Sign() != 0 {
		q.Add(q, bigOne)
	}
	return math.NewIntFromBigIntMut(q)
}

var bigOne = big.NewInt(1)

// Installment is what the next period owes on balance with n periods left
// (n >= 1): interest for the full period (rounded up) and principal — the
// level payment (rounded up) less interest for AMORTIZING, nothing for
// INTEREST_ONLY, and the whole balance in the last period either way.
func Installment(schedule ScheduleType, balance math.Int, apr math.LegacyDec, period time.Duration, n uint32) (interest, principal math.Int) {
	interest = PeriodInterest(balance, apr, period)
	switch {
	case n <= 1:
		principal = balance
	case schedule == ScheduleAmortizing:
		p := LevelPayment(balance, apr, period, n).Ceil().TruncateInt()
		principal = math.MaxInt(math.ZeroInt(), math.MinInt(balance, p.Sub(interest)))
	default:
		principal = math.ZeroInt()
	}
	return interest, principal
}

// BpsOf is floor(amount × bps / 10000).
func BpsOf(amount math.Int, bps uint32) math.Int {
	return amount.MulRaw(int64(bps)).QuoRaw(BpsDenominator)
}

// BpsOfCeil is ceil(amount × bps / 10000).
func BpsOfCeil(amount math.Int, bps uint32) math.Int {
	n := amount.MulRaw(int64(bps))
	q := n.QuoRaw(BpsDenominator)
	if !n.ModRaw(BpsDenominator).IsZero() {
		q = q.AddRaw(1)
	}
	return q
}

// SplitProRata splits amount between the senior and junior tranches in
// proportion to their principal; the junior share rounds down, so rounding
// favours the vault. With no principal left everything is senior.
func SplitProRata(amount, senior, junior math.Int) (seniorPart, juniorPart math.Int) {
	total := senior.Add(junior)
	if !total.IsPositive() || !junior.IsPositive() {
		return amount, math.ZeroInt()
	}
	juniorPart = amount.Mul(junior).Quo(total)
	return amount.Sub(juniorPart), juniorPart
}

// SeniorRate is the vault's rate on a loan: apr less the first-loss premium
// that goes to the junior tranche, apr × (1 − premium_bps / 10000).
func SeniorRate(apr math.LegacyDec, premiumBps uint32) math.LegacyDec {
	return apr.MulInt64(int64(BpsDenominator - premiumBps)).QuoInt64(BpsDenominator)
}

// LTV is principal / value; value must be positive.
func LTV(principal, value math.Int) math.LegacyDec {
	return math.LegacyNewDecFromInt(principal).QuoInt(value)
}

// MaxByLTV is floor(value × max_ltv).
func MaxByLTV(value math.Int, maxLTV math.LegacyDec) math.Int {
	return maxLTV.MulInt(value).TruncateInt()
}

// MaxByLiquidity is the largest principal whose senior part (principal less
// the minimum junior, ceil(principal × min_first_loss_bps)) fits in fundable.
func MaxByLiquidity(fundable math.Int, minFirstLossBps uint32) math.Int {
	if minFirstLossBps >= BpsDenominator {
		return fundable.Mul(math.NewInt(1_000_000_000_000))
	}
	return fundable.MulRaw(BpsDenominator).QuoRaw(int64(BpsDenominator - minFirstLossBps))
}

// ScheduleState is the part of a loan the schedule projection needs.
type ScheduleState struct {
	Schedule          ScheduleType
	Balance           math.Int
	APR               math.LegacyDec
	Interval          time.Duration
	PaymentsRemaining uint32
	NextDue           time.Time
	InterestDue       math.Int
	PrincipalDue      math.Int
}

// ProjectSchedule lists up to limit upcoming payments: the current period's
// remaining dues, then each later period re-computed on the balance left,
// assuming every payment is made exactly as scheduled.
func ProjectSchedule(s ScheduleState, limit uint32) []ScheduledPayment {
	var out []ScheduledPayment
	balance := s.Balance
	interest, principal := s.InterestDue, s.PrincipalDue
	due := s.NextDue
	for n := uint32(0); n < s.PaymentsRemaining && n < limit; n++ {
		if n > 0 {
			interest, principal = Installment(s.Schedule, balance, s.APR, s.Interval, s.PaymentsRemaining-n)
			due = due.Add(s.Interval)
		}
		balance = balance.Sub(principal)
		out = append(out, ScheduledPayment{
			Number: n + 1, DueTime: due, Interest: interest, Principal: principal,
			Total: interest.Add(principal), BalanceAfter: balance,
		})
	}
	return out
}

// checkBps returns an error unless bps <= 10000.
func checkBps(err *errorsmod.Error, name string, bps uint32) error {
	if bps > BpsDenominator {
		return errorsmod.Wrapf(err, "%s must be <= 10000, got %d", name, bps)
	}
	return nil
}

// LateInterest is the grace interest accrued from since to now on the
// outstanding principal at grace_apr, rounded up (debt rounds up).
func LateInterest(outstanding math.Int, graceAPR math.LegacyDec, since, now time.Time) math.Int {
	if !now.After(since) || !outstanding.IsPositive() {
		return math.ZeroInt()
	}
	seconds := int64(now.Sub(since) / time.Second)
	return graceAPR.MulInt(outstanding).MulInt64(seconds).QuoInt64(SecondsPerYear).Ceil().TruncateInt()
}

// ExpectedRecovery is what a foreclosure is expected to return: Σ value ×
// (1 − haircut) + insurance coverage, rounded down.
func ExpectedRecovery(value math.Int, haircut math.LegacyDec, coverage math.Int) math.Int {
	return math.LegacyOneDec().Sub(haircut).MulInt(value).TruncateInt().Add(coverage)
}

// SeniorWriteDown is the impairment of a senior claim: the part of its
// balance the expected recovery does not reach. The senior tranche is paid
// first in the waterfall, so it is written down only when the recovery is
// below its own balance.
func SeniorWriteDown(seniorBalance, expectedRecovery math.Int) math.Int {
	return math.MaxInt(math.ZeroInt(), seniorBalance.Sub(expectedRecovery))
}

// AuctionPrice is a Dutch auction's price after elapsed in round `round`:
// top × max(floor, 1 − elapsed/duration) in round 0, top × floor after a
// reset (round >= 1), rounded down.
func AuctionPrice(top math.Int, floor math.LegacyDec, duration, elapsed time.Duration, round uint32) math.Int {
	ratio := floor
	if round == 0 && duration > 0 && elapsed < duration {
		if elapsed < 0 {
			elapsed = 0
		}
		left := math.LegacyNewDec(int64((duration - elapsed) / time.Second)).QuoInt64(int64(duration / time.Second))
		ratio = math.LegacyMaxDec(floor, left)
	}
	return ratio.MulInt(top).TruncateInt()
}

// Claims are what a foreclosed loan owes each party at settlement.
type Claims struct {
	SeniorPrincipal, SeniorInterest, JuniorPrincipal, JuniorInterest math.Int
}

// PayWaterfall pays proceeds in order: liquidation fee (⌊proceeds ×
// fee_bps⌋) → senior principal → senior interest → junior principal → junior
// interest → surplus (to the borrower). The losses are the principal each
// tranche does not get back, so a shortfall hits the junior tranche first.
func PayWaterfall(proceeds math.Int, feeBps uint32, c Claims) Waterfall {
	rem := proceeds
	take := func(x math.Int) math.Int {
		y := math.MinInt(rem, x)
		rem = rem.Sub(y)
		return y
	}
	w := Waterfall{SaleProceeds: math.ZeroInt(), Insurance: math.ZeroInt(), Casualty: math.ZeroInt(), Reserve: math.ZeroInt(), Lockbox: math.ZeroInt()}
	w.LiquidationFee = take(BpsOf(proceeds, feeBps))
	w.SeniorPrincipal = take(c.SeniorPrincipal)
	w.SeniorInterest = take(c.SeniorInterest)
	w.JuniorPrincipal = take(c.JuniorPrincipal)
	w.JuniorInterest = take(c.JuniorInterest)
	w.Surplus = rem
	w.SeniorLoss = c.SeniorPrincipal.Sub(w.SeniorPrincipal)
	w.JuniorLoss = c.JuniorPrincipal.Sub(w.JuniorPrincipal)
	return w
}

// SplitInterest splits interest owed between the tranches like a repayment:
// pro rata by principal, then first_loss_premium_bps of the senior share moves
// to the junior. It returns the senior and junior parts and the premium.
func SplitInterest(interest, senior, junior math.Int, premiumBps uint32) (seniorPart, juniorPart, premium math.Int) {
	seniorGross, juniorPart := SplitProRata(interest, senior, junior)
	premium = BpsOf(seniorGross, premiumBps)
	return seniorGross.Sub(premium), juniorPart.Add(premium), premium
}

// Apportion splits total between items in proportion to weights (the last
// item takes the rounding remainder); with no weight it is split equally.
func Apportion(total math.Int, weights []math.Int) []math.Int {
	out := make([]math.Int, len(weights))
	if len(weights) == 0 {
		return out
	}
	sum := math.ZeroInt()
	for _, w := range weights {
		sum = sum.Add(w)
	}
	given := math.ZeroInt()
	for i, w := range weights {
		switch {
		case i == len(weights)-1:
			out[i] = total.Sub(given)
		case sum.IsPositive():
			out[i] = total.Mul(w).Quo(sum)
		default:
			out[i] = total.QuoRaw(int64(len(weights)))
		}
		given = given.Add(out[i])
	}
	return out
}
