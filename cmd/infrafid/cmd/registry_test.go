package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRegistryFilesFromAppMetadata(t *testing.T) {
	dir := t.TempDir()
	c := RegistryCmd()
	c.SetArgs([]string{"--network", "testnet", "--rpc", "https://rpc.example:443", "--rest", "https://api.example", "--output-dir", dir})
	require.NoError(t, c.Execute())

	read := func(name string) map[string]any {
		bz, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(bz, &doc))
		return doc
	}
	keplr := read("keplr-chain-info.json")
	require.Equal(t, "infrafi-testnet-1", keplr["chainId"])
	require.Equal(t, "https://rpc.example:443", keplr["rpc"])
	require.Equal(t, "infravaloper", keplr["bech32Config"].(map[string]any)["bech32PrefixValAddr"])
	require.Equal(t, "uinfra", keplr["stakeCurrency"].(map[string]any)["coinMinimalDenom"])
	require.Len(t, keplr["currencies"], 3)
	require.EqualValues(t, 6, keplr["currencies"].([]any)[1].(map[string]any)["coinDecimals"])

	chain := read("chain.json")
	require.Equal(t, "infra", chain["bech32_prefix"])
	require.Equal(t, "testnet", chain["network_type"])

	assets := read("assetlist.json")["assets"].([]any)
	var symbols []string
	for _, a := range assets {
		symbols = append(symbols, a.(map[string]any)["symbol"].(string))
	}
	require.Equal(t, []string{"INFRA", "USDai", "sUSDai"}, symbols)

	ping := read("pingpub.json")
	require.Equal(t, []any{"https://api.example"}, ping["api"])
	require.Equal(t, "infra", ping["addr_prefix"])
}

func TestRegistryRefusesBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"--network", "mainnet"}, `unknown network "mainnet": choose localnet or testnet`},
		{[]string{"--network", "testnet", "--rest", "https://api.example"}, "--rpc is required for network testnet"},
		{[]string{"--network", "localnet", "--rpc", "127.0.0.1:26657"}, "is not an http(s) URL"},
	} {
		dir := t.TempDir()
		c := RegistryCmd()
		c.SetArgs(append(tc.args, "--output-dir", dir))
		c.SilenceUsage, c.SilenceErrors = true, true
		err := c.Execute()
		require.ErrorContains(t, err, tc.err)
		entries, readErr := os.ReadDir(dir)
		require.NoError(t, readErr)
		require.Empty(t, entries, "nothing is written on error")
	}
}
