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
	"github.com/infrafi/infrafi/x/yield"
	"github.com/infrafi/infrafi/x/yield/simulation"
	"github.com/infrafi/infrafi/x/yield/types"
)

func genState(t *testing.T, seed int64) (*module.SimulationState, types.GenesisState) {
	encCfg := moduletestutil.MakeTestEncodingConfig(yield.AppModuleBasic{})
	simState := simutil.NewSimulationState(encCfg.Codec, seed, simutil.NumRoles+4, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	simulation.RandomizedGenState(simState)
	bz := simState.GenState[types.ModuleName]
	require.NoError(t, yield.AppModuleBasic{}.ValidateGenesis(encCfg.Codec, nil, bz), "seed %d", seed)
	var gs types.GenesisState
	encCfg.Codec.MustUnmarshalJSON(bz, &gs)
	return simState, gs
}

func TestRandomizedGenStateIsValid(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		simState, gs := genState(t, seed)
		p := gs.Params
		require.Equal(t, simutil.RoleAccount(simState.Accounts, simutil.TreasuryCustodian).Address.String(), p.TreasuryCustodian)
		require.Equal(t, simutil.ReserveDenom, p.TreasuryReserveDenom)
		require.Equal(t, simutil.TBillFeed, p.TreasuryRateFeed)
		require.True(t, p.EpochLength >= 12*time.Hour && p.EpochLength <= 48*time.Hour, "epoch %s", p.EpochLength)
		require.Less(t, p.CancelCutoff, p.EpochLength)
		require.True(t, p.RebalanceInterval >= 2*time.Hour && p.RebalanceInterval <= 12*time.Hour, "rebalance %s", p.RebalanceInterval)
		require.True(t, gs.Vault.Idle.IsZero() && gs.Vault.EscrowedShares.IsZero())
		require.Empty(t, gs.Requests)
	}
}

func TestRandomizedGenStateIsDeterministic(t *testing.T) {
	a, _ := genState(t, 9)
	b, _ := genState(t, 9)
	require.Equal(t, a.GenState[types.ModuleName], b.GenState[types.ModuleName])
}

func TestDecodeStore(t *testing.T) {
	cdc := moduletestutil.MakeTestEncodingConfig(yield.AppModuleBasic{}).Codec
	dec := simulation.NewDecodeStore(cdc)
	owner := sdk.AccAddress([]byte("owner_______________"))
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	enc := func(bz []byte, err error) []byte {
		require.NoError(t, err)
		return bz
	}

	params := simulation.RandomParams(rand.New(rand.NewSource(1)), owner.String())
	vault := types.VaultState{Idle: math.NewInt(4242), EscrowedShares: math.NewInt(77), NextRequestId: 9}
	book := types.NewSeniorBook()
	book.Principal = math.NewInt(5151)
	treasury := types.NewTreasuryState()
	treasury.Recall = math.NewInt(6161)
	epoch := types.EpochInfo{Number: 31, Start: now, End: now.Add(time.Hour)}
	round := types.NewServingRound()
	round.CutoffId = 71
	req := types.RedeemRequest{Id: 8, Owner: owner.String(), Shares: math.NewInt(8181), BidBps: 25, RequestedAt: now, Epoch: 3}
	cp := types.Checkpoint{Time: now, Height: 12, Nav: math.NewInt(9191), ConservativeNav: math.NewInt(9000), TotalShares: math.NewInt(9100), SharePrice: math.LegacyOneDec()}

	ownerKey := enc(collections.EncodeKeyWithPrefix(types.RequestsByOwnerKey.Bytes(),
		collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint64Key), collections.Join(owner, uint64(8))))
	queueKey := enc(collections.EncodeKeyWithPrefix(types.QueueKey.Bytes(),
		collections.PairKeyCodec(collections.Uint32Key, collections.Uint64Key), collections.Join(types.QueueBidKey(25), uint64(8))))
	count := enc(collections.Uint64Value.Encode(5))
	committed := enc(sdk.IntValue.Encode(math.NewInt(3131)))

	tests := []struct {
		name string
		kv   kv.Pair
		want []string
	}{
		{"params", kv.Pair{Key: types.ParamsKey.Bytes(), Value: cdc.MustMarshal(&params)}, []string{"Params", simutil.TBillFeed}},
		{"vault", kv.Pair{Key: types.VaultKey.Bytes(), Value: cdc.MustMarshal(&vault)}, []string{"Vault", "4242"}},
		{"book", kv.Pair{Key: types.BookKey.Bytes(), Value: cdc.MustMarshal(&book)}, []string{"Book", "5151"}},
		{"treasury", kv.Pair{Key: types.TreasuryKey.Bytes(), Value: cdc.MustMarshal(&treasury)}, []string{"Treasury", "6161"}},
		{"epoch", kv.Pair{Key: types.EpochKey.Bytes(), Value: cdc.MustMarshal(&epoch)}, []string{"Epoch", "31"}},
		{"round", kv.Pair{Key: types.RoundKey.Bytes(), Value: cdc.MustMarshal(&round)}, []string{"Round", "71"}},
		{"request", kv.Pair{Key: enc(collections.EncodeKeyWithPrefix(types.RequestsKey.Bytes(), collections.Uint64Key, uint64(8))), Value: cdc.MustMarshal(&req)}, []string{"Request 8", "8181"}},
		{"owner index", kv.Pair{Key: ownerKey}, []string{"RequestByOwner (" + owner.String() + ", 8)"}},
		{"queue", kv.Pair{Key: queueKey}, []string{"Queue (bid key 9975, request 8)"}},
		{"checkpoint", kv.Pair{Key: enc(collections.EncodeKeyWithPrefix(types.CheckpointsKey.Bytes(), collections.Int64Key, now.Unix())), Value: cdc.MustMarshal(&cp)}, []string{"Checkpoint", "9191"}},
		{"checkpoint count", kv.Pair{Key: types.CheckpointCountKey.Bytes(), Value: count}, []string{"CheckpointCount", "5"}},
		{"committed", kv.Pair{Key: types.CommittedKey.Bytes(), Value: committed}, []string{"Committed", "3131"}},
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
