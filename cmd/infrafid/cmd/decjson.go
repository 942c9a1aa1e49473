package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	cosmos_proto "github.com/cosmos/cosmos-proto"
	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/iancoleman/strcase"
	"github.com/spf13/cobra"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/math"
)

// gogoCustomTypeField is the field number of the (gogoproto.customtype) field
// option. It is read from the raw options because gogoproto's extensions are
// registered with gogoproto's registry, not with the protobuf-go one the
// resolved descriptors use.
const gogoCustomTypeField = 65003

// humanDecJSONArgs makes every autocli tx command that takes a message as a
// JSON positional argument accept cosmos.Dec values inside that JSON as
// decimals ("0.98"), the form REST, genesis and gov proposal files use.
// autocli parses the JSON with protojson into a dynamicpb message, where a
// LegacyDec is a bare string holding the value × 10^18; so before autocli
// sees the argument its decimals are rewritten into that integer form.
//
// How it hooks in: it walks the same autocli options EnhanceRootCommand built
// the tx commands from, so each command's RPC method, input message and
// positional-argument fields are known exactly, and wraps the RunE autocli
// gave the command. Wrapping RunE (rather than the JSON flag value or Args)
// keeps autocli untouched: its RunE is the single entry point that parses the
// arguments and then either broadcasts the message or, for GovProposal
// commands, wraps it in a MsgSubmitProposal, so both modes are covered. A new
// command with a message positional argument is covered without code changes.
func humanDecJSONArgs(rootCmd *cobra.Command, opts autocli.AppOptions) error {
	txCmd := findChild(rootCmd, "tx")
	if txCmd == nil {
		return nil
	}
	// The merged registry, as autocli itself uses: gogoproto's
	// HybridResolver leaves message fields that refer to another file
	// unresolved, which would hide nested decimals.
	files, err := gogoproto.MergedRegistry()
	if err != nil {
		return err
	}
	names := make([]string, 0, len(opts.ModuleOptions))
	for name := range opts.ModuleOptions {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		mod := opts.ModuleOptions[name]
		if mod == nil || mod.Tx == nil {
			continue
		}
		if modCmd := findChild(txCmd, name); modCmd != nil {
			if err := wrapServiceCommands(modCmd, mod.Tx, files); err != nil {
				return err
			}
		}
	}
	return nil
}

func wrapServiceCommands(cmd *cobra.Command, desc *autocliv1.ServiceCommandDescriptor, files *protoregistry.Files) error {
	for sub, subDesc := range desc.SubCommands {
		if subCmd := findChild(cmd, sub); subCmd != nil {
			if err := wrapServiceCommands(subCmd, subDesc, files); err != nil {
				return err
			}
		}
	}
	if desc.Service == "" {
		return nil
	}
	d, err := files.FindDescriptorByName(protoreflect.FullName(desc.Service))
	if err != nil {
		return fmt.Errorf("autocli service %s: %w", desc.Service, err)
	}
	service, ok := d.(protoreflect.ServiceDescriptor)
	if !ok {
		return fmt.Errorf("autocli service %s is not a service", desc.Service)
	}
	for _, rpc := range desc.RpcCommandOptions {
		method := service.Methods().ByName(protoreflect.Name(rpc.RpcMethod))
		if method == nil || rpc.Skip {
			continue
		}
		use := rpc.Use
		if use == "" {
			use = strcase.ToKebab(rpc.RpcMethod)
		}
		methodCmd := findChild(cmd, strings.Fields(use)[0])
		if methodCmd == nil || methodCmd.RunE == nil {
			continue
		}
		jsonArgs := map[int]protoreflect.FieldDescriptor{}
		for i, arg := range rpc.PositionalArgs {
			fd := method.Input().Fields().ByName(protoreflect.Name(arg.ProtoField))
			if fd != nil && fd.Kind() == protoreflect.MessageKind && !fd.IsList() && !fd.IsMap() && !arg.Varargs {
				jsonArgs[i] = fd
			}
		}
		if len(jsonArgs) == 0 {
			continue
		}
		runE := methodCmd.RunE
		methodCmd.RunE = func(c *cobra.Command, args []string) error {
			for i, fd := range jsonArgs {
				if i >= len(args) {
					continue
				}
				rewritten, err := decArgToLegacy(args[i], fd)
				if err != nil {
					return err
				}
				args[i] = rewritten
			}
			return runE(c, args)
		}
	}
	return nil
}

func findChild(cmd *cobra.Command, name string) *cobra.Command {
	for _, c := range cmd.Commands() {
		if c.Name() == name {
			return c
		}
	}
	return nil
}

