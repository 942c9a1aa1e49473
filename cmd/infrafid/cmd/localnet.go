package cmd

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	sdkmath "cosmossdk.io/math"
	cmtcfg "github.com/cometbft/cometbft/config"
	cmted25519 "github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/p2p"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/cosmos/go-bip39"
	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	srvconfig "github.com/cosmos/cosmos-sdk/server/config"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/x/oracle/provider"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

const (
	flagLocalnetOutputDir  = "output-dir"
	flagLocalnetValidators = "validators"
	flagLocalnetChainID    = "chain-id"
	flagLocalnetP2PPort    = "p2p-port"
	flagLocalnetRPCPort    = "rpc-port"
	flagLocalnetGRPCPort   = "grpc-port"
	flagLocalnetAPIPort    = "api-port"
	flagLocalnetPromPort   = "prometheus-port"
	flagLocalnetPortStep   = "port-step"
	flagLocalnetOverwrite  = "overwrite"

	defaultLocalnetOutputDir = "./.localnet"
	defaultLocalnetChainID   = "infrafi-localnet-1"
	maxLocalnetValidators    = 10

	// localnetSeed is the public root every localnet key derives from, so
	// addresses stay the same across runs. Changing it changes every address.
	localnetSeed = "infrafi-localnet-v1"

	// localnetManifestFile lists chain id, nodes and keys for scripts and the Go harness.
	localnetManifestFile = "localnet.json"

	localnetLoopback = "127.0.0.1"

	// Every localnet node takes a state-sync snapshot each
	// localnetSnapshotInterval blocks and keeps the last two, so a new node
	// joins in seconds (`localnet add-node`).
	localnetSnapshotInterval   = 20
	localnetSnapshotKeepRecent = 2

	// localnetTelemetryRetention is how long the SDK's Prometheus sink keeps
	// a metric that stopped being updated.
	localnetTelemetryRetention = 600
)

// localnetRoleKeys are the demo parties every node's keyring holds, in the
// order the summary prints them.
var localnetRoleKeys = []string{
	"borrower", "depositor", "issuer", "custodian", "appraiser", "insurer", "curator", "feeder", "treasury",
}

// localnetReserveHolders receive the localnet reserve stablecoin so they can
// mint USDai, post insurance and seed tranches.
var localnetReserveHolders = []string{"borrower", "depositor", "insurer", "curator", "treasury", "issuer"}

// Balances in base units (6 decimals).
var (
	localnetValidatorBalance = sdkmath.NewInt(10_000_000_000_000) // 10M INFRA
	localnetSelfDelegation   = sdkmath.NewInt(1_000_000_000_000)  // 1M INFRA
	localnetDemoBalance      = sdkmath.NewInt(1_000_000_000_000)  // 1M INFRA
	localnetReserveBalance   = sdkmath.NewInt(10_000_000_000_000) // 10M USDC
)

// Fast governance and lenient downtime slashing, so proposals pass in a
// minute and a validator stopped for a while is not jailed.
const (
	localnetVotingPeriod          = 30 * time.Second
	localnetExpeditedVotingPeriod = 15 * time.Second
	localnetSignedBlocksWindow    = 10_000
)

var (
	localnetMinDeposit          = sdkmath.NewInt(1_000_000) // 1 INFRA
	localnetExpeditedMinDeposit = sdkmath.NewInt(5_000_000) // 5 INFRA
)

// localnetFeeds are the oracle feeds the validators price at genesis through
// vote extensions, each from the files `localnet init` writes into its home
// (LocalnetPriceFile); nobody posts price transactions for them.
var localnetFeeds = []oracletypes.Feed{
	{
		Id:          "gpu/nvidia-h100-sxm5-80gb",
		Description: "Market price of one NVIDIA H100 SXM5 80GB GPU",
		Unit:        "uusdai/gpu",
		MinFeeders:  1,
		MaxAge:      24 * time.Hour,
		Source:      oracletypes.FEED_SOURCE_VOTE_EXTENSIONS,
	},
	{
		Id:          "rate/tbill",
		Description: "T-bill APR as a decimal (0.0525 = 5.25%)",
		Unit:        "apr",
		MinFeeders:  1,
		MaxAge:      24 * time.Hour,
		Source:      oracletypes.FEED_SOURCE_VOTE_EXTENSIONS,
	},
	{
		Id:          "fx/" + app.LocalnetReserveDenom,
		Description: "USD price of one USDC, the localnet reserve stablecoin (uusdc)",
		Unit:        "usd",
		MinFeeders:  1,
		MaxAge:      24 * time.Hour,
		Source:      oracletypes.FEED_SOURCE_VOTE_EXTENSIONS,
	},
}

