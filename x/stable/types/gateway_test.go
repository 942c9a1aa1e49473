package types_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	gateway "github.com/cosmos/gogogateway"
	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/stable/types"
)

// recordingQueryServer records what the gateway decoded from each URL.
type recordingQueryServer struct {
	types.UnimplementedQueryServer
	got []string
}

func (s *recordingQueryServer) Params(context.Context, *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	s.got = append(s.got, "params")
	return &types.QueryParamsResponse{}, nil
}

func (s *recordingQueryServer) Reserves(context.Context, *types.QueryReservesRequest) (*types.QueryReservesResponse, error) {
	s.got = append(s.got, "reserves")
	return &types.QueryReservesResponse{}, nil
}

func (s *recordingQueryServer) Reserve(_ context.Context, req *types.QueryReserveRequest) (*types.QueryReserveResponse, error) {
	s.got = append(s.got, "reserve:"+req.Denom)
	return &types.QueryReserveResponse{}, nil
}

func (s *recordingQueryServer) ProofOfReserves(context.Context, *types.QueryProofOfReservesRequest) (*types.QueryProofOfReservesResponse, error) {
	s.got = append(s.got, "proof")
	n := math.NewInt(100)
	return &types.QueryProofOfReservesResponse{
		UsdaiSupply: n, ReservesHeld: n, TreasuryOutstanding: math.ZeroInt(), TotalReserves: n,
		Ratio: math.LegacyOneDec(), TotalRatio: math.LegacyOneDec(),
	}, nil
}

func (s *recordingQueryServer) Allowlist(_ context.Context, req *types.QueryAllowlistRequest) (*types.QueryAllowlistResponse, error) {
	limit := uint64(0)
	if req.Pagination != nil {
		limit = req.Pagination.Limit
	}
	s.got = append(s.got, "allowlist")
	if limit != 5 {
		s.got = append(s.got, "pagination not decoded")
	}
	return &types.QueryAllowlistResponse{}, nil
}

func (s *recordingQueryServer) Allowlisted(_ context.Context, req *types.QueryAllowlistedRequest) (*types.QueryAllowlistedResponse, error) {
	s.got = append(s.got, "allowlisted:"+req.Address)
	return &types.QueryAllowlistedResponse{}, nil
}

func (s *recordingQueryServer) FeesCollected(context.Context, *types.QueryFeesCollectedRequest) (*types.QueryFeesCollectedResponse, error) {
	s.got = append(s.got, "fees")
	return &types.QueryFeesCollectedResponse{}, nil
}

// TestGatewayRoutes pins the REST routes, including reserve denoms with "/".
func TestGatewayRoutes(t *testing.T) {
	srv := &recordingQueryServer{}
	// The marshaler the SDK's API server uses for gogoproto messages.
	mux := runtime.NewServeMux(runtime.WithMarshalerOption(runtime.MIMEWildcard, &gateway.JSONPb{EmitDefaults: true, OrigName: true}))
	require.NoError(t, types.RegisterQueryHandlerServer(context.Background(), mux, srv))

	for _, path := range []string{
		"/infrafi/stable/v1/params",
		"/infrafi/stable/v1/reserves",
		"/infrafi/stable/v1/reserve/uusdc",
		"/infrafi/stable/v1/reserve/ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
		"/infrafi/stable/v1/proof_of_reserves",
		"/infrafi/stable/v1/allowlist?pagination.limit=5",
		"/infrafi/stable/v1/allowlisted/infra1abc",
		"/infrafi/stable/v1/fees_collected",
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		require.Equal(t, http.StatusOK, rec.Code, "%s: %s", path, rec.Body.String())
		if path == "/infrafi/stable/v1/proof_of_reserves" {
			require.JSONEq(t, `{"usdai_supply":"100","reserves_held":"100","treasury_outstanding":"0","total_reserves":"100",`+
				`"ratio":"1.000000000000000000","total_ratio":"1.000000000000000000","reserves":[]}`, rec.Body.String())
		}
	}
	require.Equal(t, []string{
		"params",
		"reserves",
		"reserve:uusdc",
		"reserve:ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
		"proof",
		"allowlist",
		"allowlisted:infra1abc",
		"fees",
	}, srv.got)
}
