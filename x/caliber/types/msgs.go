package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

var (
	_ sdk.Msg = &MsgRegisterParty{}
	_ sdk.Msg = &MsgUpdateParty{}
	_ sdk.Msg = &MsgSetPartyActive{}
	_ sdk.Msg = &MsgAddAssetClass{}
	_ sdk.Msg = &MsgUpdateAssetClass{}
	_ sdk.Msg = &MsgMintTitle{}
	_ sdk.Msg = &MsgConfirmCustody{}
	_ sdk.Msg = &MsgTransferTitle{}
	_ sdk.Msg = &MsgRequestRedemption{}
	_ sdk.Msg = &MsgCancelRedemption{}
	_ sdk.Msg = &MsgConfirmRedemption{}
	_ sdk.Msg = &MsgAttestCustody{}
	_ sdk.Msg = &MsgReportCasualty{}
	_ sdk.Msg = &MsgAppraise{}
	_ sdk.Msg = &MsgFundInsurancePool{}
	_ sdk.Msg = &MsgWithdrawInsurancePool{}
	_ sdk.Msg = &MsgRequestPolicy{}
	_ sdk.Msg = &MsgCancelPolicyRequest{}
	_ sdk.Msg = &MsgIssuePolicy{}
	_ sdk.Msg = &MsgUpdateParams{}

	_ sdk.HasValidateBasic = &MsgRegisterParty{}
	_ sdk.HasValidateBasic = &MsgUpdateParty{}
	_ sdk.HasValidateBasic = &MsgSetPartyActive{}
	_ sdk.HasValidateBasic = &MsgAddAssetClass{}
	_ sdk.HasValidateBasic = &MsgUpdateAssetClass{}
	_ sdk.HasValidateBasic = &MsgMintTitle{}
	_ sdk.HasValidateBasic = &MsgConfirmCustody{}
	_ sdk.HasValidateBasic = &MsgTransferTitle{}
	_ sdk.HasValidateBasic = &MsgRequestRedemption{}
	_ sdk.HasValidateBasic = &MsgCancelRedemption{}
	_ sdk.HasValidateBasic = &MsgConfirmRedemption{}
	_ sdk.HasValidateBasic = &MsgAttestCustody{}
	_ sdk.HasValidateBasic = &MsgReportCasualty{}
	_ sdk.HasValidateBasic = &MsgAppraise{}
	_ sdk.HasValidateBasic = &MsgFundInsurancePool{}
	_ sdk.HasValidateBasic = &MsgWithdrawInsurancePool{}
	_ sdk.HasValidateBasic = &MsgRequestPolicy{}
	_ sdk.HasValidateBasic = &MsgCancelPolicyRequest{}
	_ sdk.HasValidateBasic = &MsgIssuePolicy{}
	_ sdk.HasValidateBasic = &MsgUpdateParams{}
)

// validateSignerTitle checks the signer address and a title id.
func validateSignerTitle(field, signer string, titleID uint64) error {
	if _, err := ValidateAddress(field, signer); err != nil {
		return err
	}
	if titleID == 0 {
		return errorsmod.Wrap(ErrTitleNotFound, "title id must be positive")
	}
	return nil
}

// ValidateBasic checks the fields that need no state.
func (m *MsgRegisterParty) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Party.Validate()
}

// ValidateBasic checks the fields that need no state.
func (m *MsgUpdateParty) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Party.Validate()
}

// ValidateBasic checks the fields that need no state.
func (m *MsgSetPartyActive) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	_, err := ValidateAddress("address", m.Address)
	return err
}

// ValidateBasic checks the fields that need no state.
func (m *MsgAddAssetClass) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.AssetClass.Validate()
}

// ValidateBasic checks the fields that need no state.
func (m *MsgUpdateAssetClass) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.AssetClass.Validate()
}

// ValidateBasic checks the fields that need no state; the keeper checks roles,
// the class, params.max_serials_per_title and serial uniqueness.
func (m *MsgMintTitle) ValidateBasic() error {
	for _, f := range []struct{ field, addr string }{{"issuer", m.Issuer}, {"owner", m.Owner}, {"custodian", m.Custodian}} {
		if _, err := ValidateAddress(f.field, f.addr); err != nil {
			return err
		}
	}
	if err := validateTitleFields(m.ClassId, m.Units, m.Facility, m.Jurisdiction, m.Legal, m.MetadataUri); err != nil {
		return err
	}
	return ValidateSerials(m.Serials, maxSerialsLimit)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgConfirmCustody) ValidateBasic() error {
	return validateSignerTitle("custodian", m.Custodian, m.TitleId)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgTransferTitle) ValidateBasic() error {
	if err := validateSignerTitle("owner", m.Owner, m.TitleId); err != nil {
		return err
	}
	recipient, err := ValidateAddress("recipient", m.Recipient)
	if err != nil {
		return err
	}
	if recipient.Equals(sdk.MustAccAddressFromBech32(m.Owner)) {
		return errorsmod.Wrap(ErrInvalidRecipient, "recipient is the owner")
	}
	return nil
}