// localnetFeederFeed is the one localnet feed on the FEEDERS source, posted
// by the "feeder" key: a B200 market index that no asset class reads yet
// (governance binds a class to a feed), kept so the localnet exercises both
// sources and the feeder role has a feed to post to.
var localnetFeederFeed = oracletypes.Feed{
	Id:          "gpu/nvidia-b200-192gb",
	Description: "Market price of one NVIDIA B200 192GB GPU, posted by feeders (no class reads it)",
	Unit:        "uusdai/gpu",
	MinFeeders:  1,
	MaxAge:      24 * time.Hour,
	Source:      oracletypes.FEED_SOURCE_FEEDERS,
}

// localnetPrices are the values each node's price files start with: an H100
// at 30,000 USDai, a 5% T-bill APR and USDC at par.
var localnetPrices = map[string]string{
	"gpu/nvidia-h100-sxm5-80gb":      "30000000000",
	"rate/tbill":                     "0.05",
	"fx/" + app.LocalnetReserveDenom: "1",
}

// localnetVoteExtensionsEnableHeight is the first height whose precommits carry
// prices; block 3 is the first to apply them.
const localnetVoteExtensionsEnableHeight = 2

// LocalnetPriceFile is where node home keeps its price for feedID: a plain
// decimal, read by the node's price provider every second. Editing it changes
// what that validator reports.
func LocalnetPriceFile(home, feedID string) string {
	return filepath.Join(home, "oracle", provider.FeedFileName(feedID))
}

// writeLocalnetOracle writes a node's price files and appends the [oracle]
// section reading them to its app.toml.
func writeLocalnetOracle(home string) error {
	if err := os.MkdirAll(filepath.Join(home, "oracle"), 0o755); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("\n[oracle]\ntimeout = \"500ms\"\nrefresh_interval = \"1s\"\n")
	for _, feed := range localnetFeeds {
		path := LocalnetPriceFile(home, feed.Id)
		if err := os.WriteFile(path, []byte(localnetPrices[feed.Id]+"\n"), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(&b, "\n[[oracle.feeds]]\nid = %q\nsources = [{ file = %q }]\n", feed.Id, path)
	}
	// The command's app.toml template may already carry the empty [oracle]
	// section; a TOML table cannot appear twice, so this one replaces it.
	path := filepath.Join(home, "config", "app.toml")
	bz, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	text := strings.Replace(string(bz), provider.DefaultConfigTemplate, "", 1)
	return os.WriteFile(path, []byte(text+b.String()), 0o644)
}

// localnetPorts are one node's listen ports on 127.0.0.1.
type localnetPorts struct {
	P2P  int `json:"p2p"`
	RPC  int `json:"rpc"`
	GRPC int `json:"grpc"`
	API  int `json:"api"`
	// Prometheus serves CometBFT's /metrics (which includes the SDK
	// telemetry and infrafi's protocol gauges: one default registry).
	Prometheus int `json:"prometheus"`
}

type localnetOptions struct {
	OutputDir  string
	ChainID    string
	Validators int
	Base       localnetPorts
	PortStep   int
	Overwrite  bool
}

func (o localnetOptions) nodePorts(i int) localnetPorts {
	off := i * o.PortStep
	return localnetPorts{
		P2P: o.Base.P2P + off, RPC: o.Base.RPC + off, GRPC: o.Base.GRPC + off, API: o.Base.API + off,
		Prometheus: o.Base.Prometheus + off,
	}
}

func (o localnetOptions) validate() error {
	if o.Validators < 1 || o.Validators > maxLocalnetValidators {
		return fmt.Errorf("--%s must be between 1 and %d, got %d", flagLocalnetValidators, maxLocalnetValidators, o.Validators)
	}
	if strings.TrimSpace(o.ChainID) == "" {
		return fmt.Errorf("--%s must not be empty", flagLocalnetChainID)
	}
	if strings.TrimSpace(o.OutputDir) == "" {
		return fmt.Errorf("--%s must not be empty", flagLocalnetOutputDir)
	}
	if o.PortStep < 1 {
		return fmt.Errorf("--%s must be positive, got %d", flagLocalnetPortStep, o.PortStep)
	}
	used := make(map[int]string)
	for i := 0; i < o.Validators; i++ {
		p := o.nodePorts(i)
		for _, port := range []struct {
			name  string
			value int
		}{{"p2p", p.P2P}, {"rpc", p.RPC}, {"grpc", p.GRPC}, {"api", p.API}, {"prometheus", p.Prometheus}} {
			if port.value < 1 || port.value > 65535 {
				return fmt.Errorf("node%d %s port %d is out of range", i, port.name, port.value)
			}
			what := fmt.Sprintf("node%d %s", i, port.name)
			if prev, ok := used[port.value]; ok {
				return fmt.Errorf("port %d is used twice (%s and %s): choose other base ports or a larger --%s", port.value, prev, what, flagLocalnetPortStep)
			}
			used[port.value] = what
		}
	}
	return nil
}

// localnetManifest is the content of localnet.json.
type localnetManifest struct {
	ChainID string         `json:"chain_id"`
	Nodes   []localnetNode `json:"nodes"`
	// PortStep is the port distance between consecutive nodes; `localnet
	// add-node` places full node j after the validators with it.
	PortStep int `json:"port_step"`
	// FullNodes are the non-validators added by `localnet add-node`.
	FullNodes []localnetNode              `json:"full_nodes,omitempty"`
	Keys      map[string]localnetKeyEntry `json:"keys"`
}

type localnetNode struct {
	Name            string        `json:"name"`
	Home            string        `json:"home"`
	NodeID          string        `json:"node_id"`
	ValidatorKey    string        `json:"validator_key"`
	OperatorAddress string        `json:"operator_address"`
	Ports           localnetPorts `json:"ports"`
	RPC             string        `json:"rpc"`
	REST            string        `json:"rest"`
	GRPC            string        `json:"grpc"`
	P2P             string        `json:"p2p"`
	Metrics         string        `json:"metrics"`
}

type localnetKeyEntry struct {
	Address  string `json:"address"`
	Mnemonic string `json:"mnemonic"`
}

// localnetKey is a deterministic demo key.
type localnetKey struct {
	Name     string
	Mnemonic string
	Address  sdk.AccAddress
}

// LocalnetCmd returns the `localnet` command group for running infrafi on loopback.
func LocalnetCmd(mbm module.BasicManager) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "localnet",
		Short: "Create local infrafi networks on 127.0.0.1 for development and tests",
	}
	cmd.AddCommand(localnetInitCmd(mbm), localnetAddNodeCmd())
	return cmd
}

