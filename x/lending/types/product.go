package types

import (
	"regexp"
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// maxPayments bounds a product's number of scheduled payments.
const maxPayments = 1_200

// maxRateYears bounds apr_max × duration (in years). The level payment
// computes (1+i)^n <= e^(apr × years) with i = apr × interval / year and
// n = duration / interval; within the bound it stays below e^30 ≈ 10^13, far
// inside LegacyDec's range even for a 10^30 balance, while APR 10 over 1,200
// monthly payments (e^1000) would overflow and panic.
var maxRateYears = math.LegacyNewDec(30)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// ValidateID checks a product or asset class id.
func ValidateID(field, id string) error {
	if !idPattern.MatchString(id) {
		return errorsmod.Wrapf(ErrInvalidProduct, "%s %q must match %s", field, id, idPattern)
	}
	return nil
}

func checkRatio(name string, d math.LegacyDec, allowZero bool) error {
	if d.IsNil() || d.IsNegative() || d.GT(math.LegacyOneDec()) || (!allowZero && d.IsZero()) {
		return errorsmod.Wrapf(ErrInvalidProduct, "%s must be in %s1], got %v", name, map[bool]string{true: "[0, ", false: "(0, "}[allowZero], d)
	}
	return nil
}

// Payments is the number of scheduled payments, duration / repayment_interval.
func (p Product) Payments() uint32 {
	return uint32(p.Duration / p.RepaymentInterval)
}

// Validate checks a product on its own.
func (p Product) Validate() error {
	if err := ValidateID("id", p.Id); err != nil {
		return err
	}
	if len(p.AssetClasses) == 0 {
		return errorsmod.Wrap(ErrInvalidProduct, "asset_classes must not be empty")
	}
	seen := map[string]bool{}
	for _, c := range p.AssetClasses {
		if err := ValidateID("asset class", c); err != nil {
			return err
		}
		if seen[c] {
			return errorsmod.Wrapf(ErrInvalidProduct, "asset class %s listed twice", c)
		}
		seen[c] = true
	}
	for _, r := range []struct {
		name      string
		d         math.LegacyDec
		allowZero bool
	}{
		{"max_ltv", p.MaxLtv, false},
		{"liquidation_ltv", p.LiquidationLtv, false},
		{"recovery_haircut", p.RecoveryHaircut, true},
		{"auction.floor_ratio", p.Auction.FloorRatio, true},
	} {
		if err := checkRatio(r.name, r.d, r.allowZero); err != nil {
			return err
		}
	}
	if p.LiquidationLtv.LT(p.MaxLtv) {
		return errorsmod.Wrap(ErrInvalidProduct, "liquidation_ltv must be >= max_ltv")
	}
	for _, r := range []struct {
		name string
		d    math.LegacyDec
	}{{"apr_min", p.AprMin}, {"apr_max", p.AprMax}, {"grace_apr", p.GraceApr}} {
		if r.d.IsNil() || r.d.IsNegative() || r.d.GT(math.LegacyNewDec(10)) {
			return errorsmod.Wrapf(ErrInvalidProduct, "%s must be in [0, 10], got %v", r.name, r.d)
		}
	}
	if p.AprMin.GT(p.AprMax) {
		return errorsmod.Wrap(ErrInvalidProduct, "apr_min must be <= apr_max")
	}
	if p.Auction.StartMultiplier.IsNil() || !p.Auction.StartMultiplier.IsPositive() {
		return errorsmod.Wrap(ErrInvalidProduct, "auction.start_multiplier must be positive")
	}
	if p.RepaymentInterval < time.Second || p.RepaymentInterval%time.Second != 0 {
		return errorsmod.Wrapf(ErrInvalidProduct, "repayment_interval must be a positive whole number of seconds, got %s", p.RepaymentInterval)
	}
	if p.Duration <= 0 || p.Duration%p.RepaymentInterval != 0 {
		return errorsmod.Wrapf(ErrInvalidProduct, "duration %s must be a positive multiple of repayment_interval %s", p.Duration, p.RepaymentInterval)
	}
	if n := p.Duration / p.RepaymentInterval; n > maxPayments {
		return errorsmod.Wrapf(ErrInvalidProduct, "at most %d payments, got %d", maxPayments, n)
	}
	if years := p.AprMax.MulInt64(int64(p.Duration / time.Second)).QuoInt64(SecondsPerYear); years.GT(maxRateYears) {
		return errorsmod.Wrapf(ErrInvalidProduct, "apr_max × duration in years must be <= %s, got %s (%v over %s)", maxRateYears, years, p.AprMax, p.Duration)
	}
	if p.Schedule != ScheduleAmortizing && p.Schedule != ScheduleInterestOnly {
		return errorsmod.Wrapf(ErrInvalidProduct, "schedule must be AMORTIZING or INTEREST_ONLY, got %s", p.Schedule)
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"grace_period", p.GracePeriod}, {"cure_period", p.CurePeriod}, {"auction.duration", p.Auction.Duration}} {
		if d.d < 0 {
			return errorsmod.Wrapf(ErrInvalidProduct, "%s must be >= 0", d.name)
		}
	}
	for _, b := range []struct {
		name string
		bps  uint32
	}{
		{"origination_fee_bps", p.OriginationFeeBps}, {"exit_fee_bps", p.ExitFeeBps},
		{"liquidation_fee_bps", p.LiquidationFeeBps}, {"min_first_loss_bps", p.MinFirstLossBps},
		{"first_loss_premium_bps", p.FirstLossPremiumBps}, {"min_insurance_bps", p.MinInsuranceBps},
	} {
		if err := checkBps(ErrInvalidProduct, b.name, b.bps); err != nil {
			return err
		}
	}
	if p.MinFirstLossBps >= BpsDenominator {
		return errorsmod.Wrap(ErrInvalidProduct, "min_first_loss_bps must be < 10000 (the vault funds the rest)")
	}
	if !p.MinDscr.IsNil() && (p.MinDscr.IsNegative() || p.MinDscr.GT(math.LegacyNewDec(100))) {
		return errorsmod.Wrapf(ErrInvalidProduct, "min_dscr must be in [0, 100], got %v", p.MinDscr)
	}
	if p.CashFlowPeriods > MaxCashFlowPeriods {
		return errorsmod.Wrapf(ErrInvalidProduct, "cash_flow_periods must be at most %d, got %d", MaxCashFlowPeriods, p.CashFlowPeriods)
	}
	if p.SweepExcess != SweepExcessHold && p.SweepExcess != SweepExcessPrepay {
		return errorsmod.Wrapf(ErrInvalidProduct, "sweep_excess must be HOLD or PREPAY, got %s", p.SweepExcess)
	}
	if p.DebtServiceReservePeriods > p.Payments() {
		return errorsmod.Wrap(ErrInvalidProduct, "debt_service_reserve_periods must be <= the number of payments")
	}
	return nil
}

