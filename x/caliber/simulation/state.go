package simulation

import (
	"context"
	"slices"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/infrafi/infrafi/x/caliber/keeper"
	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/simutil"
)

// The factories read the module state through the keeper's collections. Every
// walk is in key order, so a given seed always builds the same messages.

// blockTime is the block time in UTC.
func blockTime(ctx context.Context) time.Time {
	return simsx.BlockTime(ctx).UTC()
}

// simAccount returns the simulated account of a bech32 address (ok = false
// for addresses that are no simulated account, e.g. module accounts).
func simAccount(testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, addr string) (simsx.SimAccount, bool) {
	if !testData.HasAccount(addr) {
		return simsx.SimAccount{}, false
	}
	return testData.GetAccount(reporter, addr), true
}

// users are the simulated accounts without a simutil role.
func users(testData *simsx.ChainDataSource) []simtypes.Account {
	return simutil.Users(testData.AllAccounts())
}

// roleAccounts lists the simulated accounts that are active parties holding role.
func roleAccounts(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, role types.Role) []simsx.SimAccount {
	var out []simsx.SimAccount
	_ = k.PartiesByRole.Walk(ctx, collections.NewPrefixedPairRange[int32, sdk.AccAddress](int32(role)),
		func(key collections.Pair[int32, sdk.AccAddress]) (bool, error) {
			if !k.HasRole(ctx, key.K2(), role) {
				return false, nil
			}
			if acc, ok := simAccount(testData, reporter, key.K2().String()); ok {
				out = append(out, acc)
			}
			return false, nil
		})
	return out
}

// nonRoleAccount returns a simulated account that is no active party holding
// role (ok = false when every account holds it).
func nonRoleAccount(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, role types.Role) (simsx.SimAccount, bool) {
	accs := testData.AllAccounts()
	start := testData.Rand().Intn(len(accs))
	for i := range accs {
		a := accs[(start+i)%len(accs)]
		if !k.HasRole(ctx, a.Address, role) {
			return testData.GetAccount(reporter, a.Address.String()), true
		}
	}
	return simsx.SimAccount{}, false
}

// otherAccount returns a simulated account other than the given addresses.
func otherAccount(testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, not ...string) (simsx.SimAccount, bool) {
	acc := testData.AnyAccountN(10, reporter, simsx.ExcludeAddresses(not...))
	return acc, !reporter.IsSkipped()
}

// strangerOfLiveTitle picks a live title and a signer who is not the party
// of it that the message requires (its owner or its custodian): the
// wrong-signer case of those messages. ok is false after a skip.
func strangerOfLiveTitle(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, party func(types.Title) string) (types.Title, simsx.SimAccount, bool) {
	titles := titlesIn(ctx, k, liveStatuses...)
	if len(titles) == 0 {
		reporter.Skip("no live title")
		return types.Title{}, simsx.SimAccount{}, false
	}
	t := simsx.OneOf(testData.Rand(), titles)
	signer, ok := otherAccount(testData, reporter, party(t))
	return t, signer, ok
}

func titleOwner(t types.Title) string { return t.Owner }
func titleCustodian(t types.Title) string {
	return t.Custodian
}

// titlesIn returns the titles in the given statuses, by status then id.
func titlesIn(ctx context.Context, k *keeper.Keeper, statuses ...types.TitleStatus) []types.Title {
	var out []types.Title
	for _, s := range statuses {
		_ = k.Titles.Indexes.Status.Walk(ctx, collections.NewPrefixedPairRange[int32, uint64](int32(s)),
			func(key collections.Pair[int32, uint64]) (bool, error) {
				if t, err := k.Titles.Get(ctx, key.K2()); err == nil {
					out = append(out, t)
				}
				return false, nil
			})
	}
	return out
}

// liveStatuses are the statuses of titles whose hardware still exists.
var liveStatuses = []types.TitleStatus{
	types.StatusPendingCustody, types.StatusActive, types.StatusPledged, types.StatusForeclosing, types.StatusRedemptionRequested,
}

// filterTitles keeps the titles for which keep is true.
func filterTitles(ts []types.Title, keep func(types.Title) bool) []types.Title {
	return slices.DeleteFunc(ts, func(t types.Title) bool { return !keep(t) })
}

// ownedBySim keeps the titles whose owner is a simulated account.
func ownedBySim(testData *simsx.ChainDataSource) func(types.Title) bool {
	return func(t types.Title) bool { return testData.HasAccount(t.Owner) }
}

// heldByActiveSimCustodian keeps the titles whose custodian is a simulated
// account and an active CUSTODIAN party.
func heldByActiveSimCustodian(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource) func(types.Title) bool {
	return func(t types.Title) bool {
		return testData.HasAccount(t.Custodian) && k.HasRole(ctx, sdk.MustAccAddressFromBech32(t.Custodian), types.RoleCustodian)
	}
}

// unknownTitleID is a title id no title has.
func unknownTitleID(ctx context.Context, k *keeper.Keeper) uint64 {
	next, err := k.NextTitleID.Peek(ctx)
	if err != nil {
		next = 1
	}
	return next + 1_000_000
}

// eligibleClasses lists the classes accepting new titles, by id.
func eligibleClasses(ctx context.Context, k *keeper.Keeper) []types.AssetClass {
	var out []types.AssetClass
	_ = k.AssetClasses.Walk(ctx, nil, func(_ string, c types.AssetClass) (bool, error) {
		if c.Eligible {
			out = append(out, c)
		}
		return false, nil
	})
	return out
}

// allClasses lists every asset class, by id.
func allClasses(ctx context.Context, k *keeper.Keeper) []types.AssetClass {
	var out []types.AssetClass
	_ = k.AssetClasses.Walk(ctx, nil, func(_ string, c types.AssetClass) (bool, error) {
		out = append(out, c)
		return false, nil
	})
	return out
}

// allParties lists every party, by address.
func allParties(ctx context.Context, k *keeper.Keeper) []types.Party {
	var out []types.Party
	_ = k.Parties.Walk(ctx, nil, func(_ sdk.AccAddress, p types.Party) (bool, error) {
		out = append(out, p)
		return false, nil
	})
	return out
}

// pools lists every insurance pool, by insurer.
func pools(ctx context.Context, k *keeper.Keeper) []types.InsurancePool {
	var out []types.InsurancePool
	_ = k.Pools.Walk(ctx, nil, func(_ sdk.AccAddress, p types.InsurancePool) (bool, error) {
		out = append(out, p)
		return false, nil
	})
	return out
}

// policyRequests lists the pending policy requests, by id.
func policyRequests(ctx context.Context, k *keeper.Keeper) []types.PolicyRequest {
	var out []types.PolicyRequest
	_ = k.PolicyRequests.Walk(ctx, nil, func(_ uint64, r types.PolicyRequest) (bool, error) {
		out = append(out, r)
		return false, nil
	})
	return out
}

// usdaiOf is an account's spendable uusdai as the factory sees it.
func usdaiOf(acc simsx.SimAccount) math.Int {
	return acc.LiquidBalance().AmountOf(types.InsuranceDenom)
}

// unitValue is a random appraisal value of one unit, in uusdai.
func unitValue(r *simsx.XRand) math.Int {
	return intIn(r.Rand, minUnitValue, maxUnitValue)
}

// fraction returns floor(x * pct / 100) with pct drawn from [lo, hi].
func fraction(r *simsx.XRand, x math.Int, lo, hi int64) math.Int {
	return x.MulRaw(lo + r.Int63n(hi-lo+1)).QuoRaw(100)
}
