package keeper

import (
	"context"
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/yield/types"
)

// treasuryRate reads the T-bill feed: its value and whether accrual may use
// it (a valid price in [0, MaxRate]).
func (k Keeper) treasuryRate(ctx context.Context, feed string) (math.LegacyDec, bool) {
	price, err := k.oracle.GetPrice(ctx, feed)
	if err != nil || !price.Valid || price.Value.IsNil() || types.CheckRate("rate", price.Value) != nil {
		return math.LegacyZeroDec(), false
	}
	return price.Value, true
}

// accrueTreasury accrues T-bill yield on the principal from the last accrual
// to block time at the feed's current rate, if the feed is valid; a stale
// feed pauses accrual (the period is skipped, not caught up later). It runs
// at every BeginBlock and before a settlement.
func (k Keeper) accrueTreasury(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	t, err := k.Treasury.Get(ctx)
	if err != nil {
		return err
	}
	now := blockTime(ctx)
	rate, valid := k.treasuryRate(ctx, params.TreasuryRateFeed)
	t.Rate, t.RateValid = rate, valid
	switch {
	case t.LastAccrual.IsZero() || !valid || !t.Principal.IsPositive():
		t.LastAccrual = now
	case now.After(t.LastAccrual):
		// Whole seconds only; the remainder carries over to the next accrual.
		seconds := int64(now.Sub(t.LastAccrual) / time.Second)
		acc, err := types.TreasuryAccrual(t.Principal, rate, seconds)
		if err != nil {
			return err
		}
		t.AccruedYield = t.AccruedYield.Add(acc)
		t.LastAccrual = t.LastAccrual.Add(time.Duration(seconds) * time.Second)
	}
	return k.Treasury.Set(ctx, t)
}

// custodian returns the configured treasury custodian if it holds the
// TREASURY_CUSTODIAN role in x/caliber.
func (k Keeper) custodian(ctx context.Context, params types.Params) (sdk.AccAddress, error) {
	if !params.TreasuryEnabled() {
		return nil, errorsmod.Wrap(types.ErrTreasuryDisabled, "no treasury custodian is configured")
	}
	addr, err := sdk.AccAddressFromBech32(params.TreasuryCustodian)
	if err != nil {
		return nil, err
	}
	if !k.caliber.HasRole(ctx, addr, calibertypes.RoleTreasuryCustodian) {
		return nil, errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "%s is not an active TREASURY_CUSTODIAN party", addr)
	}
	return addr, nil
}

// TreasuryCustodian returns the configured treasury custodian if it is an
// active TREASURY_CUSTODIAN party in x/caliber, the account that may settle
// now: ErrTreasuryDisabled without a custodian, ErrUnauthorized without the role.
func (k Keeper) TreasuryCustodian(ctx context.Context) (sdk.AccAddress, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return k.custodian(ctx, params)
}

// rebalanceIfDue runs at most once per rebalance_interval (EndBlock). The
// vault wants target = buffer + queue need + committed idle (committed is
// the principal of x/lending's PENDING loans, held for their underwriting). Above it, the excess is
// allocated to the treasury through x/stable (up to the reserve x/stable
// holds); below it, the recall order is set to the shortfall (up to the
// treasury principal) for the custodian to settle. A rebalance replaces the
// previous recall order. An unusable custodian or a refused allocation is
// logged and waits for the next interval.
func (k Keeper) rebalanceIfDue(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if !params.TreasuryEnabled() {
		return nil
	}
	t, err := k.Treasury.Get(ctx)
	if err != nil {
		return err
	}
	now := blockTime(ctx)
	if !t.LastRebalance.IsZero() && now.Sub(t.LastRebalance) < params.RebalanceInterval {
		return nil
	}
	t.LastRebalance = now
	if err := k.Treasury.Set(ctx, t); err != nil {
		return err
	}
	custodian, err := k.custodian(ctx, params)
	if err != nil {
		k.logger.Error("treasury rebalance skipped", "error", err)
		return nil
	}
	v, err := k.View(ctx)
	if err != nil {
		return err
	}
	need, err := v.QueueNeed()
	if err != nil {
		return err
	}
	target := v.Buffer.Add(need).Add(v.Committed)
	idle := v.Vault.Idle

	recall := math.ZeroInt()
	if idle.LT(target) {
		recall = math.MinInt(target.Sub(idle), t.Principal)
	}
	if !recall.Equal(t.Recall) {
		t.Recall = recall
		if err := k.Treasury.Set(ctx, t); err != nil {
			return err
		}
		if err := keeperutil.Emit(ctx, &types.EventTreasuryRecall{
			Custodian: custodian.String(), Recall: recall, Principal: t.Principal,
		}); err != nil {
			return err
		}
	}
	if !idle.GT(target) {
		return nil
	}
	amount := math.MinInt(idle.Sub(target), k.stable.Held(ctx, params.TreasuryReserveDenom))
	if !amount.IsPositive() {
		return nil
	}
	err = atomically(ctx, func(ctx context.Context) error {
		if err := k.stable.AllocateToTreasury(ctx, types.ModuleName, custodian, params.TreasuryReserveDenom, amount); err != nil {
			return err
		}
		vault := v.Vault
		if err := subIdle(&vault, amount); err != nil {
			return err
		}
		t.Principal = t.Principal.Add(amount)
		if err := k.Treasury.Set(ctx, t); err != nil {
			return err
		}
		if err := k.Vault.Set(ctx, vault); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventTreasuryAllocated{
			Custodian: custodian.String(), Denom: params.TreasuryReserveDenom, Amount: amount, Principal: t.Principal,
		})
	})
	if err != nil {
		k.logger.Error("treasury allocation failed; retried at the next rebalance", "amount", amount, "error", err)
	}
	return nil
}

