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

	"github.com/infrafi/infrafi/x/yield/types"
)

// recordingQueryServer records what the gateway decoded from each URL.
type recordingQueryServer struct {
	types.UnimplementedQueryServer
	got []string
}

func (s *recordingQueryServer) Vault(context.Context, *types.QueryVaultRequest) (*types.QueryVaultResponse, error) {
	s.got = append(s.got, "vault")
	z := math.ZeroInt()
	return &types.QueryVaultResponse{Vault: types.VaultSummary{
		Nav: z, ConservativeNav: z, TotalShares: z, EscrowedShares: z, SharePrice: math.LegacyZeroDec(),
		RedemptionPrice: math.LegacyZeroDec(), Idle: z, Reserved: z, Buffer: z, Fundable: z, AccruedInterest: z,
		AccruedTreasuryYield: z, AccruedFees: z, Book: types.NewSeniorBook(), Treasury: types.NewTreasuryState(),
	}}, nil
}

func (s *recordingQueryServer) Queue(_ context.Context, req *types.QueryQueueRequest) (*types.QueryQueueResponse, error) {
	s.got = append(s.got, "queue")
	if req.Pagination == nil || req.Pagination.Limit != 2 {
		s.got = append(s.got, "pagination not decoded")
	}
	return &types.QueryQueueResponse{}, nil
}

func (s *recordingQueryServer) RedeemRequests(_ context.Context, req *types.QueryRedeemRequestsRequest) (*types.QueryRedeemRequestsResponse, error) {
	s.got = append(s.got, "requests:"+req.Owner)
	return &types.QueryRedeemRequestsResponse{}, nil
}

func (s *recordingQueryServer) RedeemRequest(_ context.Context, req *types.QueryRedeemRequestRequest) (*types.QueryRedeemRequestResponse, error) {
	s.got = append(s.got, "request:"+string(rune('0'+req.Id)))
	return &types.QueryRedeemRequestResponse{}, nil
}

func (s *recordingQueryServer) Epoch(context.Context, *types.QueryEpochRequest) (*types.QueryEpochResponse, error) {
	s.got = append(s.got, "epoch")
	return &types.QueryEpochResponse{Round: types.NewServingRound(), QueuedShares: math.ZeroInt()}, nil
}

func (s *recordingQueryServer) APR(context.Context, *types.QueryAPRRequest) (*types.QueryAPRResponse, error) {
	s.got = append(s.got, "apr")
	return &types.QueryAPRResponse{Projected: math.LegacyZeroDec()}, nil
}

func (s *recordingQueryServer) PriceHistory(context.Context, *types.QueryPriceHistoryRequest) (*types.QueryPriceHistoryResponse, error) {
	s.got = append(s.got, "price_history")
	return &types.QueryPriceHistoryResponse{}, nil
}

func (s *recordingQueryServer) Params(context.Context, *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	s.got = append(s.got, "params")
	return &types.QueryParamsResponse{Params: types.DefaultParams()}, nil
}

func TestGatewayRoutes(t *testing.T) {
	srv := &recordingQueryServer{}
	// The SDK's REST server marshals with gogogateway, which knows gogoproto's
	// stdduration and stdtime fields.
	mux := runtime.NewServeMux(runtime.WithMarshalerOption(runtime.MIMEWildcard,
		&gateway.JSONPb{EmitDefaults: true, OrigName: true}))
	require.NoError(t, types.RegisterQueryHandlerServer(context.Background(), mux, srv))
	for _, path := range []string{
		"/infrafi/yield/v1/params",
		"/infrafi/yield/v1/vault",
		"/infrafi/yield/v1/price_history",
		"/infrafi/yield/v1/apr",
		"/infrafi/yield/v1/queue?pagination.limit=2",
		"/infrafi/yield/v1/requests/infra1owner",
		"/infrafi/yield/v1/request/7",
		"/infrafi/yield/v1/epoch",
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		require.Equal(t, http.StatusOK, rec.Code, "%s: %s", path, rec.Body.String())
	}
	require.Equal(t, []string{"params", "vault", "price_history", "apr", "queue", "requests:infra1owner", "request:7", "epoch"}, srv.got)
}
