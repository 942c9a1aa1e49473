package keeper

import (
	"context"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/infrafi/infrafi/x/yield/types"
)

type queryServer struct {
	k *Keeper
}

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the x/yield Query service.
func NewQueryServerImpl(k *Keeper) types.QueryServer {
	return queryServer{k: k}
}

var errEmptyRequest = status.Error(codes.InvalidArgument, "empty request")

// Params implements types.QueryServer.
func (q queryServer) Params(ctx context.Context, req *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: params}, nil
}

// Vault implements types.QueryServer.
func (q queryServer) Vault(ctx context.Context, req *types.QueryVaultRequest) (*types.QueryVaultResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	v, err := q.k.View(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	summary, err := v.Summary()
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryVaultResponse{Vault: summary}, nil
}

// PriceHistory implements types.QueryServer.
func (q queryServer) PriceHistory(ctx context.Context, req *types.QueryPriceHistoryRequest) (*types.QueryPriceHistoryResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	checkpoints, page, err := query.CollectionPaginate(ctx, q.k.Checkpoints, req.Pagination,
		func(_ int64, c types.Checkpoint) (types.Checkpoint, error) { return c, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryPriceHistoryResponse{Checkpoints: checkpoints, Pagination: page}, nil
}

// APR implements types.QueryServer.
func (q queryServer) APR(ctx context.Context, req *types.QueryAPRRequest) (*types.QueryAPRResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	realized, projected, err := q.k.APR(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryAPRResponse{Realized: realized, Projected: projected}, nil
}

// Queue implements types.QueryServer.
func (q queryServer) Queue(ctx context.Context, req *types.QueryQueueRequest) (*types.QueryQueueResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	requests, page, err := query.CollectionPaginate(ctx, q.k.Requests.Indexes.Queue.KeySet, req.Pagination,
		func(key collections.Pair[uint32, uint64], _ collections.NoValue) (types.RedeemRequest, error) {
			return q.k.Requests.Get(ctx, key.K2())
		})
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryQueueResponse{Requests: requests, Pagination: page}, nil
}

// RedeemRequests implements types.QueryServer.
func (q queryServer) RedeemRequests(ctx context.Context, req *types.QueryRedeemRequestsRequest) (*types.QueryRedeemRequestsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	owner, err := sdk.AccAddressFromBech32(req.Owner)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "owner %q: %s", req.Owner, err)
	}
	requests, page, err := query.CollectionPaginate(ctx, q.k.Requests.Indexes.Owner.KeySet, req.Pagination,
		func(key collections.Pair[sdk.AccAddress, uint64], _ collections.NoValue) (types.RedeemRequest, error) {
			return q.k.Requests.Get(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[sdk.AccAddress, uint64](owner))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryRedeemRequestsResponse{Requests: requests, Pagination: page}, nil
}

// RedeemRequest implements types.QueryServer.
func (q queryServer) RedeemRequest(ctx context.Context, req *types.QueryRedeemRequestRequest) (*types.QueryRedeemRequestResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	r, err := q.k.Requests.Get(ctx, req.Id)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, status.Errorf(codes.NotFound, "request %d not found", req.Id)
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryRedeemRequestResponse{Request: r}, nil
}

// Epoch implements types.QueryServer.
func (q queryServer) Epoch(ctx context.Context, req *types.QueryEpochRequest) (*types.QueryEpochResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	epoch, err := q.k.Epoch.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	round, err := q.k.Round.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	vault, err := q.k.Vault.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	cutoff := epoch.End.Add(-params.CancelCutoff)
	return &types.QueryEpochResponse{
		Epoch:        epoch,
		CancelCutoff: cutoff,
		Cancellable:  !epoch.End.IsZero() && blockTime(ctx).Before(cutoff),
		Round:        round,
		QueuedShares: vault.EscrowedShares,
	}, nil
}
