package cmd

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cosmos/cosmos-sdk/codec"

	ibcconnectiontypes "github.com/cosmos/ibc-go/v10/modules/core/03-connection/types"
	ibcexported "github.com/cosmos/ibc-go/v10/modules/core/exported"
	ibctypes "github.com/cosmos/ibc-go/v10/modules/core/types"

	"github.com/infrafi/infrafi/app"
)

// localnetMaxExpectedBlockTime bounds a localnet block (1 s timeout_commit)
// with room for a loaded machine; IBC uses it to turn a packet's timeout
// delay into a number of blocks.
const localnetMaxExpectedBlockTime = 10 * time.Second

// localnetIBCGenesis accepts 07-tendermint light clients only and sets the
// connection's expected block time to the localnet's pace. No client,
// connection or channel exists at genesis: a relayer creates them.
func localnetIBCGenesis(cdc codec.Codec, state map[string]json.RawMessage) error {
	var gen ibctypes.GenesisState
	if err := cdc.UnmarshalJSON(state[ibcexported.ModuleName], &gen); err != nil {
		return fmt.Errorf("ibc genesis: %w", err)
	}
	gen.ClientGenesis.Params = app.IBCClientParams()
	gen.ConnectionGenesis.Params = ibcconnectiontypes.NewParams(uint64(localnetMaxExpectedBlockTime))
	if err := gen.Validate(); err != nil {
		return fmt.Errorf("ibc genesis: %w", err)
	}
	bz, err := cdc.MarshalJSON(&gen)
	if err != nil {
		return err
	}
	state[ibcexported.ModuleName] = bz
	return nil
}
