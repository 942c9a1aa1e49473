package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/yield/types"
)

// InitGenesis validates gs, checks it against the module account's bank
// balances (uusdai == idle, ususdai == escrowed shares) and writes it. It
// creates the module account.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	k.ak.GetModuleAccount(ctx, types.ModuleName)
	if held := k.bank.GetBalance(ctx, k.moduleAddr, types.AssetDenom).Amount; !held.Equal(gs.Vault.Idle) {
		return errorsmod.Wrapf(types.ErrInvalidGenesis, "vault idle %s differs from the module's balance %s%s", gs.Vault.Idle, held, types.AssetDenom)
	}
	if held := k.bank.GetBalance(ctx, k.moduleAddr, types.ShareDenom).Amount; !held.Equal(gs.Vault.EscrowedShares) {
		return errorsmod.Wrapf(types.ErrInvalidGenesis, "escrowed shares %s differ from the module's balance %s%s", gs.Vault.EscrowedShares, held, types.ShareDenom)
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if err := k.Vault.Set(ctx, gs.Vault); err != nil {
		return err
	}
	if err := k.Book.Set(ctx, gs.Book); err != nil {
		return err
	}
	if err := k.Treasury.Set(ctx, gs.Treasury); err != nil {
		return err
	}
	if err := k.Epoch.Set(ctx, gs.Epoch); err != nil {
		return err
	}
	if err := k.Round.Set(ctx, gs.Round); err != nil {
		return err
	}
	for _, r := range gs.Requests {
		if err := k.Requests.Set(ctx, r.Id, r); err != nil {
			return err
		}
	}
	for _, c := range gs.Checkpoints {
		if err := k.Checkpoints.Set(ctx, c.Time.Unix(), c); err != nil {
			return err
		}
	}
	committed := gs.Committed
	if committed.IsNil() {
		committed = math.ZeroInt()
	}
	if err := k.Committed.Set(ctx, committed); err != nil {
		return err
	}
	return k.CheckpointCount.Set(ctx, uint64(len(gs.Checkpoints)))
}

// ExportGenesis returns the module state; requests by id, checkpoints oldest first.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	gs := types.DefaultGenesis()
	var err error
	if gs.Params, err = k.Params.Get(ctx); err != nil {
		return nil, err
	}
	if gs.Vault, err = k.Vault.Get(ctx); err != nil {
		return nil, err
	}
	if gs.Book, err = k.Book.Get(ctx); err != nil {
		return nil, err
	}
	if gs.Treasury, err = k.Treasury.Get(ctx); err != nil {
		return nil, err
	}
	if gs.Epoch, err = k.Epoch.Get(ctx); err != nil {
		return nil, err
	}
	if gs.Round, err = k.Round.Get(ctx); err != nil {
		return nil, err
	}
	if gs.Committed, err = k.committed(ctx); err != nil {
		return nil, err
	}
	err = k.Requests.Walk(ctx, nil, func(_ uint64, r types.RedeemRequest) (bool, error) {
		gs.Requests = append(gs.Requests, r)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	err = k.Checkpoints.Walk(ctx, nil, func(_ int64, c types.Checkpoint) (bool, error) {
		gs.Checkpoints = append(gs.Checkpoints, c)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return gs, nil
}
