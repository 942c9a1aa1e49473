package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cosmossdk.io/log"
	cmtcfg "github.com/cometbft/cometbft/config"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/viper"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/x/oracle/provider"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

type noAppOptions struct{}

func (noAppOptions) Get(string) any { return nil }

func newLocalnetTestApp(t *testing.T) (*app.App, client.Context) {
	t.Helper()
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, true, noAppOptions{})
	clientCtx := client.Context{}.
		WithCodec(a.AppCodec()).
		WithTxConfig(a.TxConfig()).
		WithInterfaceRegistry(a.InterfaceRegistry())
	return a, clientCtx
}

func testLocalnetOptions(dir string, validators int) localnetOptions {
	return localnetOptions{
		OutputDir:  dir,
		ChainID:    "infrafi-localnet-test",
		Validators: validators,
		Base:       localnetPorts{P2P: 26656, RPC: 26657, GRPC: 9090, API: 1317, Prometheus: 26660},
		PortStep:   10,
	}
}

func TestLocalnetInitGenesisPreset(t *testing.T) {
	a, clientCtx := newLocalnetTestApp(t)
	dir := filepath.Join(t.TempDir(), "ln")
	m, keys, err := initLocalnet(clientCtx, a.BasicModuleManager, testLocalnetOptions(dir, 2))
	require.NoError(t, err)

	require.Len(t, m.Nodes, 2)
	require.Len(t, keys, 2+len(localnetRoleKeys))
	require.Equal(t, "validator", m.Nodes[0].ValidatorKey)
	require.Equal(t, "validator1", m.Nodes[1].ValidatorKey)
	require.Equal(t, localnetPorts{P2P: 26666, RPC: 26667, GRPC: 9100, API: 1327, Prometheus: 26670}, m.Nodes[1].Ports)

	// Every node has the same genesis.
	gen0, err := os.ReadFile(filepath.Join(dir, "node0", "config", "genesis.json"))
	require.NoError(t, err)
	gen1, err := os.ReadFile(filepath.Join(dir, "node1", "config", "genesis.json"))
	require.NoError(t, err)
	require.True(t, bytes.Equal(gen0, gen1), "node genesis files differ")

	appGenesis, err := genutiltypes.AppGenesisFromFile(filepath.Join(dir, "node0", "config", "genesis.json"))
	require.NoError(t, err)
	require.Equal(t, "infrafi-localnet-test", appGenesis.ChainID)
	require.Equal(t, int64(localnetVoteExtensionsEnableHeight), appGenesis.Consensus.Params.ABCI.VoteExtensionsEnableHeight)
	state, err := genutiltypes.GenesisStateFromAppGenesis(appGenesis)
	require.NoError(t, err)
	cdc := clientCtx.Codec

	var bankGen banktypes.GenesisState
	cdc.MustUnmarshalJSON(state[banktypes.ModuleName], &bankGen)
	balances := map[string]sdk.Coins{}
	for _, b := range bankGen.Balances {
		balances[b.Address] = b.Coins
	}
	for _, k := range keys {
		coins := balances[k.Address.String()]
		require.True(t, coins.AmountOf(app.BondDenom).IsPositive(), "%s has no %s", k.Name, app.BondDenom)
		require.True(t, coins.AmountOf(app.USDaiDenom).IsZero(), "%s holds USDai at genesis", k.Name)
		require.True(t, coins.AmountOf(app.SUSDaiDenom).IsZero(), "%s holds sUSDai at genesis", k.Name)
		holdsReserve := false
		for _, name := range localnetReserveHolders {
			holdsReserve = holdsReserve || name == k.Name
		}
		require.Equal(t, holdsReserve, coins.AmountOf(app.LocalnetReserveDenom).IsPositive(), "%s reserve balance", k.Name)
	}
	require.True(t, bankGen.Supply.AmountOf(app.USDaiDenom).IsZero())
	var reserveMeta bool
	for _, md := range bankGen.DenomMetadata {
		reserveMeta = reserveMeta || md.Base == app.LocalnetReserveDenom
	}
	require.True(t, reserveMeta, "no bank metadata for %s", app.LocalnetReserveDenom)

	var govGen govv1.GenesisState
	cdc.MustUnmarshalJSON(state["gov"], &govGen)
	require.Equal(t, localnetVotingPeriod, *govGen.Params.VotingPeriod)
	require.Equal(t, localnetExpeditedVotingPeriod, *govGen.Params.ExpeditedVotingPeriod)

	var oracleGen oracletypes.GenesisState
	cdc.MustUnmarshalJSON(state[oracletypes.ModuleName], &oracleGen)
	sources := map[string]oracletypes.FeedSource{}
	for _, f := range oracleGen.Feeds {
		sources[f.Id] = f.Source
	}
	require.Equal(t, map[string]oracletypes.FeedSource{
		"gpu/nvidia-h100-sxm5-80gb": oracletypes.FEED_SOURCE_VOTE_EXTENSIONS,
		"rate/tbill":                oracletypes.FEED_SOURCE_VOTE_EXTENSIONS,
		"fx/uusdc":                  oracletypes.FEED_SOURCE_VOTE_EXTENSIONS,
		"gpu/nvidia-b200-192gb":     oracletypes.FEED_SOURCE_FEEDERS,
	}, sources, "the validators price the feeds the protocol reads; the feeder posts the B200 index")
	require.Len(t, oracleGen.Feeders, 1)
	require.Equal(t, "gpu/nvidia-b200-192gb", oracleGen.Feeders[0].FeedId)

	gentxs := genutiltypes.GetGenesisStateFromAppState(cdc, state).GenTxs
	require.Len(t, gentxs, 2)
	require.NoError(t, a.BasicModuleManager.ValidateGenesis(cdc, clientCtx.TxConfig, state))

	// Node configs: loopback ports, the other node as a persistent peer.
	v := viper.New()
	v.SetConfigFile(filepath.Join(dir, "node0", "config", "config.toml"))
	require.NoError(t, v.ReadInConfig())
	cfg := cmtcfg.DefaultConfig()
	require.NoError(t, v.Unmarshal(cfg))
	require.Equal(t, "node0", cfg.Moniker)
	require.Equal(t, "tcp://127.0.0.1:26657", cfg.RPC.ListenAddress)
	require.Equal(t, m.Nodes[1].P2P, cfg.P2P.PersistentPeers)
	require.True(t, cfg.P2P.AllowDuplicateIP)
	require.False(t, cfg.P2P.AddrBookStrict)
	require.True(t, cfg.Instrumentation.Prometheus)
	require.Equal(t, "127.0.0.1:26660", cfg.Instrumentation.PrometheusListenAddr)

	appToml, err := os.ReadFile(filepath.Join(dir, "node1", "config", "app.toml"))
	require.NoError(t, err)
	require.Contains(t, string(appToml), `address = "tcp://127.0.0.1:1327"`)
	require.Contains(t, string(appToml), `address = "127.0.0.1:9100"`)
	require.Contains(t, string(appToml), `minimum-gas-prices = "0uinfra"`)
	appCfg := viper.New()
	appCfg.SetConfigFile(filepath.Join(dir, "node1", "config", "app.toml"))
	require.NoError(t, appCfg.ReadInConfig())
	require.True(t, appCfg.GetBool("telemetry.enabled"))
	require.Positive(t, appCfg.GetInt64("telemetry.prometheus-retention-time"))
	require.EqualValues(t, localnetSnapshotInterval, appCfg.GetUint64("state-sync.snapshot-interval"))
	require.EqualValues(t, localnetSnapshotKeepRecent, appCfg.GetUint64("state-sync.snapshot-keep-recent"))

	// Each node's price provider reads the price files in its own home.
	av := viper.New()
	av.SetConfigFile(filepath.Join(dir, "node1", "config", "app.toml"))
	require.NoError(t, av.ReadInConfig())
	oracleCfg, err := provider.ConfigFromAppOptions(av)
	require.NoError(t, err)
	require.Len(t, oracleCfg.Feeds, 3)
	for _, f := range oracleCfg.Feeds {
		require.Len(t, f.Sources, 1)
		path := LocalnetPriceFile(m.Nodes[1].Home, f.ID)
		require.Equal(t, path, f.Sources[0].File)
		bz, err := os.ReadFile(path)
		require.NoError(t, err)
		require.Equal(t, localnetPrices[f.ID]+"\n", string(bz))
	}
	p, err := provider.New(oracleCfg, log.NewNopLogger())
	require.NoError(t, err)
	p.Refresh(context.Background())
	h100, ok := p.Price("gpu/nvidia-h100-sxm5-80gb")
	require.True(t, ok)
	require.Equal(t, "30000000000.000000000000000000", h100.String())

	// Every node's keyring holds every demo key.
	kr, err := keyring.New(sdk.KeyringServiceName(), keyring.BackendTest, m.Nodes[1].Home, nil, cdc)
	require.NoError(t, err)
	for _, k := range keys {
		rec, err := kr.Key(k.Name)
		require.NoError(t, err, k.Name)
		addr, err := rec.GetAddress()
		require.NoError(t, err)
		require.Equal(t, k.Address, addr)
	}

	bz, err := os.ReadFile(filepath.Join(dir, localnetManifestFile))
	require.NoError(t, err)
	var onDisk localnetManifest
	require.NoError(t, json.Unmarshal(bz, &onDisk))
	require.Equal(t, m, onDisk)
}