func localnetInitCmd(mbm module.BasicManager) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write node homes, demo keys and a shared genesis for a loopback network",
		Long: `Create one home directory per validator (node0, node1, ...) under --output-dir, each with
config/ (config.toml, app.toml, client.toml, genesis.json, node and validator keys), data/ and
keyring-test/.

The genesis starts from the app's defaults and adds localnet specifics: funded demo accounts
(validators, borrower, depositor, issuer, custodian, appraiser, insurer, curator, feeder,
treasury), uusdc as the reserve stand-in, fast governance, the oracle feeds
gpu/nvidia-h100-sxm5-80gb, rate/tbill and fx/uusdc priced by the validators through vote
extensions (each node reads them from the files in <home>/oracle/, enabled from height 2), the
feed gpu/nvidia-b200-192gb posted by "feeder", and one gentx per validator.

Node i listens on 127.0.0.1 at base port + i*port-step for P2P, CometBFT RPC, gRPC, REST and
Prometheus /metrics (CometBFT instrumentation, SDK telemetry and infrafi's protocol gauges).
Every node takes a state-sync snapshot every 20 blocks and keeps two, so a full node added with
'localnet add-node' joins through state sync. Every node lists the others as persistent peers. All demo keys derive from a fixed public seed,
so their addresses are the same on every run: never use them outside a localnet.

The chain id, nodes, ports and key addresses are also written to <output-dir>/localnet.json.`,
		Example: `  # one validator, default ports, then run it
  infrafid localnet init --overwrite
  infrafid start --home ./.localnet/node0

  # four validators on ports 36656/36657/9190/1417 + i*10
  infrafid localnet init --validators 4 --output-dir /tmp/ln --p2p-port 36656 --rpc-port 36657 --grpc-port 9190 --api-port 1417`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			opts, err := localnetOptionsFromFlags(cmd)
			if err != nil {
				return err
			}
			// Past flag checks, a failure is about the output dir or the
			// genesis, and the usage text would bury it.
			cmd.SilenceUsage = true
			manifest, keys, err := initLocalnet(clientCtx, mbm, opts)
			if err != nil {
				return err
			}
			printLocalnetSummary(cmd.OutOrStdout(), opts, manifest, keys)
			return nil
		},
	}

	f := cmd.Flags()
	f.String(flagLocalnetOutputDir, defaultLocalnetOutputDir, "directory that receives the node homes and localnet.json")
	f.Int(flagLocalnetValidators, 1, fmt.Sprintf("number of validators (1..%d)", maxLocalnetValidators))
	f.String(flagLocalnetChainID, defaultLocalnetChainID, "chain id of the localnet")
	f.Int(flagLocalnetP2PPort, 26656, "CometBFT P2P port of node0")
	f.Int(flagLocalnetRPCPort, 26657, "CometBFT RPC port of node0")
	f.Int(flagLocalnetGRPCPort, 9090, "gRPC port of node0")
	f.Int(flagLocalnetAPIPort, 1317, "REST (API) port of node0")
	f.Int(flagLocalnetPromPort, 26660, "Prometheus /metrics port of node0")
	f.Int(flagLocalnetPortStep, 10, "node i listens on each base port + i*port-step")
	f.Bool(flagLocalnetOverwrite, false, "remove an existing output directory first")
	return cmd
}

