package cmd

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cosmos_proto "github.com/cosmos/cosmos-proto"
	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"

	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

// decTestMessage builds a descriptor exercising every shape the rewrite
// walks: Outer{rate, plain, inner Inner, items []Inner, by_name map<string,Inner>}
// with Inner{rate}. "rate" is a LegacyDec; "plain" is a cosmos.Dec scalar
// without the LegacyDec customtype (like gov's min_initial_deposit_ratio).
func decTestMessage(t *testing.T) protoreflect.MessageDescriptor {
	t.Helper()
	decOpts := func(customType bool) *descriptorpb.FieldOptions {
		o := &descriptorpb.FieldOptions{}
		proto.SetExtension(o, cosmos_proto.E_Scalar, "cosmos.Dec")
		if customType {
			raw := protowire.AppendTag(nil, gogoCustomTypeField, protowire.BytesType)
			o.ProtoReflect().SetUnknown(protowire.AppendString(raw, "cosmossdk.io/math.LegacyDec"))
		}
		return o
	}
	str := descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum()
	msg := descriptorpb.FieldDescriptorProto_TYPE_MESSAGE.Enum()
	opt := descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum()
	rep := descriptorpb.FieldDescriptorProto_LABEL_REPEATED.Enum()
	field := func(name string, num int32, typ *descriptorpb.FieldDescriptorProto_Type, label *descriptorpb.FieldDescriptorProto_Label, typeName string, o *descriptorpb.FieldOptions) *descriptorpb.FieldDescriptorProto {
		f := &descriptorpb.FieldDescriptorProto{Name: proto.String(name), Number: proto.Int32(num), Type: typ, Label: label, Options: o}
		if typeName != "" {
			f.TypeName = proto.String(typeName)
		}
		return f
	}
	fdp := &descriptorpb.FileDescriptorProto{
		Name:    proto.String("clidec_test.proto"),
		Package: proto.String("clidectest"),
		Syntax:  proto.String("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{
			{Name: proto.String("Inner"), Field: []*descriptorpb.FieldDescriptorProto{field("rate", 1, str, opt, "", decOpts(true))}},
			{
				Name: proto.String("Outer"),
				Field: []*descriptorpb.FieldDescriptorProto{
					field("rate", 1, str, opt, "", decOpts(true)),
					field("plain", 2, str, opt, "", decOpts(false)),
					field("inner", 3, msg, opt, ".clidectest.Inner", nil),
					field("items", 4, msg, rep, ".clidectest.Inner", nil),
					field("by_name", 5, msg, rep, ".clidectest.Outer.ByNameEntry", nil),
				},
				NestedType: []*descriptorpb.DescriptorProto{{
					Name:    proto.String("ByNameEntry"),
					Options: &descriptorpb.MessageOptions{MapEntry: proto.Bool(true)},
					Field: []*descriptorpb.FieldDescriptorProto{
						field("key", 1, str, opt, "", nil),
						field("value", 2, msg, opt, ".clidectest.Inner", nil),
					},
				}},
			},
		},
	}
	fd, err := protodesc.NewFile(fdp, protoregistry.GlobalFiles)
	require.NoError(t, err)
	return fd.Messages().ByName("Outer")
}

