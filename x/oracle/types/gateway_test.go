package types_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/x/oracle/types"
)

// recordingQueryServer records the ids the gateway decoded from the URL.
type recordingQueryServer struct {
	types.UnimplementedQueryServer
	got []string
}

func (s *recordingQueryServer) Feed(_ context.Context, req *types.QueryFeedRequest) (*types.QueryFeedResponse, error) {
	s.got = append(s.got, "feed:"+req.Id)
	return &types.QueryFeedResponse{}, nil
}

func (s *recordingQueryServer) Price(_ context.Context, req *types.QueryPriceRequest) (*types.QueryPriceResponse, error) {
	s.got = append(s.got, "price:"+req.FeedId)
	return &types.QueryPriceResponse{}, nil
}

func (s *recordingQueryServer) Posts(_ context.Context, req *types.QueryPostsRequest) (*types.QueryPostsResponse, error) {
	limit := uint64(0)
	if req.Pagination != nil {
		limit = req.Pagination.Limit
	}
	s.got = append(s.got, "posts:"+req.FeedId)
	if limit != 5 {
		s.got = append(s.got, "pagination not decoded")
	}
	return &types.QueryPostsResponse{}, nil
}

func (s *recordingQueryServer) Feeders(_ context.Context, req *types.QueryFeedersRequest) (*types.QueryFeedersResponse, error) {
	s.got = append(s.got, "feeders:"+req.FeedId)
	return &types.QueryFeedersResponse{}, nil
}

func (s *recordingQueryServer) Params(context.Context, *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	s.got = append(s.got, "params")
	return &types.QueryParamsResponse{}, nil
}

// TestGatewayRoutesFeedIDsWithSlashes checks that the {id=**} routes of the
// grpc-gateway v1 runtime pass feed ids containing "/" through whole.
func TestGatewayRoutesFeedIDsWithSlashes(t *testing.T) {
	srv := &recordingQueryServer{}
	mux := runtime.NewServeMux()
	require.NoError(t, types.RegisterQueryHandlerServer(context.Background(), mux, srv))

	for _, path := range []string{
		"/infrafi/oracle/v1/params",
		"/infrafi/oracle/v1/feed/gpu/nvidia-h100-sxm5-80gb",
		"/infrafi/oracle/v1/price/gpu/nvidia-h100-sxm5-80gb",
		"/infrafi/oracle/v1/price/rate/tbill",
		"/infrafi/oracle/v1/price/gpu%2Fnvidia-h100-sxm5-80gb",
		"/infrafi/oracle/v1/posts/fx/uusdc?pagination.limit=5",
		"/infrafi/oracle/v1/feeders/gpu/a.b_c-d/e",
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		require.Equal(t, http.StatusOK, rec.Code, "%s: %s", path, rec.Body.String())
	}
	require.Equal(t, []string{
		"params",
		"feed:gpu/nvidia-h100-sxm5-80gb",
		"price:gpu/nvidia-h100-sxm5-80gb",
		"price:rate/tbill",
		"price:gpu/nvidia-h100-sxm5-80gb",
		"posts:fx/uusdc",
		"feeders:gpu/a.b_c-d/e",
	}, srv.got)
}
