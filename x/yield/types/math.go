package types

import (
	"math/big"
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// Vault math: small pure functions on math.Int and math.LegacyDec. Products
// are taken in big.Int before dividing (no 256-bit intermediate limit) and
// every input and result is bounded, so absurd inputs return ErrOverflow
// instead of panicking. Rounding always favours the vault: shares down on
// deposit, assets down on redemption, accrued values down, fees on accruals up.

const (
	// BpsDenominator is 100% in basis points.
	BpsDenominator = 10_000
	// SecondsPerYear is the protocol year, 365 days.
	SecondsPerYear = 31_536_000
)

var (
	// VirtualShares and VirtualAssets are the ERC-4626 virtual offset: the
	// vault behaves as if 10^6 shares backed by 10^6 uusdai (1 USDai) always
	// existed, so an empty vault mints one ususdai per uusdai: the opening
	// price is exactly 1 USDai per sUSDai (both denoms have 6 decimals). They
	// keep the first-depositor / donation inflation attack unprofitable: a
	// donation is shared with the 10^6 virtual shares, so an attacker holding
	// a few shares loses almost all of it, and a victim's rounding loss is at
	// most about one share's worth, about 10^-6 of the donation.
	VirtualShares = math.NewInt(1_000_000)
	VirtualAssets = math.NewInt(1_000_000)

	// MaxAssets bounds every uusdai amount the vault computes with (10^30
	// uusdai is 10^24 USD).
	MaxAssets = math.NewIntWithDecimal(1, 30)
	// MaxShares bounds every ususdai amount: one share per uusdai at the
	// start, with room for a very large fall in the share price.
	MaxShares = math.NewIntWithDecimal(1, 45)
	// MaxRate is the largest APR accepted for a senior position or the T-bill feed (1000%).
	MaxRate = math.LegacyNewDec(10)
	// maxUnix is the last second of year 9999, the latest block time the math accepts.
	maxUnix = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()

	bpsBig  = big.NewInt(BpsDenominator)
	precBig = new(big.Int).Exp(big.NewInt(10), big.NewInt(math.LegacyPrecision), nil)
)

// CheckAmount returns an error unless 0 <= v <= max; what names the value.
func CheckAmount(what string, v, max math.Int) error {
	if v.IsNil() || v.IsNegative() {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s must not be negative", what)
	}
	if v.GT(max) {
		return errorsmod.Wrapf(ErrOverflow, "%s %s exceeds the limit %s", what, v, max)
	}
	return nil
}

// CheckRate returns an error unless 0 <= rate <= MaxRate.
func CheckRate(what string, rate math.LegacyDec) error {
	if rate.IsNil() || rate.IsNegative() {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s must not be negative", what)
	}
	if rate.GT(MaxRate) {
		return errorsmod.Wrapf(ErrOverflow, "%s %s exceeds the limit %s", what, rate, MaxRate)
	}
	return nil
}

// checkBps returns an error for bps above 100%.
func checkBps(what string, bps uint32) error {
	if bps > BpsDenominator {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s %d exceeds %d", what, bps, BpsDenominator)
	}
	return nil
}

// checkTime returns an error for a time the math cannot take.
func checkTime(what string, t time.Time) error {
	if u := t.Unix(); u < 0 || u > maxUnix {
		return errorsmod.Wrapf(ErrOverflow, "%s %s is out of range", what, t)
	}
	return nil
}

// mulDiv returns floor(a·b / c) for non-negative a, b and positive c.
func mulDiv(a, b, c *big.Int) *big.Int {
	n := new(big.Int).Mul(a, b)
	return n.Quo(n, c)
}

// mulDivCeil returns ceil(a·b / c) for non-negative a, b and positive c.
func mulDivCeil(a, b, c *big.Int) *big.Int {
	n := new(big.Int).Mul(a, b)
	q, r := new(big.Int).QuoRem(n, c, new(big.Int))
	if r.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

// toInt converts a non-negative result, refusing one above max.
func toInt(what string, b *big.Int, max math.Int) (math.Int, error) {
	if b.Cmp(max.BigIntMut()) > 0 {
		return math.Int{}, errorsmod.Wrapf(ErrOverflow, "%s exceeds the limit %s", what, max)
	}
	return math.NewIntFromBigInt(b), nil
}

// catch turns a panic of the math library into ErrOverflow.
func catch(err *error) {
	if r := recover(); r != nil {
		*err = errorsmod.Wrapf(ErrOverflow, "%v", r)
	}
}

// checkVault checks the vault totals shared by the share conversions.
func checkVault(totalShares, totalAssets math.Int) error {
	if err := CheckAmount("total shares", totalShares, MaxShares); err != nil {
		return err
	}
	return CheckAmount("total assets", totalAssets, MaxAssets)
}

// ConvertToShares is the shares minted for a deposit of assets:
// floor(assets × (totalShares + 10^6) / (totalAssets + 10^6)).
func ConvertToShares(assets, totalShares, totalAssets math.Int) (math.Int, error) {
	if err := CheckAmount("assets", assets, MaxAssets); err != nil {
		return math.Int{}, err
	}
	if err := checkVault(totalShares, totalAssets); err != nil {
		return math.Int{}, err
	}
	s := new(big.Int).Add(totalShares.BigIntMut(), VirtualShares.BigIntMut())
	a := new(big.Int).Add(totalAssets.BigIntMut(), VirtualAssets.BigIntMut())
	return toInt("shares", mulDiv(assets.BigIntMut(), s, a), MaxShares)
}

// ConvertToAssets is the assets shares are worth:
// floor(shares × (totalAssets + 10^6) / (totalShares + 10^6)).
func ConvertToAssets(shares, totalShares, totalAssets math.Int) (math.Int, error) {
	if err := CheckAmount("shares", shares, MaxShares); err != nil {
		return math.Int{}, err
	}
	if err := checkVault(totalShares, totalAssets); err != nil {
		return math.Int{}, err
	}
	s := new(big.Int).Add(totalShares.BigIntMut(), VirtualShares.BigIntMut())
	a := new(big.Int).Add(totalAssets.BigIntMut(), VirtualAssets.BigIntMut())
	return toInt("assets", mulDiv(shares.BigIntMut(), a, s), MaxAssets)
}

// SharePrice is uusdai per ususdai, (totalAssets + 10^6) / (totalShares + 10^6),
// truncated to 18 decimals.
func SharePrice(totalShares, totalAssets math.Int) (math.LegacyDec, error) {
	if err := checkVault(totalShares, totalAssets); err != nil {
		return math.LegacyDec{}, err
	}
	s := new(big.Int).Add(totalShares.BigIntMut(), VirtualShares.BigIntMut())
	a := new(big.Int).Add(totalAssets.BigIntMut(), VirtualAssets.BigIntMut())
	return math.LegacyNewDecFromBigIntWithPrec(mulDiv(a, precBig, s), math.LegacyPrecision), nil
}

// Redemption is the split of a served redemption.
type Redemption struct {
	// Gross is what the shares are worth at the conservative price.
	Gross math.Int
	// Payout = floor(Gross × (1 − bid)) goes to the requester.
	Payout math.Int
	// Bid = Gross − Payout stays in the vault, less ProtocolShare.
	Bid math.Int
	// ProtocolShare = floor(Bid × protocol_bid_share) goes to the fee collector.
	ProtocolShare math.Int
}

// RedeemPayout splits the redemption of shares at the conservative NAV
// conservativeAssets with a bid of bidBps.
func RedeemPayout(shares, totalShares, conservativeAssets math.Int, bidBps, protocolShareBps uint32) (Redemption, error) {
	if err := checkBps("bid_bps", bidBps); err != nil {
		return Redemption{}, err
	}
	if err := checkBps("protocol_bid_share_bps", protocolShareBps); err != nil {
		return Redemption{}, err
	}
	gross, err := ConvertToAssets(shares, totalShares, conservativeAssets)
	if err != nil {
		return Redemption{}, err
	}
	payout := BpsOf(gross, BpsDenominator-bidBps)
	bid := gross.Sub(payout)
	return Redemption{Gross: gross, Payout: payout, Bid: bid, ProtocolShare: BpsOf(bid, protocolShareBps)}, nil
}

// FillableShares is how many of requested shares can be served with
// liquidity uusdai: the largest s <= requested whose payout plus protocol
// share fit in liquidity. The vault's outflow per share is
// price × (1 − bid + bid × protocol_share), so
// s = floor(liquidity × (totalShares + 10^6) × 10^8 / ((assets + 10^6) × (10^4 × (10^4 − bid) + bid × protocol_share))).
func FillableShares(requested, liquidity, totalShares, conservativeAssets math.Int, bidBps, protocolShareBps uint32) (math.Int, error) {
	if err := CheckAmount("requested shares", requested, MaxShares); err != nil {
		return math.Int{}, err
	}
	if err := CheckAmount("liquidity", liquidity, MaxAssets); err != nil {
		return math.Int{}, err
	}
	if err := checkVault(totalShares, conservativeAssets); err != nil {
		return math.Int{}, err
	}
	if err := checkBps("bid_bps", bidBps); err != nil {
		return math.Int{}, err
	}
	if err := checkBps("protocol_bid_share_bps", protocolShareBps); err != nil {
		return math.Int{}, err
	}
	cost := uint64(BpsDenominator)*uint64(BpsDenominator-bidBps) + uint64(bidBps)*uint64(protocolShareBps)
	if cost == 0 {
		// A full bid with no protocol share costs the vault nothing.
		return requested, nil
	}
	s := new(big.Int).Add(totalShares.BigIntMut(), VirtualShares.BigIntMut())
	num := new(big.Int).Mul(liquidity.BigIntMut(), s)
	num.Mul(num, new(big.Int).Mul(bpsBig, bpsBig))
	den := new(big.Int).Add(conservativeAssets.BigIntMut(), VirtualAssets.BigIntMut())
	den.Mul(den, new(big.Int).SetUint64(cost))
	fill := num.Quo(num, den)
	if fill.Cmp(requested.BigIntMut()) >= 0 {
		return requested, nil
	}
	return math.NewIntFromBigInt(fill), nil
}

// BpsOf is floor(amount × bps / 10^4) for a non-negative amount.
func BpsOf(amount math.Int, bps uint32) math.Int {
	return math.NewIntFromBigInt(mulDiv(amount.BigIntMut(), big.NewInt(int64(bps)), bpsBig))
}

// BpsOfCeil is ceil(amount × bps / 10^4) for a non-negative amount.
func BpsOfCeil(amount math.Int, bps uint32) math.Int {
	return math.NewIntFromBigInt(mulDivCeil(amount.BigIntMut(), big.NewInt(int64(bps)), bpsBig))
}

// NAVInputs are the parts of the vault's net asset value, in uusdai.
type NAVInputs struct {
	Idle              math.Int
	SeniorPrincipal   math.Int // performing and impaired
	Impairment        math.Int // write-downs of impaired positions
	AccruedInterest   math.Int // on performing senior positions, unpaid
	TreasuryPrincipal math.Int
	AccruedYield      math.Int // T-bill yield accrued since the last settlement
	AdminFeeBps       uint32
}

// NAVResult is the vault's valuation.
type NAVResult struct {
	// NAV = Conservative + accrued interest + accrued yield − AccruedFees.
	NAV math.Int
	// Conservative = idle + senior principal − impairment + treasury principal:
	// NAV without anything accrued and unpaid.
	Conservative math.Int
	// AccruedFees = ceil(admin_fee × (accrued interest + accrued yield)).
	AccruedFees math.Int
}

// ComputeNAV values the vault. Both values are floored at zero.
func ComputeNAV(in NAVInputs) (NAVResult, error) {
	for _, v := range []struct {
		what string
		v    math.Int
	}{
		{"idle", in.Idle}, {"senior principal", in.SeniorPrincipal}, {"impairment", in.Impairment},
		{"accrued interest", in.AccruedInterest}, {"treasury principal", in.TreasuryPrincipal},
		{"accrued yield", in.AccruedYield},
	} {
		if err := CheckAmount(v.what, v.v, MaxAssets); err != nil {
			return NAVResult{}, err
		}
	}
	if err := checkBps("admin_fee_bps", in.AdminFeeBps); err != nil {
		return NAVResult{}, err
	}
	conservative := in.Idle.Add(in.SeniorPrincipal).Add(in.TreasuryPrincipal).Sub(in.Impairment)
	if conservative.IsNegative() {
		conservative = math.ZeroInt()
	}
	accrued := in.AccruedInterest.Add(in.AccruedYield)
	fees := BpsOfCeil(accrued, in.AdminFeeBps)
	return NAVResult{NAV: conservative.Add(accrued).Sub(fees), Conservative: conservative, AccruedFees: fees}, nil
}

// PositionWeights are a senior position's contributions to the book
// aggregates: s = balance × rate and c = balance × rate × since (unix seconds).
// Both are exact, so removing a position restores the aggregates exactly.
func PositionWeights(balance math.Int, rate math.LegacyDec, since time.Time) (s, c math.LegacyDec, err error) {
	defer catch(&err)
	if err := CheckAmount("balance", balance, MaxAssets); err != nil {
		return s, c, err
	}
	if err := CheckRate("rate", rate); err != nil {
		return s, c, err
	}
	if err := checkTime("since", since); err != nil {
		return s, c, err
	}
	s = rate.MulInt(balance)
	return s, s.MulInt64(since.Unix()), nil
}

// AccruedInterest is the interest accrued on the performing senior book at
// now: floor((S × now − C) / year), never negative.
func AccruedInterest(rateSum, rateTimeSum math.LegacyDec, now time.Time) (acc math.Int, err error) {
	defer catch(&err)
	if rateSum.IsNil() || rateTimeSum.IsNil() || rateSum.IsNegative() || rateTimeSum.IsNegative() {
		return math.Int{}, errorsmod.Wrap(ErrInvalidAmount, "book aggregates must not be negative")
	}
	if err := checkTime("now", now); err != nil {
		return math.Int{}, err
	}
	v := rateSum.MulInt64(now.Unix()).Sub(rateTimeSum).QuoInt64(SecondsPerYear)
	if !v.IsPositive() {
		return math.ZeroInt(), nil
	}
	acc = v.TruncateInt()
	return acc, CheckAmount("accrued interest", acc, MaxAssets)
}

// TreasuryAccrual is the yield on principal at an APR over seconds:
// principal × rate × seconds / year, truncated to 18 decimals.
func TreasuryAccrual(principal math.Int, rate math.LegacyDec, seconds int64) (acc math.LegacyDec, err error) {
	defer catch(&err)
	if err := CheckAmount("treasury principal", principal, MaxAssets); err != nil {
		return acc, err
	}
	if err := CheckRate("treasury rate", rate); err != nil {
		return acc, err
	}
	if seconds < 0 || seconds > maxUnix {
		return acc, errorsmod.Wrapf(ErrOverflow, "accrual period of %d s is out of range", seconds)
	}
	return rate.MulInt(principal).MulInt64(seconds).QuoInt64(SecondsPerYear), nil
}

// Fundable is what the vault may lend: idle − reserved − buffer − committed,
// floored at zero. committed is the principal of x/lending's PENDING loans.
func Fundable(idle, reserved, buffer, committed math.Int) math.Int {
	f := idle.Sub(reserved).Sub(buffer).Sub(committed)
	if f.IsNegative() {
		return math.ZeroInt()
	}
	return f
}

// AnnualizedReturn annualizes the share price change from priceThen to priceNow
// over seconds: (priceNow / priceThen − 1) × year / seconds. It is zero when
// there is no period or no earlier price, and negative after losses.
func AnnualizedReturn(priceThen, priceNow math.LegacyDec, seconds int64) (apr math.LegacyDec, err error) {
	defer catch(&err)
	if seconds <= 0 || priceThen.IsNil() || priceNow.IsNil() || !priceThen.IsPositive() {
		return math.LegacyZeroDec(), nil
	}
	return priceNow.Sub(priceThen).Quo(priceThen).MulInt64(SecondsPerYear).QuoInt64(seconds), nil
}

// ProjectedAPR is what the vault earns per year at current rates, net of the
// admin fee, over NAV: (S + treasury principal × treasury rate) × (1 − fee) / NAV.
// rateSum is S = Σ balance × rate of the performing senior book.
func ProjectedAPR(rateSum math.LegacyDec, treasuryPrincipal math.Int, treasuryRate math.LegacyDec, adminFeeBps uint32, nav math.Int) (apr math.LegacyDec, err error) {
	defer catch(&err)
	if nav.IsNil() || !nav.IsPositive() {
		return math.LegacyZeroDec(), nil
	}
	if err := checkBps("admin_fee_bps", adminFeeBps); err != nil {
		return apr, err
	}
	if err := CheckRate("treasury rate", treasuryRate); err != nil {
		return apr, err
	}
	income := rateSum.Add(treasuryRate.MulInt(treasuryPrincipal))
	net := income.MulInt64(int64(BpsDenominator - adminFeeBps)).QuoInt64(BpsDenominator)
	return net.QuoInt(nav), nil
}

// NextEpochEnd is the first epoch boundary after now, on the grid end + k × length;
// end itself while now is before it.
func NextEpochEnd(end, now time.Time, length time.Duration) time.Time {
	if now.Before(end) || length <= 0 {
		return end
	}
	k := now.Sub(end)/length + 1
	return end.Add(k * length)
}
