// Package simulation is x/lending's part of the app simulation: a randomized
// genesis (params and one product per simulated GPU class plus a mixed and a
// disabled one), the store decoder, and the message factories (valid and
// invalid input) of every x/lending message.
package simulation

import (
	"math/rand"
	"time"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/lending/types"
)

// Product ids of the generated genesis.
const (
	// MixedProductID accepts every simulated GPU class.
	MixedProductID = "sim-mixed"
	// DisabledProductID accepts every simulated GPU class but is disabled:
	// requests under it are refused (an invalid-input case).
	DisabledProductID = "sim-retired"
)

// ClassProductID is the id of the generated product of one simulated GPU class.
func ClassProductID(class string) string { return class + "-loan" }

// The simulated blocks are 1.4–2.8 hours apart: the durations below are in
// hours so that due dates, grace ends, cure deadlines and auction rounds all
// pass within 30–100 blocks.

// RandomParams returns params in working ranges: per-block work bounds of a
// few and more, pending requests living 6–48 hours, and concentration limits
// that let a young book grow. Every simulated title has the same custodian, so
// the custodian limit is 100%.
func RandomParams(r *rand.Rand) types.Params {
	return types.Params{
		MaxBorrowerConcentrationBps:  uint32(3_000 + r.Intn(7_001)),
		MaxClassConcentrationBps:     uint32(7_000 + r.Intn(3_001)),
		MaxCustodianConcentrationBps: types.BpsDenominator,
		// 250,000 to 16,000,000 USDai: a simulated loan is worth up to a few
		// 100,000 USDai, so the limits bind only once the book has grown.
		ConcentrationMinBook:    math.NewInt(250_000_000_000).MulRaw(int64(1) << uint(r.Intn(7))),
		MaxPendingAge:           time.Duration(6+r.Intn(43)) * time.Hour,
		MaxTitlesPerLoan:        uint32(3 + r.Intn(18)),
		MaxExpiriesPerBlock:     uint32(3 + r.Intn(98)),
		MaxDuePerBlock:          uint32(3 + r.Intn(98)),
		MaxRevaluationsPerBlock: uint32(3 + r.Intn(98)),
	}
}

// decPct returns a decimal of lo + [0, span] hundredths.
func decPct(r *rand.Rand, lo, span int) math.LegacyDec {
	return math.LegacyNewDecWithPrec(int64(lo+r.Intn(span+1)), 2)
}

// RandomProduct returns a valid, enabled product with modest terms: APR up
// to 30%, 3–12 payments every 6–24 hours, grace and cure periods of hours, a
// short Dutch auction. About a third of the products require no insurance so
// that loans can be funded on uninsured titles too.
func RandomProduct(r *rand.Rand, id string, classes []string) types.Product {
	interval := time.Duration(6+r.Intn(19)) * time.Hour
	payments := 3 + r.Intn(10)
	maxLTV := decPct(r, 40, 40)
	liqLTV := math.LegacyMinDec(math.LegacyOneDec(), maxLTV.Add(decPct(r, 5, 10)))
	aprMin := decPct(r, 5, 10)
	schedule := types.ScheduleAmortizing
	if r.Intn(3) == 0 {
		schedule = types.ScheduleInterestOnly
	}
	minInsurance := uint32(0)
	if r.Intn(3) != 0 {
		minInsurance = uint32(2_000 + r.Intn(6_001))
	}
	return types.Product{
		Id:                        id,
		AssetClasses:              append([]string(nil), classes...),
		MaxLtv:                    maxLTV,
		LiquidationLtv:            liqLTV,
		AprMin:                    aprMin,
		AprMax:                    aprMin.Add(decPct(r, 0, 15)),
		Duration:                  interval * time.Duration(payments),
		RepaymentInterval:         interval,
		Schedule:                  schedule,
		GracePeriod:               time.Duration(3+r.Intn(22)) * time.Hour,
		GraceApr:                  decPct(r, 2, 18),
		OriginationFeeBps:         uint32(r.Intn(201)),
		ExitFeeBps:                uint32(r.Intn(101)),
		LiquidationFeeBps:         uint32(r.Intn(1_001)),
		MinFirstLossBps:           uint32(500 + r.Intn(1_501)),
		FirstLossPremiumBps:       uint32(r.Intn(3_001)),
		DebtServiceReservePeriods: uint32(r.Intn(3)),
		CurePeriod:                time.Duration(6+r.Intn(19)) * time.Hour,
		Auction: types.AuctionTerms{
			StartMultiplier: decPct(r, 100, 30),
			FloorRatio:      decPct(r, 30, 50),
			Duration:        time.Duration(4+r.Intn(21)) * time.Hour,
			MaxResets:       uint32(r.Intn(3)),
		},
		RecoveryHaircut: decPct(r, 10, 40),
		MinInsuranceBps: minInsurance,
		Enabled:         true,
	}
}

// RandomizedGenState generates x/lending's genesis: random params, one enabled
// product per simulated GPU class, one for all of them, and a disabled one.
// There are no loans at genesis: they come from MsgRequestLoan on the titles
// x/caliber's simulation mints.
func RandomizedGenState(simState *module.SimulationState) {
	gs := GenState(simState.Rand)
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}

// GenState builds the generated genesis from r.
func GenState(r *rand.Rand) *types.GenesisState {
	gs := types.DefaultGenesis()
	gs.Params = RandomParams(r)
	for _, c := range simutil.GPUClasses {
		gs.Products = append(gs.Products, RandomProduct(r, ClassProductID(c), []string{c}))
	}
	gs.Products = append(gs.Products, RandomProduct(r, MixedProductID, simutil.GPUClasses))
	disabled := RandomProduct(r, DisabledProductID, simutil.GPUClasses)
	disabled.Enabled = false
	gs.Products = append(gs.Products, disabled)
	return gs
}
