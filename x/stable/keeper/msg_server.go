package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/stable/types"
)

type msgServer struct {
	k *Keeper
}

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the x/stable Msg service.
func NewMsgServerImpl(k *Keeper) types.MsgServer {
	return msgServer{k: k}
}

// Mint implements types.MsgServer.
func (m msgServer) Mint(ctx context.Context, msg *types.MsgMint) (*types.MsgMintResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	sender := sdk.MustAccAddressFromBech32(msg.Sender)
	received, fee, err := m.k.mint(ctx, keeperutil.InTx, sender, msg.Amount)
	if err != nil {
		return nil, err
	}
	err = keeperutil.Emit(ctx, &types.EventMint{Sender: sender.String(), Deposited: msg.Amount, Received: received, Fee: fee})
	return &types.MsgMintResponse{Received: received, Fee: fee}, err
}

// Redeem implements types.MsgServer.
func (m msgServer) Redeem(ctx context.Context, msg *types.MsgRedeem) (*types.MsgRedeemResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	sender := sdk.MustAccAddressFromBech32(msg.Sender)
	paid, fee, err := m.k.redeem(ctx, keeperutil.InTx, sender, msg.Amount.Amount, msg.ReserveDenom)
	if err != nil {
		return nil, err
	}
	err = keeperutil.Emit(ctx, &types.EventRedeem{Sender: sender.String(), Amount: msg.Amount, Fee: fee, Paid: paid})
	return &types.MsgRedeemResponse{Paid: paid, Fee: fee}, err
}

// UpdateParams implements types.MsgServer.
func (m msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	if err := m.k.SetParams(ctx, msg.Params); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, keeperutil.Emit(ctx, &types.EventParamsUpdated{Params: msg.Params})
}

// UpdateAllowlist implements types.MsgServer.
func (m msgServer) UpdateAllowlist(ctx context.Context, msg *types.MsgUpdateAllowlist) (*types.MsgUpdateAllowlistResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	added, removed, err := m.k.UpdateAllowlist(ctx, mustAddresses(msg.Add), mustAddresses(msg.Remove))
	if err != nil {
		return nil, err
	}
	return &types.MsgUpdateAllowlistResponse{}, keeperutil.Emit(ctx, &types.EventAllowlistUpdated{Added: added, Removed: removed})
}

// validateAuthorityMsg checks the message's fields, then that it is signed by the authority.
func (m msgServer) validateAuthorityMsg(msg sdk.HasValidateBasic, authority string) error {
	if err := msg.ValidateBasic(); err != nil {
		return err
	}
	return m.k.CheckAuthority(authority)
}

// mustAddresses parses addresses that ValidateBasic has already checked.
func mustAddresses(addrs []string) []sdk.AccAddress {
	out := make([]sdk.AccAddress, len(addrs))
	for i, a := range addrs {
		out[i] = sdk.MustAccAddressFromBech32(a)
	}
	return out
}
