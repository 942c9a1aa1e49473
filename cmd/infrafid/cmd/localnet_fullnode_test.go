package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/spf13/viper"
	"github.com/stretchr/testify/require"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
)

const testTrustHash = "7E2B1E7A6A41C4D7A4D0F6E0A2B9B8C1D7E1F6A5B4C3D2E1F0A9B8C7D6E5F4A3"

func TestLocalnetAddNodeWritesStateSyncHome(t *testing.T) {
	a, clientCtx := newLocalnetTestApp(t)
	dir := filepath.Join(t.TempDir(), "ln")
	m, _, err := initLocalnet(clientCtx, a.BasicModuleManager, testLocalnetOptions(dir, 2))
	require.NoError(t, err)

	node, trust, err := addLocalnetFullNode(context.Background(), addNodeOptions{OutputDir: dir, TrustHeight: 40, TrustHash: strings.ToLower(testTrustHash)})
	require.NoError(t, err)
	require.Equal(t, trustPoint{Height: 40, Hash: testTrustHash}, trust)
	require.Equal(t, "full0", node.Name)
	// After the two validators: slot 2.
	require.Equal(t, localnetPorts{P2P: 26676, RPC: 26677, GRPC: 9110, API: 1337, Prometheus: 26680}, node.Ports)

	v := viper.New()
	v.SetConfigFile(filepath.Join(dir, "full0", "config", "config.toml"))
	require.NoError(t, v.ReadInConfig())
	cfg := cmtcfg.DefaultConfig()
	require.NoError(t, v.Unmarshal(cfg))
	require.True(t, cfg.StateSync.Enable)
	require.EqualValues(t, 40, cfg.StateSync.TrustHeight)
	require.Equal(t, testTrustHash, cfg.StateSync.TrustHash)
	require.Equal(t, []string{m.Nodes[0].RPC, m.Nodes[1].RPC}, cfg.StateSync.RPCServers)
	require.Equal(t, m.Nodes[0].P2P+","+m.Nodes[1].P2P, cfg.P2P.PersistentPeers)
	require.Equal(t, "tcp://127.0.0.1:26677", cfg.RPC.ListenAddress)

	gen0, err := os.ReadFile(filepath.Join(dir, "node0", "config", "genesis.json"))
	require.NoError(t, err)
	genFull, err := os.ReadFile(filepath.Join(dir, "full0", "config", "genesis.json"))
	require.NoError(t, err)
	require.True(t, bytes.Equal(gen0, genFull))

	bz, err := os.ReadFile(filepath.Join(dir, localnetManifestFile))
	require.NoError(t, err)
	var onDisk localnetManifest
	require.NoError(t, json.Unmarshal(bz, &onDisk))
	require.Equal(t, []localnetNode{node}, onDisk.FullNodes)
	require.Len(t, onDisk.Nodes, 2, "validators unchanged")

	second, _, err := addLocalnetFullNode(context.Background(), addNodeOptions{OutputDir: dir, TrustHeight: 40, TrustHash: testTrustHash})
	require.NoError(t, err)
	require.Equal(t, "full1", second.Name)
	require.Equal(t, 26686, second.Ports.P2P)
}

func TestLocalnetAddNodeRejectsBadTrust(t *testing.T) {
	a, clientCtx := newLocalnetTestApp(t)
	dir := filepath.Join(t.TempDir(), "ln")
	_, _, err := initLocalnet(clientCtx, a.BasicModuleManager, testLocalnetOptions(dir, 1))
	require.NoError(t, err)

	for name, c := range map[string]struct {
		height int64
		hash   string
		want   string
	}{
		"hash without height": {0, testTrustHash, "give both"},
		"height without hash": {5, "", "give both"},
		"negative height":     {-1, testTrustHash, "must not be negative"},
		"not hex":             {5, "zz" + testTrustHash[2:], "32-byte hex"},
		"short hash":          {5, testTrustHash[:62], "32-byte hex"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := addLocalnetFullNode(context.Background(), addNodeOptions{OutputDir: dir, TrustHeight: c.height, TrustHash: c.hash})
			require.ErrorContains(t, err, c.want)
			_, statErr := os.Stat(filepath.Join(dir, "full0"))
			require.True(t, os.IsNotExist(statErr), "no home written")
		})
	}

	_, _, err = addLocalnetFullNode(context.Background(), addNodeOptions{OutputDir: filepath.Join(dir, "missing"), TrustHeight: 5, TrustHash: testTrustHash})
	require.ErrorContains(t, err, "no localnet")
}

// Through the root command, whose config bootstrap binds flags to the node's
// config keys: the flags must reach add-node unchanged.
func TestLocalnetAddNodeCommand(t *testing.T) {
	a, clientCtx := newLocalnetTestApp(t)
	dir := filepath.Join(t.TempDir(), "ln")
	_, _, err := initLocalnet(clientCtx, a.BasicModuleManager, testLocalnetOptions(dir, 1))
	require.NoError(t, err)

	root := NewRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetArgs([]string{"localnet", "add-node", "--output-dir", dir, "--home", t.TempDir(),
		"--trust-rpc", "http://127.0.0.1:1", "--trust-height", "40", "--trust-hash", testTrustHash})
	// As main runs it: svrcmd adds --home and the log flags.
	require.NoError(t, svrcmd.Execute(root, "INFRAFID_TEST", t.TempDir()))
	require.Contains(t, out.String(), "full0")
	require.Contains(t, out.String(), "state sync from height 40, hash "+testTrustHash)

	v := viper.New()
	v.SetConfigFile(filepath.Join(dir, "full0", "config", "config.toml"))
	require.NoError(t, v.ReadInConfig())
	require.EqualValues(t, 40, v.GetInt64("statesync.trust_height"))
	require.Equal(t, testTrustHash, v.GetString("statesync.trust_hash"))
}
