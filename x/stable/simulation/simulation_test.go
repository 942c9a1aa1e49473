package simulation_test

import (
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/kv"
	"github.com/cosmos/cosmos-sdk/types/module"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/stable"
	"github.com/infrafi/infrafi/x/stable/simulation"
	"github.com/infrafi/infrafi/x/stable/types"
)

func genState(t *testing.T, seed int64) (*module.SimulationState, types.GenesisState) {
	encCfg := moduletestutil.MakeTestEncodingConfig(stable.AppModuleBasic{})
	simState := simutil.NewSimulationState(encCfg.Codec, seed, simutil.NumRoles+4, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	simulation.RandomizedGenState(simState)
	bz := simState.GenState[types.ModuleName]
	require.NoError(t, stable.AppModuleBasic{}.ValidateGenesis(encCfg.Codec, nil, bz), "seed %d", seed)
	var gs types.GenesisState
	encCfg.Codec.MustUnmarshalJSON(bz, &gs)
	return simState, gs
}

func TestRandomizedGenStateIsValid(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		_, gs := genState(t, seed)
		res, ok := gs.Params.Reserve(simutil.ReserveDenom)
		require.True(t, ok)
		require.True(t, res.Enabled)
		require.True(t, res.Cap.GTE(math.NewIntWithDecimal(1, 24)))
		require.True(t, gs.Params.SupplyCap.GTE(math.NewIntWithDecimal(1, 24)))
		require.Equal(t, simutil.ReserveFXFeed, res.DepegFeed)
		require.True(t, res.DepegThreshold.LTE(math.LegacyMustNewDecFromStr("0.98")))
		require.False(t, gs.Params.Paused)
		require.False(t, gs.Params.Permissioned)
		disabled, ok := gs.Params.Reserve(simulation.DisabledReserveDenom)
		require.True(t, ok)
		require.False(t, disabled.Enabled)
		require.Empty(t, gs.TreasuryOutstanding)
	}
}

func TestRandomizedGenStateIsDeterministic(t *testing.T) {
	a, _ := genState(t, 5)
	b, _ := genState(t, 5)
	require.Equal(t, a.GenState[types.ModuleName], b.GenState[types.ModuleName])
}

func TestDecodeStore(t *testing.T) {
	cdc := moduletestutil.MakeTestEncodingConfig(stable.AppModuleBasic{}).Codec
	dec := simulation.NewDecodeStore(cdc)
	addr := sdk.AccAddress([]byte("holder______________"))
	params := simulation.RandomParams(rand.New(rand.NewSource(1)))
	addrKey, err := collections.EncodeKeyWithPrefix(types.AllowlistKey.Bytes(), sdk.AccAddressKey, addr)
	require.NoError(t, err)
	denomKey, err := collections.EncodeKeyWithPrefix(types.TreasuryOutstandingKey.Bytes(), collections.StringKey, "uusdc")
	require.NoError(t, err)
	amount, err := sdk.IntValue.Encode(math.NewInt(123_456_789))
	require.NoError(t, err)

	tests := []struct {
		name string
		kv   kv.Pair
		want []string
	}{
		{"params", kv.Pair{Key: types.ParamsKey.Bytes(), Value: cdc.MustMarshal(&params)}, []string{"Params", simutil.ReserveDenom, simulation.DisabledReserveDenom}},
		{"allowlist", kv.Pair{Key: addrKey}, []string{"Allowlist " + addr.String()}},
		{"treasury outstanding", kv.Pair{Key: denomKey, Value: amount}, []string{"TreasuryOutstanding uusdc", "123456789"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := dec(tc.kv, tc.kv)
			for _, w := range tc.want {
				require.Contains(t, out, w)
			}
		})
	}
	require.Panics(t, func() { dec(kv.Pair{Key: []byte{0x7f}}, kv.Pair{Key: []byte{0x7f}}) })
}