// decArgToLegacy rewrites one positional argument holding the JSON of field
// fd (inline, or a path ending in .json, which autocli also accepts).
// Arguments that are not a JSON object (a coin such as "10uusdai") are left
// for autocli to parse as it does.
func decArgToLegacy(arg string, fd protoreflect.FieldDescriptor) (string, error) {
	raw := []byte(arg)
	if strings.HasSuffix(arg, ".json") {
		bz, err := os.ReadFile(arg)
		if err != nil {
			return "", err
		}
		raw = bz
	}
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		return arg, nil
	}
	out, err := DecJSONToLegacy(raw, fd.Message(), string(fd.Name()))
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// DecJSONToLegacy rewrites every LegacyDec field (cosmos_proto.scalar
// "cosmos.Dec" with a LegacyDec customtype) in the protojson of a message of
// type md from decimal form ("0.98") to LegacyDec's integer form
// ("980000000000000000"), through nested messages, repeated fields and maps.
// path names the argument in errors. JSON it cannot walk (not an object) is
// returned unchanged, for protojson to reject with its own message.
func DecJSONToLegacy(bz []byte, md protoreflect.MessageDescriptor, path string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(bz))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return bz, nil //nolint:nilerr // protojson reports the syntax error with its position
	}
	v, err := rewriteMessage(v, md, path)
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func rewriteMessage(v any, md protoreflect.MessageDescriptor, path string) (any, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		// Well-known types (Duration "3600s", Timestamp) and null are not objects.
		return v, nil
	}
	for key, val := range obj {
		fd := md.Fields().ByJSONName(key)
		if fd == nil {
			fd = md.Fields().ByName(protoreflect.Name(key))
		}
		if fd == nil {
			continue // protojson rejects unknown fields
		}
		fieldPath := path + "." + string(fd.Name())
		var err error
		switch {
		case fd.IsMap():
			m, isObj := val.(map[string]any)
			if !isObj {
				continue
			}
			for k, mv := range m {
				if m[k], err = rewriteValue(mv, fd.MapValue(), fmt.Sprintf("%s[%s]", fieldPath, k)); err != nil {
					return nil, err
				}
			}
		case fd.IsList():
			list, isList := val.([]any)
			if !isList {
				continue
			}
			for i, item := range list {
				if list[i], err = rewriteValue(item, fd, fmt.Sprintf("%s[%d]", fieldPath, i)); err != nil {
					return nil, err
				}
			}
		default:
			if obj[key], err = rewriteValue(val, fd, fieldPath); err != nil {
				return nil, err
			}
		}
	}
	return obj, nil
}

// rewriteValue rewrites one element of field fd (the field itself, an item
// of a repeated field, or a map value).
func rewriteValue(v any, fd protoreflect.FieldDescriptor, path string) (any, error) {
	switch {
	case fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.GroupKind:
		if fd.Message() == nil {
			return v, nil // an unresolved descriptor: nothing to walk
		}
		return rewriteMessage(v, fd.Message(), path)
	case fd.Kind() == protoreflect.StringKind && isLegacyDec(fd):
		s, ok := v.(string)
		if !ok || s == "" {
			// "" is the proto3 default, as if the field were missing.
			return v, nil
		}
		d, err := math.LegacyNewDecFromStr(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not a decimal (write e.g. \"0.98\"): %w", path, s, err)
		}
		return d.BigInt().String(), nil
	default:
		return v, nil
	}
}

// isLegacyDec reports a string field that gogoproto decodes as a LegacyDec.
// The customtype check matters: some SDK fields (gov's
// min_initial_deposit_ratio) are cosmos.Dec scalars stored as plain decimal
// strings, and must be left as written.
func isLegacyDec(fd protoreflect.FieldDescriptor) bool {
	if scalar, _ := proto.GetExtension(fd.Options(), cosmos_proto.E_Scalar).(string); scalar != "cosmos.Dec" {
		return false
	}
	opts, err := proto.Marshal(fd.Options())
	if err != nil {
		return false
	}
	for len(opts) > 0 {
		num, typ, n := protowire.ConsumeTag(opts)
		if n < 0 {
			return false
		}
		opts = opts[n:]
		if num == gogoCustomTypeField && typ == protowire.BytesType {
			ct, m := protowire.ConsumeString(opts)
			return m >= 0 && (strings.HasSuffix(ct, "LegacyDec") || strings.HasSuffix(ct, "types.Dec"))
		}
		m := protowire.ConsumeFieldValue(num, typ, opts)
		if m < 0 {
			return false
		}
		opts = opts[m:]
	}
	return false
}
