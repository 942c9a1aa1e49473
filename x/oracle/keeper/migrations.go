package keeper

import (
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/oracle/types"
)

// MigrateMinPower (state version 1 to 2) gives a chain that started before
// vote extensions the default min_power: params stored by version 1 have no
// such field, and a nil Dec would fail every later params validation. Feeds
// keep their source's zero value, FEEDERS, so nothing changes until
// governance switches a feed.
func (k Keeper) MigrateMinPower(ctx sdk.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if params.MinPower.IsNil() || !params.MinPower.IsPositive() {
		params.MinPower = types.DefaultMinPower
	}
	if err := params.Validate(); err != nil {
		return err
	}
	return k.Params.Set(ctx, params)
}
