package keeper

import (
	"context"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
)

type queryServer struct {
	k *Keeper
}

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the x/caliber Query service.
func NewQueryServerImpl(k *Keeper) types.QueryServer {
	return queryServer{k: k}
}

var errEmptyRequest = status.Error(codes.InvalidArgument, "empty request")

// grpcError maps the module's not-found errors to NotFound, its validation
// errors to InvalidArgument and anything else to Internal.
func grpcError(err error) error {
	switch {
	case errors.Is(err, collections.ErrNotFound), errors.Is(err, types.ErrTitleNotFound),
		errors.Is(err, types.ErrPartyNotFound), errors.Is(err, types.ErrAssetClassNotFound),
		errors.Is(err, types.ErrPoolNotFound), errors.Is(err, types.ErrPolicyNotFound),
		errors.Is(err, types.ErrNoValuation):
		return status.Error(codes.NotFound, err.Error())
	case errors.Is(err, types.ErrInvalidSerial), errors.Is(err, types.ErrInvalidAssetClass):
		return status.Error(codes.InvalidArgument, err.Error())
	}
	return status.Error(codes.Internal, err.Error())
}

// address parses an address argument as InvalidArgument.
func address(field, addr string) (sdk.AccAddress, error) {
	acc, err := types.ValidateAddress(field, addr)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return acc, nil
}

// Params implements types.QueryServer.
func (q queryServer) Params(ctx context.Context, req *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, grpcError(err)
	}
	return &types.QueryParamsResponse{Params: params}, nil
}

// Party implements types.QueryServer.
func (q queryServer) Party(ctx context.Context, req *types.QueryPartyRequest) (*types.QueryPartyResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	addr, err := address("address", req.Address)
	if err != nil {
		return nil, err
	}
	p, err := q.k.GetParty(ctx, addr)
	if err != nil {
		return nil, grpcError(err)
	}
	return &types.QueryPartyResponse{Party: p}, nil
}

// Parties implements types.QueryServer: all parties by address, or through the
// role index the holders of one role.
func (q queryServer) Parties(ctx context.Context, req *types.QueryPartiesRequest) (*types.QueryPartiesResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	var (
		parties []types.Party
		page    *query.PageResponse
		err     error
	)
	if req.Role == types.RoleUnspecified {
		parties, page, err = query.CollectionPaginate(ctx, q.k.Parties, req.Pagination,
			func(_ sdk.AccAddress, p types.Party) (types.Party, error) { return p, nil })
	} else {
		if _, known := types.Role_name[int32(req.Role)]; !known {
			return nil, status.Errorf(codes.InvalidArgument, "unknown role %d", req.Role)
		}
		parties, page, err = query.CollectionPaginate(ctx, q.k.PartiesByRole, req.Pagination,
			func(key collections.Pair[int32, sdk.AccAddress], _ collections.NoValue) (types.Party, error) {
				return q.k.Parties.Get(ctx, key.K2())
			},
			query.WithCollectionPaginationPairPrefix[int32, sdk.AccAddress](int32(req.Role)))
	}
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryPartiesResponse{Parties: parties, Pagination: page}, nil
}

// AssetClass implements types.QueryServer.
func (q queryServer) AssetClass(ctx context.Context, req *types.QueryAssetClassRequest) (*types.QueryAssetClassResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	if err := types.ValidateClassID(req.Id); err != nil {
		return nil, grpcError(err)
	}
	c, err := q.k.GetAssetClass(ctx, req.Id)
	if err != nil {
		return nil, grpcError(err)
	}
	return &types.QueryAssetClassResponse{AssetClass: c}, nil
}

