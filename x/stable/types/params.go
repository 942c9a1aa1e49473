package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

const (
	// MaxReserves bounds params.reserves: every query and the invariant walk them.
	MaxReserves = 16
	// MaxFeeBps is the largest fee a reserve may charge (100%).
	MaxFeeBps = BpsDenominator
	// ReserveDecimals is the number of decimals every reserve denom must have,
	// the same as uusdai, so that one base unit backs one uusdai.
	ReserveDecimals = 6
)

// NewParams returns Params with the given fields.
func NewParams(reserves []ReserveAsset, supplyCap math.Int, permissioned, paused bool) Params {
	return Params{Reserves: reserves, SupplyCap: supplyCap, Permissioned: permissioned, Paused: paused}
}

// DefaultParams returns the default parameters: no reserve and a zero supply
// cap, so nothing can be minted until governance lists a reserve and sets caps;
// and the default outflow quotas of USDai and sUSDai.
func DefaultParams() Params {
	p := NewParams([]ReserveAsset{}, math.ZeroInt(), false, false)
	p.OutflowQuotas = DefaultOutflowQuotas()
	return p
}

// DefaultOutflowQuotas let at most 10% of the supply, and at most 10 million,
// of USDai and of sUSDai leave over any one channel (net) in a rolling day: a
// run through one channel is slowed, and a compromised counterparty chain
// cannot drain more than that before governance reacts.
func DefaultOutflowQuotas() []OutflowQuota {
	tenMillion := math.NewInt(10_000_000_000_000)
	return []OutflowQuota{
		{Denom: USDaiDenom, WindowSeconds: 86400, MaxSupplyBps: 1000, MaxAmount: tenMillion},
		{Denom: SUSDaiDenom, WindowSeconds: 86400, MaxSupplyBps: 1000, MaxAmount: tenMillion},
	}
}

// Validate checks the parameters on their own; the keeper also checks them
// against the state (reserves still holding coins, denom metadata) on update.
func (p Params) Validate() error {
	if len(p.Reserves) > MaxReserves {
		return errorsmod.Wrapf(ErrInvalidParams, "%d reserves, at most %d allowed", len(p.Reserves), MaxReserves)
	}
	seen := make(map[string]bool, len(p.Reserves))
	for _, r := range p.Reserves {
		if err := r.Validate(); err != nil {
			return err
		}
		if seen[r.Denom] {
			return errorsmod.Wrapf(ErrInvalidParams, "duplicate reserve %s", r.Denom)
		}
		seen[r.Denom] = true
	}
	if p.SupplyCap.IsNil() || p.SupplyCap.IsNegative() {
		return errorsmod.Wrap(ErrInvalidParams, "supply_cap must be set and not negative")
	}
	if len(p.OutflowQuotas) > MaxOutflowQuotas {
		return errorsmod.Wrapf(ErrInvalidParams, "%d outflow quotas, at most %d allowed", len(p.OutflowQuotas), MaxOutflowQuotas)
	}
	quotas := make(map[string]bool, len(p.OutflowQuotas))
	for _, q := range p.OutflowQuotas {
		if err := q.Validate(); err != nil {
			return err
		}
		if quotas[q.Denom] {
			return errorsmod.Wrapf(ErrInvalidParams, "duplicate outflow quota %s", q.Denom)
		}
		quotas[q.Denom] = true
	}
	return nil
}

// Reserve returns the reserve asset with the given denom.
func (p Params) Reserve(denom string) (ReserveAsset, bool) {
	for _, r := range p.Reserves {
		if r.Denom == denom {
			return r, true
		}
	}
	return ReserveAsset{}, false
}

// ValidateReserveDenom checks that denom is a valid bank denom that may back
// USDai: never USDai itself nor sUSDai.
func ValidateReserveDenom(denom string) error {
	if err := sdk.ValidateDenom(denom); err != nil {
		return errorsmod.Wrapf(ErrInvalidReserve, "%q: %s", denom, err)
	}
	if denom == USDaiDenom || denom == SUSDaiDenom {
		return errorsmod.Wrapf(ErrInvalidReserve, "%s cannot back USDai", denom)
	}
	return nil
}

// Validate checks a reserve asset on its own.
func (r ReserveAsset) Validate() error {
	if err := ValidateReserveDenom(r.Denom); err != nil {
		return errorsmod.Wrap(ErrInvalidParams, err.Error())
	}
	if r.MintFeeBps > MaxFeeBps || r.RedeemFeeBps > MaxFeeBps {
		return errorsmod.Wrapf(ErrInvalidParams, "%s: fees must be at most %d bps, got mint %d, redeem %d", r.Denom, MaxFeeBps, r.MintFeeBps, r.RedeemFeeBps)
	}
	if r.Cap.IsNil() || r.Cap.IsNegative() {
		return errorsmod.Wrapf(ErrInvalidParams, "%s: cap must be set and not negative", r.Denom)
	}
	if r.DepegFeed == "" {
		if !r.DepegThreshold.IsNil() && !r.DepegThreshold.IsZero() {
			return errorsmod.Wrapf(ErrInvalidParams, "%s: depeg_threshold without depeg_feed", r.Denom)
		}
		return nil
	}
	if err := oracletypes.ValidateFeedID(r.DepegFeed); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "%s: depeg_feed: %s", r.Denom, err)
	}
	if r.DepegThreshold.IsNil() || !r.DepegThreshold.IsPositive() || r.DepegThreshold.GT(math.LegacyOneDec()) {
		return errorsmod.Wrapf(ErrInvalidParams, "%s: depeg_threshold must be in (0, 1], got %s", r.Denom, r.DepegThreshold)
	}
	return nil
}
