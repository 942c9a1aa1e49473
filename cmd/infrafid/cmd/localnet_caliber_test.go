package cmd

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
)

func TestLocalnetCaliberPreset(t *testing.T) {
	a, clientCtx := newLocalnetTestApp(t)
	dir := filepath.Join(t.TempDir(), "ln")
	_, keys, err := initLocalnet(clientCtx, a.BasicModuleManager, testLocalnetOptions(dir, 1))
	require.NoError(t, err)
	appGenesis, err := genutiltypes.AppGenesisFromFile(filepath.Join(dir, "node0", "config", "genesis.json"))
	require.NoError(t, err)
	state, err := genutiltypes.GenesisStateFromAppGenesis(appGenesis)
	require.NoError(t, err)

	var gs calibertypes.GenesisState
	clientCtx.Codec.MustUnmarshalJSON(state[calibertypes.ModuleName], &gs)
	require.NoError(t, gs.Validate())
	require.Equal(t, 10*time.Minute, gs.Params.CustodyAttestationMaxAge)

	roles := map[string]calibertypes.Role{}
	for _, p := range gs.Parties {
		require.True(t, p.Active)
		require.Len(t, p.Roles, 1)
		roles[p.Address] = p.Roles[0]
	}
	for name, role := range map[string]calibertypes.Role{
		"issuer": calibertypes.RoleIssuer, "custodian": calibertypes.RoleCustodian, "appraiser": calibertypes.RoleAppraiser,
		"insurer": calibertypes.RoleInsurer, "curator": calibertypes.RoleCurator, "treasury": calibertypes.RoleTreasuryCustodian,
	} {
		require.Equal(t, role, roles[localnetKeyByName(keys, name).Address.String()], name)
	}
	require.Len(t, roles, 6)

	classes := map[string]calibertypes.AssetClass{}
	for _, c := range gs.AssetClasses {
		require.True(t, c.Eligible)
		require.Equal(t, uint32(1), c.MinAppraisals)
		classes[c.Id] = c
	}
	require.Len(t, classes, 4)
	require.Equal(t, "gpu/nvidia-h100-sxm5-80gb", classes["nvidia-h100-sxm5-80gb"].MarketFeed)
	require.Contains(t, classes, "nvidia-h200-141gb")
	require.Contains(t, classes, "nvidia-b200-192gb")
	require.Equal(t, calibertypes.AssetKindStorage, classes["nvme-storage-array"].Kind)
}
