package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// NewGenesisState returns a GenesisState with the given contents.
func NewGenesisState(params Params, allowlist []string, outstanding []TreasuryOutstanding) *GenesisState {
	return &GenesisState{Params: params, Allowlist: allowlist, TreasuryOutstanding: outstanding}
}

// DefaultGenesis returns the default genesis: default params, empty allowlist,
// nothing at the treasury.
func DefaultGenesis() *GenesisState {
	return NewGenesisState(DefaultParams(), []string{}, []TreasuryOutstanding{})
}

// Validate checks the genesis state: valid params, valid and distinct
// allowlisted addresses, and treasury principal that is positive, once per
// denom and only for listed reserves. That the USDai supply is backed is
// checked by InitGenesis against x/bank's state.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	seen := make(map[string]bool, len(gs.Allowlist))
	for _, a := range gs.Allowlist {
		acc, err := ValidateAddress("allowlist", a)
		if err != nil {
			return err
		}
		if seen[acc.String()] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate allowlisted address %s", a)
		}
		seen[acc.String()] = true
	}
	denoms := make(map[string]bool, len(gs.TreasuryOutstanding))
	for _, o := range gs.TreasuryOutstanding {
		if _, ok := gs.Params.Reserve(o.Denom); !ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "treasury outstanding in %q, which is not a reserve", o.Denom)
		}
		if denoms[o.Denom] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate treasury outstanding for %s", o.Denom)
		}
		denoms[o.Denom] = true
		if o.Amount.IsNil() || !o.Amount.IsPositive() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "treasury outstanding for %s must be positive", o.Denom)
		}
	}
	windows := make(map[string]bool, len(gs.OutflowWindows))
	for _, w := range gs.OutflowWindows {
		if err := ValidateChannelID(w.Channel); err != nil {
			return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
		}
		if err := sdk.ValidateDenom(w.Denom); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "outflow window denom %q: %s", w.Denom, err)
		}
		key := w.Channel + "/" + w.Denom
		if windows[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate outflow window %s", key)
		}
		windows[key] = true
		if w.Window.Current.IsNil() || w.Window.Previous.IsNil() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "outflow window %s: amounts must be set", key)
		}
	}
	return nil
}
