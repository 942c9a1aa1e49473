package simulation_test

import (
	"encoding/json"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/module"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/infrafi/infrafi/x/caliber"
	"github.com/infrafi/infrafi/x/caliber/simulation"
	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/simutil"
)

var genTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// TestRandomizedGenState: for several seeds the generated genesis passes
// ValidateGenesis and follows the simutil conventions.
func TestRandomizedGenState(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(caliber.AppModuleBasic{})
	for seed := int64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewSource(seed))
		accs := simtypes.RandomAccounts(r, 12)
		simState := &module.SimulationState{
			Cdc:          encCfg.Codec,
			Rand:         r,
			GenState:     map[string]json.RawMessage{},
			Accounts:     accs,
			GenTimestamp: genTime,
		}
		simulation.RandomizedGenState(simState)
		raw := simState.GenState[types.ModuleName]
		require.NoError(t, caliber.AppModuleBasic{}.ValidateGenesis(encCfg.Codec, nil, raw), "seed %d", seed)

		var gs types.GenesisState
		encCfg.Codec.MustUnmarshalJSON(raw, &gs)

		require.Len(t, gs.Parties, simutil.NumRoles, "seed %d", seed)
		wantRoles := map[int]types.Role{
			simutil.Issuer: types.RoleIssuer, simutil.Custodian: types.RoleCustodian, simutil.Appraiser: types.RoleAppraiser,
			simutil.Insurer: types.RoleInsurer, simutil.Curator: types.RoleCurator, simutil.TreasuryCustodian: types.RoleTreasuryCustodian,
		}
		for i, p := range gs.Parties {
			require.Equal(t, accs[i].Address.String(), p.Address)
			require.True(t, p.Active)
			require.Equal(t, []types.Role{wantRoles[i]}, p.Roles)
		}

		require.Len(t, gs.AssetClasses, len(simutil.GPUClasses))
		for i, c := range gs.AssetClasses {
			require.Equal(t, simutil.GPUClasses[i], c.Id)
			require.Equal(t, simutil.GPUFeed(c.Id), c.MarketFeed)
			require.True(t, c.Eligible)
			require.EqualValues(t, 1, c.MinAppraisals)
		}

		// Params fit blocks of 1.4–2.8 hours.
		p := gs.Params
		require.GreaterOrEqual(t, p.CustodyAttestationMaxAge, 48*time.Hour)
		require.LessOrEqual(t, p.CustodyAttestationMaxAge, 5*24*time.Hour)
		require.GreaterOrEqual(t, p.MaxAppraisalValidity, 5*24*time.Hour)
		require.GreaterOrEqual(t, p.MaxPolicyDuration, 7*24*time.Hour)
		require.GreaterOrEqual(t, p.MaxStaleChecksPerBlock, uint32(5))
		require.GreaterOrEqual(t, p.MaxPolicyExpiriesPerBlock, uint32(5))
		require.GreaterOrEqual(t, p.MaxTitlesPerAttestation, uint32(10))

		// Genesis titles are ACTIVE, owned by users, fresh and appraised.
		require.Len(t, gs.Custody, len(gs.Titles))
		require.Len(t, gs.Appraisals, len(gs.Titles))
		require.EqualValues(t, len(gs.Titles)+1, gs.NextTitleId)
		users := map[string]bool{}
		for _, u := range simutil.Users(accs) {
			users[u.Address.String()] = true
		}
		for i, title := range gs.Titles {
			require.Equal(t, types.StatusActive, title.Status)
			require.True(t, users[title.Owner], "title %d owned by a role account", title.Id)
			require.Equal(t, accs[simutil.Custodian].Address.String(), title.Custodian)
			require.True(t, gs.Custody[i].ExpiresAt.After(genTime))
			require.True(t, gs.Appraisals[i].ValidUntil.After(genTime))
			require.True(t, gs.Appraisals[i].Value.GTE(math.NewInt(20_000_000_000).MulRaw(int64(title.Units))))
		}
	}
}

// TestRandomGenesisDeterministic: one seed, one genesis.
func TestRandomGenesisDeterministic(t *testing.T) {
	gen := func() *types.GenesisState {
		r := rand.New(rand.NewSource(7))
		return simulation.RandomGenesis(r, simtypes.RandomAccounts(r, 10), genTime)
	}
	require.Equal(t, gen(), gen())
}
