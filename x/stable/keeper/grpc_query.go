package keeper

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/infrafi/infrafi/x/stable/types"
)

type queryServer struct {
	k *Keeper
}

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the x/stable Query service.
func NewQueryServerImpl(k *Keeper) types.QueryServer {
	return queryServer{k: k}
}

// Params implements types.QueryServer.
func (q queryServer) Params(ctx context.Context, req *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: params}, nil
}

// Reserves implements types.QueryServer.
func (q queryServer) Reserves(ctx context.Context, req *types.QueryReservesRequest) (*types.QueryReservesResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	out := make([]types.ReserveStatus, 0, len(params.Reserves))
	for _, r := range params.Reserves {
		st, err := q.k.ReserveStatus(ctx, params, r)
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		out = append(out, st)
	}
	return &types.QueryReservesResponse{Reserves: out}, nil
}

// Reserve implements types.QueryServer.
func (q queryServer) Reserve(ctx context.Context, req *types.QueryReserveRequest) (*types.QueryReserveResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if err := sdk.ValidateDenom(req.Denom); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "denom %q: %s", req.Denom, err)
	}
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	r, ok := params.Reserve(req.Denom)
	if !ok {
		return nil, status.Errorf(codes.NotFound, "%s is not a reserve", req.Denom)
	}
	st, err := q.k.ReserveStatus(ctx, params, r)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryReserveResponse{Reserve: st}, nil
}

// ProofOfReserves implements types.QueryServer.
func (q queryServer) ProofOfReserves(ctx context.Context, req *types.QueryProofOfReservesRequest) (*types.QueryProofOfReservesResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	res, err := q.k.ProofOfReserves(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return res, nil
}

// Allowlist implements types.QueryServer.
func (q queryServer) Allowlist(ctx context.Context, req *types.QueryAllowlistRequest) (*types.QueryAllowlistResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addrs, page, err := query.CollectionPaginate(ctx, q.k.Allowlist, req.Pagination,
		func(addr sdk.AccAddress, _ collections.NoValue) (string, error) { return addr.String(), nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryAllowlistResponse{Addresses: addrs, Pagination: page}, nil
}

// Allowlisted implements types.QueryServer.
func (q queryServer) Allowlisted(ctx context.Context, req *types.QueryAllowlistedRequest) (*types.QueryAllowlistedResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := sdk.AccAddressFromBech32(req.Address)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "address %q: %s", req.Address, err)
	}
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	listed, err := q.k.IsAllowlisted(ctx, addr)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryAllowlistedResponse{Allowlisted: listed, Permissioned: params.Permissioned}, nil
}

// FeesCollected implements types.QueryServer.
func (q queryServer) FeesCollected(ctx context.Context, req *types.QueryFeesCollectedRequest) (*types.QueryFeesCollectedResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr := q.k.FeeCollectorAddress()
	return &types.QueryFeesCollectedResponse{Address: addr.String(), Balance: q.k.bank.GetAllBalances(ctx, addr)}, nil
}

// OutflowUsage implements types.QueryServer.
func (q queryServer) OutflowUsage(ctx context.Context, req *types.QueryOutflowUsageRequest) (*types.QueryOutflowUsageResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if err := types.ValidateChannelID(req.Channel); err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	if err := sdk.ValidateDenom(req.Denom); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "denom %q: %s", req.Denom, err)
	}
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	usage, err := q.k.OutflowUsage(ctx, params, req.Channel, req.Denom)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryOutflowUsageResponse{Usage: usage}, nil
}

// OutflowUsages implements types.QueryServer.
func (q queryServer) OutflowUsages(ctx context.Context, req *types.QueryOutflowUsagesRequest) (*types.QueryOutflowUsagesResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	usages, page, err := query.CollectionPaginate(ctx, q.k.OutflowWindows, req.Pagination,
		func(key collections.Pair[string, string], _ types.OutflowWindow) (types.OutflowUsage, error) {
			return q.k.OutflowUsage(ctx, params, key.K1(), key.K2())
		})
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryOutflowUsagesResponse{Usages: usages, Pagination: page}, nil
}
