package simulation

import (
	"context"
	"math/big"
	"math/rand"
	"time"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/lending/keeper"
	"github.com/infrafi/infrafi/x/lending/types"
)

// CaliberKeeper is what the factories read of x/caliber's collateral state.
type CaliberKeeper interface {
	HasRole(ctx context.Context, addr sdk.AccAddress, role calibertypes.Role) bool
	GetTitle(ctx context.Context, titleID uint64) (calibertypes.Title, error)
	GetValuation(ctx context.Context, titleID uint64) (calibertypes.Valuation, error)
	IsStale(ctx context.Context, titleID uint64) (bool, error)
	ActivePolicy(ctx context.Context, titleID uint64) (calibertypes.Policy, error)
}

// TitleQuerier lists x/caliber titles (x/caliber's query server).
type TitleQuerier interface {
	Titles(ctx context.Context, req *calibertypes.QueryTitlesRequest) (*calibertypes.QueryTitlesResponse, error)
}

// YieldKeeper is what the factories read of the vault: the liquidity a loan
// may be funded with.
type YieldKeeper interface {
	Fundable(ctx context.Context) (math.Int, error)
	ReleaseFunding(ctx context.Context, amount math.Int) error
}

// Keepers are the keepers the factories read the chain state through.
type Keepers struct {
	Lending *keeper.Keeper
	Caliber CaliberKeeper
	Titles  TitleQuerier
	Yield   YieldKeeper
}

// maxListed bounds the titles and loans a factory looks at (the simulated
// book is far smaller).
const maxListed = 1_000

func blockTime(ctx context.Context) time.Time { return sdk.UnwrapSDKContext(ctx).BlockTime().UTC() }

// titlesWith lists titles of a status (and owner when not empty), by id.
func (k Keepers) titlesWith(ctx context.Context, status calibertypes.TitleStatus, owner string) []calibertypes.Title {
	res, err := k.Titles.Titles(ctx, &calibertypes.QueryTitlesRequest{
		Owner: owner, Status: status, Pagination: &query.PageRequest{Limit: maxListed},
	})
	if err != nil {
		panic(err)
	}
	return res.Titles
}

// value is a title's positive valuation, or false.
func (k Keepers) value(ctx context.Context, titleID uint64) (math.Int, bool) {
	v, err := k.Caliber.GetValuation(ctx, titleID)
	if err != nil || v.Value.IsNil() || !v.Value.IsPositive() {
		return math.Int{}, false
	}
	return v.Value, true
}

// values sums the valuations of titles, false when one has none.
func (k Keepers) values(ctx context.Context, titleIDs []uint64) (math.Int, map[uint64]math.Int, bool) {
	total := math.ZeroInt()
	each := make(map[uint64]math.Int, len(titleIDs))
	for _, id := range titleIDs {
		v, ok := k.value(ctx, id)
		if !ok {
			return math.Int{}, nil, false
		}
		each[id] = v
		total = total.Add(v)
	}
	return total, each, true
}

// insured reports whether a title's active policy covers min_insurance_bps of
// value until `until` (always true when the product requires no insurance).
func (k Keepers) insured(ctx context.Context, titleID uint64, value math.Int, minBps uint32, until time.Time) bool {
	if minBps == 0 {
		return true
	}
	p, err := k.Caliber.ActivePolicy(ctx, titleID)
	if err != nil {
		return false
	}
	return p.Coverage.GTE(types.BpsOfCeil(value, minBps)) && !p.ExpiresAt.Before(until)
}

func (k Keepers) stale(ctx context.Context, titleID uint64) bool {
	s, err := k.Caliber.IsStale(ctx, titleID)
	return err != nil || s
}

