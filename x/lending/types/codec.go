package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers the amino names (as in the protos' amino.name
// options) needed for amino JSON signing.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgCreateProduct{}, "infrafi/lending/MsgCreateProduct")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateProduct{}, "infrafi/lending/MsgUpdateProduct")
	legacy.RegisterAminoMsg(cdc, &MsgRequestLoan{}, "infrafi/lending/MsgRequestLoan")
	legacy.RegisterAminoMsg(cdc, &MsgCancelLoanRequest{}, "infrafi/lending/MsgCancelLoanRequest")
	legacy.RegisterAminoMsg(cdc, &MsgUnderwriteLoan{}, "infrafi/lending/MsgUnderwriteLoan")
	legacy.RegisterAminoMsg(cdc, &MsgRepay{}, "infrafi/lending/MsgRepay")
	legacy.RegisterAminoMsg(cdc, &MsgAddCollateral{}, "infrafi/lending/MsgAddCollateral")
	legacy.RegisterAminoMsg(cdc, &MsgWithdrawCollateral{}, "infrafi/lending/MsgWithdrawCollateral")
	legacy.RegisterAminoMsg(cdc, &MsgBid{}, "infrafi/lending/MsgBid")
	legacy.RegisterAminoMsg(cdc, &MsgWithdrawLockbox{}, "infrafi/lending/MsgWithdrawLockbox")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "infrafi/lending/MsgUpdateParams")
	cdc.RegisterConcrete(Params{}, "infrafi/x/lending/Params", nil)
}

// RegisterInterfaces registers the module's messages with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgCreateProduct{},
		&MsgUpdateProduct{},
		&MsgRequestLoan{},
		&MsgCancelLoanRequest{},
		&MsgUnderwriteLoan{},
		&MsgRepay{},
		&MsgAddCollateral{},
		&MsgWithdrawCollateral{},
		&MsgBid{},
		&MsgWithdrawLockbox{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
