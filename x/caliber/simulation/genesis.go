// Package simulation holds x/caliber's simulation: the randomized genesis,
// the store decoder and the message factories (valid and invalid input) of
// every message of the module.
package simulation

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"math/rand"
	"strings"
	"time"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/simutil"
)

// Ranges of the randomized parameters. A simulated block advances 1.4–2.8
// hours, so a custody attestation lapses after roughly 20–60 blocks without a
// heartbeat, appraisals count for 55–250 blocks at most, and policies run for
// days to weeks.
const (
	minAttestationMaxAge = 2 * 24 * time.Hour
	maxAttestationMaxAge = 5 * 24 * time.Hour
	minAppraisalValidity = 5 * 24 * time.Hour
	maxAppraisalValidity = 20 * 24 * time.Hour
	minPolicyDuration    = 7 * 24 * time.Hour
	maxPolicyDuration    = 30 * 24 * time.Hour
)

// Unit values of the simulated GPU classes, in uusdai (20,000 – 35,000 USDai a GPU).
var (
	minUnitValue = math.NewInt(20_000_000_000)
	maxUnitValue = math.NewInt(35_000_000_000)
)

// maxGenesisTitles bounds the ACTIVE, appraised titles written at genesis.
const maxGenesisTitles = 6

// roleOf is the caliber role of each simutil role index.
var roleOf = [simutil.NumRoles]types.Role{
	simutil.Issuer:            types.RoleIssuer,
	simutil.Custodian:         types.RoleCustodian,
	simutil.Appraiser:         types.RoleAppraiser,
	simutil.Insurer:           types.RoleInsurer,
	simutil.Curator:           types.RoleCurator,
	simutil.TreasuryCustodian: types.RoleTreasuryCustodian,
}

// roleNames names the simulated parties.
var roleNames = [simutil.NumRoles]string{"sim issuer", "sim custodian", "sim appraiser", "sim insurer", "sim curator", "sim treasury custodian"}

// durationIn returns a random duration in [lo, hi], rounded to the minute.
func durationIn(r *rand.Rand, lo, hi time.Duration) time.Duration {
	d := lo + time.Duration(r.Int63n(int64(hi-lo)+1))
	return d.Truncate(time.Minute)
}

// uint32In returns a random value in [lo, hi].
func uint32In(r *rand.Rand, lo, hi uint32) uint32 {
	return lo + uint32(r.Int63n(int64(hi-lo)+1))
}

// decIn returns a random decimal in [lo, hi] with two decimals (lo, hi in hundredths).
func decIn(r *rand.Rand, lo, hi int64) math.LegacyDec {
	return math.LegacyNewDecWithPrec(lo+r.Int63n(hi-lo+1), 2)
}

// intIn returns a random integer in [lo, hi].
func intIn(r *rand.Rand, lo, hi math.Int) math.Int {
	span := hi.Sub(lo).AddRaw(1)
	return lo.Add(math.NewIntFromBigInt(new(big.Int).Rand(r, span.BigInt())))
}

// RandomParams returns valid parameters in the simulation's ranges.
func RandomParams(r *rand.Rand) types.Params {
	return types.Params{
		CustodyAttestationMaxAge:  durationIn(r, minAttestationMaxAge, maxAttestationMaxAge),
		MaxStaleChecksPerBlock:    uint32In(r, 5, 50),
		MaxSerialsPerTitle:        uint32In(r, 4, 16),
		MaxTitlesPerAttestation:   uint32In(r, 10, 50),
		MaxPolicyExpiriesPerBlock: uint32In(r, 5, 50),
		MaxAppraisalValidity:      durationIn(r, minAppraisalValidity, maxAppraisalValidity),
		MaxPolicyDuration:         durationIn(r, minPolicyDuration, maxPolicyDuration),
	}
}

// RandomGPUClass returns the eligible GPU asset class id valued by its
// simulated market feed, with random valuation terms.
func RandomGPUClass(r *rand.Rand, id string) types.AssetClass {
	return types.AssetClass{
		Id:                  id,
		Kind:                types.AssetKindGPU,
		Manufacturer:        "NVIDIA",
		Model:               strings.ToUpper(strings.TrimPrefix(id, "sim-")),
		MaxLtv:              decIn(r, 50, 80),
		DepreciationPerYear: decIn(r, 10, 40),
		ResidualRatio:       decIn(r, 10, 30),
		MinAppraisals:       1,
		MarketFeed:          simutil.GPUFeed(id),
		Eligible:            true,
	}
}

