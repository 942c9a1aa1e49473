package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

var (
	_ sdk.Msg              = &MsgDeposit{}
	_ sdk.Msg              = &MsgRequestRedeem{}
	_ sdk.Msg              = &MsgUpdateBid{}
	_ sdk.Msg              = &MsgCancelRedeem{}
	_ sdk.Msg              = &MsgSettleTreasury{}
	_ sdk.Msg              = &MsgUpdateParams{}
	_ sdk.HasValidateBasic = &MsgDeposit{}
	_ sdk.HasValidateBasic = &MsgRequestRedeem{}
	_ sdk.HasValidateBasic = &MsgUpdateBid{}
	_ sdk.HasValidateBasic = &MsgCancelRedeem{}
	_ sdk.HasValidateBasic = &MsgSettleTreasury{}
	_ sdk.HasValidateBasic = &MsgUpdateParams{}
)

// ValidateBasic checks the fields that need no state.
func (m *MsgDeposit) ValidateBasic() error {
	if _, err := ValidateAddress("depositor", m.Depositor); err != nil {
		return err
	}
	if m.Amount.Denom != AssetDenom {
		return errorsmod.Wrapf(ErrInvalidDenom, "deposits are in %s, got %q", AssetDenom, m.Amount.Denom)
	}
	if m.Amount.Amount.IsNil() || !m.Amount.Amount.IsPositive() {
		return errorsmod.Wrap(ErrInvalidAmount, "deposit must be positive")
	}
	return CheckAmount("deposit", m.Amount.Amount, MaxAssets)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgRequestRedeem) ValidateBasic() error {
	if _, err := ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	if m.Shares.IsNil() || !m.Shares.IsPositive() {
		return errorsmod.Wrap(ErrInvalidAmount, "shares must be positive")
	}
	if err := CheckAmount("shares", m.Shares, MaxShares); err != nil {
		return err
	}
	return validateBid(m.BidBps)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgUpdateBid) ValidateBasic() error {
	if _, err := ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	return validateBid(m.BidBps)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgCancelRedeem) ValidateBasic() error {
	_, err := ValidateAddress("owner", m.Owner)
	return err
}

// ValidateBasic checks the fields that need no state.
func (m *MsgSettleTreasury) ValidateBasic() error {
	if _, err := ValidateAddress("custodian", m.Custodian); err != nil {
		return err
	}
	if err := CheckAmount("principal", m.Principal, MaxAssets); err != nil {
		return err
	}
	if err := CheckAmount("yield", m.Yield, MaxAssets); err != nil {
		return err
	}
	if m.Principal.IsZero() && m.Yield.IsZero() {
		return errorsmod.Wrap(ErrInvalidAmount, "settlement of nothing")
	}
	return nil
}

// ValidateBasic checks the fields that need no state.
func (m *MsgUpdateParams) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}

func validateBid(bidBps uint32) error {
	if bidBps > BpsDenominator {
		return errorsmod.Wrapf(ErrInvalidBid, "bid_bps must be at most %d, got %d", BpsDenominator, bidBps)
	}
	return nil
}
