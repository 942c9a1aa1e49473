package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
)

type msgServer struct {
	k *Keeper
}

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the x/lending Msg service.
func NewMsgServerImpl(k *Keeper) types.MsgServer {
	return msgServer{k: k}
}

func (m msgServer) validateAuthorityMsg(msg sdk.HasValidateBasic, authority string) error {
	if err := msg.ValidateBasic(); err != nil {
		return err
	}
	return m.k.CheckAuthority(authority)
}

// CreateProduct implements types.MsgServer.
func (m msgServer) CreateProduct(ctx context.Context, msg *types.MsgCreateProduct) (*types.MsgCreateProductResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	return &types.MsgCreateProductResponse{}, m.k.CreateProduct(ctx, msg.Product)
}

// UpdateProduct implements types.MsgServer.
func (m msgServer) UpdateProduct(ctx context.Context, msg *types.MsgUpdateProduct) (*types.MsgUpdateProductResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	return &types.MsgUpdateProductResponse{}, m.k.UpdateProduct(ctx, msg.Product)
}

// RequestLoan implements types.MsgServer.
func (m msgServer) RequestLoan(ctx context.Context, msg *types.MsgRequestLoan) (*types.MsgRequestLoanResponse, error) {
	id, err := m.k.requestLoan(ctx, keeperutil.InTx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgRequestLoanResponse{LoanId: id}, nil
}

// CancelLoanRequest implements types.MsgServer.
func (m msgServer) CancelLoanRequest(ctx context.Context, msg *types.MsgCancelLoanRequest) (*types.MsgCancelLoanRequestResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgCancelLoanRequestResponse{}, m.k.cancelLoanRequest(ctx, keeperutil.InTx, sdk.MustAccAddressFromBech32(msg.Borrower), msg.LoanId)
}

// UnderwriteLoan implements types.MsgServer.
func (m msgServer) UnderwriteLoan(ctx context.Context, msg *types.MsgUnderwriteLoan) (*types.MsgUnderwriteLoanResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	disbursed, err := m.k.underwriteLoan(ctx, keeperutil.InTx, sdk.MustAccAddressFromBech32(msg.Curator), msg.LoanId, msg.Apr, msg.JuniorAmount)
	if err != nil {
		return nil, err
	}
	return &types.MsgUnderwriteLoanResponse{Disbursed: disbursed}, nil
}

// Repay implements types.MsgServer.
func (m msgServer) Repay(ctx context.Context, msg *types.MsgRepay) (*types.MsgRepayResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	applied, closed, err := m.k.Repay(ctx, sdk.MustAccAddressFromBech32(msg.Payer), msg.LoanId, msg.Amount)
	if err != nil {
		return nil, err
	}
	return &types.MsgRepayResponse{Applied: applied, Closed: closed}, nil
}

// AddCollateral implements types.MsgServer.
func (m msgServer) AddCollateral(ctx context.Context, msg *types.MsgAddCollateral) (*types.MsgAddCollateralResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	ltv, st, err := m.k.addCollateral(ctx, keeperutil.InTx, sdk.MustAccAddressFromBech32(msg.Borrower), msg.LoanId, msg.TitleIds)
	if err != nil {
		return nil, err
	}
	return &types.MsgAddCollateralResponse{Ltv: ltv, Status: st}, nil
}

// WithdrawCollateral implements types.MsgServer.
func (m msgServer) WithdrawCollateral(ctx context.Context, msg *types.MsgWithdrawCollateral) (*types.MsgWithdrawCollateralResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	ltv, err := m.k.withdrawCollateral(ctx, keeperutil.InTx, sdk.MustAccAddressFromBech32(msg.Borrower), msg.LoanId, msg.TitleIds)
	if err != nil {
		return nil, err
	}
	return &types.MsgWithdrawCollateralResponse{Ltv: ltv}, nil
}

// Bid implements types.MsgServer.
func (m msgServer) Bid(ctx context.Context, msg *types.MsgBid) (*types.MsgBidResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	price, titles, err := m.k.bid(ctx, keeperutil.InTx, sdk.MustAccAddressFromBech32(msg.Bidder), msg.AuctionId, msg.MaxPrice)
	if err != nil {
		return nil, err
	}
	return &types.MsgBidResponse{Price: price, TitleIds: titles}, nil
}

// UpdateParams implements types.MsgServer.
func (m msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, m.k.SetParams(ctx, msg.Params)
}

// WithdrawLockbox implements types.MsgServer.
func (m msgServer) WithdrawLockbox(ctx context.Context, msg *types.MsgWithdrawLockbox) (*types.MsgWithdrawLockboxResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgWithdrawLockboxResponse{}, m.k.WithdrawLockbox(ctx, sdk.MustAccAddressFromBech32(msg.Borrower), msg.LoanId, msg.Amount)
}