// AllowsClass reports whether the product accepts titles of class.
func (p Product) AllowsClass(class string) bool {
	for _, c := range p.AssetClasses {
		if c == class {
			return true
		}
	}
	return false
}

// Terms are the product terms a loan keeps.
func (p Product) Terms() LoanTerms {
	return LoanTerms{
		RepaymentInterval:   p.RepaymentInterval,
		Schedule:            p.Schedule,
		GracePeriod:         p.GracePeriod,
		GraceApr:            p.GraceApr,
		ExitFeeBps:          p.ExitFeeBps,
		LiquidationFeeBps:   p.LiquidationFeeBps,
		FirstLossPremiumBps: p.FirstLossPremiumBps,
		CurePeriod:          p.CurePeriod,
		LiquidationLtv:      p.LiquidationLtv,
		RecoveryHaircut:     p.RecoveryHaircut,
		PaymentsTotal:       p.Payments(),
		MaxLtv:              p.MaxLtv,
		MinInsuranceBps:     p.MinInsuranceBps,
		Auction:             p.Auction,
		SweepExcess:         p.SweepExcess,
		MinDscr:             p.MinDscr,
		CashFlowPeriods:     p.CashFlowPeriods,
	}
}

// Live reports whether a loan still holds its titles (not in a final status).
func Live(s LoanStatus) bool {
	switch s {
	case LoanRepaid, LoanCancelled, LoanExpired, LoanLiquidated, LoanWrittenOff, LoanStatusUnspecified:
		return false
	}
	return true
}

// Funded reports whether a loan has been funded and not closed.
func Funded(s LoanStatus) bool {
	return Live(s) && s != LoanPending
}

// Performing reports whether a funded loan is still paying (not foreclosing):
// it holds its titles as collateral under covenants.
func Performing(s LoanStatus) bool {
	return s == LoanActive || s == LoanDelinquent || s == LoanMarginCall
}

// Outstanding is the principal still owed (senior + junior).
func (l Loan) Outstanding() math.Int {
	return l.Senior.Balance.Add(l.JuniorPrincipal)
}
