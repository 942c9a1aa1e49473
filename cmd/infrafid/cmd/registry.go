package cmd

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/app"
)

const (
	flagRegistryNetwork   = "network"
	flagRegistryRPC       = "rpc"
	flagRegistryREST      = "rest"
	flagRegistryOutputDir = "output-dir"

	// registryCoinType is the BIP-44 coin type of infrafi keys (the Cosmos
	// Hub's 118, as sdk.FullFundraiserPath and the localnet keys use).
	registryCoinType = 118

	registryRepo = "https://github.com/infrafi/infrafi"
)

// Fee steps in uinfra per gas unit. The localnet's minimum gas price is 0;
// wallets offer these steps so transactions are ordered by fee once they matter.
const (
	registryGasLow     = 0.01
	registryGasAverage = 0.025
	registryGasHigh    = 0.04
)

// registryNetwork is what differs between the networks the command describes.
type registryNetwork struct {
	chainID     string
	chainName   string // chain-registry name: lowercase letters and digits
	prettyName  string
	networkType string // chain-registry network_type
	rpc, rest   string // defaults; empty means the flag is required
	schemaPath  string // chain-registry $schema, relative to where the file lives in the registry
}

var registryNetworks = map[string]registryNetwork{
	"localnet": {
		chainID: defaultLocalnetChainID, chainName: "infrafilocalnet", prettyName: "infrafi localnet",
		networkType: "devnet", rpc: "http://127.0.0.1:26657", rest: "http://127.0.0.1:1317",
		schemaPath: "../../",
	},
	"testnet": {
		chainID: "infrafi-testnet-1", chainName: "infrafitestnet", prettyName: "infrafi testnet",
		networkType: "testnet", schemaPath: "../../",
	},
}

