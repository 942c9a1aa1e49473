// Package cmd builds infrafid's command tree: node commands, genesis tools,
// keys, and autocli-generated tx/query commands for every module.
package cmd

import (
	"os"

	"cosmossdk.io/log"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/config"
	"github.com/cosmos/cosmos-sdk/server"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/app"
)

// NewRootCmd returns the infrafid root command.
func NewRootCmd() *cobra.Command {
	// A throwaway app supplies the codecs, module basics and autocli options.
	// Its state is in memory, but x/upgrade creates <home>/data when the app
	// reads its upgrade-info file, so the home is a temporary directory that
	// is removed once the app is built: every command used to leave one behind.
	home := tempDir()
	tempApp := app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, false, simtestutil.NewAppOptionsWithFlagHome(home))
	if home != app.DefaultNodeHome {
		_ = os.RemoveAll(home)
	}

	initClientCtx := client.Context{}.
		WithCodec(tempApp.AppCodec()).
		WithInterfaceRegistry(tempApp.InterfaceRegistry()).
		WithTxConfig(tempApp.TxConfig()).
		WithLegacyAmino(tempApp.LegacyAmino()).
		WithInput(os.Stdin).
		WithAccountRetriever(authtypes.AccountRetriever{}).
		WithHomeDir(app.DefaultNodeHome).
		WithViper("INFRAFID")

	rootCmd := &cobra.Command{
		Use:           "infrafid",
		Short:         "infrafi node and client: GPU-backed credit, USDai and sUSDai",
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SetOut(cmd.OutOrStdout())
			cmd.SetErr(cmd.ErrOrStderr())

			clientCtx := initClientCtx.WithCmdContext(cmd.Context())
			clientCtx, err := client.ReadPersistentCommandFlags(clientCtx, cmd.Flags())
			if err != nil {
				return err
			}
			clientCtx, err = config.ReadFromClientConfig(clientCtx)
			if err != nil {
				return err
			}
			if err := client.SetCmdClientContextHandler(clientCtx, cmd); err != nil {
				return err
			}
			appTemplate, appConfig := initAppConfig()
			return server.InterceptConfigsPreRunHandler(cmd, appTemplate, appConfig, initCometConfig())
		},
	}

	initRootCmd(rootCmd, tempApp)

	autoCliOpts := tempApp.AutoCliOpts()
	autoCliOpts.ClientCtx = initClientCtx
	if err := autoCliOpts.EnhanceRootCommand(rootCmd); err != nil {
		panic(err)
	}
	if err := humanDecJSONArgs(rootCmd, autoCliOpts); err != nil {
		panic(err)
	}
	return rootCmd
}

// tempDir is a fresh temporary directory for the throwaway app's home, or
// the default home when none can be made.
func tempDir() string {
	dir, err := os.MkdirTemp("", "infrafid")
	if err != nil {
		return app.DefaultNodeHome
	}
	return dir
}
