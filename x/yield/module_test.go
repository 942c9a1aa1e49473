package yield_test

import (
	"encoding/json"
	"testing"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/types/msgservice"

	"github.com/infrafi/infrafi/x/yield"
	"github.com/infrafi/infrafi/x/yield/types"
)

var (
	authority = sdk.AccAddress([]byte("authority___________"))
	owner     = sdk.AccAddress([]byte("owner_______________"))
)

func TestGenesisJSONThroughModule(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(yield.AppModuleBasic{})
	basic := yield.AppModuleBasic{}

	def := basic.DefaultGenesis(encCfg.Codec)
	require.NoError(t, basic.ValidateGenesis(encCfg.Codec, nil, def))
	var gs map[string]any
	require.NoError(t, json.Unmarshal(def, &gs))
	require.Equal(t, map[string]any{
		"epoch_length": "2592000s", "cancel_cutoff": "86400s", "max_redemptions_per_block": float64(50),
		"protocol_bid_share_bps": float64(1000), "admin_fee_bps": float64(100), "liquidity_buffer_bps": float64(500),
		"rebalance_interval": "86400s", "treasury_rate_feed": "rate/tbill", "treasury_custodian": "",
		"treasury_reserve_denom": "", "checkpoint_interval": "86400s", "max_checkpoints": float64(400),
	}, gs["params"])
	for _, field := range []string{"requests", "checkpoints"} {
		require.Equal(t, []any{}, gs[field], field)
	}

	require.Error(t, basic.ValidateGenesis(encCfg.Codec, nil, json.RawMessage(`{"params":`)))
	var bad types.GenesisState
	encCfg.Codec.MustUnmarshalJSON(def, &bad)
	bad.Params.MaxRedemptionsPerBlock = 0
	require.ErrorIs(t, basic.ValidateGenesis(encCfg.Codec, nil, encCfg.Codec.MustMarshalJSON(&bad)), types.ErrInvalidParams)
}

func TestMsgSigners(t *testing.T) {
	encCfg := moduletestutil.MakeTestEncodingConfig(yield.AppModuleBasic{})
	for _, tc := range []struct {
		msg    sdk.Msg
		signer sdk.AccAddress
	}{
		{&types.MsgDeposit{Depositor: owner.String(), Amount: sdk.NewCoin(types.AssetDenom, math.OneInt())}, owner},
		{&types.MsgRequestRedeem{Owner: owner.String(), Shares: math.OneInt()}, owner},
		{&types.MsgUpdateBid{Owner: owner.String()}, owner},
		{&types.MsgCancelRedeem{Owner: owner.String()}, owner},
		{&types.MsgSettleTreasury{Custodian: owner.String(), Principal: math.ZeroInt(), Yield: math.OneInt()}, owner},
		{&types.MsgUpdateParams{Authority: authority.String(), Params: types.DefaultParams()}, authority},
	} {
		signers, _, err := encCfg.Codec.GetMsgV1Signers(tc.msg)
		require.NoError(t, err, sdk.MsgTypeURL(tc.msg))
		require.Equal(t, [][]byte{tc.signer.Bytes()}, signers, sdk.MsgTypeURL(tc.msg))
	}
	bz := encCfg.Amino.MustMarshalJSON(&types.MsgDeposit{Depositor: owner.String(), Amount: sdk.NewCoin(types.AssetDenom, math.OneInt())})
	require.Contains(t, string(bz), `"type":"infrafi/yield/MsgDeposit"`)
}

func TestProtoAnnotations(t *testing.T) {
	files, err := proto.MergedRegistry()
	require.NoError(t, err)
	require.NoError(t, msgservice.ValidateProtoAnnotations(files))
}

// TestAutoCLIOptionsMatchServices: every RPC is described with Use, Short and
// an Example, and positional args name real fields.
func TestAutoCLIOptionsMatchServices(t *testing.T) {
	opts := yield.AppModule{}.AutoCLIOptions()
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
