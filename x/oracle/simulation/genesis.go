// Package simulation holds x/oracle's simulation: the randomized genesis, the
// store decoder and the message factories (simsx).
package simulation

import (
	"fmt"
	"math/rand"
	"time"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/oracle/types"
)

// NumExtraFeeds is how many feeds beyond the protected ones the generated
// genesis registers (sim-extra-0 ...): governance may update or remove them.
const NumExtraFeeds = 3

// Value ranges the factories keep the protected feeds in.
var (
	// GPUMinValue and GPUMaxValue bound a GPU unit's market value (uusdai):
	// 5,000 to 80,000 USDai.
	GPUMinValue = math.LegacyNewDec(5_000_000_000)
	GPUMaxValue = math.LegacyNewDec(80_000_000_000)
	// TBillMinValue and TBillMaxValue bound the T-bill APR: 1% to 10%.
	TBillMinValue = math.LegacyNewDecWithPrec(1, 2)
	TBillMaxValue = math.LegacyNewDecWithPrec(10, 2)
	// FXMinValue and FXMaxValue bound the reserve's USD price: x/stable's
	// simulated depeg threshold is at most 0.98, so minting stays open.
	FXMinValue = math.LegacyNewDecWithPrec(99, 2)
	FXMaxValue = math.LegacyNewDecWithPrec(101, 2)
)

// ProtectedFeeds are the feeds the other modules' simulations rely on: the GPU
// market feeds, the T-bill rate and the reserve's fx feed. Governance
// factories never remove them nor their feeder (the Appraiser account).
func ProtectedFeeds() []string {
	feeds := make([]string, 0, len(simutil.GPUClasses)+2)
	for _, class := range simutil.GPUClasses {
		feeds = append(feeds, simutil.GPUFeed(class))
	}
	return append(feeds, simutil.TBillFeed, simutil.ReserveFXFeed)
}

// IsProtected tells whether feedID is one of ProtectedFeeds.
func IsProtected(feedID string) bool {
	for _, f := range ProtectedFeeds() {
		if f == feedID {
			return true
		}
	}
	return false
}

// isGPUFeed tells whether feedID is a simulated GPU market feed.
func isGPUFeed(feedID string) bool {
	for _, class := range simutil.GPUClasses {
		if simutil.GPUFeed(class) == feedID {
			return true
		}
	}
	return false
}

// valueRange is the range the factories keep a protected feed's value in.
func valueRange(feedID string) (lo, hi math.LegacyDec, ok bool) {
	switch {
	case isGPUFeed(feedID):
		return GPUMinValue, GPUMaxValue, true
	case feedID == simutil.TBillFeed:
		return TBillMinValue, TBillMaxValue, true
	case feedID == simutil.ReserveFXFeed:
		return FXMinValue, FXMaxValue, true
	}
	return math.LegacyDec{}, math.LegacyDec{}, false
}

// randDays is a duration of lo to hi days, to the second.
func randDays(r *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo)*24*time.Hour + time.Duration(r.Int63n(int64(hi-lo)*24*3600+1))*time.Second
}

// randDecBetween is a value uniform in [lo, hi] at 10^-6 of the range's resolution.
func randDecBetween(r *rand.Rand, lo, hi math.LegacyDec) math.LegacyDec {
	frac := math.LegacyNewDecWithPrec(r.Int63n(1_000_001), 6)
	return lo.Add(hi.Sub(lo).Mul(frac))
}

// RandomParams returns valid params for 1.4–2.8 h blocks: posts live hours,
// declared expiries up to days.
func RandomParams(r *rand.Rand) types.Params {
	defaultTTL := time.Duration(1+r.Intn(12)) * time.Hour
	maxTTL := time.Duration(24+r.Intn(49)) * time.Hour
	return types.NewParams(defaultTTL, maxTTL, uint32(8+r.Intn(25)), types.DefaultMaxValue, types.DefaultMinPower)
}

// RandomizedGenState generates x/oracle's genesis: the GPU market feeds of
// simutil.GPUClasses (uusdai per GPU, 20,000–40,000 USDai), the T-bill APR
// (0.03–0.06) and the reserve's fx feed (~1), each priced at the genesis time
// with a post of the Appraiser, plus NumExtraFeeds unpriced extra feeds. The
// Appraiser feeds every feed; max ages are 3–7 days.
func RandomizedGenState(simState *module.SimulationState) {
	r := simState.Rand
	params := RandomParams(r)
	appraiser := simutil.RoleAccount(simState.Accounts, simutil.Appraiser).Address.String()
	now := simState.GenTimestamp

	gs := types.NewGenesisState(params, []types.Feed{}, []types.Feeder{}, []types.Post{}, []types.Price{})
	addPriced := func(id, description, unit string, value math.LegacyDec) {
		gs.Feeds = append(gs.Feeds, types.Feed{Id: id, Description: description, Unit: unit, MinFeeders: 1, MaxAge: randDays(r, 3, 7)})
		gs.Feeders = append(gs.Feeders, types.Feeder{FeedId: id, Address: appraiser})
		gs.Posts = append(gs.Posts, types.Post{FeedId: id, Feeder: appraiser, Value: value, PostedAt: now, ExpiresAt: now.Add(params.DefaultPostTtl)})
		gs.Prices = append(gs.Prices, types.Price{FeedId: id, Value: value, UpdatedAt: now, Valid: true, NumPosts: 1})
	}
	for _, class := range simutil.GPUClasses {
		usd := int64(20_000 + r.Intn(20_001))
		addPriced(simutil.GPUFeed(class), "simulated market value of one "+class, "uusdai/gpu", math.LegacyNewDec(usd*1_000_000))
	}
	addPriced(simutil.TBillFeed, "simulated 3-month T-bill APR", "apr", math.LegacyNewDecWithPrec(int64(300+r.Intn(301)), 4))
	addPriced(simutil.ReserveFXFeed, "simulated USD price of "+simutil.ReserveDenom, "usd", math.LegacyNewDecWithPrec(int64(9990+r.Intn(21)), 4))
	for i := 0; i < NumExtraFeeds; i++ {
		id := fmt.Sprintf("sim-extra-%d", i)
		gs.Feeds = append(gs.Feeds, types.Feed{Id: id, Description: "simulated extra feed", Unit: "usd", MinFeeders: 1, MaxAge: randDays(r, 1, 7)})
		gs.Feeders = append(gs.Feeders, types.Feeder{FeedId: id, Address: appraiser})
	}

	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}
