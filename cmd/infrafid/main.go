// Command infrafid is the infrafi node and command-line client.
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/cmd/infrafid/cmd"
)

func main() {
	if err := svrcmd.Execute(cmd.NewRootCmd(), "INFRAFID", app.DefaultNodeHome); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
