package keeper

import (
	"context"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/infrafi/infrafi/x/oracle/types"
)

type queryServer struct {
	k *Keeper
}

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the x/oracle Query service.
func NewQueryServerImpl(k *Keeper) types.QueryServer {
	return queryServer{k: k}
}

// requireFeedID rejects an empty or malformed feed id as InvalidArgument.
func requireFeedID(id string) error {
	if err := types.ValidateFeedID(id); err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	return nil
}

// notFoundOr maps collections.ErrNotFound to codes.NotFound and anything else to codes.Internal.
func notFoundOr(err error, what string) error {
	if errors.Is(err, collections.ErrNotFound) {
		return status.Errorf(codes.NotFound, "%s not found", what)
	}
	return status.Error(codes.Internal, err.Error())
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

// Feeds implements types.QueryServer.
func (q queryServer) Feeds(ctx context.Context, req *types.QueryFeedsRequest) (*types.QueryFeedsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	feeds, page, err := query.CollectionPaginate(ctx, q.k.Feeds, req.Pagination,
		func(_ string, feed types.Feed) (types.Feed, error) { return feed, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryFeedsResponse{Feeds: feeds, Pagination: page}, nil
}

// Feed implements types.QueryServer.
func (q queryServer) Feed(ctx context.Context, req *types.QueryFeedRequest) (*types.QueryFeedResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if err := requireFeedID(req.Id); err != nil {
		return nil, err
	}
	feed, err := q.k.Feeds.Get(ctx, req.Id)
	if err != nil {
		return nil, notFoundOr(err, "feed "+req.Id)
	}
	return &types.QueryFeedResponse{Feed: feed}, nil
}

// Prices implements types.QueryServer.
func (q queryServer) Prices(ctx context.Context, req *types.QueryPricesRequest) (*types.QueryPricesResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	prices, page, err := query.CollectionPaginate(ctx, q.k.Prices, req.Pagination,
		func(_ string, price types.Price) (types.Price, error) { return q.k.priceAtBlockTime(ctx, price) })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryPricesResponse{Prices: prices, Pagination: page}, nil
}

// Price implements types.QueryServer.
func (q queryServer) Price(ctx context.Context, req *types.QueryPriceRequest) (*types.QueryPriceResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if err := requireFeedID(req.FeedId); err != nil {
		return nil, err
	}
	price, err := q.k.GetPrice(ctx, req.FeedId)
	if errors.Is(err, types.ErrPriceNotFound) {
		return nil, status.Errorf(codes.NotFound, "price of %s not found", req.FeedId)
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryPriceResponse{Price: price}, nil
}

// Posts implements types.QueryServer.
func (q queryServer) Posts(ctx context.Context, req *types.QueryPostsRequest) (*types.QueryPostsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if err := q.requireFeed(ctx, req.FeedId); err != nil {
		return nil, err
	}
	posts, page, err := query.CollectionPaginate(ctx, q.k.Posts, req.Pagination,
		func(_ collections.Pair[string, sdk.AccAddress], post types.Post) (types.Post, error) {
			return post, nil
		},
		query.WithCollectionPaginationPairPrefix[string, sdk.AccAddress](req.FeedId))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryPostsResponse{Posts: posts, Pagination: page}, nil
}

// Feeders implements types.QueryServer.
func (q queryServer) Feeders(ctx context.Context, req *types.QueryFeedersRequest) (*types.QueryFeedersResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if err := q.requireFeed(ctx, req.FeedId); err != nil {
		return nil, err
	}
	feeders, page, err := query.CollectionPaginate(ctx, q.k.Feeders, req.Pagination,
		func(key collections.Pair[string, sdk.AccAddress], _ collections.NoValue) (string, error) {
			return key.K2().String(), nil
		},
		query.WithCollectionPaginationPairPrefix[string, sdk.AccAddress](req.FeedId))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryFeedersResponse{Feeders: feeders, Pagination: page}, nil
}

// requireFeed checks that feedID is well formed (InvalidArgument) and registered (NotFound).
func (q queryServer) requireFeed(ctx context.Context, feedID string) error {
	if err := requireFeedID(feedID); err != nil {
		return err
	}
	has, err := q.k.Feeds.Has(ctx, feedID)
	if err != nil {
		return status.Error(codes.Internal, err.Error())
	}
	if !has {
		return status.Errorf(codes.NotFound, "feed %s not found", feedID)
	}
	return nil
}
