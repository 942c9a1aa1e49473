package keeper

import (
	"context"
	"errors"
	"strings"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/stable/types"
)

// ReserveOrigin returns the trace of an IBC voucher ("ibc/<hash>"), nil for a
// native denom. A voucher the chain has never received is ErrUnknownVoucher.
func (k Keeper) ReserveOrigin(ctx context.Context, denom string) (*types.ReserveOrigin, error) {
	if !strings.HasPrefix(denom, "ibc/") || k.denoms == nil {
		return nil, nil
	}
	path, base, err := k.denoms.DenomOrigin(sdk.UnwrapSDKContext(ctx), denom)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrUnknownVoucher, "%s: no ICS-20 denom trace on this chain (%s)", denom, err)
	}
	return &types.ReserveOrigin{Path: path, BaseDenom: base}, nil
}

// RecordOutflow counts amount of denom leaving over channel against its
// quota, or refuses with ErrOutflowQuota when the rolling net outflow would
// exceed the limit at the current supply. A denom without a quota passes.
// It runs inside the transfer, after the escrow, so a refusal reverts the
// whole message: nothing stays escrowed.
func (k Keeper) RecordOutflow(ctx context.Context, channel, denom string, amount math.Int) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	quota, ok := params.OutflowQuota(denom)
	if !ok {
		return nil
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime().Unix()
	window, err := k.outflowWindow(ctx, channel, denom, now, quota.WindowSeconds)
	if err != nil {
		return err
	}
	used := window.Used(now, quota.WindowSeconds)
	limit := quota.Limit(k.bank.GetSupply(ctx, denom).Amount)
	if used.Add(amount).GT(limit) {
		return errorsmod.Wrapf(types.ErrOutflowQuota,
			"%s%s over %s: %s already out in the last %ds, limit %s (remaining %s)",
			amount, denom, channel, used, quota.WindowSeconds, limit, math.MaxInt(limit.Sub(used), math.ZeroInt()))
	}
	window.Current = window.Current.Add(amount)
	return k.OutflowWindows.Set(ctx, collections.Join(channel, denom), window)
}

// RecordReturn takes amount of denom off the channel's net outflow: coins
// that came back (a receipt of our own denom, a refund after a timeout or an
// error acknowledgement). Returns are never refused; only denoms with a quota
// are tracked.
func (k Keeper) RecordReturn(ctx context.Context, channel, denom string, amount math.Int) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	quota, ok := params.OutflowQuota(denom)
	if !ok {
		return nil
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime().Unix()
	window, err := k.outflowWindow(ctx, channel, denom, now, quota.WindowSeconds)
	if err != nil {
		return err
	}
	window.Current = window.Current.Sub(amount)
	return k.OutflowWindows.Set(ctx, collections.Join(channel, denom), window)
}

// outflowWindow returns the stored window rolled to now, or a new one.
func (k Keeper) outflowWindow(ctx context.Context, channel, denom string, now int64, windowSeconds uint64) (types.OutflowWindow, error) {
	w, err := k.OutflowWindows.Get(ctx, collections.Join(channel, denom))
	switch {
	case errors.Is(err, collections.ErrNotFound):
		return types.NewOutflowWindow(now, windowSeconds), nil
	case err != nil:
		return types.OutflowWindow{}, err
	}
	return w.Roll(now, windowSeconds), nil
}

// OutflowUsage reports a (channel, denom)'s quota use at the current block.
func (k Keeper) OutflowUsage(ctx context.Context, params types.Params, channel, denom string) (types.OutflowUsage, error) {
	usage := types.OutflowUsage{Channel: channel, Denom: denom, Used: math.ZeroInt(), Limit: math.ZeroInt(), Remaining: math.ZeroInt()}
	quota, ok := params.OutflowQuota(denom)
	if !ok {
		stored, err := k.OutflowWindows.Get(ctx, collections.Join(channel, denom))
		if err != nil && !errors.Is(err, collections.ErrNotFound) {
			return usage, err
		}
		if err == nil {
			usage.Window = stored
		} else {
			usage.Window = types.OutflowWindow{Current: math.ZeroInt(), Previous: math.ZeroInt()}
		}
		return usage, nil
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime().Unix()
	window, err := k.outflowWindow(ctx, channel, denom, now, quota.WindowSeconds)
	if err != nil {
		return usage, err
	}
	usage.Quota = &quota
	usage.Window = window
	usage.Used = window.Used(now, quota.WindowSeconds)
	usage.Limit = quota.Limit(k.bank.GetSupply(ctx, denom).Amount)
	usage.Remaining = math.MaxInt(usage.Limit.Sub(usage.Used), math.ZeroInt())
	return usage, nil
}
