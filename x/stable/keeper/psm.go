package keeper

import (
	"context"
	"errors"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	"github.com/infrafi/infrafi/x/stable/types"
)

// Mint takes amount (a reserve coin) from sender into the module account,
// mints the same amount of uusdai, credits sender with amount − fee and the
// protocol fee collector with fee = ceil(amount × mint_fee_bps / 10000).
// Refused when paused, when sender is not allowlisted in permissioned mode,
// for an unknown or disabled reserve, while the reserve's fx feed is valid and
// below its threshold, when the reserve cap or the supply cap would be
// exceeded, and when the fee would take everything. Nothing changes on error.
func (k Keeper) Mint(ctx context.Context, sender sdk.AccAddress, amount sdk.Coin) (received, fee sdk.Coin, err error) {
	return k.mint(ctx, atomically, sender, amount)
}

// mint is Mint with its writes run by branch: keeperutil.InTx from the msg
// server, atomically from every other caller.
func (k Keeper) mint(ctx context.Context, branch keeperutil.Branch, sender sdk.AccAddress, amount sdk.Coin) (received, fee sdk.Coin, err error) {
	if amount.Amount.IsNil() || !amount.Amount.IsPositive() {
		return received, fee, errorsmod.Wrapf(types.ErrInvalidAmount, "mint amount must be positive, got %s", amount)
	}
	if err := types.ValidateReserveDenom(amount.Denom); err != nil {
		return received, fee, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return received, fee, err
	}
	if err := k.checkOpen(ctx, params, sender); err != nil {
		return received, fee, err
	}
	reserve, err := reserveOf(params, amount.Denom)
	if err != nil {
		return received, fee, err
	}
	if !reserve.Enabled {
		return received, fee, errorsmod.Wrapf(types.ErrReserveDisabled, "minting against %s is disabled", reserve.Denom)
	}
	fx, err := k.fxStatus(ctx, reserve)
	if err != nil {
		return received, fee, err
	}
	if fx.depegged {
		return received, fee, errorsmod.Wrapf(types.ErrDepegged, "%s price %s from %s is below the depeg threshold %s; minting is refused until it recovers",
			reserve.Denom, fx.price, reserve.DepegFeed, reserve.DepegThreshold)
	}
	held := k.Held(ctx, reserve.Denom)
	if held.Add(amount.Amount).GT(reserve.Cap) {
		return received, fee, errorsmod.Wrapf(types.ErrReserveCapExceeded, "minting %s would hold %s%s, above the cap %s%s (room left %s%s)",
			amount, held.Add(amount.Amount), reserve.Denom, reserve.Cap, reserve.Denom, types.CapRemaining(reserve.Cap, held), reserve.Denom)
	}
	supply := k.USDaiSupply(ctx)
	if supply.Add(amount.Amount).GT(params.SupplyCap) {
		return received, fee, errorsmod.Wrapf(types.ErrSupplyCapExceeded, "minting %s%s would make the supply %s%s, above the cap %s%s (room left %s%s)",
			amount.Amount, types.USDaiDenom, supply.Add(amount.Amount), types.USDaiDenom, params.SupplyCap, types.USDaiDenom,
			types.CapRemaining(params.SupplyCap, supply), types.USDaiDenom)
	}
	net, feeAmt := types.SplitFee(amount.Amount, reserve.MintFeeBps)
	if !net.IsPositive() {
		return received, fee, errorsmod.Wrapf(types.ErrInvalidAmount, "minting %s yields nothing after the %d bps fee", amount, reserve.MintFeeBps)
	}

	received, fee = sdk.NewCoin(types.USDaiDenom, net), sdk.NewCoin(types.USDaiDenom, feeAmt)
	err = branch(ctx, func(ctx context.Context) error {
		if err := k.modules.FromAccount(ctx, sender, types.ModuleName, sdk.NewCoins(amount)); err != nil {
			return err
		}
		if err := k.bank.MintCoins(ctx, types.ModuleName, sdk.NewCoins(sdk.NewCoin(types.USDaiDenom, amount.Amount))); err != nil {
			return err
		}
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sender, sdk.NewCoins(received)); err != nil {
			return err
		}
		return k.payFee(ctx, fee)
	})
	if err != nil {
		return sdk.Coin{}, sdk.Coin{}, err
	}
	return received, fee, nil
}

// Redeem takes amount uusdai from sender, pays fee = ceil(amount ×
// redeem_fee_bps / 10000) of it to the protocol fee collector, burns the rest
// and pays out the same number of reserveDenom coins. Works for disabled
// reserves too (so they can drain), not while paused or for a sender missing
// from the allowlist in permissioned mode; refused when the module holds less
// than the payout. Nothing changes on error.
func (k Keeper) Redeem(ctx context.Context, sender sdk.AccAddress, amount math.Int, reserveDenom string) (paid, fee sdk.Coin, err error) {
	return k.redeem(ctx, atomically, sender, amount, reserveDenom)
}