// Serial is the i-th serial of the title with the given id: unique because
// title ids are never reused.
func Serial(titleID uint64, i int) string {
	return fmt.Sprintf("SIM-%06d-%02d", titleID, i)
}

// Serials returns n serials of the title with the given id.
func Serials(titleID uint64, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = Serial(titleID, i)
	}
	return out
}

// reportHash is a deterministic hex SHA-256 standing for a report or document.
func reportHash(parts ...any) string {
	sum := sha256.Sum256([]byte(fmt.Sprint(parts...)))
	return hex.EncodeToString(sum[:])
}

// RandomizedGenState writes x/caliber's simulated genesis: random params, the
// simutil role accounts as active parties with their caliber role, an
// eligible GPU asset class per simutil.GPUClasses valued by its market feed,
// and a few ACTIVE titles owned by users, each with a fresh custody
// attestation and an appraisal by the appraiser. No insurance pools: nobody
// holds uusdai at genesis.
func RandomizedGenState(simState *module.SimulationState) {
	gs := RandomGenesis(simState.Rand, simState.Accounts, simState.GenTimestamp)
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}

// RandomGenesis builds the genesis RandomizedGenState writes.
func RandomGenesis(r *rand.Rand, accs []simtypes.Account, genTime time.Time) *types.GenesisState {
	genTime = genTime.UTC()
	gs := types.DefaultGenesis()
	gs.Params = RandomParams(r)

	for i := 0; i < simutil.NumRoles; i++ {
		gs.Parties = append(gs.Parties, types.Party{
			Address:     simutil.RoleAccount(accs, i).Address.String(),
			Roles:       []types.Role{roleOf[i]},
			Name:        roleNames[i],
			Active:      true,
			MetadataUri: "https://sim.infrafi/parties/" + strings.ReplaceAll(roleNames[i], " ", "-"),
		})
	}
	for _, id := range simutil.GPUClasses {
		gs.AssetClasses = append(gs.AssetClasses, RandomGPUClass(r, id))
	}

	users := simutil.Users(accs)
	issuer := simutil.RoleAccount(accs, simutil.Issuer).Address.String()
	custodian := simutil.RoleAccount(accs, simutil.Custodian).Address.String()
	appraiser := simutil.RoleAccount(accs, simutil.Appraiser).Address.String()
	n := r.Intn(maxGenesisTitles + 1)
	for i := 0; i < n; i++ {
		id := uint64(i + 1)
		class := simutil.GPUClasses[r.Intn(len(simutil.GPUClasses))]
		units := uint64(1 + r.Intn(8))
		serials := Serials(id, 1+r.Intn(int(min(gs.Params.MaxSerialsPerTitle, uint32(units)))))
		facility := fmt.Sprintf("sim-dc-%d", r.Intn(3))
		gs.Titles = append(gs.Titles, types.Title{
			Id:           id,
			ClassId:      class,
			Owner:        users[r.Intn(len(users))].Address.String(),
			Units:        units,
			Serials:      serials,
			Facility:     facility,
			Jurisdiction: "US-DE",
			Custodian:    custodian,
			Issuer:       issuer,
			Legal:        types.LegalInfo{SpvId: fmt.Sprintf("spv-%d", id), DocumentSha256: reportHash("title", id)},
			MetadataUri:  fmt.Sprintf("https://sim.infrafi/titles/%d", id),
			Status:       types.StatusActive,
			CreatedAt:    genTime,
		})
		gs.Custody = append(gs.Custody, types.Custody{
			TitleId:        id,
			LastAttestedAt: genTime,
			ExpiresAt:      genTime.Add(gs.Params.CustodyAttestationMaxAge),
			Online:         true,
			UptimeBps:      types.MaxUptimeBps,
			Facility:       facility,
		})
		gs.Appraisals = append(gs.Appraisals, types.Appraisal{
			TitleId:      id,
			Appraiser:    appraiser,
			Value:        intIn(r, minUnitValue, maxUnitValue).MulRaw(int64(units)),
			AppraisedAt:  genTime,
			ValidUntil:   genTime.Add(durationIn(r, gs.Params.MaxAppraisalValidity/2, gs.Params.MaxAppraisalValidity)),
			ReportSha256: reportHash("appraisal", id),
		})
	}
	gs.NextTitleId = uint64(n) + 1
	return gs
}
