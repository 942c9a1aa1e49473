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
	legacy.RegisterAminoMsg(cdc, &MsgPostPrice{}, "infrafi/oracle/MsgPostPrice")
	legacy.RegisterAminoMsg(cdc, &MsgAddFeed{}, "infrafi/oracle/MsgAddFeed")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateFeed{}, "infrafi/oracle/MsgUpdateFeed")
	legacy.RegisterAminoMsg(cdc, &MsgRemoveFeed{}, "infrafi/oracle/MsgRemoveFeed")
	legacy.RegisterAminoMsg(cdc, &MsgAddFeeder{}, "infrafi/oracle/MsgAddFeeder")
	legacy.RegisterAminoMsg(cdc, &MsgRemoveFeeder{}, "infrafi/oracle/MsgRemoveFeeder")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "infrafi/oracle/MsgUpdateParams")
	cdc.RegisterConcrete(Params{}, "infrafi/x/oracle/Params", nil)
}

// RegisterInterfaces registers the module's messages with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgPostPrice{},
		&MsgAddFeed{},
		&MsgUpdateFeed{},
		&MsgRemoveFeed{},
		&MsgAddFeeder{},
		&MsgRemoveFeeder{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
