package keeper

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// EndBlocker walks the two time queues up to block time, each bounded per
// block: lapsed custody attestations (marked stale, AfterCustodyStale fired)
// and expired policies (closed, coverage released). Work per block is at most
// max_stale_checks_per_block + max_policy_expiries_per_block units, whatever
// the number of titles; the rest waits for the next block. Units fail alone
// (logged); EndBlocker fails only when params or a queue cannot be read.
func (k Keeper) EndBlocker(ctx context.Context) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if err := k.markStale(sdkCtx, params.MaxStaleChecksPerBlock); err != nil {
		return err
	}
	return k.expirePolicies(sdkCtx, params.MaxPolicyExpiriesPerBlock)
}
