package cmd

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/spf13/viper"
	"github.com/stretchr/testify/require"
)

// A home made by `infrafid init` (not the localnet) charges gas and serves
// state-sync snapshots.
func TestInitWritesNodeDefaults(t *testing.T) {
	home := t.TempDir()
	root := NewRootCmd()
	root.SetArgs([]string{"init", "operator", "--home", home, "--chain-id", "infrafi-test-1"})
	root.SetOut(io.Discard)
	root.SetErr(io.Discard)
	require.NoError(t, root.Execute())

	v := viper.New()
	v.SetConfigFile(filepath.Join(home, "config", "app.toml"))
	require.NoError(t, v.ReadInConfig())
	require.Equal(t, DefaultMinGasPrices, v.GetString("minimum-gas-prices"))
	require.Equal(t, "0.0025uinfra", v.GetString("minimum-gas-prices"))
	require.EqualValues(t, DefaultSnapshotInterval, v.GetUint64("state-sync.snapshot-interval"))
	require.EqualValues(t, DefaultSnapshotKeepRecent, v.GetUint64("state-sync.snapshot-keep-recent"))
	require.Equal(t, "default", v.GetString("pruning"))
	require.True(t, v.GetBool("api.enable"))
	require.True(t, v.GetBool("grpc.enable"))
}
