package simulation_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/kv"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/infrafi/infrafi/x/caliber"
	"github.com/infrafi/infrafi/x/caliber/simulation"
	"github.com/infrafi/infrafi/x/caliber/types"
)

func key[K any](t *testing.T, prefix collections.Prefix, kc collcodec.KeyCodec[K], k K) []byte {
	t.Helper()
	bz, err := collections.EncodeKeyWithPrefix(prefix, kc, k)
	require.NoError(t, err)
	return bz
}

// TestDecodeStore decodes one record of every collection and shows its values.
func TestDecodeStore(t *testing.T) {
	cdc := moduletestutil.MakeTestEncodingConfig(caliber.AppModuleBasic{}).Codec
	dec := simulation.NewDecodeStore(cdc)

	addr := sdk.AccAddress([]byte("owner_______________"))
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	params := types.DefaultParams()
	params.MaxSerialsPerTitle = 7
	party := types.Party{Address: addr.String(), Roles: []types.Role{types.RoleInsurer}, Name: "party-x", Active: true}
	class := types.AssetClass{Id: "class-x", Kind: types.AssetKindGPU, MaxLtv: math.LegacyNewDecWithPrec(6, 1),
		DepreciationPerYear: math.LegacyZeroDec(), ResidualRatio: math.LegacyZeroDec(), MinAppraisals: 1}
	title := types.Title{Id: 42, ClassId: "class-x", Owner: addr.String(), Units: 3, Serials: []string{"SER-X"}, Status: types.StatusActive, CreatedAt: at}
	custody := types.Custody{TitleId: 42, LastAttestedAt: at, ExpiresAt: at.Add(time.Hour), Facility: "facility-x"}
	appraisal := types.Appraisal{TitleId: 42, Appraiser: addr.String(), Value: math.NewInt(123456789), AppraisedAt: at, ValidUntil: at.Add(time.Hour)}
	pool := types.InsurancePool{Insurer: addr.String(), Balance: math.NewInt(987654321), Reserved: math.NewInt(5)}
	policy := types.Policy{TitleId: 42, Insurer: addr.String(), Owner: addr.String(), InsuredValue: math.NewInt(777777),
		Coverage: math.NewInt(666666), Premium: math.NewInt(1), StartsAt: at, ExpiresAt: at.Add(time.Hour)}
	request := types.PolicyRequest{Id: 9, TitleId: 42, Owner: addr.String(), Insurer: addr.String(), InsuredValue: math.NewInt(555555),
		Coverage: math.NewInt(444444), MaxPremium: math.NewInt(3), CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
	timeQueue := collections.PairKeyCodec(sdk.TimeKey, collections.Uint64Key)

	tests := []struct {
		name  string
		pair  kv.Pair
		wants []string
	}{
		{"params", kv.Pair{Key: types.ParamsKey, Value: cdc.MustMarshal(&params)}, []string{`"max_serials_per_title":7`}},
		{"party", kv.Pair{Key: key(t, types.PartiesKey, sdk.AccAddressKey, addr), Value: cdc.MustMarshal(&party)}, []string{"party-x", addr.String()}},
		{"party by role", kv.Pair{Key: key(t, types.PartiesByRoleKey, collections.PairKeyCodec(collections.Int32Key, sdk.AccAddressKey),
			collections.Join(int32(types.RoleInsurer), addr)), Value: []byte{}}, []string{"party by role", "4"}},
		{"asset class", kv.Pair{Key: key(t, types.AssetClassesKey, collections.StringKey, "class-x"), Value: cdc.MustMarshal(&class)}, []string{"class-x", "0.600000000000000000"}},
		{"title", kv.Pair{Key: key(t, types.TitlesKey, collections.Uint64Key, uint64(42)), Value: cdc.MustMarshal(&title)}, []string{"SER-X", `"id":"42"`}},
		{"title by owner", kv.Pair{Key: key(t, types.TitlesByOwnerKey, collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint64Key),
			collections.Join(addr, uint64(42))), Value: []byte{}}, []string{"title by owner", "42"}},
		{"title by class", kv.Pair{Key: key(t, types.TitlesByClassKey, collections.PairKeyCodec(collections.StringKey, collections.Uint64Key),
			collections.Join("class-x", uint64(42))), Value: []byte{}}, []string{"title by class", "class-x", "42"}},
		{"title by status", kv.Pair{Key: key(t, types.TitlesByStatusKey, collections.PairKeyCodec(collections.Int32Key, collections.Uint64Key),
			collections.Join(int32(types.StatusActive), uint64(42))), Value: []byte{}}, []string{"title by status", "42"}},
		{"title by custodian", kv.Pair{Key: key(t, types.TitlesByCustodianKey, collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint64Key),
			collections.Join(addr, uint64(42))), Value: []byte{}}, []string{"title by custodian", "42"}},
		{"next title id", kv.Pair{Key: types.NextTitleIDKey, Value: uint64Value(t, 43)}, []string{"next title id 43"}},
		{"serial", kv.Pair{Key: key(t, types.SerialsKey, collections.StringKey, "SER-X"), Value: uint64Value(t, 42)}, []string{"serial SER-X in title 42"}},
		{"custody", kv.Pair{Key: key(t, types.CustodyKey, collections.Uint64Key, uint64(42)), Value: cdc.MustMarshal(&custody)}, []string{"facility-x"}},
		{"custody expiry", kv.Pair{Key: key(t, types.CustodyExpiryKey, timeQueue, collections.Join(at, uint64(42))), Value: []byte{}},
			[]string{"custody expiry title 42 at 2026-03-04T05:06:07Z"}},
		{"appraisals", kv.Pair{Key: key(t, types.AppraisalsKey, collections.Uint64Key, uint64(42)),
			Value: cdc.MustMarshal(&types.TitleAppraisals{Appraisals: []types.Appraisal{appraisal}})}, []string{"123456789"}},
		{"pool", kv.Pair{Key: key(t, types.PoolsKey, sdk.AccAddressKey, addr), Value: cdc.MustMarshal(&pool)}, []string{"987654321"}},
		{"policy", kv.Pair{Key: key(t, types.PoliciesKey, collections.Uint64Key, uint64(42)), Value: cdc.MustMarshal(&policy)}, []string{"666666", "777777"}},
		{"policy expiry", kv.Pair{Key: key(t, types.PolicyExpiryKey, timeQueue, collections.Join(at, uint64(42))), Value: []byte{}},
			[]string{"policy expiry title 42 at 2026-03-04T05:06:07Z"}},
		{"policy request", kv.Pair{Key: key(t, types.PolicyRequestsKey, collections.Uint64Key, uint64(9)), Value: cdc.MustMarshal(&request)}, []string{"444444", "555555"}},
		{"policy request by title", kv.Pair{Key: key(t, types.PolicyRequestByTitleKey, collections.Uint64Key, uint64(42)), Value: uint64Value(t, 9)},
			[]string{"title 42 has request 9"}},
		{"next policy request id", kv.Pair{Key: types.NextPolicyRequestIDKey, Value: uint64Value(t, 10)}, []string{"next policy request id 10"}},
		{"insurance reserved", kv.Pair{Key: types.InsuranceReservedKey, Value: intValue(t, math.NewInt(666666))}, []string{"insurance reserved 666666"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := dec(tc.pair, tc.pair)
			for _, want := range tc.wants {
				require.Contains(t, out, want)
			}
		})
	}
	require.Panics(t, func() { dec(kv.Pair{Key: []byte{0xff}}, kv.Pair{Key: []byte{0xff}}) })
}

func uint64Value(t *testing.T, v uint64) []byte {
	t.Helper()
	bz, err := collections.Uint64Value.Encode(v)
	require.NoError(t, err)
	return bz
}

func intValue(t *testing.T, v math.Int) []byte {
	t.Helper()
	bz, err := sdk.IntValue.Encode(v)
	require.NoError(t, err)
	return bz
}