func TestLocalnetInitIsDeterministic(t *testing.T) {
	a, clientCtx := newLocalnetTestApp(t)
	opts := testLocalnetOptions(filepath.Join(t.TempDir(), "ln"), 1)
	first, _, err := initLocalnet(clientCtx, a.BasicModuleManager, opts)
	require.NoError(t, err)

	_, _, err = initLocalnet(clientCtx, a.BasicModuleManager, opts)
	require.ErrorContains(t, err, "--overwrite")

	opts.Overwrite = true
	second, _, err := initLocalnet(clientCtx, a.BasicModuleManager, opts)
	require.NoError(t, err)
	require.Equal(t, first.Keys, second.Keys)
	require.Equal(t, first.Nodes[0].NodeID, second.Nodes[0].NodeID)
	require.Equal(t, first.Nodes[0].OperatorAddress, second.Nodes[0].OperatorAddress)
	require.True(t, strings.HasPrefix(first.Keys["borrower"].Address, app.Bech32Prefix+"1"))
}

func TestLocalnetInitRefusesUnrelatedDir(t *testing.T) {
	a, clientCtx := newLocalnetTestApp(t)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "precious.txt"), []byte("keep"), 0o600))
	opts := testLocalnetOptions(dir, 1)
	opts.Overwrite = true
	_, _, err := initLocalnet(clientCtx, a.BasicModuleManager, opts)
	require.ErrorContains(t, err, "refusing to overwrite")
	_, err = os.Stat(filepath.Join(dir, "precious.txt"))
	require.NoError(t, err)
}

func TestLocalnetOptionsValidate(t *testing.T) {
	base := testLocalnetOptions("out", 4)
	require.NoError(t, base.validate())

	for name, mutate := range map[string]func(*localnetOptions){
		"no validators":     func(o *localnetOptions) { o.Validators = 0 },
		"too many":          func(o *localnetOptions) { o.Validators = maxLocalnetValidators + 1 },
		"empty chain id":    func(o *localnetOptions) { o.ChainID = " " },
		"zero step":         func(o *localnetOptions) { o.PortStep = 0 },
		"overlapping ports": func(o *localnetOptions) { o.PortStep = 1 },
		"port out of range": func(o *localnetOptions) { o.Base.API = 65535 },
		"prometheus clash":  func(o *localnetOptions) { o.Base.Prometheus = o.Base.RPC + 10 },
	} {
		t.Run(name, func(t *testing.T) {
			o := base
			mutate(&o)
			require.Error(t, o.validate())
		})
	}
}
