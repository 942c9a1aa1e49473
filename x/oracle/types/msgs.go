package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

var (
	_ sdk.Msg              = &MsgPostPrice{}
	_ sdk.Msg              = &MsgAddFeed{}
	_ sdk.Msg              = &MsgUpdateFeed{}
	_ sdk.Msg              = &MsgRemoveFeed{}
	_ sdk.Msg              = &MsgAddFeeder{}
	_ sdk.Msg              = &MsgRemoveFeeder{}
	_ sdk.Msg              = &MsgUpdateParams{}
	_ sdk.HasValidateBasic = &MsgPostPrice{}
	_ sdk.HasValidateBasic = &MsgAddFeed{}
	_ sdk.HasValidateBasic = &MsgUpdateFeed{}
	_ sdk.HasValidateBasic = &MsgRemoveFeed{}
	_ sdk.HasValidateBasic = &MsgAddFeeder{}
	_ sdk.HasValidateBasic = &MsgRemoveFeeder{}
	_ sdk.HasValidateBasic = &MsgUpdateParams{}
)

// ValidateBasic checks the fields that need no state; the keeper checks the
// feeder's registration, params.max_value and the expiry against block time.
func (m *MsgPostPrice) ValidateBasic() error {
	if _, err := ValidateAddress("feeder", m.Feeder); err != nil {
		return err
	}
	if err := ValidateFeedID(m.FeedId); err != nil {
		return err
	}
	if m.Value.IsNil() || !m.Value.IsPositive() {
		return errorsmod.Wrap(ErrInvalidValue, "value must be positive")
	}
	if m.ExpiresAt != nil && m.ExpiresAt.IsZero() {
		return errorsmod.Wrap(ErrInvalidExpiry, "expires_at is the zero time; omit it to use the default ttl")
	}
	return nil
}

// ValidateBasic checks the fields that need no state.
func (m *MsgAddFeed) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Feed.Validate()
}

// ValidateBasic checks the fields that need no state.
func (m *MsgUpdateFeed) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Feed.Validate()
}

// ValidateBasic checks the fields that need no state.
func (m *MsgRemoveFeed) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return ValidateFeedID(m.FeedId)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgAddFeeder) ValidateBasic() error {
	return validateFeederMsg(m.Authority, m.FeedId, m.Feeder)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgRemoveFeeder) ValidateBasic() error {
	return validateFeederMsg(m.Authority, m.FeedId, m.Feeder)
}

// validateFeederMsg checks the fields shared by the feeder registration messages.
func validateFeederMsg(authority, feedID, feeder string) error {
	if _, err := ValidateAddress("authority", authority); err != nil {
		return err
	}
	if err := ValidateFeedID(feedID); err != nil {
		return err
	}
	_, err := ValidateAddress("feeder", feeder)
	return err
}

// ValidateBasic checks the fields that need no state.
func (m *MsgUpdateParams) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}
