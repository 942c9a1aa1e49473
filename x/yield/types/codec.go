package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers the amino names (as in the protos' amino.name
// options) needed for amino JSON signing, e.g. by ledger devices.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgDeposit{}, "infrafi/yield/MsgDeposit")
	legacy.RegisterAminoMsg(cdc, &MsgRequestRedeem{}, "infrafi/yield/MsgRequestRedeem")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateBid{}, "infrafi/yield/MsgUpdateBid")
	legacy.RegisterAminoMsg(cdc, &MsgCancelRedeem{}, "infrafi/yield/MsgCancelRedeem")
	legacy.RegisterAminoMsg(cdc, &MsgSettleTreasury{}, "infrafi/yield/MsgSettleTreasury")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "infrafi/yield/MsgUpdateParams")
	cdc.RegisterConcrete(Params{}, "infrafi/x/yield/Params", nil)
}

// RegisterInterfaces registers the module's messages with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgDeposit{},
		&MsgRequestRedeem{},
		&MsgUpdateBid{},
		&MsgCancelRedeem{},
		&MsgSettleTreasury{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