func localnetOptionsFromFlags(cmd *cobra.Command) (localnetOptions, error) {
	f := cmd.Flags()
	var (
		o    localnetOptions
		errs []error
	)
	get := func(v *int, name string) {
		n, err := f.GetInt(name)
		errs = append(errs, err)
		*v = n
	}
	var err error
	o.OutputDir, err = f.GetString(flagLocalnetOutputDir)
	errs = append(errs, err)
	o.ChainID, err = f.GetString(flagLocalnetChainID)
	errs = append(errs, err)
	o.Overwrite, err = f.GetBool(flagLocalnetOverwrite)
	errs = append(errs, err)
	get(&o.Validators, flagLocalnetValidators)
	get(&o.Base.P2P, flagLocalnetP2PPort)
	get(&o.Base.RPC, flagLocalnetRPCPort)
	get(&o.Base.GRPC, flagLocalnetGRPCPort)
	get(&o.Base.API, flagLocalnetAPIPort)
	get(&o.Base.Prometheus, flagLocalnetPromPort)
	get(&o.PortStep, flagLocalnetPortStep)
	if err := errors.Join(errs...); err != nil {
		return o, err
	}
	return o, o.validate()
}

// initLocalnet writes every node home and the manifest. It is the whole of
// `localnet init` apart from flag parsing and printing.
func initLocalnet(clientCtx client.Context, mbm module.BasicManager, opts localnetOptions) (localnetManifest, []localnetKey, error) {
	var manifest localnetManifest
	if err := opts.validate(); err != nil {
		return manifest, nil, err
	}
	outDir, err := filepath.Abs(opts.OutputDir)
	if err != nil {
		return manifest, nil, err
	}
	if err := prepareLocalnetDir(outDir, opts.Overwrite); err != nil {
		return manifest, nil, err
	}

	keys, err := localnetKeys(clientCtx.Codec, opts.Validators)
	if err != nil {
		return manifest, nil, err
	}

	appState, err := localnetAppState(clientCtx.Codec, mbm, keys)
	if err != nil {
		return manifest, nil, err
	}
	appStateJSON, err := json.MarshalIndent(appState, "", "  ")
	if err != nil {
		return manifest, nil, err
	}
	genesis := genutiltypes.NewAppGenesisWithVersion(opts.ChainID, appStateJSON)
	genesis.GenesisTime = time.Now().UTC().Truncate(time.Second)
	consensusParams := cmttypes.DefaultConsensusParams()
	consensusParams.ABCI.VoteExtensionsEnableHeight = localnetVoteExtensionsEnableHeight
	genesis.Consensus.Params = consensusParams

	gentxsDir := filepath.Join(outDir, "gentxs")
	if err := os.MkdirAll(gentxsDir, 0o755); err != nil {
		return manifest, nil, err
	}

	manifest = localnetManifest{ChainID: opts.ChainID, PortStep: opts.PortStep, Keys: make(map[string]localnetKeyEntry, len(keys))}
	for _, k := range keys {
		manifest.Keys[k.Name] = localnetKeyEntry{Address: k.Address.String(), Mnemonic: k.Mnemonic}
	}

	valAddrCodec := clientCtx.TxConfig.SigningContext().ValidatorAddressCodec()
	nodeCfgs := make([]*cmtcfg.Config, opts.Validators)
	initCfgs := make([]genutiltypes.InitConfig, opts.Validators)
	for i := 0; i < opts.Validators; i++ {
		node, cfg, initCfg, err := initLocalnetNode(clientCtx, opts, outDir, gentxsDir, i, keys)
		if err != nil {
			return manifest, nil, fmt.Errorf("node%d: %w", i, err)
		}
		operator, err := valAddrCodec.BytesToString(keys[i].Address)
		if err != nil {
			return manifest, nil, err
		}
		node.OperatorAddress = operator
		manifest.Nodes = append(manifest.Nodes, node)
		nodeCfgs[i], initCfgs[i] = cfg, initCfg
	}

	// Every node collects the same gentxs into the same genesis; collecting
	// also sets each node's persistent peers from the gentx memos.
	for i := range nodeCfgs {
		nodeGenesis := *genesis
		if _, err := genutil.GenAppStateFromConfig(
			clientCtx.Codec, clientCtx.TxConfig, nodeCfgs[i], initCfgs[i], &nodeGenesis,
			banktypes.GenesisBalancesIterator{}, genutiltypes.DefaultMessageValidator, valAddrCodec,
		); err != nil {
			return manifest, nil, fmt.Errorf("node%d: collect gentxs: %w", i, err)
		}
		if i == 0 {
			state, err := genutiltypes.GenesisStateFromAppGenesis(&nodeGenesis)
			if err != nil {
				return manifest, nil, err
			}
			if err := mbm.ValidateGenesis(clientCtx.Codec, clientCtx.TxConfig, state); err != nil {
				return manifest, nil, fmt.Errorf("localnet genesis is invalid: %w", err)
			}
		}
	}

	bz, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		return manifest, nil, err
	}
	if err := os.WriteFile(filepath.Join(outDir, localnetManifestFile), append(bz, '\n'), 0o644); err != nil {
		return manifest, nil, err
	}
	return manifest, keys, nil
}

