package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers the amino names (as in the protos' amino.name
// options) needed for amino JSON signing, e.g. by ledger devices. Amino names
// are limited to 39 characters, hence "MsgWithdrawPool".
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgRegisterParty{}, "infrafi/caliber/MsgRegisterParty")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParty{}, "infrafi/caliber/MsgUpdateParty")
	legacy.RegisterAminoMsg(cdc, &MsgSetPartyActive{}, "infrafi/caliber/MsgSetPartyActive")
	legacy.RegisterAminoMsg(cdc, &MsgAddAssetClass{}, "infrafi/caliber/MsgAddAssetClass")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateAssetClass{}, "infrafi/caliber/MsgUpdateAssetClass")
	legacy.RegisterAminoMsg(cdc, &MsgMintTitle{}, "infrafi/caliber/MsgMintTitle")
	legacy.RegisterAminoMsg(cdc, &MsgConfirmCustody{}, "infrafi/caliber/MsgConfirmCustody")
	legacy.RegisterAminoMsg(cdc, &MsgTransferTitle{}, "infrafi/caliber/MsgTransferTitle")
	legacy.RegisterAminoMsg(cdc, &MsgRequestRedemption{}, "infrafi/caliber/MsgRequestRedemption")
	legacy.RegisterAminoMsg(cdc, &MsgCancelRedemption{}, "infrafi/caliber/MsgCancelRedemption")
	legacy.RegisterAminoMsg(cdc, &MsgConfirmRedemption{}, "infrafi/caliber/MsgConfirmRedemption")
	legacy.RegisterAminoMsg(cdc, &MsgAttestCustody{}, "infrafi/caliber/MsgAttestCustody")
	legacy.RegisterAminoMsg(cdc, &MsgReportCasualty{}, "infrafi/caliber/MsgReportCasualty")
	legacy.RegisterAminoMsg(cdc, &MsgAppraise{}, "infrafi/caliber/MsgAppraise")
	legacy.RegisterAminoMsg(cdc, &MsgFundInsurancePool{}, "infrafi/caliber/MsgFundInsurancePool")
	legacy.RegisterAminoMsg(cdc, &MsgWithdrawInsurancePool{}, "infrafi/caliber/MsgWithdrawPool")
	legacy.RegisterAminoMsg(cdc, &MsgRequestPolicy{}, "infrafi/caliber/MsgRequestPolicy")
	legacy.RegisterAminoMsg(cdc, &MsgCancelPolicyRequest{}, "infrafi/caliber/MsgCancelPolicyRequest")
	legacy.RegisterAminoMsg(cdc, &MsgIssuePolicy{}, "infrafi/caliber/MsgIssuePolicy")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "infrafi/caliber/MsgUpdateParams")
	cdc.RegisterConcrete(Params{}, "infrafi/x/caliber/Params", nil)
}

// RegisterInterfaces registers the module's messages with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgRegisterParty{},
		&MsgUpdateParty{},
		&MsgSetPartyActive{},
		&MsgAddAssetClass{},
		&MsgUpdateAssetClass{},
		&MsgMintTitle{},
		&MsgConfirmCustody{},
		&MsgTransferTitle{},
		&MsgRequestRedemption{},
		&MsgCancelRedemption{},
		&MsgConfirmRedemption{},
		&MsgAttestCustody{},
		&MsgReportCasualty{},
		&MsgAppraise{},
		&MsgFundInsurancePool{},
		&MsgWithdrawInsurancePool{},
		&MsgRequestPolicy{},
		&MsgCancelPolicyRequest{},
		&MsgIssuePolicy{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
