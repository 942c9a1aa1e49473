package types_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/x/caliber/types"
)

// recordingQueryServer records what the gateway decoded from each URL.
// Enum query parameters are numbers: grpc-gateway v1 cannot resolve gogoproto
// enum names.
type recordingQueryServer struct {
	types.UnimplementedQueryServer
	got []string
}

func (s *recordingQueryServer) Title(_ context.Context, req *types.QueryTitleRequest) (*types.QueryTitleResponse, error) {
	s.got = append(s.got, fmt.Sprintf("title:%d", req.Id))
	return &types.QueryTitleResponse{}, nil
}

func (s *recordingQueryServer) Titles(_ context.Context, req *types.QueryTitlesRequest) (*types.QueryTitlesResponse, error) {
	s.got = append(s.got, fmt.Sprintf("titles:%s:%s:%s:%d", req.Owner, req.ClassId, req.Status, req.Pagination.GetLimit()))
	return &types.QueryTitlesResponse{}, nil
}

func (s *recordingQueryServer) TitleBySerial(_ context.Context, req *types.QueryTitleBySerialRequest) (*types.QueryTitleBySerialResponse, error) {
	s.got = append(s.got, "serial:"+req.Serial)
	return &types.QueryTitleBySerialResponse{}, nil
}

func (s *recordingQueryServer) Valuation(_ context.Context, req *types.QueryValuationRequest) (*types.QueryValuationResponse, error) {
	s.got = append(s.got, fmt.Sprintf("valuation:%d", req.TitleId))
	return &types.QueryValuationResponse{}, nil
}

func (s *recordingQueryServer) Parties(_ context.Context, req *types.QueryPartiesRequest) (*types.QueryPartiesResponse, error) {
	s.got = append(s.got, "parties:"+req.Role.String())
	return &types.QueryPartiesResponse{}, nil
}

func TestGatewayRoutes(t *testing.T) {
	srv := &recordingQueryServer{}
	mux := runtime.NewServeMux()
	require.NoError(t, types.RegisterQueryHandlerServer(context.Background(), mux, srv))
	for _, path := range []string{
		"/infrafi/caliber/v1/titles/7",
		"/infrafi/caliber/v1/titles?owner=infra1x&class_id=nvidia-h100-sxm5-80gb&status=2&pagination.limit=5",
		"/infrafi/caliber/v1/title_by_serial/SN-0001.A_B",
		"/infrafi/caliber/v1/titles/7/valuation",
		"/infrafi/caliber/v1/parties?role=2",
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		require.Equal(t, http.StatusOK, rec.Code, "%s: %s", path, rec.Body.String())
	}
	require.Equal(t, []string{
		"title:7",
		"titles:infra1x:nvidia-h100-sxm5-80gb:TITLE_STATUS_ACTIVE:5",
		"serial:SN-0001.A_B",
		"valuation:7",
		"parties:ROLE_CUSTODIAN",
	}, srv.got)
}
