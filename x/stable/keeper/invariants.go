package keeper

import (
	"fmt"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/stable/types"
)

// ReservesInvariant checks that the USDai supply is at most the reserves held
// on chain by the module (the sum of its balances of the listed reserve
// denoms). Every operation moves both by the same amount, so the two are
// equal unless reserve coins arrive by another path.
func ReservesInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			return sdk.FormatInvariant(types.ModuleName, "reserves", "cannot read params: "+err.Error()), true
		}
		supply := k.USDaiSupply(ctx)
		held := k.reservesHeld(ctx, params)
		broken := supply.GT(held)
		return sdk.FormatInvariant(types.ModuleName, "reserves",
			fmt.Sprintf("USDai supply %s%s, reserves held %s, broken: %v", supply, types.USDaiDenom, held, broken)), broken
	}
}

// ModuleAccountInvariant checks that the module account keeps no USDai
// between operations (it only passes through) and that every treasury
// outstanding entry is positive and belongs to a listed reserve.
func ModuleAccountInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			return sdk.FormatInvariant(types.ModuleName, "module-account", "cannot read params: "+err.Error()), true
		}
		var problems []string
		if usdai := k.Held(ctx, types.USDaiDenom); !usdai.IsZero() {
			problems = append(problems, fmt.Sprintf("module account holds %s%s", usdai, types.USDaiDenom))
		}
		err = k.TreasuryOutstanding.Walk(ctx, nil, func(denom string, amount math.Int) (bool, error) {
			if _, ok := params.Reserve(denom); !ok {
				problems = append(problems, fmt.Sprintf("treasury outstanding %s%s is not a listed reserve", amount, denom))
			}
			if !amount.IsPositive() {
				problems = append(problems, fmt.Sprintf("treasury outstanding of %s is %s", denom, amount))
			}
			return false, nil
		})
		if err != nil {
			problems = append(problems, "cannot walk treasury outstanding: "+err.Error())
		}
		return sdk.FormatInvariant(types.ModuleName, "module-account", fmt.Sprintf("%d problem(s): %v", len(problems), problems)), len(problems) > 0
	}
}

// AllInvariants runs every x/stable invariant and reports the first broken one.
func AllInvariants(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		for _, inv := range []sdk.Invariant{ReservesInvariant(k), ModuleAccountInvariant(k)} {
			if msg, broken := inv(ctx); broken {
				return msg, true
			}
		}
		return "", false
	}
}
