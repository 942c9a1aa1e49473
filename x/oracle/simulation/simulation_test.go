package simulation_test

import (
	"encoding/json"
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
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/oracle"
	"github.com/infrafi/infrafi/x/oracle/simulation"
	"github.com/infrafi/infrafi/x/oracle/types"
)

func TestRandomizedGenStateIsValid(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(oracle.AppModuleBasic{})
	genTime := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for seed := int64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewSource(seed))
		accs := simtypes.RandomAccounts(r, simutil.NumRoles+3)
		simState := &module.SimulationState{
			Cdc: encCfg.Codec, Rand: r, Accounts: accs, GenState: map[string]json.RawMessage{}, GenTimestamp: genTime,
		}
		simulation.RandomizedGenState(simState)
		bz := simState.GenState[types.ModuleName]
		require.NoError(t, oracle.AppModuleBasic{}.ValidateGenesis(encCfg.Codec, nil, bz), "seed %d", seed)

		var gs types.GenesisState
		encCfg.Codec.MustUnmarshalJSON(bz, &gs)
		appraiser := accs[simutil.Appraiser].Address.String()
		prices := map[string]types.Price{}
		for _, p := range gs.Prices {
			prices[p.FeedId] = p
		}
		for _, id := range simulation.ProtectedFeeds() {
			p, ok := prices[id]
			require.True(t, ok, "seed %d: %s has no genesis price", seed, id)
			require.True(t, p.Valid)
			require.Equal(t, genTime, p.UpdatedAt)
			require.Contains(t, gs.Feeders, types.Feeder{FeedId: id, Address: appraiser})
		}
		for _, class := range simutil.GPUClasses {
			v := prices[simutil.GPUFeed(class)].Value
			require.True(t, v.GTE(math.LegacyNewDec(20_000_000_000)) && v.LTE(math.LegacyNewDec(40_000_000_000)), "GPU value %s", v)
		}
		apr := prices[simutil.TBillFeed].Value
		require.True(t, apr.GTE(math.LegacyMustNewDecFromStr("0.03")) && apr.LTE(math.LegacyMustNewDecFromStr("0.06")), "T-bill APR %s", apr)
		for _, f := range gs.Feeds {
			require.GreaterOrEqual(t, f.MaxAge, 24*time.Hour, f.Id)
		}
		require.Len(t, gs.Feeds, len(simulation.ProtectedFeeds())+simulation.NumExtraFeeds)
	}
}

func TestRandomizedGenStateIsDeterministic(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(oracle.AppModuleBasic{})
	gen := func() json.RawMessage {
		r := rand.New(rand.NewSource(7))
		simState := &module.SimulationState{
			Cdc: encCfg.Codec, Rand: r, Accounts: simtypes.RandomAccounts(r, simutil.NumRoles+3),
			GenState: map[string]json.RawMessage{}, GenTimestamp: time.Unix(1_900_000_000, 0).UTC(),
		}
		simulation.RandomizedGenState(simState)
		return simState.GenState[types.ModuleName]
	}
	require.Equal(t, gen(), gen())
}

func TestDecodeStore(t *testing.T) {
	cdc := moduletestutil.MakeTestEncodingConfig(oracle.AppModuleBasic{}).Codec
	dec := simulation.NewDecodeStore(cdc)
	addr := sdk.AccAddress([]byte("feeder______________"))
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	feederKey := collections.Join("gpu/h100", addr)
	pairCodec := collections.PairKeyCodec(collections.StringKey, sdk.AccAddressKey)
	key := func(p collections.Prefix, enc func() ([]byte, error)) []byte {
		bz, err := enc()
		require.NoError(t, err)
		return append(p.Bytes(), bz...)
	}
	strKey := func(p collections.Prefix, s string) []byte {
		return key(p, func() ([]byte, error) { return collections.EncodeKeyWithPrefix(nil, collections.StringKey, s) })
	}
	pairKey := func(p collections.Prefix) []byte {
		return key(p, func() ([]byte, error) { return collections.EncodeKeyWithPrefix(nil, pairCodec, feederKey) })
	}
	params := types.DefaultParams()
	feed := types.Feed{Id: "gpu/h100", Description: "h100", Unit: "uusdai/gpu", MinFeeders: 2, MaxAge: time.Hour}
	post := types.Post{FeedId: "gpu/h100", Feeder: addr.String(), Value: math.LegacyNewDec(31_000), PostedAt: now, ExpiresAt: now.Add(time.Hour)}
	price := types.Price{FeedId: "gpu/h100", Value: math.LegacyNewDec(29_500), UpdatedAt: now, Valid: true, NumPosts: 3}

	tests := []struct {
		name string
		kv   kv.Pair
		want []string
	}{
		{"params", kv.Pair{Key: types.ParamsKey.Bytes(), Value: cdc.MustMarshal(&params)}, []string{"Params", "1000000000000000000"}},
		{"feed", kv.Pair{Key: strKey(types.FeedsKey, "gpu/h100"), Value: cdc.MustMarshal(&feed)}, []string{"Feed gpu/h100", "uusdai/gpu"}},
		{"feeder", kv.Pair{Key: pairKey(types.FeedersKey)}, []string{"Feeder (gpu/h100, " + addr.String() + ")"}},
		{"post", kv.Pair{Key: pairKey(types.PostsKey), Value: cdc.MustMarshal(&post)}, []string{"Post (gpu/h100, " + addr.String() + ")", "31000"}},
		{"price", kv.Pair{Key: strKey(types.PricesKey, "gpu/h100"), Value: cdc.MustMarshal(&price)}, []string{"Price gpu/h100", "29500"}},
		{"pending", kv.Pair{Key: strKey(types.PendingFeedsKey, "gpu/h100")}, []string{"PendingFeed gpu/h100"}},
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
