package simulation_test

import (
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/log"
	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/kv"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/lending"
	"github.com/infrafi/infrafi/x/lending/keeper"
	"github.com/infrafi/infrafi/x/lending/simulation"
	"github.com/infrafi/infrafi/x/lending/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

func genState(t *testing.T, seed int64) types.GenesisState {
	t.Helper()
	encCfg := moduletestutil.MakeTestEncodingConfig(lending.AppModuleBasic{})
	simState := simutil.NewSimulationState(encCfg.Codec, seed, simutil.NumRoles+4, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	simulation.RandomizedGenState(simState)
	bz := simState.GenState[types.ModuleName]
	require.NoError(t, lending.AppModuleBasic{}.ValidateGenesis(encCfg.Codec, nil, bz), "seed %d", seed)
	var gs types.GenesisState
	encCfg.Codec.MustUnmarshalJSON(bz, &gs)
	return gs
}

func TestRandomizedGenStateIsValid(t *testing.T) {
	for seed := int64(1); seed <= 30; seed++ {
		gs := genState(t, seed)
		p := gs.Params
		require.GreaterOrEqual(t, p.MaxDuePerBlock, uint32(3))
		require.GreaterOrEqual(t, p.MaxExpiriesPerBlock, uint32(3))
		require.GreaterOrEqual(t, p.MaxRevaluationsPerBlock, uint32(3))
		require.True(t, p.MaxPendingAge >= 6*time.Hour && p.MaxPendingAge <= 48*time.Hour, "pending age %s", p.MaxPendingAge)
		require.Equal(t, uint32(types.BpsDenominator), p.MaxCustodianConcentrationBps, "one simulated custodian holds every title")
		require.Empty(t, gs.Loans)
		require.Equal(t, uint64(1), gs.NextLoanId)

		require.Len(t, gs.Products, len(simutil.GPUClasses)+2)
		for i, c := range simutil.GPUClasses {
			require.Equal(t, simulation.ClassProductID(c), gs.Products[i].Id)
			require.Equal(t, []string{c}, gs.Products[i].AssetClasses)
		}
		byID := map[string]types.Product{}
		for _, prod := range gs.Products {
			byID[prod.Id] = prod
			require.True(t, prod.RepaymentInterval >= 6*time.Hour && prod.RepaymentInterval <= 24*time.Hour, "interval %s", prod.RepaymentInterval)
			require.True(t, prod.Payments() >= 3 && prod.Payments() <= 12, "payments %d", prod.Payments())
			require.True(t, prod.AprMax.LTE(math.LegacyNewDecWithPrec(40, 2)), "apr_max %s", prod.AprMax)
			require.True(t, prod.Auction.Duration <= 24*time.Hour && prod.GracePeriod <= 24*time.Hour && prod.CurePeriod <= 24*time.Hour)
			// The schedule of the costliest loan the product allows is computable.
			interest, principal := types.Installment(prod.Schedule, math.NewInt(1_000_000_000_000), prod.AprMax, prod.RepaymentInterval, prod.Payments())
			require.True(t, interest.IsPositive() && !principal.IsNegative())
		}
		require.Equal(t, simutil.GPUClasses, byID[simulation.MixedProductID].AssetClasses)
		require.True(t, byID[simulation.MixedProductID].Enabled)
		require.False(t, byID[simulation.DisabledProductID].Enabled)
	}
}

func TestRandomizedGenStateIsDeterministic(t *testing.T) {
	require.Equal(t, genState(t, 7), genState(t, 7))
	require.NotEqual(t, genState(t, 7), genState(t, 8))
}

// TestDecodeStore writes one record of every collection through the keeper,
// then decodes each raw store entry: the output names the collection and
// shows the decoded key and value.
func TestDecodeStore(t *testing.T) {
	cdc := moduletestutil.MakeTestEncodingConfig(lending.AppModuleBasic{}).Codec
	key := storetypes.NewKVStoreKey(types.StoreKey)
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test")).Ctx
	authority := authtypes.NewModuleAddress("gov").String()
	k := keeper.NewKeeper(cdc, runtime.NewKVStoreService(key), authority, nil, nil, nil, nil, nil, log.NewNopLogger())

	borrower := sdk.AccAddress([]byte("borrower____________"))
	curator := sdk.AccAddress([]byte("curator_____________"))
	due := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	product := simulation.RandomProduct(rand.New(rand.NewSource(1)), "decoded-product", simutil.GPUClasses)
	zero := math.ZeroInt()
	loan := types.Loan{
		Id: 42, Borrower: borrower.String(), Curator: curator.String(), ProductId: product.Id, TitleIds: []uint64{7},
		Principal: math.NewInt(987654), Status: types.LoanActive, Apr: math.LegacyNewDecWithPrec(12, 2),
		JuniorAmount: zero, JuniorPrincipal: zero, InterestDue: zero, PrincipalDue: zero, Dsr: zero,
		InterestPaid: zero, PrincipalPaid: zero, LateInterest: zero,
		Senior: yieldtypes.SeniorPosition{Balance: zero, Rate: math.LegacyZeroDec(), WriteDown: zero},
	}
	auction := types.Auction{
		Id: 42, TitleIds: []uint64{7}, TitleValues: []math.Int{math.NewInt(5555)}, ReferenceValue: math.NewInt(5555),
		TopPrice: math.NewInt(6110), FloorRatio: math.LegacyNewDecWithPrec(5, 1), Status: types.AuctionUnsold,
		PricePaid: zero, CasualtyProceeds: zero, Recovered: zero,
	}
	params := types.DefaultParams()
	params.MaxTitlesPerLoan = 17
	require.NoError(t, k.Params.Set(ctx, params))
	require.NoError(t, k.Products.Set(ctx, product.Id, product))
	require.NoError(t, k.Loans.Set(ctx, loan.Id, loan)) // and its borrower, status and curator index entries
	require.NoError(t, k.NextLoanID.Set(ctx, 43))
	require.NoError(t, k.DueQueue.Set(ctx, collections.Join(due, uint64(42))))
	require.NoError(t, k.PendingQueue.Set(ctx, collections.Join(due.Add(time.Hour), uint64(42))))
	require.NoError(t, k.DeadlineQueue.Set(ctx, collections.Join(due.Add(2*time.Hour), uint64(42))))
	require.NoError(t, k.Exposures.Set(ctx, collections.Join(types.ExposureClass, "sim-h100"), math.NewInt(31337)))
	require.NoError(t, k.Totals.Set(ctx, "junior", math.NewInt(27182)))
	require.NoError(t, k.StatusCounts.Set(ctx, int32(types.LoanActive), 5))
	require.NoError(t, k.ClassLoans.Set(ctx, collections.Join("sim-b200", uint64(42))))
	require.NoError(t, k.Impaired.Set(ctx, 42))
	require.NoError(t, k.Auctions.Set(ctx, auction.Id, auction))
	require.NoError(t, k.Revaluations.Set(ctx, "sim-h100", types.Revaluation{ClassId: "sim-h100", NextLoanId: 9, Rerun: true}))

	want := map[byte][]string{
		types.ParamsKey.Bytes()[0]:           {"params", "max_titles_per_loan:17"},
		types.ProductsKey.Bytes()[0]:         {"product decoded-product", "decoded-product"},
		types.LoansKey.Bytes()[0]:            {"loan 42", "987654", borrower.String()},
		types.LoansByBorrowerKey.Bytes()[0]:  {"loans_by_borrower", borrower.String(), "42"},
		types.LoansByStatusKey.Bytes()[0]:    {"loans_by_status", "42"},
		types.LoansByCuratorKey.Bytes()[0]:   {"loans_by_curator", curator.String(), "42"},
		types.NextLoanIDKey.Bytes()[0]:       {"next_loan_id", "43"},
		types.DueQueueKey.Bytes()[0]:         {"due_queue", "2026-03-04 05:06:07", "42"},
		types.PendingQueueKey.Bytes()[0]:     {"pending_queue", "2026-03-04 06:06:07", "42"},
		types.DeadlineQueueKey.Bytes()[0]:    {"deadline_queue", "2026-03-04 07:06:07", "42"},
		types.ExposuresKey.Bytes()[0]:        {"exposure", "class", "sim-h100", "31337"},
		types.TotalsKey.Bytes()[0]:           {"total junior", "27182"},
		types.StatusCountsKey.Bytes()[0]:     {"status_count", "5"},
		types.ClassLoansKey.Bytes()[0]:       {"class_loans", "sim-b200", "42"},
		types.ImpairedKey.Bytes()[0]:         {"impaired", "42"},
		types.AuctionsKey.Bytes()[0]:         {"auction 42", "6110"},
		types.AuctionsByStatusKey.Bytes()[0]: {"auctions_by_status", "42"},
		types.RevaluationsKey.Bytes()[0]:     {"revaluation sim-h100", "next_loan_id:9"},
	}
	dec := simulation.NewDecodeStore(cdc)
	seen := map[byte]bool{}
	it := ctx.KVStore(key).Iterator(nil, nil)
	defer it.Close()
	for ; it.Valid(); it.Next() {
		pair := kv.Pair{Key: it.Key(), Value: it.Value()}
		out := dec(pair, pair)
		prefix := pair.Key[0]
		seen[prefix] = true
		require.Contains(t, want, prefix, "unexpected record %X", pair.Key)
		for _, s := range want[prefix] {
			require.Contains(t, out, s, "prefix %d", prefix)
		}
	}
	for prefix := range want {
		require.True(t, seen[prefix], "no record of prefix %d was written", prefix)
	}
	require.Panics(t, func() { dec(kv.Pair{Key: []byte{0xEE, 1}}, kv.Pair{Key: []byte{0xEE, 1}}) })
}
