package keeper

import (
	"context"
	"errors"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
)

// maxScheduleEntries bounds the schedule query.
const maxScheduleEntries = 120

type queryServer struct {
	k *Keeper
}

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the x/lending Query service.
func NewQueryServerImpl(k *Keeper) types.QueryServer {
	return queryServer{k: k}
}

var errEmptyRequest = status.Error(codes.InvalidArgument, "empty request")

func grpcError(err error) error {
	switch {
	case errors.Is(err, collections.ErrNotFound), errors.Is(err, types.ErrLoanNotFound),
		errors.Is(err, types.ErrProductNotFound), errors.Is(err, types.ErrNoValuation):
		return status.Error(codes.NotFound, err.Error())
	case errors.Is(err, types.ErrInvalidTitles), errors.Is(err, types.ErrClassNotAllowed):
		return status.Error(codes.InvalidArgument, err.Error())
	}
	return status.Error(codes.Internal, err.Error())
}

// Params implements types.QueryServer.
func (q queryServer) Params(ctx context.Context, req *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, grpcError(err)
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// Product implements types.QueryServer.
func (q queryServer) Product(ctx context.Context, req *types.QueryProductRequest) (*types.QueryProductResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	p, err := q.k.GetProduct(ctx, req.Id)
	if err != nil {
		return nil, grpcError(err)
	}
	return &types.QueryProductResponse{Product: p}, nil
}

// Products implements types.QueryServer.
func (q queryServer) Products(ctx context.Context, req *types.QueryProductsRequest) (*types.QueryProductsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	products, page, err := query.CollectionPaginate(ctx, q.k.Products, req.Pagination,
		func(_ string, p types.Product) (types.Product, error) { return p, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryProductsResponse{Products: products, Pagination: page}, nil
}

// Loan implements types.QueryServer.
func (q queryServer) Loan(ctx context.Context, req *types.QueryLoanRequest) (*types.QueryLoanResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	l, err := q.k.GetLoan(ctx, req.Id)
	if err != nil {
		return nil, grpcError(err)
	}
	lockbox := types.LockboxAddress(l.Id)
	dscr, _ := l.DSCR()
	return &types.QueryLoanResponse{
		Loan: l, Payoff: Payoff(l, blockTime(ctx)),
		Lockbox: lockbox.String(), LockboxBalance: q.k.bank.GetAllBalances(ctx, lockbox),
		Dscr: dscr, Withdrawable: q.k.Withdrawable(ctx, l),
	}, nil
}

// Loans implements types.QueryServer: all loans by id, or one index.
func (q queryServer) Loans(ctx context.Context, req *types.QueryLoansRequest) (*types.QueryLoansResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	set := 0
	for _, b := range []bool{req.Borrower != "", req.Status != types.LoanStatusUnspecified, req.Curator != ""} {
		if b {
			set++
		}
	}
	if set > 1 {
		return nil, status.Error(codes.InvalidArgument, "set at most one of borrower, status, curator")
	}
	if _, known := types.LoanStatus_name[int32(req.Status)]; !known {
		return nil, status.Errorf(codes.InvalidArgument, "unknown status %d", req.Status)
	}
	var (
		loans []types.Loan
		page  *query.PageResponse
		err   error
	)
	switch {
	case req.Borrower != "":
		addr, aerr := types.ValidateAddress("borrower", req.Borrower)
		if aerr != nil {
			return nil, status.Error(codes.InvalidArgument, aerr.Error())
		}
		loans, page, err = paginateIndex(ctx, q.k, q.k.Loans.Indexes.Borrower, addr, req.Pagination)
	case req.Curator != "":
		if _, aerr := types.ValidateAddress("curator", req.Curator); aerr != nil {
			return nil, status.Error(codes.InvalidArgument, aerr.Error())
		}
		loans, page, err = paginateIndex(ctx, q.k, q.k.Loans.Indexes.Curator, req.Curator, req.Pagination)
	case req.Status == types.LoanPending:
		loans, page, err = paginatePending(ctx, q.k, req.Pagination)
	case req.Status != types.LoanStatusUnspecified:
		loans, page, err = paginateIndex(ctx, q.k, q.k.Loans.Indexes.Status, int32(req.Status), req.Pagination)
	default:
		loans, page, err = query.CollectionPaginate(ctx, q.k.Loans, req.Pagination,
			func(_ uint64, l types.Loan) (types.Loan, error) { return l, nil })
	}
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryLoansResponse{Loans: loans, Pagination: page}, nil
}

func paginateIndex[R any](
	ctx context.Context, k *Keeper, index *keeperutil.MultiIndex[R, uint64, types.Loan], ref R, pageReq *query.PageRequest,
) ([]types.Loan, *query.PageResponse, error) {
	return query.CollectionPaginate(ctx, index, pageReq,
		func(key collections.Pair[R, uint64], _ collections.NoValue) (types.Loan, error) {
			return k.Loans.Get(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[R, uint64](ref))
}

// paginatePending lists the PENDING loans from the pending queue (they have
// no status index key), in expiry order. The queue holds exactly them (the
// queues invariant); the filter keeps a listing true even if it did not.
func paginatePending(ctx context.Context, k *Keeper, pageReq *query.PageRequest) ([]types.Loan, *query.PageResponse, error) {
	var loan types.Loan // the entry the predicate read, which the transform returns
	return query.CollectionFilteredPaginate(ctx, k.PendingQueue, pageReq,
		func(key collections.Pair[time.Time, uint64], _ collections.NoValue) (bool, error) {
			l, err := k.Loans.Get(ctx, key.K2())
			if err != nil {
				return false, err
			}
			loan = l
			return l.Status == types.LoanPending, nil
		},
		func(collections.Pair[time.Time, uint64], collections.NoValue) (types.Loan, error) { return loan, nil })
}

// Schedule implements types.QueryServer.
func (q queryServer) Schedule(ctx context.Context, req *types.QueryScheduleRequest) (*types.QueryScheduleResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	l, err := q.k.GetLoan(ctx, req.LoanId)
	if err != nil {
		return nil, grpcError(err)
	}
	limit := req.Limit
	if limit == 0 || limit > maxScheduleEntries {
		limit = maxScheduleEntries
	}
	if !types.Funded(l.Status) {
		return &types.QueryScheduleResponse{}, nil
	}
	payments := types.ProjectSchedule(types.ScheduleState{
		Schedule: l.Terms.Schedule, Balance: l.Outstanding(), APR: l.Apr, Interval: l.Terms.RepaymentInterval,
		PaymentsRemaining: l.PaymentsRemaining, NextDue: l.NextDueTime, InterestDue: l.InterestDue, PrincipalDue: l.PrincipalDue,
	}, limit)
	return &types.QueryScheduleResponse{Payments: payments}, nil
}

// Quote implements types.QueryServer.
func (q queryServer) Quote(ctx context.Context, req *types.QueryQuoteRequest) (*types.QueryQuoteResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	res, err := q.k.Quote(ctx, req.ProductId, req.TitleIds)
	if err != nil {
		return nil, grpcError(err)
	}
	return res, nil
}

// BookSummary implements types.QueryServer.
func (q queryServer) BookSummary(ctx context.Context, req *types.QueryBookSummaryRequest) (*types.QueryBookSummaryResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	res := &types.QueryBookSummaryResponse{}
	var err error
	for _, t := range []struct {
		key string
		dst *math.Int
	}{{totalSenior, &res.SeniorPrincipal}, {totalJunior, &res.JuniorPrincipal}, {totalDSR, &res.DsrHeld}} {
		if *t.dst, err = q.k.total(ctx, t.key); err != nil {
			return nil, grpcError(err)
		}
	}
	err = q.k.StatusCounts.Walk(ctx, nil, func(s int32, n uint64) (bool, error) {
		res.StatusCounts = append(res.StatusCounts, types.StatusCount{Status: types.LoanStatus(s), Count: n})
		return false, nil
	})
	if err != nil {
		return nil, grpcError(err)
	}
	err = q.k.Exposures.Walk(ctx, nil, func(key collections.Pair[string, string], v math.Int) (bool, error) {
		res.Exposures = append(res.Exposures, types.Exposure{Kind: key.K1(), Key: key.K2(), Amount: v})
		return false, nil
	})
	if err != nil {
		return nil, grpcError(err)
	}
	return res, nil
}

// Auctions implements types.QueryServer: all auctions by id, or those in one status.
func (q queryServer) Auctions(ctx context.Context, req *types.QueryAuctionsRequest) (*types.QueryAuctionsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	if _, known := types.AuctionStatus_name[int32(req.Status)]; !known {
		return nil, status.Errorf(codes.InvalidArgument, "unknown status %d", req.Status)
	}
	var (
		auctions []types.Auction
		page     *query.PageResponse
		err      error
	)
	if req.Status == types.AuctionStatusUnspecified {
		auctions, page, err = query.CollectionPaginate(ctx, q.k.Auctions, req.Pagination,
			func(_ uint64, a types.Auction) (types.Auction, error) { return a, nil })
	} else {
		auctions, page, err = query.CollectionPaginate(ctx, q.k.Auctions.Indexes.Status, req.Pagination,
			func(key collections.Pair[int32, uint64], _ collections.NoValue) (types.Auction, error) {
				return q.k.Auctions.Get(ctx, key.K2())
			},
			query.WithCollectionPaginationPairPrefix[int32, uint64](int32(req.Status)))
	}
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryAuctionsResponse{Auctions: auctions, Pagination: page}, nil
}

// Auction implements types.QueryServer.
func (q queryServer) Auction(ctx context.Context, req *types.QueryAuctionRequest) (*types.QueryAuctionResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	a, err := q.k.GetAuction(ctx, req.Id)
	if err != nil {
		if errors.Is(err, types.ErrAuctionNotFound) {
			return nil, status.Error(codes.NotFound, err.Error())
		}
		return nil, grpcError(err)
	}
	return &types.QueryAuctionResponse{Auction: a, CurrentPrice: CurrentPrice(a, blockTime(ctx))}, nil
}

// Impairments implements types.QueryServer.
func (q queryServer) Impairments(ctx context.Context, req *types.QueryImpairmentsRequest) (*types.QueryImpairmentsResponse, error) {
	if req == nil {
		return nil, errEmptyRequest
	}
	list, page, err := query.CollectionPaginate(ctx, q.k.Impaired, req.Pagination,
		func(id uint64, _ collections.NoValue) (types.Impairment, error) {
			l, err := q.k.Loans.Get(ctx, id)
			if err != nil {
				return types.Impairment{}, err
			}
			return types.Impairment{LoanId: id, Status: l.Status, SeniorBalance: l.Senior.Balance, WriteDown: l.Senior.WriteDown}, nil
		})
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryImpairmentsResponse{Impairments: list, Pagination: page}, nil
}
