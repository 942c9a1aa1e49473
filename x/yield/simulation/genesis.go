// Package simulation holds x/yield's simulation: the randomized genesis, the
// store decoder and the message factories (simsx).
package simulation

import (
	"math/rand"
	"time"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/yield/types"
)

// randHours is a duration of lo to hi hours, to the minute.
func randHours(r *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo)*time.Hour + time.Duration(r.Int63n(int64(hi-lo)*60+1))*time.Minute
}

// RandomParams are working params for 1.4–2.8 h blocks: epochs of 12–48 h
// (closing every 5–35 blocks), a cancel cutoff of up to a third of the epoch,
// a rebalance every 2–12 h and a checkpoint every 3–24 h; the treasury at
// custodian with reserve denom simutil.ReserveDenom and rate feed
// simutil.TBillFeed.
func RandomParams(r *rand.Rand, custodian string) types.Params {
	epoch := randHours(r, 12, 48)
	return types.Params{
		EpochLength:            epoch,
		CancelCutoff:           time.Duration(r.Int63n(int64(epoch / 3))),
		MaxRedemptionsPerBlock: uint32(5 + r.Intn(46)),
		ProtocolBidShareBps:    uint32(r.Intn(2001)),
		AdminFeeBps:            uint32(r.Intn(501)),
		LiquidityBufferBps:     uint32(200 + r.Intn(1801)),
		RebalanceInterval:      randHours(r, 2, 12),
		TreasuryRateFeed:       simutil.TBillFeed,
		TreasuryCustodian:      custodian,
		TreasuryReserveDenom:   simutil.ReserveDenom,
		CheckpointInterval:     randHours(r, 3, 24),
		MaxCheckpoints:         uint32(20 + r.Intn(381)),
	}
}

// RandomizedGenState generates x/yield's genesis: RandomParams with the
// TreasuryCustodian account as custodian and an empty vault (the first epoch
// starts at the first block).
func RandomizedGenState(simState *module.SimulationState) {
	gs := types.DefaultGenesis()
	gs.Params = RandomParams(simState.Rand, simutil.RoleAccount(simState.Accounts, simutil.TreasuryCustodian).Address.String())
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}