func registryNetworkNames() []string {
	names := make([]string, 0, len(registryNetworks))
	for n := range registryNetworks {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// RegistryCmd writes wallet and explorer descriptions of a network, built from
// the app's bech32 prefixes and bank denom metadata.
func RegistryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "registry",
		Short: "Write wallet and registry files for a network: Keplr ChainInfo, chain-registry chain.json and assetlist.json, a Ping.pub config",
		Long: `Writes four files describing an infrafi network, generated from the app's own
bech32 prefixes and bank denom metadata:

  keplr-chain-info.json   Keplr ChainInfo for window.keplr.experimentalSuggestChain
  chain.json              cosmos chain-registry chain description
  assetlist.json          cosmos chain-registry asset list (INFRA, USDai, sUSDai)
  pingpub.json            Ping.pub explorer chain config

The localnet's endpoints default to 127.0.0.1; other networks need --rpc and --rest.`,
		Example: `infrafid registry --network localnet --output-dir ./registry
infrafid registry --network testnet --rpc https://rpc.testnet.example --rest https://api.testnet.example --output-dir ./registry`,
		Args: cobra.NoArgs,
		// The files depend on the app alone: skip the root's node and client
		// config loading, which would also read --rpc as CometBFT's [rpc] section.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			name, _ := f.GetString(flagRegistryNetwork)
			rpc, _ := f.GetString(flagRegistryRPC)
			rest, _ := f.GetString(flagRegistryREST)
			out, _ := f.GetString(flagRegistryOutputDir)
			files, err := registryFiles(name, rpc, rest)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			for _, file := range files {
				path := filepath.Join(out, file.name)
				if err := os.WriteFile(path, file.body, 0o644); err != nil {
					return err
				}
				cmd.Println(path)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.String(flagRegistryNetwork, "localnet", "network to describe: "+strings.Join(registryNetworkNames(), " or "))
	f.String(flagRegistryRPC, "", "CometBFT RPC URL wallets use (default: the network's, http://127.0.0.1:26657 on localnet)")
	f.String(flagRegistryREST, "", "REST (API) URL wallets use (default: the network's, http://127.0.0.1:1317 on localnet)")
	f.String(flagRegistryOutputDir, ".", "directory the four files are written to")
	return cmd
}

type registryFile struct {
	name string
	body []byte
}

// registryFiles builds the four files of a network; rpc and rest override its defaults.
func registryFiles(network, rpc, rest string) ([]registryFile, error) {
	n, ok := registryNetworks[network]
	if !ok {
		return nil, fmt.Errorf("unknown network %q: choose %s", network, strings.Join(registryNetworkNames(), " or "))
	}
	if rpc == "" {
		rpc = n.rpc
	}
	if rest == "" {
		rest = n.rest
	}
	for _, e := range []struct{ flag, value string }{{flagRegistryRPC, rpc}, {flagRegistryREST, rest}} {
		if e.value == "" {
			return nil, fmt.Errorf("--%s is required for network %s", e.flag, network)
		}
		if u, err := url.Parse(e.value); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("--%s %q is not an http(s) URL", e.flag, e.value)
		}
	}
	metas := app.DenomMetadata()
	fee, err := registryDenom(metas, app.BondDenom)
	if err != nil {
		return nil, err
	}
	docs := []struct {
		name string
		doc  any
	}{
		{"keplr-chain-info.json", keplrChainInfo(n, rpc, rest, metas, fee)},
		{"chain.json", chainRegistryChain(n, rpc, rest, fee)},
		{"assetlist.json", chainRegistryAssets(n, metas)},
		{"pingpub.json", pingPubConfig(n, rpc, rest, metas)},
	}
	files := make([]registryFile, 0, len(docs))
	for _, d := range docs {
		bz, err := json.MarshalIndent(d.doc, "", "  ")
		if err != nil {
			return nil, err
		}
		files = append(files, registryFile{name: d.name, body: append(bz, '\n')})
	}
	return files, nil
}

func registryDenom(metas []banktypes.Metadata, base string) (banktypes.Metadata, error) {
	for _, m := range metas {
		if m.Base == base {
			return m, nil
		}
	}
	return banktypes.Metadata{}, fmt.Errorf("no bank denom metadata for %s", base)
}

// displayExponent is the exponent of the metadata's display unit.
func displayExponent(m banktypes.Metadata) uint32 {
	for _, u := range m.DenomUnits {
		if u.Denom == m.Display {
			return u.Exponent
		}
	}
	return 0
}

type keplrCurrency struct {
	CoinDenom        string             `json:"coinDenom"`
	CoinMinimalDenom string             `json:"coinMinimalDenom"`
	CoinDecimals     uint32             `json:"coinDecimals"`
	GasPriceStep     *keplrGasPriceStep `json:"gasPriceStep,omitempty"`
}

type keplrGasPriceStep struct {
	Low     float64 `json:"low"`
	Average float64 `json:"average"`
	High    float64 `json:"high"`
}

func keplrCurrencyOf(m banktypes.Metadata) keplrCurrency {
	return keplrCurrency{CoinDenom: m.Symbol, CoinMinimalDenom: m.Base, CoinDecimals: displayExponent(m)}
}

func keplrChainInfo(n registryNetwork, rpc, rest string, metas []banktypes.Metadata, fee banktypes.Metadata) map[string]any {
	cfg := sdk.GetConfig()
	currencies := make([]keplrCurrency, 0, len(metas))
	for _, m := range metas {
		currencies = append(currencies, keplrCurrencyOf(m))
	}
	feeCurrency := keplrCurrencyOf(fee)
	feeCurrency.GasPriceStep = &keplrGasPriceStep{Low: registryGasLow, Average: registryGasAverage, High: registryGasHigh}
	return map[string]any{
		"chainId":   n.chainID,
		"chainName": n.prettyName,
		"rpc":       rpc,
		"rest":      rest,
		"bip44":     map[string]any{"coinType": registryCoinType},
		"bech32Config": map[string]string{
			"bech32PrefixAccAddr":  cfg.GetBech32AccountAddrPrefix(),
			"bech32PrefixAccPub":   cfg.GetBech32AccountPubPrefix(),
			"bech32PrefixValAddr":  cfg.GetBech32ValidatorAddrPrefix(),
			"bech32PrefixValPub":   cfg.GetBech32ValidatorPubPrefix(),
			"bech32PrefixConsAddr": cfg.GetBech32ConsensusAddrPrefix(),
			"bech32PrefixConsPub":  cfg.GetBech32ConsensusPubPrefix(),
		},
		"currencies":    currencies,
		"feeCurrencies": []keplrCurrency{feeCurrency},
		"stakeCurrency": keplrCurrencyOf(fee),
		"features":      []string{},
	}
}

func registryEndpoints(addr string) []map[string]string {
	return []map[string]string{{"address": addr, "provider": "infrafi"}}
}

func chainRegistryChain(n registryNetwork, rpc, rest string, fee banktypes.Metadata) map[string]any {
	return map[string]any{
		"$schema":       n.schemaPath + "chain.schema.json",
		"chain_name":    n.chainName,
		"chain_type":    "cosmos",
		"chain_id":      n.chainID,
		"pretty_name":   n.prettyName,
		"status":        "live",
		"network_type":  n.networkType,
		"bech32_prefix": sdk.GetConfig().GetBech32AccountAddrPrefix(),
		"daemon_name":   "infrafid",
		"node_home":     "$HOME/." + app.AppName,
		"key_algos":     []string{"secp256k1"},
		"slip44":        registryCoinType,
		"fees": map[string]any{"fee_tokens": []map[string]any{{
			"denom":               fee.Base,
			"fixed_min_gas_price": 0,
			"low_gas_price":       registryGasLow,
			"average_gas_price":   registryGasAverage,
			"high_gas_price":      registryGasHigh,
		}}},
		"staking": map[string]any{"staking_tokens": []map[string]string{{"denom": fee.Base}}},
		"codebase": map[string]any{
			"git_repo": registryRepo,
			"sdk":      map[string]string{"type": "cosmos", "version": "v0.53.8"},
			"consensus": map[string]string{
				"type":    "cometbft",
				"version": "v0.38",
			},
		},
		"apis": map[string]any{"rpc": registryEndpoints(rpc), "rest": registryEndpoints(rest)},
	}
}

func chainRegistryAssets(n registryNetwork, metas []banktypes.Metadata) map[string]any {
	assets := make([]map[string]any, 0, len(metas))
	for _, m := range metas {
		units := make([]map[string]any, 0, len(m.DenomUnits))
		for _, u := range m.DenomUnits {
			units = append(units, map[string]any{"denom": u.Denom, "exponent": u.Exponent})
		}
		assets = append(assets, map[string]any{
			"description": m.Description,
			"denom_units": units,
			"type_asset":  "sdk.coin",
			"base":        m.Base,
			"name":        m.Name,
			"display":     m.Display,
			"symbol":      m.Symbol,
		})
	}
	return map[string]any{
		"$schema":    n.schemaPath + "assetlist.schema.json",
		"chain_name": n.chainName,
		"assets":     assets,
	}
}

func pingPubConfig(n registryNetwork, rpc, rest string, metas []banktypes.Metadata) map[string]any {
	assets := make([]map[string]string, 0, len(metas))
	for _, m := range metas {
		assets = append(assets, map[string]string{
			"base":         m.Base,
			"symbol":       m.Symbol,
			"exponent":     fmt.Sprint(displayExponent(m)),
			"coingecko_id": "",
			"logo":         "",
		})
	}
	return map[string]any{
		"chain_name":    n.chainName,
		"registry_name": n.chainName,
		"api":           []string{rest},
		"rpc":           []string{rpc},
		"sdk_version":   "0.53",
		"coin_type":     fmt.Sprint(registryCoinType),
		"min_tx_fee":    "5000",
		"addr_prefix":   sdk.GetConfig().GetBech32AccountAddrPrefix(),
		"logo":          "",
		"assets":        assets,
	}
}