// loans lists the loans matching keep, by id.
func (k Keepers) loans(ctx context.Context, keep func(types.Loan) bool) []types.Loan {
	var out []types.Loan
	err := k.Lending.Loans.Walk(ctx, nil, func(_ uint64, l types.Loan) (bool, error) {
		if keep(l) {
			out = append(out, l)
		}
		return len(out) >= maxListed, nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

func withStatus(statuses ...types.LoanStatus) func(types.Loan) bool {
	return func(l types.Loan) bool {
		for _, s := range statuses {
			if l.Status == s {
				return true
			}
		}
		return false
	}
}

// products lists the products matching keep, by id.
func (k Keepers) products(ctx context.Context, keep func(types.Product) bool) []types.Product {
	var out []types.Product
	err := k.Lending.Products.Walk(ctx, nil, func(_ string, p types.Product) (bool, error) {
		if keep(p) {
			out = append(out, p)
		}
		return false, nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

// auctions lists the auctions matching keep, by id.
func (k Keepers) auctions(ctx context.Context, keep func(types.Auction) bool) []types.Auction {
	var out []types.Auction
	err := k.Lending.Auctions.Walk(ctx, nil, func(_ uint64, a types.Auction) (bool, error) {
		if keep(a) {
			out = append(out, a)
		}
		return len(out) >= maxListed, nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

// unknownLoanID is an id no loan has.
func (k Keepers) unknownLoanID(ctx context.Context) uint64 {
	next, err := k.Lending.NextLoanID.Peek(ctx)
	if err != nil {
		panic(err)
	}
	return next + 1_000
}

// lateOwed is the grace interest a loan owes now (carried + accrued while DELINQUENT).
func lateOwed(l types.Loan, now time.Time) math.Int {
	if l.Status != types.LoanDelinquent {
		return l.LateInterest
	}
	return l.LateInterest.Add(types.LateInterest(l.Outstanding(), l.Terms.GraceApr, l.LateSince, now))
}

// randInt is uniform in [lo, hi] (lo when hi < lo).
func randInt(r *rand.Rand, lo, hi math.Int) math.Int {
	if hi.LTE(lo) {
		return lo
	}
	span := hi.Sub(lo).AddRaw(1).BigInt()
	return lo.Add(math.NewIntFromBigInt(new(big.Int).Rand(r, span)))
}

// randAPR is uniform in [lo, hi] by hundredths of the span.
func randAPR(r *rand.Rand, lo, hi math.LegacyDec) math.LegacyDec {
	return lo.Add(hi.Sub(lo).MulInt64(int64(r.Intn(101))).QuoInt64(100))
}

// pick returns a random element of xs (xs must not be empty).
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.Intn(len(xs))] }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// currentPrice is what a bid on the auction pays now.
func currentPrice(a types.Auction, now time.Time) math.Int { return keeper.CurrentPrice(a, now) }

// holderOf returns a simulated account (other than those excluded) holding
// at least need USDai, chosen among the role accounts and the borrowers, who
// are the ones that get USDai; false when none does.
func (k Keepers) holderOf(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, need math.Int, exclude ...string) (simsx.SimAccount, bool) {
	seen := map[string]bool{}
	for _, a := range exclude {
		seen[a] = true
	}
	var candidates []simsx.SimAccount
	consider := func(a simsx.SimAccount) {
		if seen[a.AddressBech32] {
			return
		}
		seen[a.AddressBech32] = true
		if b := balanceOf(a); b.IsPositive() && b.GTE(need) {
			candidates = append(candidates, a)
		}
	}
	accs := testData.AllAccounts()
	for i := 0; i < simutil.NumRoles && i < len(accs); i++ {
		consider(testData.GetAccount(reporter, accs[i].AddressBech32))
	}
	for _, l := range k.loans(ctx, func(types.Loan) bool { return true }) {
		if testData.HasAccount(l.Borrower) {
			consider(testData.GetAccount(reporter, l.Borrower))
		}
	}
	if len(candidates) == 0 {
		return simsx.SimAccount{}, false
	}
	return pick(testData.Rand().Rand, candidates), true
}

// poorAccount is a simulated account holding less than need USDai (looking
// at up to 20 in a random order), false when none does.
func poorAccount(testData *simsx.ChainDataSource, need math.Int) (simsx.SimAccount, bool) {
	accs := testData.AllAccounts()
	r := testData.Rand().Rand
	for n, i := range r.Perm(len(accs)) {
		if n == 20 {
			break
		}
		a := testData.GetAccount(simsx.NewBasicSimulationReporter(), accs[i].AddressBech32)
		if balanceOf(a).LT(need) {
			return a, true
		}
	}
	return simsx.SimAccount{}, false
}