// prepareLocalnetDir makes sure dir is a fresh, empty directory. It only
// removes a directory that looks like an earlier localnet, so a mistyped
// --output-dir cannot wipe unrelated files.
func prepareLocalnetDir(dir string, overwrite bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return err
	case len(entries) == 0:
		return nil
	case !overwrite:
		return fmt.Errorf("output directory %s already exists; pass --%s to replace it", dir, flagLocalnetOverwrite)
	}
	if !isLocalnetDir(dir) {
		return fmt.Errorf("refusing to overwrite %s: it is not empty and holds no %s or node0/", dir, localnetManifestFile)
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.MkdirAll(dir, 0o755)
}

func isLocalnetDir(dir string) bool {
	for _, marker := range []string{localnetManifestFile, "node0"} {
		if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
			return true
		}
	}
	return false
}

// localnetMnemonic derives a BIP-39 mnemonic from the public localnet seed.
func localnetMnemonic(purpose string) (string, error) {
	entropy := sha256.Sum256([]byte(localnetSeed + "/" + purpose))
	return bip39.NewMnemonic(entropy[:])
}

// localnetKeyNames lists the demo keys: validator operators first (node0's is
// "validator", node i's "validator<i>"), then the parties.
func localnetKeyNames(validators int) []string {
	names := make([]string, 0, validators+len(localnetRoleKeys))
	for i := 0; i < validators; i++ {
		names = append(names, localnetValidatorKeyName(i))
	}
	return append(names, localnetRoleKeys...)
}

func localnetValidatorKeyName(i int) string {
	if i == 0 {
		return "validator"
	}
	return fmt.Sprintf("validator%d", i)
}

// localnetKeys derives every demo key. Addresses are computed in an in-memory
// keyring so the derivation path matches `keys add --recover`.
func localnetKeys(cdc codec.Codec, validators int) ([]localnetKey, error) {
	kr := keyring.NewInMemory(cdc)
	var keys []localnetKey
	for _, name := range localnetKeyNames(validators) {
		mnemonic, err := localnetMnemonic("account/" + name)
		if err != nil {
			return nil, err
		}
		rec, err := kr.NewAccount(name, mnemonic, "", sdk.FullFundraiserPath, hd.Secp256k1)
		if err != nil {
			return nil, fmt.Errorf("derive key %s: %w", name, err)
		}
		addr, err := rec.GetAddress()
		if err != nil {
			return nil, err
		}
		keys = append(keys, localnetKey{Name: name, Mnemonic: mnemonic, Address: addr})
	}
	return keys, nil
}

