package oracle_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	"cosmossdk.io/log"
	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/types/msgservice"

	"github.com/infrafi/infrafi/x/internal/modtest"
	"github.com/infrafi/infrafi/x/oracle"
	"github.com/infrafi/infrafi/x/oracle/keeper"
	"github.com/infrafi/infrafi/x/oracle/types"
)

var (
	authority = sdk.AccAddress([]byte("authority___________"))
	feeder    = sdk.AccAddress([]byte("feeder______________"))
)

func mustDec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }

func TestGenesisJSONThroughModule(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(oracle.AppModuleBasic{})
	basic := oracle.AppModuleBasic{}

	def := basic.DefaultGenesis(encCfg.Codec)
	require.NoError(t, basic.ValidateGenesis(encCfg.Codec, nil, def))

	var gs map[string]any
	require.NoError(t, json.Unmarshal(def, &gs))
	require.Equal(t, map[string]any{
		"default_post_ttl":     "3600s",
		"max_post_ttl":         "86400s",
		"max_feeders_per_feed": float64(32),
		"max_value":            "1000000000000000000.000000000000000000",
		"min_power":            "0.666666666666666666",
	}, gs["params"])
	for _, field := range []string{"feeds", "feeders", "posts", "prices"} {
		require.Equal(t, []any{}, gs[field], field)
	}

	require.Error(t, basic.ValidateGenesis(encCfg.Codec, nil, json.RawMessage(`{"params":`)))
	bad := json.RawMessage(`{"params":{"default_post_ttl":"0s","max_post_ttl":"60s","max_feeders_per_feed":1,"max_value":"1"}}`)
	require.ErrorIs(t, basic.ValidateGenesis(encCfg.Codec, nil, bad), types.ErrInvalidParams)
}

func TestModuleWiring(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(oracle.AppModuleBasic{})
	key := storetypes.NewKVStoreKey(types.StoreKey)
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test")).Ctx.
		WithBlockTime(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	k := keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(key), authority.String(), log.NewNopLogger())
	am := oracle.NewAppModule(encCfg.Codec, k)

	services := modtest.Register(encCfg, am)
	msgRouter, queryRouter := services.Msgs, services.Queries

	genesis := json.RawMessage(`{
		"params": {"default_post_ttl":"3600s","max_post_ttl":"86400s","max_feeders_per_feed":32,"max_value":"1000000000000000000","min_power":"0.5"},
		"feeds": [{"id":"rate/tbill","description":"T-bill APR","unit":"apr","min_feeders":1,"max_age":"86400s"},
		          {"id":"gpu/h100","description":"H100","unit":"uusdai/gpu","min_feeders":1,"max_age":"600s","source":"FEED_SOURCE_VOTE_EXTENSIONS"}],
		"feeders": [{"feed_id":"rate/tbill","address":"` + feeder.String() + `"}]
	}`)
	am.InitGenesis(ctx, encCfg.Codec, genesis)

	// A PostPrice through the router, then EndBlock through the module.
	handler := msgRouter.Handler(&types.MsgPostPrice{})
	require.NotNil(t, handler)
	_, err := handler(ctx, &types.MsgPostPrice{Feeder: feeder.String(), FeedId: "rate/tbill", Value: mustDec("0.0525")})
	require.NoError(t, err)
	require.NoError(t, am.EndBlock(ctx))
	price, err := k.GetPrice(ctx, "rate/tbill")
	require.NoError(t, err)
	require.Equal(t, mustDec("0.0525"), price.Value)
	require.True(t, price.Valid)

	for _, msg := range []sdk.Msg{
		&types.MsgAddFeed{}, &types.MsgUpdateFeed{}, &types.MsgRemoveFeed{}, &types.MsgAddFeeder{},
		&types.MsgRemoveFeeder{}, &types.MsgUpdateParams{},
	} {
		require.NotNil(t, msgRouter.Handler(msg), sdk.MsgTypeURL(msg))
	}
	require.NotNil(t, queryRouter.Route("/infrafi.oracle.v1.Query/Price"))

	var exported types.GenesisState
	encCfg.Codec.MustUnmarshalJSON(am.ExportGenesis(ctx, encCfg.Codec), &exported)
	require.Len(t, exported.Posts, 1)
	require.Len(t, exported.Prices, 1)
	require.Len(t, exported.Feeds, 2)
	require.Equal(t, types.FEED_SOURCE_VOTE_EXTENSIONS, exported.Feeds[0].Source, "source is read from genesis JSON by name")
	require.Equal(t, types.FEED_SOURCE_FEEDERS, exported.Feeds[1].Source, "a feed without source is FEEDERS")
	require.Equal(t, uint64(2), am.ConsensusVersion(), "version 2 adds min_power (MigrateMinPower)")
}

func TestMsgSigners(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(oracle.AppModuleBasic{})
	tests := []struct {
		msg    sdk.Msg
		signer sdk.AccAddress
	}{
		{&types.MsgPostPrice{Feeder: feeder.String(), FeedId: "rate/tbill", Value: mustDec("1")}, feeder},
		{&types.MsgAddFeed{Authority: authority.String()}, authority},
		{&types.MsgUpdateFeed{Authority: authority.String()}, authority},
		{&types.MsgRemoveFeed{Authority: authority.String()}, authority},
		{&types.MsgAddFeeder{Authority: authority.String(), Feeder: feeder.String()}, authority},
		{&types.MsgRemoveFeeder{Authority: authority.String(), Feeder: feeder.String()}, authority},
		{&types.MsgUpdateParams{Authority: authority.String(), Params: types.DefaultParams()}, authority},
	}
	for _, tc := range tests {
		signers, _, err := encCfg.Codec.GetMsgV1Signers(tc.msg)
		require.NoError(t, err, sdk.MsgTypeURL(tc.msg))
		require.Equal(t, [][]byte{tc.signer.Bytes()}, signers, sdk.MsgTypeURL(tc.msg))
	}

	// The legacy amino names match the protos' amino.name options.
	bz := encCfg.Amino.MustMarshalJSON(&types.MsgPostPrice{Feeder: feeder.String(), FeedId: "rate/tbill", Value: mustDec("1")})
	require.Contains(t, string(bz), `"type":"infrafi/oracle/MsgPostPrice"`)
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
	opts := oracle.AppModule{}.AutoCLIOptions()
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
