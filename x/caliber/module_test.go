package caliber_test

import (
	"encoding/json"
	"testing"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	"cosmossdk.io/collections"
	"cosmossdk.io/log"
	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/types/msgservice"

	"github.com/infrafi/infrafi/x/caliber"
	"github.com/infrafi/infrafi/x/caliber/keeper"
	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/modtest"
)

var (
	authority = sdk.AccAddress([]byte("authority___________"))
	signer    = sdk.AccAddress([]byte("signer______________"))
)

func TestGenesisJSONThroughModule(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(caliber.AppModuleBasic{})
	basic := caliber.AppModuleBasic{}

	def := basic.DefaultGenesis(encCfg.Codec)
	require.NoError(t, basic.ValidateGenesis(encCfg.Codec, nil, def))
	var gs map[string]any
	require.NoError(t, json.Unmarshal(def, &gs))
	require.Equal(t, map[string]any{
		"custody_attestation_max_age":   "86400s",
		"max_stale_checks_per_block":    float64(100),
		"max_serials_per_title":         float64(64),
		"max_titles_per_attestation":    float64(100),
		"max_policy_expiries_per_block": float64(100),
		"max_appraisal_validity":        "31536000s",
		"max_policy_duration":           "157680000s",
	}, gs["params"])
	require.Equal(t, "1", gs["next_title_id"])
	for _, field := range []string{"parties", "asset_classes", "titles", "custody", "appraisals", "pools", "policies", "policy_requests"} {
		require.Equal(t, []any{}, gs[field], field)
	}
	require.Error(t, basic.ValidateGenesis(encCfg.Codec, nil, json.RawMessage(`{"params":`)))
	bad := json.RawMessage(`{"params":{"custody_attestation_max_age":"0s"},"next_title_id":"1","next_policy_request_id":"1"}`)
	require.ErrorIs(t, basic.ValidateGenesis(encCfg.Codec, nil, bad), types.ErrInvalidParams)
}

func TestMsgSigners(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(caliber.AppModuleBasic{})
	s := signer.String()
	tests := []struct {
		msg    sdk.Msg
		signer sdk.AccAddress
	}{
		{&types.MsgRegisterParty{Authority: authority.String()}, authority},
		{&types.MsgUpdateParty{Authority: authority.String()}, authority},
		{&types.MsgSetPartyActive{Authority: authority.String()}, authority},
		{&types.MsgAddAssetClass{Authority: authority.String()}, authority},
		{&types.MsgUpdateAssetClass{Authority: authority.String()}, authority},
		{&types.MsgUpdateParams{Authority: authority.String()}, authority},
		{&types.MsgMintTitle{Issuer: s}, signer},
		{&types.MsgConfirmCustody{Custodian: s}, signer},
		{&types.MsgTransferTitle{Owner: s}, signer},
		{&types.MsgRequestRedemption{Owner: s}, signer},
		{&types.MsgCancelRedemption{Owner: s}, signer},
		{&types.MsgConfirmRedemption{Custodian: s}, signer},
		{&types.MsgAttestCustody{Custodian: s}, signer},
		{&types.MsgReportCasualty{Custodian: s}, signer},
		{&types.MsgAppraise{Appraiser: s, Value: math.OneInt()}, signer},
		{&types.MsgFundInsurancePool{Insurer: s, Amount: math.OneInt()}, signer},
		{&types.MsgWithdrawInsurancePool{Insurer: s, Amount: math.OneInt()}, signer},
		{&types.MsgRequestPolicy{Owner: s, InsuredValue: math.OneInt(), Coverage: math.OneInt(), MaxPremium: math.OneInt()}, signer},
		{&types.MsgCancelPolicyRequest{Owner: s}, signer},
		{&types.MsgIssuePolicy{Insurer: s, Premium: math.OneInt()}, signer},
	}
	for _, tc := range tests {
		signers, _, err := encCfg.Codec.GetMsgV1Signers(tc.msg)
		require.NoError(t, err, sdk.MsgTypeURL(tc.msg))
		require.Equal(t, [][]byte{tc.signer.Bytes()}, signers, sdk.MsgTypeURL(tc.msg))
	}
	bz := encCfg.Amino.MustMarshalJSON(&types.MsgWithdrawInsurancePool{Insurer: s, Amount: math.OneInt()})
	require.Contains(t, string(bz), `"type":"infrafi/caliber/MsgWithdrawPool"`)
}

