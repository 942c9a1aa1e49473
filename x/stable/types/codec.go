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
	legacy.RegisterAminoMsg(cdc, &MsgMint{}, "infrafi/stable/MsgMint")
	legacy.RegisterAminoMsg(cdc, &MsgRedeem{}, "infrafi/stable/MsgRedeem")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "infrafi/stable/MsgUpdateParams")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateAllowlist{}, "infrafi/stable/MsgUpdateAllowlist")
	cdc.RegisterConcrete(Params{}, "infrafi/x/stable/Params", nil)
}

// RegisterInterfaces registers the module's messages with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgMint{},
		&MsgRedeem{},
		&MsgUpdateParams{},
		&MsgUpdateAllowlist{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
