package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/yield/types"
)

type msgServer struct {
	k *Keeper
}

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the x/yield Msg service.
func NewMsgServerImpl(k *Keeper) types.MsgServer {
	return msgServer{k: k}
}

// Deposit implements types.MsgServer; the keeper emits EventDeposit.
func (m msgServer) Deposit(ctx context.Context, msg *types.MsgDeposit) (*types.MsgDepositResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	shares, err := m.k.deposit(ctx, keeperutil.InTx, sdk.MustAccAddressFromBech32(msg.Depositor), msg.Amount.Amount)
	if err != nil {
		return nil, err
	}
	return &types.MsgDepositResponse{Shares: sdk.NewCoin(types.ShareDenom, shares)}, nil
}

// RequestRedeem implements types.MsgServer; the keeper emits EventRedeemRequested.
func (m msgServer) RequestRedeem(ctx context.Context, msg *types.MsgRequestRedeem) (*types.MsgRequestRedeemResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	req, err := m.k.requestRedeem(ctx, keeperutil.InTx, sdk.MustAccAddressFromBech32(msg.Owner), msg.Shares, msg.BidBps)
	if err != nil {
		return nil, err
	}
	return &types.MsgRequestRedeemResponse{RequestId: req.Id}, nil
}

// UpdateBid implements types.MsgServer; the keeper emits EventBidUpdated.
func (m msgServer) UpdateBid(ctx context.Context, msg *types.MsgUpdateBid) (*types.MsgUpdateBidResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if _, err := m.k.updateBid(ctx, keeperutil.InTx, sdk.MustAccAddressFromBech32(msg.Owner), msg.RequestId, msg.BidBps); err != nil {
		return nil, err
	}
	return &types.MsgUpdateBidResponse{}, nil
}

// CancelRedeem implements types.MsgServer; the keeper emits EventRedeemCancelled.
func (m msgServer) CancelRedeem(ctx context.Context, msg *types.MsgCancelRedeem) (*types.MsgCancelRedeemResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	shares, err := m.k.cancelRedeem(ctx, keeperutil.InTx, sdk.MustAccAddressFromBech32(msg.Owner), msg.RequestId)
	if err != nil {
		return nil, err
	}
	return &types.MsgCancelRedeemResponse{Shares: shares}, nil
}

// SettleTreasury implements types.MsgServer; the keeper emits EventTreasurySettled.
func (m msgServer) SettleTreasury(ctx context.Context, msg *types.MsgSettleTreasury) (*types.MsgSettleTreasuryResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	res, err := m.k.SettleTreasury(ctx, sdk.MustAccAddressFromBech32(msg.Custodian), msg.Principal, msg.Yield)
	if err != nil {
		return nil, err
	}
	return &types.MsgSettleTreasuryResponse{Loss: res.Loss, Fee: res.Fee}, nil
}

// UpdateParams implements types.MsgServer.
func (m msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := m.k.CheckAuthority(msg.Authority); err != nil {
		return nil, err
	}
	if err := m.k.SetParams(ctx, msg.Params); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, keeperutil.Emit(ctx, &types.EventParamsUpdated{Params: msg.Params})
}