func TestProtoAnnotations(t *testing.T) {
	files, err := proto.MergedRegistry()
	require.NoError(t, err)
	require.NoError(t, msgservice.ValidateProtoAnnotations(files))
}

// TestAutoCLIOptionsMatchServices guards against typos in autocli.go: every RPC
// exists, has Use/Short/Example, every RPC of each service is described, and
// positional args name real fields.
func TestAutoCLIOptionsMatchServices(t *testing.T) {
	opts := caliber.AppModule{}.AutoCLIOptions()
	for _, svc := range []struct {
		name    string
		options []*autocliv1.RpcCommandOptions
	}{
		{opts.Query.Service, opts.Query.RpcCommandOptions},
		{opts.Tx.Service, opts.Tx.RpcCommandOptions},
	} {
		desc, err := proto.HybridResolver.FindDescriptorByName(protoreflect.FullName(svc.name))
		require.NoError(t, err, svc.name)
		service := desc.(protoreflect.ServiceDescriptor)
		require.Equal(t, service.Methods().Len(), len(svc.options), "%s: every RPC has options", svc.name)
		for _, o := range svc.options {
			method := service.Methods().ByName(protoreflect.Name(o.RpcMethod))
			require.NotNil(t, method, "%s/%s", svc.name, o.RpcMethod)
			require.NotEmpty(t, o.Use, o.RpcMethod)
			require.NotEmpty(t, o.Short, o.RpcMethod)
			require.Contains(t, o.Example, "infrafid ", o.RpcMethod)
			for _, arg := range o.PositionalArgs {
				require.NotNil(t, method.Input().Fields().ByName(protoreflect.Name(arg.ProtoField)),
					"%s: field %s", o.RpcMethod, arg.ProtoField)
			}
		}
	}
}

// TestMigrationsThroughModuleManager runs the registered migrations from
// state version 1 the way an upgrade handler does: the module manager finds
// each step through the configurator, and version 2's appraisal records
// come out in the version-3 layout.
func TestMigrationsThroughModuleManager(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(caliber.AppModuleBasic{})
	key := storetypes.NewKVStoreKey(types.StoreKey)
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test")).Ctx
	storeService := runtime.NewKVStoreService(key)
	k := keeper.NewKeeper(encCfg.Codec, storeService, authority.String(), nil, nil, nil, log.NewNopLogger())
	am := caliber.NewAppModule(encCfg.Codec, k)
	cfg := modtest.Register(encCfg, am).Configurator

	legacy := collections.NewMap(collections.NewSchemaBuilder(storeService), types.LegacyAppraisalsKey, "legacy_appraisals",
		collections.PairKeyCodec(collections.Uint64Key, sdk.AccAddressKey), codec.CollValue[types.Appraisal](encCfg.Codec))
	old := types.Appraisal{TitleId: 7, Appraiser: signer.String(), Value: math.NewInt(5), ReportSha256: "ab"}
	require.NoError(t, legacy.Set(ctx, collections.Join(uint64(7), signer), old))

	vm, err := module.NewManager(am).RunMigrations(ctx, cfg, module.VersionMap{types.ModuleName: 1})
	require.NoError(t, err)
	require.Equal(t, uint64(caliber.ConsensusVersion), vm[types.ModuleName])
	require.EqualValues(t, 3, caliber.ConsensusVersion, "version 3 keeps a title's appraisals in one record")
	got, err := k.TitleAppraisals(ctx, 7)
	require.NoError(t, err)
	require.Equal(t, []types.Appraisal{old}, got)
	has, err := legacy.Has(ctx, collections.Join(uint64(7), signer))
	require.NoError(t, err)
	require.False(t, has)
	reserved, err := k.TotalReserved(ctx)
	require.NoError(t, err)
	require.True(t, reserved.IsZero(), "1->2 ran too")
}
