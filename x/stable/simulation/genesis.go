// Package simulation holds x/stable's simulation: the randomized genesis, the
// store decoder and the message factories (simsx).
package simulation

import (
	"math/rand"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/stable/types"
)

// DisabledReserveDenom is a second reserve the generated genesis lists
// disabled (nobody holds it): minting against it is refused.
const DisabledReserveDenom = "sim-uusdt"

// MaxFeeBps bounds the simulated mint and redeem fees (0.5%).
const MaxFeeBps = 50

// randCap is a cap of 10^24 to 10^25 base units: far above anything the
// simulated accounts can mint, so minting stays possible.
func randCap(r *rand.Rand) math.Int {
	return math.NewIntWithDecimal(1, 24).MulRaw(1 + r.Int63n(10))
}

// RandomReserve is simutil.ReserveDenom enabled with random fees, a large cap
// and the depeg guard on simutil.ReserveFXFeed at 0.90–0.98 (the simulated fx
// feed stays in [0.99, 1.01]).
func RandomReserve(r *rand.Rand) types.ReserveAsset {
	return types.ReserveAsset{
		Denom: simutil.ReserveDenom, Enabled: true,
		MintFeeBps: uint32(r.Intn(MaxFeeBps + 1)), RedeemFeeBps: uint32(r.Intn(MaxFeeBps + 1)),
		Cap: randCap(r), DepegFeed: simutil.ReserveFXFeed,
		DepegThreshold: math.LegacyNewDecWithPrec(int64(90+r.Intn(9)), 2),
	}
}

// DisabledReserve is DisabledReserveDenom, listed but not enabled.
func DisabledReserve(r *rand.Rand) types.ReserveAsset {
	return types.ReserveAsset{
		Denom: DisabledReserveDenom, Enabled: false,
		MintFeeBps: uint32(r.Intn(MaxFeeBps + 1)), RedeemFeeBps: uint32(r.Intn(MaxFeeBps + 1)),
		Cap: randCap(r), DepegThreshold: math.LegacyZeroDec(),
	}
}

// RandomParams are params under which any simulated account can mint against
// simutil.ReserveDenom: listed, enabled, large caps, not paused, not
// permissioned.
func RandomParams(r *rand.Rand) types.Params {
	return types.NewParams([]types.ReserveAsset{RandomReserve(r), DisabledReserve(r)}, randCap(r), false, false)
}

// RandomizedGenState generates x/stable's genesis: RandomParams, a random
// allowlist of up to three users (unused while not permissioned), nothing at
// the treasury. Nobody holds USDai at genesis.
func RandomizedGenState(simState *module.SimulationState) {
	r := simState.Rand
	allowlist := []string{}
	users := simutil.Users(simState.Accounts)
	for _, i := range r.Perm(len(users))[:min(len(users), r.Intn(4))] {
		allowlist = append(allowlist, users[i].Address.String())
	}
	gs := types.NewGenesisState(RandomParams(r), allowlist, []types.TreasuryOutstanding{})
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}
