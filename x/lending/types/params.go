package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// Default parameters.
const (
	DefaultMaxBorrowerConcentrationBps  = 2_000
	DefaultMaxClassConcentrationBps     = 6_000
	DefaultMaxCustodianConcentrationBps = 5_000
	DefaultMaxPendingAge                = 7 * 24 * time.Hour
	DefaultMaxTitlesPerLoan             = 20
	DefaultMaxExpiriesPerBlock          = 50
	DefaultMaxDuePerBlock               = 100
	DefaultMaxRevaluationsPerBlock      = 100

	maxTitlesLimit   = 200
	maxPerBlockLimit = 10_000
)

// DefaultConcentrationMinBook: limits apply once the senior book holds 1,000,000 USDai.
var DefaultConcentrationMinBook = math.NewInt(1_000_000_000_000)

// DefaultParams returns the default module parameters.
func DefaultParams() Params {
	return Params{
		MaxBorrowerConcentrationBps:  DefaultMaxBorrowerConcentrationBps,
		MaxClassConcentrationBps:     DefaultMaxClassConcentrationBps,
		MaxCustodianConcentrationBps: DefaultMaxCustodianConcentrationBps,
		ConcentrationMinBook:         DefaultConcentrationMinBook,
		MaxPendingAge:                DefaultMaxPendingAge,
		MaxTitlesPerLoan:             DefaultMaxTitlesPerLoan,
		MaxExpiriesPerBlock:          DefaultMaxExpiriesPerBlock,
		MaxDuePerBlock:               DefaultMaxDuePerBlock,
		MaxRevaluationsPerBlock:      DefaultMaxRevaluationsPerBlock,
	}
}

// Validate checks the parameters on their own.
func (p Params) Validate() error {
	for _, f := range []struct {
		name string
		bps  uint32
	}{
		{"max_borrower_concentration_bps", p.MaxBorrowerConcentrationBps},
		{"max_class_concentration_bps", p.MaxClassConcentrationBps},
		{"max_custodian_concentration_bps", p.MaxCustodianConcentrationBps},
	} {
		if f.bps == 0 {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be positive", f.name)
		}
		if err := checkBps(ErrInvalidParams, f.name, f.bps); err != nil {
			return err
		}
	}
	if p.ConcentrationMinBook.IsNil() || p.ConcentrationMinBook.IsNegative() {
		return errorsmod.Wrap(ErrInvalidParams, "concentration_min_book must be >= 0")
	}
	if p.MaxPendingAge <= 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "max_pending_age must be positive, got %s", p.MaxPendingAge)
	}
	if p.MaxTitlesPerLoan == 0 || p.MaxTitlesPerLoan > maxTitlesLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "max_titles_per_loan must be in [1, %d], got %d", maxTitlesLimit, p.MaxTitlesPerLoan)
	}
	for _, f := range []struct {
		name string
		v    uint32
	}{
		{"max_expiries_per_block", p.MaxExpiriesPerBlock},
		{"max_due_per_block", p.MaxDuePerBlock},
		{"max_revaluations_per_block", p.MaxRevaluationsPerBlock},
	} {
		if f.v == 0 || f.v > maxPerBlockLimit {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be in [1, %d], got %d", f.name, maxPerBlockLimit, f.v)
		}
	}
	return nil
}