func TestDecJSONToLegacy(t *testing.T) {
	md := decTestMessage(t)
	for _, tc := range []struct {
		name, in, want, err string
	}{
		{name: "top level", in: `{"rate":"0.98"}`, want: `{"rate":"980000000000000000"}`},
		{name: "integer means whole units", in: `{"rate":"1"}`, want: `{"rate":"1000000000000000000"}`},
		{name: "an 18-digit integer is that many units", in: `{"rate":"1000000000000000000.000000000000000000"}`,
			want: `{"rate":"1000000000000000000000000000000000000"}`},
		{name: "negative", in: `{"rate":"-0.5"}`, want: `{"rate":"-500000000000000000"}`},
		{name: "nested", in: `{"inner":{"rate":"0.25"}}`, want: `{"inner":{"rate":"250000000000000000"}}`},
		{name: "repeated", in: `{"items":[{"rate":"0.1"},{},{"rate":"2"}]}`,
			want: `{"items":[{"rate":"100000000000000000"},{},{"rate":"2000000000000000000"}]}`},
		{name: "map", in: `{"by_name":{"a":{"rate":"0.5"}}}`, want: `{"by_name":{"a":{"rate":"500000000000000000"}}}`},
		{name: "json names", in: `{"byName":{"a":{"rate":"0.5"}}}`, want: `{"byName":{"a":{"rate":"500000000000000000"}}}`},
		{name: "missing and empty stay", in: `{"inner":{},"rate":""}`, want: `{"inner":{},"rate":""}`},
		{name: "plain cosmos.Dec string is not a LegacyDec", in: `{"plain":"0.01"}`, want: `{"plain":"0.01"}`},
		{name: "unknown fields left to protojson", in: `{"nope":"0.5"}`, want: `{"nope":"0.5"}`},
		{name: "invalid", in: `{"rate":"abc"}`, err: `product.rate: "abc" is not a decimal`},
		{name: "invalid nested in a list", in: `{"items":[{"rate":"0.1"},{"rate":"1,5"}]}`, err: `product.items[1].rate: "1,5" is not a decimal`},
		{name: "too precise", in: `{"inner":{"rate":"0.0000000000000000001"}}`, err: `product.inner.rate: "0.0000000000000000001" is not a decimal`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := DecJSONToLegacy([]byte(tc.in), md, "product")
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.JSONEq(t, tc.want, string(out))
		})
	}
}

// generateOnly runs the real infrafid command tree with --generate-only and
// returns the unsigned tx JSON it prints.
func generateOnly(t *testing.T, args ...string) map[string]any {
	t.Helper()
	home := t.TempDir()
	root := txRootCmd(home)
	out := filepath.Join(home, "tx.json")
	f, err := os.Create(out)
	require.NoError(t, err)
	defer f.Close()
	root.SetOut(f)
	root.SetArgs(append(args, "--generate-only", "--chain-id", "infrafi-test-1",
		"--from", testFrom))
	require.NoError(t, root.Execute())
	bz, err := os.ReadFile(out)
	require.NoError(t, err)
	var tx map[string]any
	require.NoError(t, json.Unmarshal(bz, &tx), string(bz))
	return tx
}

// testFrom is a bech32 address, so --generate-only needs no keyring.
var testFrom = sdk.MustBech32ifyAddressBytes("infra", []byte("clidec-test-signer__"))

// txRootCmd is the command tree as main runs it: svrcmd.Execute adds the
// persistent --home flag that client commands read.
func txRootCmd(home string) *cobra.Command {
	root := NewRootCmd()
	root.PersistentFlags().String(flags.FlagHome, home, "node home")
	return root
}

// TestCLIJSONDecimals: a decimal inside the JSON argument of a gov-proposal
// command reaches the generated proposal as that decimal, and with
// --no-proposal in the plain message.
func TestCLIJSONDecimals(t *testing.T) {
	msgs := func(tx map[string]any) []any { return tx["body"].(map[string]any)["messages"].([]any) }

	tx := generateOnly(t, "tx", "lending", "create-product", `{"id":"gpu-senior","max_ltv":"0.7","asset_classes":["h100"]}`)
	prop := msgs(tx)[0].(map[string]any)
	require.Equal(t, "/cosmos.gov.v1.MsgSubmitProposal", prop["@type"])
	inner := prop["messages"].([]any)[0].(map[string]any)
	require.Equal(t, "/infrafi.lending.v1.MsgCreateProduct", inner["@type"])
	require.Equal(t, "0.700000000000000000", inner["product"].(map[string]any)["max_ltv"])

	tx = generateOnly(t, "tx", "oracle", "update-params", `{"default_post_ttl":"3600s","max_post_ttl":"86400s",`+
		`"max_feeders_per_feed":32,"max_value":"1000000000000000000","min_power":"0.5"}`, "--no-proposal")
	msg := msgs(tx)[0].(map[string]any)
	require.Equal(t, "/infrafi.oracle.v1.MsgUpdateParams", msg["@type"])
	params := msg["params"].(map[string]any)
	require.Equal(t, "0.500000000000000000", params["min_power"])
	require.Equal(t, "1000000000000000000.000000000000000000", params["max_value"])

	// A decimal in a message of another proto file, inside a repeated field.
	tx = generateOnly(t, "tx", "stable", "update-params", `{"reserves":[{"denom":"uusdc","enabled":true,`+
		`"cap":"5000000000000","depeg_feed":"fx/uusdc","depeg_threshold":"0.98"}],"supply_cap":"10000000000000"}`, "--no-proposal")
	reserve := msgs(tx)[0].(map[string]any)["params"].(map[string]any)["reserves"].([]any)[0].(map[string]any)
	require.Equal(t, "0.980000000000000000", reserve["depeg_threshold"])

	// A bad decimal stops the command before anything is generated.
	root := txRootCmd(t.TempDir())
	root.SetArgs([]string{"tx", "oracle", "update-params", `{"min_power":"half"}`, "--generate-only",
		"--from", testFrom})
	root.SetOut(io.Discard)
	root.SetErr(io.Discard)
	require.ErrorContains(t, root.Execute(), `params.min_power: "half" is not a decimal`)
}