// redeem is Redeem with its writes run by branch: keeperutil.InTx from the msg
// server, atomically from every other caller.
func (k Keeper) redeem(ctx context.Context, branch keeperutil.Branch, sender sdk.AccAddress, amount math.Int, reserveDenom string) (paid, fee sdk.Coin, err error) {
	if amount.IsNil() || !amount.IsPositive() {
		return paid, fee, errorsmod.Wrapf(types.ErrInvalidAmount, "redeem amount must be positive, got %s", amount)
	}
	if err := types.ValidateReserveDenom(reserveDenom); err != nil {
		return paid, fee, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return paid, fee, err
	}
	if err := k.checkOpen(ctx, params, sender); err != nil {
		return paid, fee, err
	}
	reserve, err := reserveOf(params, reserveDenom)
	if err != nil {
		return paid, fee, err
	}
	net, feeAmt := types.SplitFee(amount, reserve.RedeemFeeBps)
	if !net.IsPositive() {
		return paid, fee, errorsmod.Wrapf(types.ErrInvalidAmount, "redeeming %s%s yields nothing after the %d bps fee", amount, types.USDaiDenom, reserve.RedeemFeeBps)
	}
	if held := k.Held(ctx, reserve.Denom); held.LT(net) {
		return paid, fee, errorsmod.Wrapf(types.ErrInsufficientReserve, "redemption pays %s%s but the module holds %s%s",
			net, reserve.Denom, held, reserve.Denom)
	}

	paid, fee = sdk.NewCoin(reserve.Denom, net), sdk.NewCoin(types.USDaiDenom, feeAmt)
	burn := sdk.NewCoin(types.USDaiDenom, net)
	err = branch(ctx, func(ctx context.Context) error {
		if err := k.modules.FromAccount(ctx, sender, types.ModuleName, sdk.NewCoins(sdk.NewCoin(types.USDaiDenom, amount))); err != nil {
			return err
		}
		if err := k.payFee(ctx, fee); err != nil {
			return err
		}
		if err := k.bank.BurnCoins(ctx, types.ModuleName, sdk.NewCoins(burn)); err != nil {
			return err
		}
		return k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sender, sdk.NewCoins(paid))
	})
	if err != nil {
		return sdk.Coin{}, sdk.Coin{}, err
	}
	return paid, fee, nil
}

// payFee moves a USDai fee from the module account to the protocol fee
// collector; a zero fee moves nothing.
func (k Keeper) payFee(ctx context.Context, fee sdk.Coin) error {
	if !fee.IsPositive() {
		return nil
	}
	return k.modules.FromModule(ctx, types.ModuleName, types.ProtocolFeeCollector, sdk.NewCoins(fee))
}

// checkOpen refuses mint and redeem while paused, and for senders missing
// from the allowlist in permissioned mode.
func (k Keeper) checkOpen(ctx context.Context, params types.Params, sender sdk.AccAddress) error {
	if params.Paused {
		return errorsmod.Wrap(types.ErrPaused, "minting and redeeming are paused")
	}
	if !params.Permissioned {
		return nil
	}
	listed, err := k.Allowlist.Has(ctx, sender)
	if err != nil {
		return err
	}
	if !listed {
		return errorsmod.Wrapf(types.ErrNotAllowlisted, "%s may not mint or redeem while the module is permissioned", sender)
	}
	return nil
}

// reserveOf returns the listed reserve with the given denom or ErrUnknownReserve.
func reserveOf(params types.Params, denom string) (types.ReserveAsset, error) {
	reserve, ok := params.Reserve(denom)
	if !ok {
		return types.ReserveAsset{}, errorsmod.Wrapf(types.ErrUnknownReserve, "%s is not a reserve of USDai", denom)
	}
	return reserve, nil
}

// fxReading is a reserve's depeg feed as read at the current block.
type fxReading struct {
	price    math.LegacyDec
	valid    bool
	depegged bool
}

// fxStatus reads the reserve's depeg feed. Only a valid price below the
// threshold counts as a depeg: a missing feed, a missing price or an invalid
// (stale, under-fed) price does not block minting, so an oracle outage cannot
// halt the PSM; governance pauses or disables the reserve when that is wanted.
func (k Keeper) fxStatus(ctx context.Context, reserve types.ReserveAsset) (fxReading, error) {
	none := fxReading{price: math.LegacyZeroDec()}
	if reserve.DepegFeed == "" {
		return none, nil
	}
	price, err := k.oracle.GetPrice(ctx, reserve.DepegFeed)
	if errors.Is(err, oracletypes.ErrPriceNotFound) || errors.Is(err, oracletypes.ErrFeedNotFound) {
		return none, nil
	}
	if err != nil {
		return none, err
	}
	return fxReading{
		price:    price.Value,
		valid:    price.Valid,
		depegged: price.Valid && price.Value.LT(reserve.DepegThreshold),
	}, nil
}
