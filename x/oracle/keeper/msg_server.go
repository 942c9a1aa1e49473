package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/oracle/types"
)

type msgServer struct {
	k *Keeper
}

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the x/oracle Msg service.
func NewMsgServerImpl(k *Keeper) types.MsgServer {
	return msgServer{k: k}
}

// PostPrice implements types.MsgServer.
func (m msgServer) PostPrice(ctx context.Context, msg *types.MsgPostPrice) (*types.MsgPostPriceResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	feeder := sdk.MustAccAddressFromBech32(msg.Feeder)
	post, err := m.k.PostPrice(ctx, feeder, msg.FeedId, msg.Value, msg.ExpiresAt)
	if err != nil {
		return nil, err
	}
	err = keeperutil.Emit(ctx, &types.EventPricePosted{
		FeedId:    post.FeedId,
		Feeder:    post.Feeder,
		Value:     post.Value,
		ExpiresAt: post.ExpiresAt,
	})
	return &types.MsgPostPriceResponse{}, err
}

// AddFeed implements types.MsgServer.
func (m msgServer) AddFeed(ctx context.Context, msg *types.MsgAddFeed) (*types.MsgAddFeedResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	if err := m.k.AddFeed(ctx, msg.Feed); err != nil {
		return nil, err
	}
	return &types.MsgAddFeedResponse{}, keeperutil.Emit(ctx, &types.EventFeedAdded{Feed: msg.Feed})
}

// UpdateFeed implements types.MsgServer.
func (m msgServer) UpdateFeed(ctx context.Context, msg *types.MsgUpdateFeed) (*types.MsgUpdateFeedResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	if err := m.k.UpdateFeed(ctx, msg.Feed); err != nil {
		return nil, err
	}
	return &types.MsgUpdateFeedResponse{}, keeperutil.Emit(ctx, &types.EventFeedUpdated{Feed: msg.Feed})
}

// RemoveFeed implements types.MsgServer.
func (m msgServer) RemoveFeed(ctx context.Context, msg *types.MsgRemoveFeed) (*types.MsgRemoveFeedResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	if err := m.k.RemoveFeed(ctx, msg.FeedId); err != nil {
		return nil, err
	}
	return &types.MsgRemoveFeedResponse{}, keeperutil.Emit(ctx, &types.EventFeedRemoved{FeedId: msg.FeedId})
}

// AddFeeder implements types.MsgServer.
func (m msgServer) AddFeeder(ctx context.Context, msg *types.MsgAddFeeder) (*types.MsgAddFeederResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	feeder := sdk.MustAccAddressFromBech32(msg.Feeder)
	if err := m.k.AddFeeder(ctx, msg.FeedId, feeder); err != nil {
		return nil, err
	}
	return &types.MsgAddFeederResponse{}, keeperutil.Emit(ctx, &types.EventFeederAdded{FeedId: msg.FeedId, Feeder: feeder.String()})
}

// RemoveFeeder implements types.MsgServer.
func (m msgServer) RemoveFeeder(ctx context.Context, msg *types.MsgRemoveFeeder) (*types.MsgRemoveFeederResponse, error) {
	if err := m.validateAuthorityMsg(msg, msg.Authority); err != nil {
		return nil, err
	}
	feeder := sdk.MustAccAddressFromBech32(msg.Feeder)
	if err := m.k.RemoveFeeder(ctx, msg.FeedId, feeder); err != nil {
		return nil, err
	}
	return &types.MsgRemoveFeederResponse{}, keeperutil.Emit(ctx, &types.EventFeederRemoved{FeedId: msg.FeedId, Feeder: feeder.String()})
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

// validateAuthorityMsg checks the message's fields, then that it is signed by the authority.
func (m msgServer) validateAuthorityMsg(msg sdk.HasValidateBasic, authority string) error {
	if err := msg.ValidateBasic(); err != nil {
		return err
	}
	return m.k.CheckAuthority(authority)
}
