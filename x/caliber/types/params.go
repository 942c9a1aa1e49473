package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
)

// Default parameters.
const (
	// DefaultCustodyAttestationMaxAge: custodians attest daily.
	DefaultCustodyAttestationMaxAge = 24 * time.Hour
	// DefaultMaxStaleChecksPerBlock bounds EndBlock's custody walk.
	DefaultMaxStaleChecksPerBlock = 100
	// DefaultMaxSerialsPerTitle fits a full rack of GPUs.
	DefaultMaxSerialsPerTitle = 64
	// DefaultMaxTitlesPerAttestation bounds one heartbeat message.
	DefaultMaxTitlesPerAttestation = 100
	// DefaultMaxPolicyExpiriesPerBlock bounds EndBlock's policy walk.
	DefaultMaxPolicyExpiriesPerBlock = 100
	// DefaultMaxAppraisalValidity: an appraisal counts for at most a year.
	DefaultMaxAppraisalValidity = 365 * 24 * time.Hour
	// DefaultMaxPolicyDuration: policies run for at most five years.
	DefaultMaxPolicyDuration = 5 * 365 * 24 * time.Hour
)

// DefaultParams returns the default module parameters.
func DefaultParams() Params {
	return Params{
		CustodyAttestationMaxAge:  DefaultCustodyAttestationMaxAge,
		MaxStaleChecksPerBlock:    DefaultMaxStaleChecksPerBlock,
		MaxSerialsPerTitle:        DefaultMaxSerialsPerTitle,
		MaxTitlesPerAttestation:   DefaultMaxTitlesPerAttestation,
		MaxPolicyExpiriesPerBlock: DefaultMaxPolicyExpiriesPerBlock,
		MaxAppraisalValidity:      DefaultMaxAppraisalValidity,
		MaxPolicyDuration:         DefaultMaxPolicyDuration,
	}
}

// Validate checks the parameters on their own.
func (p Params) Validate() error {
	positive := []struct {
		name string
		d    time.Duration
	}{
		{"custody_attestation_max_age", p.CustodyAttestationMaxAge},
		{"max_appraisal_validity", p.MaxAppraisalValidity},
		{"max_policy_duration", p.MaxPolicyDuration},
	}
	for _, f := range positive {
		if f.d <= 0 {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be positive, got %s", f.name, f.d)
		}
	}
	bounded := []struct {
		name  string
		value uint32
		max   uint32
	}{
		{"max_stale_checks_per_block", p.MaxStaleChecksPerBlock, maxPerBlockLimit},
		{"max_serials_per_title", p.MaxSerialsPerTitle, maxSerialsLimit},
		{"max_titles_per_attestation", p.MaxTitlesPerAttestation, maxAttestationCap},
		{"max_policy_expiries_per_block", p.MaxPolicyExpiriesPerBlock, maxPerBlockLimit},
	}
	for _, f := range bounded {
		if f.value == 0 || f.value > f.max {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be in [1, %d], got %d", f.name, f.max, f.value)
		}
	}
	return nil
}
