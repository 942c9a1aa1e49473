package cmd

import (
	"encoding/json"
	"fmt"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"

	"github.com/infrafi/infrafi/app"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
)

// Localnet USDai settings: uusdc is the only reserve. The uusdc cap is half
// of what a single demo holder owns, so a cap refusal is easy to show.
var (
	localnetStableReserveCap = sdkmath.NewInt(5_000_000_000_000)   // 5M USDC held at most
	localnetStableSupplyCap  = sdkmath.NewInt(10_000_000_000_000)  // 10M USDai
	localnetStableDepegAt    = sdkmath.LegacyNewDecWithPrec(98, 2) // mint refused below 0.98 USD
)

const (
	localnetStableMintFeeBps   = 10
	localnetStableRedeemFeeBps = 10
)

// localnetStableGenesis lists uusdc as USDai's reserve: enabled, 10 bps fees
// both ways, a 5M USDC cap, a 10M USDai supply cap, and the depeg guard on the
// oracle feed fx/uusdc (registered by the oracle preset) at 0.98. Minting is
// open to everyone (not permissioned). USDai and sUSDai leave over IBC under
// the default outflow quotas (10% of supply and 10M a day per channel).
func localnetStableGenesis(cdc codec.Codec, state map[string]json.RawMessage) error {
	var gen stabletypes.GenesisState
	if err := cdc.UnmarshalJSON(state[stabletypes.ModuleName], &gen); err != nil {
		return fmt.Errorf("stable genesis: %w", err)
	}
	gen.Params = stabletypes.NewParams([]stabletypes.ReserveAsset{{
		Denom:          app.LocalnetReserveDenom,
		Enabled:        true,
		MintFeeBps:     localnetStableMintFeeBps,
		RedeemFeeBps:   localnetStableRedeemFeeBps,
		Cap:            localnetStableReserveCap,
		DepegFeed:      "fx/" + app.LocalnetReserveDenom,
		DepegThreshold: localnetStableDepegAt,
	}}, localnetStableSupplyCap, false, false)
	gen.Params.OutflowQuotas = stabletypes.DefaultOutflowQuotas()
	if err := gen.Validate(); err != nil {
		return fmt.Errorf("stable genesis: %w", err)
	}
	bz, err := cdc.MarshalJSON(&gen)
	if err != nil {
		return err
	}
	state[stabletypes.ModuleName] = bz
	return nil
}
