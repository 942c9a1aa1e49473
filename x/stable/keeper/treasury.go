package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/stable/types"
)

// AllocateToTreasury moves amount uusdai from module account fromModule into
// x/stable, burns it and sends amount of reserveDenom to custodian, adding
// amount to the denom's treasury outstanding. The USDai supply and the
// on-chain reserves fall by the same amount. x/yield decides who the treasury
// custodian is. Refused while paused, for an unknown reserve, an unknown
// module account, or when the module holds less than amount of reserveDenom.
// Nothing changes on error.
func (k Keeper) AllocateToTreasury(ctx context.Context, fromModule string, custodian sdk.AccAddress, reserveDenom string, amount math.Int) error {
	if amount.IsNil() || !amount.IsPositive() {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "allocation must be positive, got %s", amount)
	}
	if err := k.checkModule(fromModule); err != nil {
		return err
	}
	if len(custodian) == 0 {
		return errorsmod.Wrap(sdkerrors.ErrInvalidAddress, "treasury custodian address is empty")
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if params.Paused {
		return errorsmod.Wrap(types.ErrPaused, "treasury allocation is paused")
	}
	if _, err := reserveOf(params, reserveDenom); err != nil {
		return err
	}
	if held := k.Held(ctx, reserveDenom); held.LT(amount) {
		return errorsmod.Wrapf(types.ErrInsufficientReserve, "allocation of %s%s but the module holds %s%s", amount, reserveDenom, held, reserveDenom)
	}
	outstanding, err := k.Outstanding(ctx, reserveDenom)
	if err != nil {
		return err
	}
	outstanding = outstanding.Add(amount)

	return atomically(ctx, func(ctx context.Context) error {
		usdai := sdk.NewCoins(sdk.NewCoin(types.USDaiDenom, amount))
		if err := k.modules.FromModule(ctx, fromModule, types.ModuleName, usdai); err != nil {
			return err
		}
		if err := k.bank.BurnCoins(ctx, types.ModuleName, usdai); err != nil {
			return err
		}
		sent := sdk.NewCoin(reserveDenom, amount)
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, custodian, sdk.NewCoins(sent)); err != nil {
			return err
		}
		if err := k.setOutstanding(ctx, reserveDenom, outstanding); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventAllocateToTreasury{
			FromModule:  fromModule,
			Custodian:   custodian.String(),
			Amount:      sent,
			Outstanding: outstanding,
		})
	})
}

// SettleFromTreasury takes principal + yield of reserveDenom from custodian
// into x/stable and mints the same amount of uusdai to module account
// toModule; principal is deducted from the denom's treasury outstanding. The
// USDai supply and the on-chain reserves rise by the same amount. Settlement
// ignores paused, enabled, the depeg guard and the caps: returning reserves
// only ever adds backing. Refused for an unknown reserve or module account,
// negative amounts, a zero total, or principal above the outstanding. Nothing
// changes on error.
func (k Keeper) SettleFromTreasury(ctx context.Context, custodian sdk.AccAddress, toModule string, reserveDenom string, principal, yield math.Int) error {
	if principal.IsNil() || yield.IsNil() || principal.IsNegative() || yield.IsNegative() {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "principal and yield must not be negative, got %s and %s", principal, yield)
	}
	total := principal.Add(yield)
	if !total.IsPositive() {
		return errorsmod.Wrap(types.ErrInvalidAmount, "settlement of nothing")
	}
	if err := k.checkModule(toModule); err != nil {
		return err
	}
	if len(custodian) == 0 {
		return errorsmod.Wrap(sdkerrors.ErrInvalidAddress, "treasury custodian address is empty")
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if _, err := reserveOf(params, reserveDenom); err != nil {
		return err
	}
	outstanding, err := k.Outstanding(ctx, reserveDenom)
	if err != nil {
		return err
	}
	if principal.GT(outstanding) {
		return errorsmod.Wrapf(types.ErrTreasuryOutstanding, "principal %s%s exceeds the treasury outstanding %s%s", principal, reserveDenom, outstanding, reserveDenom)
	}
	outstanding = outstanding.Sub(principal)

	return atomically(ctx, func(ctx context.Context) error {
		if err := k.modules.FromAccount(ctx, custodian, types.ModuleName, sdk.NewCoins(sdk.NewCoin(reserveDenom, total))); err != nil {
			return err
		}
		minted := sdk.NewCoin(types.USDaiDenom, total)
		if err := k.bank.MintCoins(ctx, types.ModuleName, sdk.NewCoins(minted)); err != nil {
			return err
		}
		if err := k.modules.FromModule(ctx, types.ModuleName, toModule, sdk.NewCoins(minted)); err != nil {
			return err
		}
		if err := k.setOutstanding(ctx, reserveDenom, outstanding); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventSettleFromTreasury{
			Custodian:   custodian.String(),
			ToModule:    toModule,
			Denom:       reserveDenom,
			Principal:   principal,
			Yield:       yield,
			Minted:      minted,
			Outstanding: outstanding,
		})
	})
}

// setOutstanding stores a denom's treasury outstanding, deleting a zero entry.
func (k Keeper) setOutstanding(ctx context.Context, denom string, amount math.Int) error {
	if amount.IsZero() {
		return k.TreasuryOutstanding.Remove(ctx, denom)
	}
	return k.TreasuryOutstanding.Set(ctx, denom, amount)
}

// checkModule refuses a name that is not a registered module account (x/bank
// panics on those) and x/stable's own account.
func (k Keeper) checkModule(name string) error {
	if name == "" || name == types.ModuleName || k.ak.GetModuleAddress(name) == nil {
		return errorsmod.Wrapf(types.ErrUnknownModule, "%q is not a module account that can hold USDai", name)
	}
	return nil
}
