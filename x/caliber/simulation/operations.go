package simulation

import (
	"github.com/cosmos/cosmos-sdk/testutil/simsx"

	"github.com/infrafi/infrafi/x/caliber/keeper"
)

// Default operation weights. The title and insurance life cycles are weighted
// so that ACTIVE, appraised (and some insured) titles owned by users exist
// within a few blocks for x/lending's simulation; redemption and casualty,
// which take titles away, are rarer. Invalid inputs get small weights.
const (
	weightMintTitle             = 50
	weightConfirmCustody        = 70
	weightAppraise              = 60
	weightAttestCustody         = 40
	weightTransferTitle         = 15
	weightRequestRedemption     = 5
	weightCancelRedemption      = 5
	weightConfirmRedemption     = 5
	weightReportCasualty        = 2
	weightFundInsurancePool     = 25
	weightWithdrawInsurancePool = 5
	weightRequestPolicy         = 30
	weightCancelPolicyRequest   = 5
	weightIssuePolicy           = 30

	weightInvalid          = 5
	weightInvalidAuthority = 2

	weightProposalParty  = 10
	weightProposalClass  = 5
	weightProposalParams = 5
)

// WeightedOperationsX registers, for every message of the module, a factory of
// valid messages (except the authority messages, which go through
// ProposalMsgsX) and a factory of invalid ones.
func WeightedOperationsX(k *keeper.Keeper, weights simsx.WeightSource, reg simsx.Registry) {
	// Titles.
	reg.Add(weights.Get("caliber_msg_mint_title", weightMintTitle), MsgMintTitleFactory(k))
	reg.Add(weights.Get("caliber_msg_mint_title_invalid", weightInvalid), MsgMintTitleInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_confirm_custody", weightConfirmCustody), MsgConfirmCustodyFactory(k))
	reg.Add(weights.Get("caliber_msg_confirm_custody_invalid", weightInvalid), MsgConfirmCustodyInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_appraise", weightAppraise), MsgAppraiseFactory(k))
	reg.Add(weights.Get("caliber_msg_appraise_invalid", weightInvalid), MsgAppraiseInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_attest_custody", weightAttestCustody), MsgAttestCustodyFactory(k))
	reg.Add(weights.Get("caliber_msg_attest_custody_invalid", weightInvalid), MsgAttestCustodyInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_transfer_title", weightTransferTitle), MsgTransferTitleFactory(k))
	reg.Add(weights.Get("caliber_msg_transfer_title_invalid", weightInvalid), MsgTransferTitleInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_request_redemption", weightRequestRedemption), MsgRequestRedemptionFactory(k))
	reg.Add(weights.Get("caliber_msg_request_redemption_invalid", weightInvalid), MsgRequestRedemptionInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_cancel_redemption", weightCancelRedemption), MsgCancelRedemptionFactory(k))
	reg.Add(weights.Get("caliber_msg_cancel_redemption_invalid", weightInvalid), MsgCancelRedemptionInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_confirm_redemption", weightConfirmRedemption), MsgConfirmRedemptionFactory(k))
	reg.Add(weights.Get("caliber_msg_confirm_redemption_invalid", weightInvalid), MsgConfirmRedemptionInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_report_casualty", weightReportCasualty), MsgReportCasualtyFactory(k))
	reg.Add(weights.Get("caliber_msg_report_casualty_invalid", weightInvalid), MsgReportCasualtyInvalidFactory(k))

	// Insurance.
	reg.Add(weights.Get("caliber_msg_fund_insurance_pool", weightFundInsurancePool), MsgFundInsurancePoolFactory(k))
	reg.Add(weights.Get("caliber_msg_fund_insurance_pool_invalid", weightInvalid), MsgFundInsurancePoolInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_withdraw_insurance_pool", weightWithdrawInsurancePool), MsgWithdrawInsurancePoolFactory(k))
	reg.Add(weights.Get("caliber_msg_withdraw_insurance_pool_invalid", weightInvalid), MsgWithdrawInsurancePoolInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_request_policy", weightRequestPolicy), MsgRequestPolicyFactory(k))
	reg.Add(weights.Get("caliber_msg_request_policy_invalid", weightInvalid), MsgRequestPolicyInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_cancel_policy_request", weightCancelPolicyRequest), MsgCancelPolicyRequestFactory(k))
	reg.Add(weights.Get("caliber_msg_cancel_policy_request_invalid", weightInvalid), MsgCancelPolicyRequestInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_issue_policy", weightIssuePolicy), MsgIssuePolicyFactory(k))
	reg.Add(weights.Get("caliber_msg_issue_policy_invalid", weightInvalid), MsgIssuePolicyInvalidFactory(k))

	// Authority messages sent without authority.
	reg.Add(weights.Get("caliber_msg_register_party_invalid", weightInvalidAuthority), MsgRegisterPartyInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_update_party_invalid", weightInvalidAuthority), MsgUpdatePartyInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_set_party_active_invalid", weightInvalidAuthority), MsgSetPartyActiveInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_add_asset_class_invalid", weightInvalidAuthority), MsgAddAssetClassInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_update_asset_class_invalid", weightInvalidAuthority), MsgUpdateAssetClassInvalidFactory(k))
	reg.Add(weights.Get("caliber_msg_update_params_invalid", weightInvalidAuthority), MsgUpdateParamsInvalidFactory())
}

// ProposalMsgsX registers the authority messages as governance proposals.
func ProposalMsgsX(k *keeper.Keeper, weights simsx.WeightSource, reg simsx.Registry) {
	reg.Add(weights.Get("caliber_msg_register_party", weightProposalParty), MsgRegisterPartyFactory(k))
	reg.Add(weights.Get("caliber_msg_update_party", weightProposalParty), MsgUpdatePartyFactory(k))
	reg.Add(weights.Get("caliber_msg_set_party_active", weightProposalParty), MsgSetPartyActiveFactory(k))
	reg.Add(weights.Get("caliber_msg_add_asset_class", weightProposalClass), MsgAddAssetClassFactory(k))
	reg.Add(weights.Get("caliber_msg_update_asset_class", weightProposalClass), MsgUpdateAssetClassFactory(k))
	reg.Add(weights.Get("caliber_msg_update_params", weightProposalParams), MsgUpdateParamsFactory())
}
