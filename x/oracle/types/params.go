package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

const (
	// DefaultPostTTL is how long a post counts when the feeder gives no expiry:
	// long enough to survive a feeder restart, short enough that a dead feeder
	// drops out of the median within the hour.
	DefaultPostTTL = time.Hour
	// DefaultMaxPostTTL caps a declared expiry at one day (daily-published rates).
	DefaultMaxPostTTL = 24 * time.Hour
	// DefaultMaxFeedersPerFeed bounds the median's inputs per feed.
	DefaultMaxFeedersPerFeed = 32

	// MaxFeedersPerFeedLimit is the largest max_feeders_per_feed governance may set;
	// it keeps one feed's EndBlock aggregation cheap.
	MaxFeedersPerFeedLimit = 1000
)

var (
	// DefaultMaxValue is 10^18: 10^12 USD in uusdai, far above any GPU or rate value.
	DefaultMaxValue = math.LegacyNewDecFromInt(math.NewIntWithDecimal(1, 18))
	// MaxValueLimit is the largest max_value governance may set (10^36). It keeps
	// sums and products of prices far from LegacyDec's 256-bit limit.
	MaxValueLimit = math.LegacyNewDecFromInt(math.NewIntWithDecimal(1, 36))
	// DefaultMinPower is 2/3 rounded down to 18 decimals. With less than 1/3 of
	// the power Byzantine, a report covering at least 2/3 of the power is more
	// than half honest by power, so the weighted median stays within the honest
	// reports. Rounding down lets exactly 2 of 3 equal validators qualify.
	DefaultMinPower = math.LegacyMustNewDecFromStr("0.666666666666666666")
)

// NewParams returns Params with the given fields.
func NewParams(defaultPostTTL, maxPostTTL time.Duration, maxFeedersPerFeed uint32, maxValue, minPower math.LegacyDec) Params {
	return Params{
		DefaultPostTtl:    defaultPostTTL,
		MaxPostTtl:        maxPostTTL,
		MaxFeedersPerFeed: maxFeedersPerFeed,
		MaxValue:          maxValue,
		MinPower:          minPower,
	}
}

// DefaultParams returns the default module parameters.
func DefaultParams() Params {
	return NewParams(DefaultPostTTL, DefaultMaxPostTTL, DefaultMaxFeedersPerFeed, DefaultMaxValue, DefaultMinPower)
}

// Validate checks the parameters on their own; the keeper also checks them
// against the registered feeds before an update.
func (p Params) Validate() error {
	if p.DefaultPostTtl <= 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "default_post_ttl must be positive, got %s", p.DefaultPostTtl)
	}
	if p.MaxPostTtl <= 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "max_post_ttl must be positive, got %s", p.MaxPostTtl)
	}
	if p.DefaultPostTtl > p.MaxPostTtl {
		return errorsmod.Wrapf(ErrInvalidParams, "default_post_ttl %s exceeds max_post_ttl %s", p.DefaultPostTtl, p.MaxPostTtl)
	}
	if p.MaxFeedersPerFeed == 0 || p.MaxFeedersPerFeed > MaxFeedersPerFeedLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "max_feeders_per_feed must be in [1, %d], got %d", MaxFeedersPerFeedLimit, p.MaxFeedersPerFeed)
	}
	if p.MaxValue.IsNil() || !p.MaxValue.IsPositive() {
		return errorsmod.Wrap(ErrInvalidParams, "max_value must be positive")
	}
	if p.MaxValue.GT(MaxValueLimit) {
		return errorsmod.Wrapf(ErrInvalidParams, "max_value must be at most %s, got %s", MaxValueLimit, p.MaxValue)
	}
	if p.MinPower.IsNil() || !p.MinPower.IsPositive() || p.MinPower.GT(math.LegacyOneDec()) {
		return errorsmod.Wrapf(ErrInvalidParams, "min_power must be in (0, 1], got %s", p.MinPower)
	}
	return nil
}
