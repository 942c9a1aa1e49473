package stable_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	"cosmossdk.io/log"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/x/internal/modtest"
	"github.com/infrafi/infrafi/x/stable"
	"github.com/infrafi/infrafi/x/stable/keeper"
	"github.com/infrafi/infrafi/x/stable/types"
)

var (
	authority = sdk.AccAddress([]byte("authority___________"))
	sender    = sdk.AccAddress([]byte("sender______________"))
)

type moduleNames struct{}

func (moduleNames) GetModuleAddress(name string) sdk.AccAddress {
	return authtypes.NewModuleAddress(name)
}
func (moduleNames) GetModuleAccount(context.Context, string) sdk.ModuleAccountI { return nil }
func (moduleNames) HasAccount(context.Context, sdk.AccAddress) bool             { return true }
func (moduleNames) GetAccount(context.Context, sdk.AccAddress) sdk.AccountI     { return nil }
func (moduleNames) RemoveAccount(context.Context, sdk.AccountI)                 {}

func TestGenesisJSONThroughModule(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(stable.AppModuleBasic{})
	basic := stable.AppModuleBasic{}

	def := basic.DefaultGenesis(encCfg.Codec)
	require.NoError(t, basic.ValidateGenesis(encCfg.Codec, nil, def))
	var gs map[string]any
	require.NoError(t, json.Unmarshal(def, &gs))
	require.Equal(t, map[string]any{
		"reserves":     []any{},
		"supply_cap":   "0",
		"permissioned": false,
		"paused":       false,
		"outflow_quotas": []any{
			map[string]any{"denom": "uusdai", "window_seconds": "86400", "max_supply_bps": float64(1000), "max_amount": "10000000000000"},
			map[string]any{"denom": "ususdai", "window_seconds": "86400", "max_supply_bps": float64(1000), "max_amount": "10000000000000"},
		},
	}, gs["params"])
	require.Equal(t, []any{}, gs["allowlist"])
	require.Equal(t, []any{}, gs["treasury_outstanding"])

	// The documented genesis form, decimals in normal notation.
	good := json.RawMessage(`{"params":{"reserves":[{"denom":"uusdc","enabled":true,"mint_fee_bps":10,"redeem_fee_bps":10,` +
		`"cap":"5000000000000","depeg_feed":"fx/uusdc","depeg_threshold":"0.98"}],"supply_cap":"10000000000000",` +
		`"permissioned":false,"paused":false},"allowlist":[],"treasury_outstanding":[]}`)
	require.NoError(t, basic.ValidateGenesis(encCfg.Codec, nil, good))

	require.Error(t, basic.ValidateGenesis(encCfg.Codec, nil, json.RawMessage(`{"params":`)))
	missingCap := json.RawMessage(`{"params":{"reserves":[{"denom":"uusdc","enabled":true}],"supply_cap":"1"}}`)
	require.ErrorIs(t, basic.ValidateGenesis(encCfg.Codec, nil, missingCap), types.ErrInvalidParams, "a forgotten cap is an error, not unlimited")
}

func TestModuleServices(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(stable.AppModuleBasic{})
	key := storetypes.NewKVStoreKey(types.StoreKey)
	k := keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(key), moduleNames{}, nil, nil, authority.String(), log.NewNopLogger())
	am := stable.NewAppModule(encCfg.Codec, k)

	services := modtest.Register(encCfg, am)
	msgRouter, queryRouter := services.Msgs, services.Queries

	for _, msg := range []sdk.Msg{&types.MsgMint{}, &types.MsgRedeem{}, &types.MsgUpdateParams{}, &types.MsgUpdateAllowlist{}} {
		require.NotNil(t, msgRouter.Handler(msg), sdk.MsgTypeURL(msg))
	}
	for _, route := range []string{"Params", "Reserves", "Reserve", "ProofOfReserves", "Allowlist", "Allowlisted", "FeesCollected"} {
		require.NotNil(t, queryRouter.Route("/infrafi.stable.v1.Query/"+route), route)
	}
	require.Equal(t, uint64(2), am.ConsensusVersion())
	require.Equal(t, authtypes.NewModuleAddress(types.ModuleName), k.ModuleAddress())
	require.Equal(t, authtypes.NewModuleAddress(types.ProtocolFeeCollector), k.FeeCollectorAddress())
}

func TestMsgSigners(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(stable.AppModuleBasic{})
	tests := []struct {
		msg    sdk.Msg
		signer sdk.AccAddress
	}{
		{&types.MsgMint{Sender: sender.String(), Amount: sdk.NewInt64Coin("uusdc", 1)}, sender},
		{&types.MsgRedeem{Sender: sender.String(), Amount: sdk.NewInt64Coin("uusdai", 1), ReserveDenom: "uusdc"}, sender},
		{&types.MsgUpdateParams{Authority: authority.String(), Params: types.DefaultParams()}, authority},
		{&types.MsgUpdateAllowlist{Authority: authority.String(), Add: []string{sender.String()}}, authority},
	}
	for _, tc := range tests {
		signers, _, err := encCfg.Codec.GetMsgV1Signers(tc.msg)
		require.NoError(t, err, sdk.MsgTypeURL(tc.msg))
		require.Equal(t, [][]byte{tc.signer.Bytes()}, signers, sdk.MsgTypeURL(tc.msg))
	}

	bz := encCfg.Amino.MustMarshalJSON(&types.MsgMint{Sender: sender.String(), Amount: sdk.NewInt64Coin("uusdc", 1)})
	require.Contains(t, string(bz), `"type":"infrafi/stable/MsgMint"`)
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
	opts := stable.AppModule{}.AutoCLIOptions()
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