// localnetAppState is the app's default genesis with localnet accounts,
// balances, governance timings, slashing window and oracle feeds.
func localnetAppState(cdc codec.Codec, mbm module.BasicManager, keys []localnetKey) (map[string]json.RawMessage, error) {
	state := mbm.DefaultGenesis(cdc)

	reserveHolder := make(map[string]bool, len(localnetReserveHolders))
	for _, name := range localnetReserveHolders {
		reserveHolder[name] = true
	}
	var (
		accounts []authtypes.GenesisAccount
		balances []banktypes.Balance
	)
	for _, k := range keys {
		accounts = append(accounts, authtypes.NewBaseAccount(k.Address, nil, 0, 0))
		coins := sdk.NewCoins(sdk.NewCoin(app.BondDenom, localnetDemoBalance))
		if strings.HasPrefix(k.Name, "validator") {
			coins = sdk.NewCoins(sdk.NewCoin(app.BondDenom, localnetValidatorBalance))
		}
		if reserveHolder[k.Name] {
			coins = coins.Add(sdk.NewCoin(app.LocalnetReserveDenom, localnetReserveBalance))
		}
		balances = append(balances, banktypes.Balance{Address: k.Address.String(), Coins: coins})
	}

	var authGen authtypes.GenesisState
	if err := cdc.UnmarshalJSON(state[authtypes.ModuleName], &authGen); err != nil {
		return nil, err
	}
	packed, err := authtypes.PackAccounts(accounts)
	if err != nil {
		return nil, err
	}
	authGen.Accounts = append(authGen.Accounts, packed...)
	if state[authtypes.ModuleName], err = cdc.MarshalJSON(&authGen); err != nil {
		return nil, err
	}

	var bankGen banktypes.GenesisState
	if err := cdc.UnmarshalJSON(state[banktypes.ModuleName], &bankGen); err != nil {
		return nil, err
	}
	bankGen.Balances = banktypes.SanitizeGenesisBalances(append(bankGen.Balances, balances...))
	supply := sdk.NewCoins()
	for _, b := range bankGen.Balances {
		supply = supply.Add(b.Coins...)
	}
	bankGen.Supply = supply
	bankGen.DenomMetadata = append(bankGen.DenomMetadata, app.NewDenomMetadata(
		app.LocalnetReserveDenom, "usdc", "USDC", "USDC", "Localnet stand-in for a bridged USD stablecoin reserve."))
	if state[banktypes.ModuleName], err = cdc.MarshalJSON(&bankGen); err != nil {
		return nil, err
	}

	var govGen govv1.GenesisState
	if err := cdc.UnmarshalJSON(state[govtypes.ModuleName], &govGen); err != nil {
		return nil, err
	}
	voting, expedited := localnetVotingPeriod, localnetExpeditedVotingPeriod
	govGen.Params.VotingPeriod = &voting
	govGen.Params.ExpeditedVotingPeriod = &expedited
	govGen.Params.MinDeposit = sdk.NewCoins(sdk.NewCoin(app.BondDenom, localnetMinDeposit))
	govGen.Params.ExpeditedMinDeposit = sdk.NewCoins(sdk.NewCoin(app.BondDenom, localnetExpeditedMinDeposit))
	if state[govtypes.ModuleName], err = cdc.MarshalJSON(&govGen); err != nil {
		return nil, err
	}

	var slashingGen slashingtypes.GenesisState
	if err := cdc.UnmarshalJSON(state[slashingtypes.ModuleName], &slashingGen); err != nil {
		return nil, err
	}
	slashingGen.Params.SignedBlocksWindow = localnetSignedBlocksWindow
	if state[slashingtypes.ModuleName], err = cdc.MarshalJSON(&slashingGen); err != nil {
		return nil, err
	}

	var oracleGen oracletypes.GenesisState
	if err := cdc.UnmarshalJSON(state[oracletypes.ModuleName], &oracleGen); err != nil {
		return nil, err
	}
	oracleGen.Feeds = append(oracleGen.Feeds, localnetFeeds...)
	oracleGen.Feeds = append(oracleGen.Feeds, localnetFeederFeed)
	oracleGen.Feeders = append(oracleGen.Feeders, oracletypes.Feeder{
		FeedId: localnetFeederFeed.Id, Address: localnetKeyByName(keys, "feeder").Address.String(),
	})
	if state[oracletypes.ModuleName], err = cdc.MarshalJSON(&oracleGen); err != nil {
		return nil, err
	}
	if err := localnetStableGenesis(cdc, state); err != nil {
		return nil, err
	}
	if err := localnetIBCGenesis(cdc, state); err != nil {
		return nil, err
	}
	if err := localnetCaliberGenesis(cdc, state, func(name string) sdk.AccAddress { return localnetKeyByName(keys, name).Address }); err != nil {
		return nil, err
	}
	if err := localnetYieldGenesis(cdc, state, func(name string) sdk.AccAddress { return localnetKeyByName(keys, name).Address }); err != nil {
		return nil, err
	}
	if err := localnetLendingGenesis(cdc, state, func(name string) sdk.AccAddress { return localnetKeyByName(keys, name).Address }); err != nil {
		return nil, err
	}
	return state, nil
}

func localnetKeyByName(keys []localnetKey, name string) localnetKey {
	for _, k := range keys {
		if k.Name == name {
			return k
		}
	}
	panic("unknown localnet key " + name)
}

