package cmd

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/app"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// Localnet vault timings: a redemption epoch every minute (cancellation
// closes 10 s before its end), a treasury rebalance every 30 s and a NAV
// checkpoint every minute, so a demo sees the whole cycle in a few minutes.
const (
	localnetYieldEpoch           = 60 * time.Second
	localnetYieldCancelCutoff    = 10 * time.Second
	localnetYieldRebalance       = 30 * time.Second
	localnetYieldCheckpoint      = 60 * time.Second
	localnetYieldBufferBps       = 1_000 // 10% of NAV kept idle
	localnetYieldTreasuryKeyName = "treasury"
)

// localnetYieldGenesis sets the vault's localnet timings, a 10% liquidity
// buffer and the "treasury" key (a TREASURY_CUSTODIAN in the caliber preset)
// as treasury custodian in uusdc. addr resolves a demo key name.
func localnetYieldGenesis(cdc codec.Codec, state map[string]json.RawMessage, addr func(name string) sdk.AccAddress) error {
	var gs yieldtypes.GenesisState
	if err := cdc.UnmarshalJSON(state[yieldtypes.ModuleName], &gs); err != nil {
		return fmt.Errorf("yield genesis: %w", err)
	}
	gs.Params.EpochLength = localnetYieldEpoch
	gs.Params.CancelCutoff = localnetYieldCancelCutoff
	gs.Params.RebalanceInterval = localnetYieldRebalance
	gs.Params.CheckpointInterval = localnetYieldCheckpoint
	gs.Params.LiquidityBufferBps = localnetYieldBufferBps
	gs.Params.TreasuryCustodian = addr(localnetYieldTreasuryKeyName).String()
	gs.Params.TreasuryReserveDenom = app.LocalnetReserveDenom
	if err := gs.Validate(); err != nil {
		return fmt.Errorf("yield genesis: %w", err)
	}
	bz, err := cdc.MarshalJSON(&gs)
	if err != nil {
		return err
	}
	state[yieldtypes.ModuleName] = bz
	return nil
}