// SettleResult is what a treasury settlement did.
type SettleResult struct {
	// Accrued is the accrued yield (rounded down) the settlement realized.
	Accrued math.Int
	// Loss is max(0, Accrued − yield): accrued yield that was not paid.
	Loss math.Int
	// Fee is admin_fee_bps of the yield, rounded down.
	Fee math.Int
}

// SettleTreasury is the custodian returning principal (at most the recall
// order) and yield through x/stable, which mints the same USDai to the vault.
// A settlement realizes all the yield accrued so far: accrued yield not paid
// is recognized as a loss (it only ever counted in NAV, never in the
// conservative NAV). admin_fee_bps of the yield goes to the fee collector.
func (k Keeper) SettleTreasury(ctx context.Context, signer sdk.AccAddress, principal, yield math.Int) (SettleResult, error) {
	if err := types.CheckAmount("principal", principal, types.MaxAssets); err != nil {
		return SettleResult{}, err
	}
	if err := types.CheckAmount("yield", yield, types.MaxAssets); err != nil {
		return SettleResult{}, err
	}
	if principal.IsZero() && yield.IsZero() {
		return SettleResult{}, errorsmod.Wrap(types.ErrInvalidAmount, "settlement of nothing")
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return SettleResult{}, err
	}
	if params.TreasuryEnabled() && params.TreasuryCustodian != signer.String() {
		return SettleResult{}, errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "only the treasury custodian %s settles, not %s", params.TreasuryCustodian, signer)
	}
	custodian, err := k.custodian(ctx, params)
	if err != nil {
		return SettleResult{}, err
	}
	var res SettleResult
	err = atomically(ctx, func(ctx context.Context) error {
		if err := k.accrueTreasury(ctx); err != nil {
			return err
		}
		t, err := k.Treasury.Get(ctx)
		if err != nil {
			return err
		}
		if principal.GT(t.Recall) {
			return errorsmod.Wrapf(types.ErrExceedsRecall, "principal %s exceeds the recall order %s (treasury principal %s)", principal, t.Recall, t.Principal)
		}
		vault, err := k.Vault.Get(ctx)
		if err != nil {
			return err
		}
		res.Accrued = t.AccruedYield.TruncateInt()
		res.Loss = math.ZeroInt()
		if res.Accrued.GT(yield) {
			res.Loss = res.Accrued.Sub(yield)
		}
		res.Fee = types.BpsOf(yield, params.AdminFeeBps)
		if err := addIdle(&vault, principal.Add(yield).Sub(res.Fee)); err != nil {
			return err
		}
		if err := k.stable.SettleFromTreasury(ctx, custodian, types.ModuleName, params.TreasuryReserveDenom, principal, yield); err != nil {
			return err
		}
		if err := k.payFee(ctx, res.Fee); err != nil {
			return err
		}
		t.Principal = t.Principal.Sub(principal)
		t.Recall = t.Recall.Sub(principal)
		t.AccruedYield = math.LegacyZeroDec()
		t.RealizedYield = t.RealizedYield.Add(yield)
		t.Losses = t.Losses.Add(res.Loss)
		if err := k.Treasury.Set(ctx, t); err != nil {
			return err
		}
		if err := k.Vault.Set(ctx, vault); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventTreasurySettled{
			Custodian: custodian.String(), Principal: principal, Yield: yield, AccruedYield: res.Accrued,
			Loss: res.Loss, Fee: res.Fee, RemainingPrincipal: t.Principal, Recall: t.Recall,
		})
	})
	if err != nil {
		return SettleResult{}, err
	}
	return res, nil
}
