package testutil

import (
	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/app"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
)

// ListLocalnetReserve makes app.LocalnetReserveDenom (uusdc) the one fee-free
// USDai reserve in a genesis state, with the reserve and the USDai supply
// both capped at limit, and registers the reserve's denom metadata. With
// permissioned, minting and redeeming are for allowlist only. Fixtures whose
// accounts mint USDai from uusdc (genesis uusdai balances would be unbacked)
// start from it.
func ListLocalnetReserve(cdc codec.JSONCodec, state app.GenesisState, limit sdkmath.Int, permissioned bool, allowlist ...string) {
	var sg stabletypes.GenesisState
	cdc.MustUnmarshalJSON(state[stabletypes.ModuleName], &sg)
	sg.Params = stabletypes.NewParams([]stabletypes.ReserveAsset{{
		Denom: app.LocalnetReserveDenom, Enabled: true, Cap: limit,
	}}, limit, permissioned, false)
	sg.Allowlist = append(sg.Allowlist, allowlist...)
	state[stabletypes.ModuleName] = cdc.MustMarshalJSON(&sg)

	var bg banktypes.GenesisState
	cdc.MustUnmarshalJSON(state[banktypes.ModuleName], &bg)
	bg.DenomMetadata = append(bg.DenomMetadata, app.NewDenomMetadata(app.LocalnetReserveDenom, "usdc", "USDC", "USDC", "reserve"))
	state[banktypes.ModuleName] = cdc.MustMarshalJSON(&bg)
}