// TestJSONExamplesGenerate: every infrafi tx command taking one JSON argument
// whose Example carries it complete builds its gov proposal through the real command
// tree, so the documented decimal form is the one the CLI accepts.
func TestJSONExamplesGenerate(t *testing.T) {
	root := NewRootCmd()
	txCmd := findChild(root, "tx")
	ran := 0
	for _, m := range []string{"oracle", "stable", "caliber", "yield", "lending"} {
		for _, c := range findChild(txCmd, m).Commands() {
			use := strings.Fields(c.Use)
			start, end := strings.Index(c.Example, "'{"), strings.LastIndex(c.Example, "}'")
			if len(use) != 2 || !strings.HasSuffix(use[1], "-json]") || start < 0 || end < start {
				continue
			}
			js := c.Example[start+1 : end+1]
			if !json.Valid([]byte(js)) || strings.Contains(js, "infra1...") {
				continue // an elided example ('{...}') or a placeholder address
			}
			tx := generateOnly(t, "tx", m, c.Name(), js)
			prop := tx["body"].(map[string]any)["messages"].([]any)[0].(map[string]any)
			require.Equal(t, "/cosmos.gov.v1.MsgSubmitProposal", prop["@type"], "%s %s", m, c.Name())
			require.Len(t, prop["messages"], 1, "%s %s", m, c.Name())
			t.Logf("%s %s: proposal generated", m, c.Name())
			ran++
		}
	}
	require.GreaterOrEqual(t, ran, 7, "the oracle, stable and caliber JSON examples ran")
}

// TestCLIJSONDecIsDecimal (formerly x/oracle's TestCLIJSONDecIsRaw) pins the
// rule documented for `update-params`: a cosmos.Dec inside a JSON argument is
// written as a decimal, the form the params query prints, and decodes to the
// same gogoproto Params; a raw 18-digit integer is that many whole units.
func TestCLIJSONDecIsDecimal(t *testing.T) {
	files, err := gogoproto.MergedRegistry()
	require.NoError(t, err)
	desc, err := files.FindDescriptorByName("infrafi.oracle.v1.Params")
	require.NoError(t, err)
	md := desc.(protoreflect.MessageDescriptor)
	parse := func(js string) oracletypes.Params {
		t.Helper()
		legacy, err := DecJSONToLegacy([]byte(js), md, "params")
		require.NoError(t, err)
		msg := dynamicpb.NewMessage(md)
		require.NoError(t, protojson.Unmarshal(legacy, msg))
		bz, err := proto.Marshal(msg)
		require.NoError(t, err)
		var params oracletypes.Params
		require.NoError(t, params.Unmarshal(bz))
		return params
	}

	require.Equal(t, oracletypes.DefaultParams(), parse(`{"default_post_ttl":"3600s","max_post_ttl":"86400s",`+
		`"max_feeders_per_feed":32,"max_value":"1000000000000000000","min_power":"0.666666666666666666"}`))

	raw := parse(`{"min_power":"666666666666666666"}`)
	require.Equal(t, math.LegacyMustNewDecFromStr("666666666666666666"), raw.MinPower)
	require.Error(t, raw.Validate(), "a raw integer min_power is out of range, not 0.67")
}
