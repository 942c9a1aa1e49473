package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/stable/types"
)

// InitGenesis validates gs, writes it and checks against x/bank's state (bank
// initialises first) that the USDai supply is backed by the reserves the
// module holds: USDai must not appear in genesis balances without reserves.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.ensureModuleAccounts(ctx); err != nil {
		return err
	}
	if err := k.SetParams(ctx, gs.Params); err != nil {
		return err
	}
	for _, a := range gs.Allowlist {
		if err := k.Allowlist.Set(ctx, sdk.MustAccAddressFromBech32(a)); err != nil {
			return err
		}
	}
	for _, o := range gs.TreasuryOutstanding {
		if err := k.TreasuryOutstanding.Set(ctx, o.Denom, o.Amount); err != nil {
			return err
		}
	}
	for _, w := range gs.OutflowWindows {
		if err := k.OutflowWindows.Set(ctx, collections.Join(w.Channel, w.Denom), w.Window); err != nil {
			return err
		}
	}
	supply, held := k.USDaiSupply(ctx), k.reservesHeld(ctx, gs.Params)
	if supply.GT(held) {
		return errorsmod.Wrapf(types.ErrUnbackedSupply, "genesis USDai supply %s%s exceeds the reserves the module holds (%s)", supply, types.USDaiDenom, held)
	}
	return nil
}

// ExportGenesis returns the module state, in key order.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := types.NewGenesisState(params, []string{}, []types.TreasuryOutstanding{})
	err = k.Allowlist.Walk(ctx, nil, func(addr sdk.AccAddress) (bool, error) {
		gs.Allowlist = append(gs.Allowlist, addr.String())
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	err = k.TreasuryOutstanding.Walk(ctx, nil, func(denom string, amount math.Int) (bool, error) {
		gs.TreasuryOutstanding = append(gs.TreasuryOutstanding, types.TreasuryOutstanding{Denom: denom, Amount: amount})
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	gs.OutflowWindows = []types.OutflowWindowEntry{}
	err = k.OutflowWindows.Walk(ctx, nil, func(key collections.Pair[string, string], w types.OutflowWindow) (bool, error) {
		gs.OutflowWindows = append(gs.OutflowWindows, types.OutflowWindowEntry{Channel: key.K1(), Denom: key.K2(), Window: w})
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return gs, nil
}

// ensureModuleAccounts makes both module accounts exist, as module accounts,
// from genesis: x/yield and x/lending pay protocol_fees by address in
// multi-output transfers, and x/bank would give an address without an account
// a plain one, which x/auth refuses every module operation. A plain account
// already there (a genesis exported from a chain that had one) is replaced.
func (k Keeper) ensureModuleAccounts(ctx context.Context) error {
	for _, name := range []string{types.ModuleName, types.ProtocolFeeCollector} {
		if err := keeperutil.EnsureModuleAccount(ctx, k.ak, name); err != nil {
			return err
		}
	}
	return nil
}

// MigrateModuleAccounts (state version 1 to 2) gives a chain that started
// before InitGenesis created them its stable and protocol_fees module
// accounts, replacing a plain account that a multi-output transfer left at
// either address (their coins stay).
func (k Keeper) MigrateModuleAccounts(ctx sdk.Context) error {
	return k.ensureModuleAccounts(ctx)
}