// AssetClasses implements types.QueryServer.
func (q queryServer) AssetClasses(ctx context.Context, req *types.QueryAssetClassesRequest) (*types.QueryAssetClassesResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	classes, page, err := query.CollectionPaginate(ctx, q.k.AssetClasses, req.Pagination,
		func(_ string, c types.AssetClass) (types.AssetClass, error) { return c, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryAssetClassesResponse{AssetClasses: classes, Pagination: page}, nil
}

// Title implements types.QueryServer.
func (q queryServer) Title(ctx context.Context, req *types.QueryTitleRequest) (*types.QueryTitleResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	t, err := q.k.GetTitle(ctx, req.Id)
	if err != nil {
		return nil, grpcError(err)
	}
	res := &types.QueryTitleResponse{Title: t}
	c, err := q.k.Custody.Get(ctx, t.Id)
	switch {
	case err == nil:
		res.Custody = &c
	case !errors.Is(err, collections.ErrNotFound):
		return nil, grpcError(err)
	}
	if res.Stale, err = q.k.IsStale(ctx, t.Id); err != nil {
		return nil, grpcError(err)
	}
	return res, nil
}

// Titles implements types.QueryServer. With filters it pages through one
// index (owner, else custodian, else class, else status) and applies the
// other filters to each entry; without, it pages through all titles by id.
func (q queryServer) Titles(ctx context.Context, req *types.QueryTitlesRequest) (*types.QueryTitlesResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	var owner, custodian sdk.AccAddress
	var err error
	if req.Owner != "" {
		if owner, err = address("owner", req.Owner); err != nil {
			return nil, err
		}
	}
	if req.Custodian != "" {
		if custodian, err = address("custodian", req.Custodian); err != nil {
			return nil, err
		}
	}
	if req.ClassId != "" {
		if err := types.ValidateClassID(req.ClassId); err != nil {
			return nil, grpcError(err)
		}
	}
	if _, known := types.TitleStatus_name[int32(req.Status)]; !known {
		return nil, status.Errorf(codes.InvalidArgument, "unknown status %d", req.Status)
	}
	match := func(t types.Title) bool {
		return (owner == nil || t.Owner == owner.String()) &&
			(custodian == nil || t.Custodian == custodian.String()) &&
			(req.ClassId == "" || t.ClassId == req.ClassId) &&
			(req.Status == types.StatusUnspecified || t.Status == req.Status)
	}

	var (
		titles []types.Title
		page   *query.PageResponse
	)
	switch {
	case owner != nil:
		titles, page, err = paginateIndex(ctx, q.k, q.k.Titles.Indexes.Owner, owner, req.Pagination, match)
	case custodian != nil:
		titles, page, err = paginateIndex(ctx, q.k, q.k.Titles.Indexes.Custodian, custodian, req.Pagination, match)
	case req.ClassId != "":
		titles, page, err = paginateIndex(ctx, q.k, q.k.Titles.Indexes.Class, req.ClassId, req.Pagination, match)
	case req.Status != types.StatusUnspecified:
		titles, page, err = paginateIndex(ctx, q.k, q.k.Titles.Indexes.Status, int32(req.Status), req.Pagination, match)
	default:
		titles, page, err = query.CollectionPaginate(ctx, q.k.Titles, req.Pagination,
			func(_ uint64, t types.Title) (types.Title, error) { return t, nil })
	}
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryTitlesResponse{Titles: titles, Pagination: page}, nil
}

// paginateIndex pages through the titles a title index holds under ref,
// keeping those that match.
func paginateIndex[R any](
	ctx context.Context, k *Keeper, index *keeperutil.MultiIndex[R, uint64, types.Title], ref R,
	pageReq *query.PageRequest, match func(types.Title) bool,
) ([]types.Title, *query.PageResponse, error) {
	return query.CollectionFilteredPaginate(ctx, index, pageReq,
		func(key collections.Pair[R, uint64], _ collections.NoValue) (bool, error) {
			t, err := k.Titles.Get(ctx, key.K2())
			if err != nil {
				return false, err
			}
			return match(t), nil
		},
		func(key collections.Pair[R, uint64], _ collections.NoValue) (types.Title, error) {
			return k.Titles.Get(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[R, uint64](ref))
}

// TitleBySerial implements types.QueryServer.
func (q queryServer) TitleBySerial(ctx context.Context, req *types.QueryTitleBySerialRequest) (*types.QueryTitleBySerialResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	if err := types.ValidateSerial(req.Serial); err != nil {
		return nil, grpcError(err)
	}
	id, err := q.k.Serials.Get(ctx, req.Serial)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, status.Errorf(codes.NotFound, "serial %s is in no live title", req.Serial)
	}
	if err != nil {
		return nil, grpcError(err)
	}
	t, err := q.k.GetTitle(ctx, id)
	if err != nil {
		return nil, grpcError(err)
	}
	return &types.QueryTitleBySerialResponse{Title: t}, nil
}

// Valuation implements types.QueryServer.
func (q queryServer) Valuation(ctx context.Context, req *types.QueryValuationRequest) (*types.QueryValuationResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	v, err := q.k.GetValuation(ctx, req.TitleId)
	if err != nil {
		return nil, grpcError(err)
	}
	return &types.QueryValuationResponse{Valuation: v}, nil
}

// Appraisals implements types.QueryServer.
func (q queryServer) Appraisals(ctx context.Context, req *types.QueryAppraisalsRequest) (*types.QueryAppraisalsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	if _, err := q.k.GetTitle(ctx, req.TitleId); err != nil {
		return nil, grpcError(err)
	}
	all, err := q.k.TitleAppraisals(ctx, req.TitleId)
	if err != nil {
		return nil, grpcError(err)
	}
	// Paged by appraiser address text, the record's order.
	appraisals, page, err := keeperutil.PaginateSlice(all, func(a types.Appraisal) []byte { return []byte(a.Appraiser) }, req.Pagination)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryAppraisalsResponse{Appraisals: appraisals, Pagination: page}, nil
}

// Policy implements types.QueryServer.
func (q queryServer) Policy(ctx context.Context, req *types.QueryPolicyRequest) (*types.QueryPolicyResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	p, err := q.k.Policies.Get(ctx, req.TitleId)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, status.Errorf(codes.NotFound, "title %d has no policy", req.TitleId)
	}
	if err != nil {
		return nil, grpcError(err)
	}
	return &types.QueryPolicyResponse{Policy: p, Active: p.ExpiresAt.After(blockTime(ctx))}, nil
}

// PolicyRequests implements types.QueryServer.
func (q queryServer) PolicyRequests(ctx context.Context, req *types.QueryPolicyRequestsRequest) (*types.QueryPolicyRequestsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	var insurer sdk.AccAddress
	if req.Insurer != "" {
		var err error
		if insurer, err = address("insurer", req.Insurer); err != nil {
			return nil, err
		}
	}
	requests, page, err := query.CollectionFilteredPaginate(ctx, q.k.PolicyRequests, req.Pagination,
		func(_ uint64, r types.PolicyRequest) (bool, error) {
			return insurer == nil || r.Insurer == insurer.String(), nil
		},
		func(_ uint64, r types.PolicyRequest) (types.PolicyRequest, error) { return r, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryPolicyRequestsResponse{Requests: requests, Pagination: page}, nil
}

// Pool implements types.QueryServer.
func (q queryServer) Pool(ctx context.Context, req *types.QueryPoolRequest) (*types.QueryPoolResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	insurer, err := address("insurer", req.Insurer)
	if err != nil {
		return nil, err
	}
	p, err := q.k.GetPool(ctx, insurer)
	if err != nil {
		return nil, grpcError(err)
	}
	return &types.QueryPoolResponse{Pool: p, Free: p.Free()}, nil
}

// Pools implements types.QueryServer.
func (q queryServer) Pools(ctx context.Context, req *types.QueryPoolsRequest) (*types.QueryPoolsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	pools, page, err := query.CollectionPaginate(ctx, q.k.Pools, req.Pagination,
		func(_ sdk.AccAddress, p types.InsurancePool) (types.InsurancePool, error) { return p, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryPoolsResponse{Pools: pools, Pagination: page}, nil
}