// ValidateBasic checks the fields that need no state.
func (m *MsgRequestRedemption) ValidateBasic() error {
	return validateSignerTitle("owner", m.Owner, m.TitleId)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgCancelRedemption) ValidateBasic() error {
	return validateSignerTitle("owner", m.Owner, m.TitleId)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgConfirmRedemption) ValidateBasic() error {
	return validateSignerTitle("custodian", m.Custodian, m.TitleId)
}

// ValidateBasic checks the fields that need no state; the keeper checks the
// list length against params.max_titles_per_attestation.
func (m *MsgAttestCustody) ValidateBasic() error {
	if _, err := ValidateAddress("custodian", m.Custodian); err != nil {
		return err
	}
	if len(m.TitleIds) == 0 || len(m.TitleIds) > maxAttestationCap {
		return errorsmod.Wrapf(ErrInvalidAttestation, "title_ids must list 1 to %d titles, got %d", maxAttestationCap, len(m.TitleIds))
	}
	seen := make(map[uint64]bool, len(m.TitleIds))
	for _, id := range m.TitleIds {
		if id == 0 {
			return errorsmod.Wrap(ErrTitleNotFound, "title id must be positive")
		}
		if seen[id] {
			return errorsmod.Wrapf(ErrInvalidAttestation, "title %d listed twice", id)
		}
		seen[id] = true
	}
	if m.UptimeBps > MaxUptimeBps {
		return errorsmod.Wrapf(ErrInvalidAttestation, "uptime_bps %d above %d", m.UptimeBps, MaxUptimeBps)
	}
	return checkText(ErrInvalidAttestation, "facility", m.Facility, MaxFieldLength)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgReportCasualty) ValidateBasic() error {
	if err := validateSignerTitle("custodian", m.Custodian, m.TitleId); err != nil {
		return err
	}
	return checkText(ErrInvalidTitle, "reason", m.Reason, MaxReasonLength)
}

// ValidateBasic checks the fields that need no state; the keeper checks
// valid_until against block time.
func (m *MsgAppraise) ValidateBasic() error {
	if err := validateSignerTitle("appraiser", m.Appraiser, m.TitleId); err != nil {
		return err
	}
	if err := ValidateAmount("value", m.Value, false); err != nil {
		return errorsmod.Wrap(ErrInvalidAppraisal, err.Error())
	}
	if m.ValidUntil.IsZero() {
		return errorsmod.Wrap(ErrInvalidExpiry, "valid_until is not set")
	}
	if err := ValidateSHA256Hex("report_sha256", m.ReportSha256); err != nil {
		return errorsmod.Wrap(ErrInvalidAppraisal, err.Error())
	}
	return nil
}

// ValidateBasic checks the fields that need no state.
func (m *MsgFundInsurancePool) ValidateBasic() error {
	if _, err := ValidateAddress("insurer", m.Insurer); err != nil {
		return err
	}
	return ValidateAmount("amount", m.Amount, false)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgWithdrawInsurancePool) ValidateBasic() error {
	if _, err := ValidateAddress("insurer", m.Insurer); err != nil {
		return err
	}
	return ValidateAmount("amount", m.Amount, false)
}

// ValidateBasic checks the fields that need no state; the keeper checks
// expires_at against block time.
func (m *MsgRequestPolicy) ValidateBasic() error {
	if err := validateSignerTitle("owner", m.Owner, m.TitleId); err != nil {
		return err
	}
	if _, err := ValidateAddress("insurer", m.Insurer); err != nil {
		return err
	}
	if err := validatePolicyTerms(m.InsuredValue, m.Coverage); err != nil {
		return err
	}
	if err := ValidateAmount("max_premium", m.MaxPremium, true); err != nil {
		return err
	}
	if m.ExpiresAt.IsZero() {
		return errorsmod.Wrap(ErrInvalidExpiry, "expires_at is not set")
	}
	return nil
}

// ValidateBasic checks the fields that need no state.
func (m *MsgCancelPolicyRequest) ValidateBasic() error {
	if _, err := ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	if m.RequestId == 0 {
		return errorsmod.Wrap(ErrRequestNotFound, "request id must be positive")
	}
	return nil
}

// ValidateBasic checks the fields that need no state.
func (m *MsgIssuePolicy) ValidateBasic() error {
	if _, err := ValidateAddress("insurer", m.Insurer); err != nil {
		return err
	}
	if m.RequestId == 0 {
		return errorsmod.Wrap(ErrRequestNotFound, "request id must be positive")
	}
	return ValidateAmount("premium", m.Premium, true)
}

// ValidateBasic checks the fields that need no state.
func (m *MsgUpdateParams) ValidateBasic() error {
	if _, err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}
