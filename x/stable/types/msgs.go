package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

// MaxAllowlistUpdate bounds the addresses one MsgUpdateAllowlist may name.
const MaxAllowlistUpdate = 100

var (
	_ sdk.Msg              = &MsgMint{}
	_ sdk.Msg              = &MsgRedeem{}
	_ sdk.Msg              = &MsgUpdateParams{}
	_ sdk.Msg              = &MsgUpdateAllowlist{}
	_ sdk.HasValidateBasic = &MsgMint{}
	_ sdk.HasValidateBasic = &MsgRedeem{}
	_ sdk.HasValidateBasic = &MsgUpdateParams{}
	_ sdk.HasValidateBasic = &MsgUpdateAllowlist{}
)

// ValidateAddress checks a bech32 account address with the chain's prefix.
func ValidateAddress(field, addr string) (sdk.AccAddress, error) {
	acc, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return nil, errorsmod.Wrapf(sdkerrors.ErrInvalidAddress, "%s %q: %s", field, addr, err)
	}
	return acc, nil
}

// validatePositive checks that a coin is well formed with a positive amount.
func validatePositive(field string, c sdk.Coin) error {
	if c.Amount.IsNil() || !c.Amount.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s must be positive, got %s", field, c)
	}
	if err := sdk.ValidateDenom(c.Denom); err != nil {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s: %s", field, err)
	}
	return nil
}

// ValidateBasic checks the fields that need no state; the keeper checks the
// reserve's listing, the caps, the depeg guard and the allowlist.
func (m *MsgMint) ValidateBasic() error {
	if _, err := ValidateAddress("sender", m.Sender); err != nil {
		return err
	}
	if err := validatePositive("amount", m.Amount); err != nil {
		return err
	}
	return ValidateReserveDenom(m.Amount.Denom)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgRedeem) ValidateBasic() error {
	if _, err := ValidateAddress("sender", m.Sender); err != nil {
		return err
	}
	if err := validatePositive("amount", m.Amount); err != nil {
		return err
	}
	if m.Amount.Denom != USDaiDenom {
		return errorsmod.Wrapf(ErrInvalidAmount, "redeem amount must be in %s, got %s", USDaiDenom, m.Amount.Denom)
	}
	return ValidateReserveDenom(m.ReserveDenom)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgUpdateParams) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}

// ValidateBasic checks the addresses: valid, at most MaxAllowlistUpdate in
// all, none twice and none both added and removed.
func (m *MsgUpdateAllowlist) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	if len(m.Add)+len(m.Remove) == 0 {
		return errorsmod.Wrap(ErrInvalidAllowlist, "nothing to add or remove")
	}
	if len(m.Add)+len(m.Remove) > MaxAllowlistUpdate {
		return errorsmod.Wrapf(ErrInvalidAllowlist, "%d addresses, at most %d per message", len(m.Add)+len(m.Remove), MaxAllowlistUpdate)
	}
	seen := make(map[string]bool, len(m.Add)+len(m.Remove))
	for _, list := range []struct {
		field string
		addrs []string
	}{{"add", m.Add}, {"remove", m.Remove}} {
		for _, a := range list.addrs {
			acc, err := ValidateAddress(list.field, a)
			if err != nil {
				return err
			}
			if seen[acc.String()] {
				return errorsmod.Wrapf(ErrInvalidAllowlist, "%s named twice", acc)
			}
			seen[acc.String()] = true
		}
	}
	return nil
}
