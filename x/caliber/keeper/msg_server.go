package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/caliber/types"
)

// msgServer validates each message and calls one keeper method. The keeper
// emits the events, so changes made through other modules' keeper calls
// (x/lending's Pledge, ...) are reported the same way as messages.
type msgServer struct {
	k *Keeper
}

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the x/caliber Msg service.
func NewMsgServerImpl(k *Keeper) types.MsgServer {
	return msgServer{k: k}
}

// validateAuthorityMsg checks the message's fields, then that it is signed by the authority.
func (m msgServer) validateAuthorityMsg(msg sdk.HasValidateBasic, authority string) error {
	if err := msg.ValidateBasic(); err != nil {
		return err
	}
	return m.k.CheckAuthority(authority)
}

// RegisterParty implements types.MsgServer.
func (m msgServer) RegisterParty(ctx context.Context, msg *types.MsgRegisterParty) (*types.MsgRegisterPartyResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	_, err := m.k.RegisterParty(ctx, msg.Party)
	return &types.MsgRegisterPartyResponse{}, err
}

// UpdateParty implements types.MsgServer.
func (m msgServer) UpdateParty(ctx context.Context, msg *types.MsgUpdateParty) (*types.MsgUpdatePartyResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	_, err := m.k.UpdateParty(ctx, msg.Party)
	return &types.MsgUpdatePartyResponse{}, err
}

// SetPartyActive implements types.MsgServer.
func (m msgServer) SetPartyActive(ctx context.Context, msg *types.MsgSetPartyActive) (*types.MsgSetPartyActiveResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	_, err := m.k.SetPartyActive(ctx, sdk.MustAccAddressFromBech32(msg.Address), msg.Active)
	return &types.MsgSetPartyActiveResponse{}, err
}

// AddAssetClass implements types.MsgServer.
func (m msgServer) AddAssetClass(ctx context.Context, msg *types.MsgAddAssetClass) (*types.MsgAddAssetClassResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	return &types.MsgAddAssetClassResponse{}, m.k.AddAssetClass(ctx, msg.AssetClass)
}

// UpdateAssetClass implements types.MsgServer.
func (m msgServer) UpdateAssetClass(ctx context.Context, msg *types.MsgUpdateAssetClass) (*types.MsgUpdateAssetClassResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	return &types.MsgUpdateAssetClassResponse{}, m.k.UpdateAssetClass(ctx, msg.AssetClass)
}

// MintTitle implements types.MsgServer.
func (m msgServer) MintTitle(ctx context.Context, msg *types.MsgMintTitle) (*types.MsgMintTitleResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	title, err := m.k.MintTitle(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgMintTitleResponse{TitleId: title.Id}, nil
}

// ConfirmCustody implements types.MsgServer.
func (m msgServer) ConfirmCustody(ctx context.Context, msg *types.MsgConfirmCustody) (*types.MsgConfirmCustodyResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgConfirmCustodyResponse{}, m.k.ConfirmCustody(ctx, sdk.MustAccAddressFromBech32(msg.Custodian), msg.TitleId)
}

// TransferTitle implements types.MsgServer.
func (m msgServer) TransferTitle(ctx context.Context, msg *types.MsgTransferTitle) (*types.MsgTransferTitleResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgTransferTitleResponse{}, m.k.TransferTitle(ctx,
		sdk.MustAccAddressFromBech32(msg.Owner), msg.TitleId, sdk.MustAccAddressFromBech32(msg.Recipient))
}

// RequestRedemption implements types.MsgServer.
func (m msgServer) RequestRedemption(ctx context.Context, msg *types.MsgRequestRedemption) (*types.MsgRequestRedemptionResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgRequestRedemptionResponse{}, m.k.RequestRedemption(ctx, sdk.MustAccAddressFromBech32(msg.Owner), msg.TitleId)
}

// CancelRedemption implements types.MsgServer.
func (m msgServer) CancelRedemption(ctx context.Context, msg *types.MsgCancelRedemption) (*types.MsgCancelRedemptionResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgCancelRedemptionResponse{}, m.k.CancelRedemption(ctx, sdk.MustAccAddressFromBech32(msg.Owner), msg.TitleId)
}

// ConfirmRedemption implements types.MsgServer.
func (m msgServer) ConfirmRedemption(ctx context.Context, msg *types.MsgConfirmRedemption) (*types.MsgConfirmRedemptionResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgConfirmRedemptionResponse{}, m.k.ConfirmRedemption(ctx, sdk.MustAccAddressFromBech32(msg.Custodian), msg.TitleId)
}

// AttestCustody implements types.MsgServer.
func (m msgServer) AttestCustody(ctx context.Context, msg *types.MsgAttestCustody) (*types.MsgAttestCustodyResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	_, err := m.k.AttestCustody(ctx, msg)
	return &types.MsgAttestCustodyResponse{}, err
}

// ReportCasualty implements types.MsgServer.
func (m msgServer) ReportCasualty(ctx context.Context, msg *types.MsgReportCasualty) (*types.MsgReportCasualtyResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgReportCasualtyResponse{}, m.k.ReportCasualty(ctx, sdk.MustAccAddressFromBech32(msg.Custodian), msg.TitleId, msg.Reason)
}

// Appraise implements types.MsgServer.
func (m msgServer) Appraise(ctx context.Context, msg *types.MsgAppraise) (*types.MsgAppraiseResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	_, err := m.k.Appraise(ctx, msg)
	return &types.MsgAppraiseResponse{}, err
}

// FundInsurancePool implements types.MsgServer.
func (m msgServer) FundInsurancePool(ctx context.Context, msg *types.MsgFundInsurancePool) (*types.MsgFundInsurancePoolResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	_, err := m.k.FundPool(ctx, sdk.MustAccAddressFromBech32(msg.Insurer), msg.Amount)
	return &types.MsgFundInsurancePoolResponse{}, err
}

// WithdrawInsurancePool implements types.MsgServer.
func (m msgServer) WithdrawInsurancePool(ctx context.Context, msg *types.MsgWithdrawInsurancePool) (*types.MsgWithdrawInsurancePoolResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	_, err := m.k.WithdrawPool(ctx, sdk.MustAccAddressFromBech32(msg.Insurer), msg.Amount)
	return &types.MsgWithdrawInsurancePoolResponse{}, err
}

// RequestPolicy implements types.MsgServer.
func (m msgServer) RequestPolicy(ctx context.Context, msg *types.MsgRequestPolicy) (*types.MsgRequestPolicyResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	req, _, err := m.k.RequestPolicy(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgRequestPolicyResponse{RequestId: req.Id}, nil
}

// CancelPolicyRequest implements types.MsgServer.
func (m msgServer) CancelPolicyRequest(ctx context.Context, msg *types.MsgCancelPolicyRequest) (*types.MsgCancelPolicyRequestResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgCancelPolicyRequestResponse{}, m.k.CancelPolicyRequest(ctx, sdk.MustAccAddressFromBech32(msg.Owner), msg.RequestId)
}

// IssuePolicy implements types.MsgServer.
func (m msgServer) IssuePolicy(ctx context.Context, msg *types.MsgIssuePolicy) (*types.MsgIssuePolicyResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	_, _, err := m.k.IssuePolicy(ctx, sdk.MustAccAddressFromBech32(msg.Insurer), msg.RequestId, msg.Premium)
	return &types.MsgIssuePolicyResponse{}, err
}

// UpdateParams implements types.MsgServer.
func (m msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, m.k.SetParams(ctx, msg.Params)
}
