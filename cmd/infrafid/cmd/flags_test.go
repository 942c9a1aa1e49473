package cmd

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cosmos/cosmos-sdk/client/flags"
)

// TestInfrafiFlagsHaveHelp: every flag of an infrafi module's tx and query
// commands says what it is for. Pagination flags (--page-*) come from the
// SDK's autocli and are left as it makes them.
func TestInfrafiFlagsHaveHelp(t *testing.T) {
	root := NewRootCmd()
	modules := []string{"oracle", "stable", "caliber", "yield", "lending"}
	checked := 0
	for _, group := range []string{"tx", "query"} {
		for _, m := range modules {
			cmd, _, err := root.Find([]string{group, m})
			if err != nil || cmd.Name() != m {
				t.Fatalf("%s %s: command not found", group, m)
			}
			for _, sub := range cmd.Commands() {
				sub.LocalFlags().VisitAll(func(f *pflag.Flag) {
					if strings.HasPrefix(f.Name, "page-") || isSDKFlag(sub, f) {
						return
					}
					checked++
					if strings.TrimSpace(f.Usage) == "" {
						t.Errorf("%s %s %s: --%s has no help text", group, m, sub.Name(), f.Name)
					}
				})
			}
		}
	}
	if checked == 0 {
		t.Fatal("no module flag was checked")
	}
}

// isSDKFlag reports flags every tx or query command gets from the SDK (--from, --node, ...).
func isSDKFlag(cmd *cobra.Command, f *pflag.Flag) bool {
	bare := &cobra.Command{}
	if cmd.Parent() != nil && cmd.Parent().Parent() != nil && cmd.Parent().Parent().Name() == "tx" {
		flags.AddTxFlagsToCmd(bare)
	} else {
		flags.AddQueryFlagsToCmd(bare)
	}
	return bare.Flags().Lookup(f.Name) != nil
}