// initLocalnetNode writes node i's keys, config files and gentx.
func initLocalnetNode(
	clientCtx client.Context, opts localnetOptions, outDir, gentxsDir string, i int, keys []localnetKey,
) (localnetNode, *cmtcfg.Config, genutiltypes.InitConfig, error) {
	name := fmt.Sprintf("node%d", i)
	home := filepath.Join(outDir, name)
	ports := opts.nodePorts(i)
	node := localnetNode{
		Name:         name,
		Home:         home,
		ValidatorKey: localnetValidatorKeyName(i),
		Ports:        ports,
		RPC:          fmt.Sprintf("http://%s:%d", localnetLoopback, ports.RPC),
		REST:         fmt.Sprintf("http://%s:%d", localnetLoopback, ports.API),
		GRPC:         fmt.Sprintf("%s:%d", localnetLoopback, ports.GRPC),
		Metrics:      localnetMetricsURL(ports),
	}
	var initCfg genutiltypes.InitConfig

	cfg := localnetCometConfig(home, name, ports)
	for _, dir := range []string{filepath.Join(home, "config"), filepath.Join(home, "data")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return node, nil, initCfg, err
		}
	}

	// A node key from the seed keeps node ids, and so peer addresses, stable.
	nodeKey := &p2p.NodeKey{PrivKey: cmted25519.GenPrivKeyFromSecret([]byte(localnetSeed + "/p2p/" + name))}
	if err := nodeKey.SaveAs(cfg.NodeKeyFile()); err != nil {
		return node, nil, initCfg, err
	}
	consensusMnemonic, err := localnetMnemonic("consensus/" + name)
	if err != nil {
		return node, nil, initCfg, err
	}
	nodeID, valPubKey, err := genutil.InitializeNodeValidatorFilesFromMnemonic(cfg, consensusMnemonic)
	if err != nil {
		return node, nil, initCfg, err
	}
	node.NodeID = nodeID
	node.P2P = fmt.Sprintf("%s@%s:%d", nodeID, localnetLoopback, ports.P2P)

	kr, err := keyring.New(sdk.KeyringServiceName(), keyring.BackendTest, home, nil, clientCtx.Codec)
	if err != nil {
		return node, nil, initCfg, err
	}
	for _, k := range keys {
		if _, err := kr.NewAccount(k.Name, k.Mnemonic, "", sdk.FullFundraiserPath, hd.Secp256k1); err != nil {
			return node, nil, initCfg, fmt.Errorf("import key %s: %w", k.Name, err)
		}
	}

	if err := writeLocalnetGentx(clientCtx, kr, opts.ChainID, gentxsDir, name, node.ValidatorKey, keys[i].Address, valPubKey, node.P2P); err != nil {
		return node, nil, initCfg, err
	}

	cmtcfg.WriteConfigFile(filepath.Join(home, "config", "config.toml"), cfg)
	srvconfig.WriteConfigFile(filepath.Join(home, "config", "app.toml"), localnetAppConfig(opts.ChainID, ports))
	if err := writeLocalnetOracle(home); err != nil {
		return node, nil, initCfg, err
	}
	if err := writeLocalnetClientConfig(filepath.Join(home, "config", "client.toml"), opts.ChainID, ports); err != nil {
		return node, nil, initCfg, err
	}

	initCfg = genutiltypes.NewInitConfig(opts.ChainID, gentxsDir, nodeID, valPubKey)
	return node, cfg, initCfg, nil
}

func localnetCometConfig(home, moniker string, ports localnetPorts) *cmtcfg.Config {
	cfg := cmtcfg.DefaultConfig()
	cfg.SetRoot(home)
	cfg.Moniker = moniker
	cfg.RPC.ListenAddress = fmt.Sprintf("tcp://%s:%d", localnetLoopback, ports.RPC)
	cfg.RPC.PprofListenAddress = ""
	cfg.P2P.ListenAddress = fmt.Sprintf("tcp://%s:%d", localnetLoopback, ports.P2P)
	cfg.P2P.AllowDuplicateIP = true
	cfg.P2P.AddrBookStrict = false
	cfg.Consensus.TimeoutPropose = 2 * time.Second
	cfg.Consensus.TimeoutCommit = time.Second
	cfg.Instrumentation.Prometheus = true
	cfg.Instrumentation.PrometheusListenAddr = fmt.Sprintf("%s:%d", localnetLoopback, ports.Prometheus)
	return cfg
}

func localnetMetricsURL(ports localnetPorts) string {
	return fmt.Sprintf("http://%s:%d/metrics", localnetLoopback, ports.Prometheus)
}

func localnetAppConfig(chainID string, ports localnetPorts) *srvconfig.Config {
	cfg := srvconfig.DefaultConfig()
	cfg.MinGasPrices = "0" + app.BondDenom
	cfg.API.Enable = true
	cfg.API.Swagger = false
	cfg.API.Address = fmt.Sprintf("tcp://%s:%d", localnetLoopback, ports.API)
	cfg.GRPC.Enable = true
	cfg.GRPC.Address = fmt.Sprintf("%s:%d", localnetLoopback, ports.GRPC)
	cfg.GRPCWeb.Enable = false
	// Telemetry feeds the default Prometheus registry, which CometBFT's
	// /metrics serves; the retention keeps the SDK's sink in Prometheus mode.
	cfg.Telemetry.Enabled = true
	cfg.Telemetry.ServiceName = "infrafid"
	cfg.Telemetry.PrometheusRetentionTime = localnetTelemetryRetention
	cfg.Telemetry.EnableHostnameLabel = false
	cfg.Telemetry.GlobalLabels = [][]string{{"chain_id", chainID}}
	cfg.StateSync.SnapshotInterval = localnetSnapshotInterval
	cfg.StateSync.SnapshotKeepRecent = localnetSnapshotKeepRecent
	return cfg
}

// localnetClientConfig mirrors the SDK's client.toml keys; the SDK keeps its
// writer private, so the file is encoded from this struct.
type localnetClientConfig struct {
	ChainID               string `toml:"chain-id"`
	KeyringBackend        string `toml:"keyring-backend"`
	KeyringDefaultKeyName string `toml:"keyring-default-keyname"`
	Output                string `toml:"output"`
	Node                  string `toml:"node"`
	BroadcastMode         string `toml:"broadcast-mode"`
}

func writeLocalnetClientConfig(path, chainID string, ports localnetPorts) error {
	bz, err := toml.Marshal(localnetClientConfig{
		ChainID:        chainID,
		KeyringBackend: keyring.BackendTest,
		Output:         "text",
		Node:           fmt.Sprintf("tcp://%s:%d", localnetLoopback, ports.RPC),
		BroadcastMode:  "sync",
	})
	if err != nil {
		return err
	}
	return os.WriteFile(path, bz, 0o644)
}

// writeLocalnetGentx signs the validator's MsgCreateValidator; its memo is the
// node's peer address, which collecting turns into persistent peers.
func writeLocalnetGentx(
	clientCtx client.Context, kr keyring.Keyring, chainID, gentxsDir, moniker, keyName string,
	operator sdk.AccAddress, consPubKey cryptotypes.PubKey, memo string,
) error {
	valAddr, err := clientCtx.TxConfig.SigningContext().ValidatorAddressCodec().BytesToString(operator)
	if err != nil {
		return err
	}
	msg, err := stakingtypes.NewMsgCreateValidator(
		valAddr, consPubKey, sdk.NewCoin(app.BondDenom, localnetSelfDelegation),
		stakingtypes.NewDescription(moniker, "", "", "", ""),
		stakingtypes.NewCommissionRates(
			sdkmath.LegacyNewDecWithPrec(10, 2), sdkmath.LegacyNewDecWithPrec(20, 2), sdkmath.LegacyNewDecWithPrec(1, 2)),
		sdkmath.OneInt(),
	)
	if err != nil {
		return err
	}
	txBuilder := clientCtx.TxConfig.NewTxBuilder()
	if err := txBuilder.SetMsgs(msg); err != nil {
		return err
	}
	txBuilder.SetMemo(memo)
	txf := tx.Factory{}.WithChainID(chainID).WithMemo(memo).WithKeybase(kr).WithTxConfig(clientCtx.TxConfig)
	if err := tx.Sign(context.Background(), txf, keyName, txBuilder, true); err != nil {
		return fmt.Errorf("sign gentx: %w", err)
	}
	bz, err := clientCtx.TxConfig.TxJSONEncoder()(txBuilder.GetTx())
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(gentxsDir, moniker+".json"), bz, 0o644)
}

// printLocalnetSummary tells the user where the nodes listen and which keys exist.
func printLocalnetSummary(w io.Writer, opts localnetOptions, m localnetManifest, keys []localnetKey) {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	fmt.Fprintf(bw, "infrafi localnet %q: %d validator(s) in %s\n\n", m.ChainID, len(m.Nodes), opts.OutputDir)
	for _, n := range m.Nodes {
		fmt.Fprintf(bw, "%s  home %s  (validator key %q, %s)\n", n.Name, n.Home, n.ValidatorKey, n.OperatorAddress)
		fmt.Fprintf(bw, "  RPC   %s\n  REST  %s\n  gRPC  %s\n  P2P   %s\n  metrics %s\n", n.RPC, n.REST, n.GRPC, n.P2P, n.Metrics)
	}
	fmt.Fprintf(bw, "\nDemo keys (in every node's keyring, --keyring-backend test):\n")
	for _, k := range keys {
		fmt.Fprintf(bw, "  %-11s %s\n", k.Name, k.Address)
	}
	fmt.Fprintf(bw, "WARNING: these are public test keys derived from a fixed seed; anyone can spend from them. Use them only on a localnet.\n")
	fmt.Fprintf(bw, "\nStart node0: infrafid start --home %s\n", m.Nodes[0].Home)
}
