package keeper

import (
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/yield/types"
)

// SharesInvariant checks that shares held outside the vault plus the
// escrowed shares make the ususdai supply, i.e. that the module account
// holds exactly the escrowed shares, and that the queued requests add up to
// them. The sum over requests is O(requests): tests and simulation only.
func SharesInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		vault, err := k.Vault.Get(ctx)
		if err != nil {
			return sdk.FormatInvariant(types.ModuleName, "shares", "cannot read the vault: "+err.Error()), true
		}
		supply := k.bank.GetSupply(ctx, types.ShareDenom).Amount
		escrow := k.bank.GetBalance(ctx, k.moduleAddr, types.ShareDenom).Amount
		queued := math.ZeroInt()
		err = k.Requests.Walk(ctx, nil, func(_ uint64, r types.RedeemRequest) (bool, error) {
			queued = queued.Add(r.Shares)
			return false, nil
		})
		// Holders own supply − escrow; with escrow == escrowed shares the two add up to the supply.
		broken := err != nil || !escrow.Equal(vault.EscrowedShares) || !queued.Equal(vault.EscrowedShares)
		return sdk.FormatInvariant(types.ModuleName, "shares", fmt.Sprintf(
			"supply %s, module holds %s, escrowed %s, queued %s, broken: %v", supply, escrow, vault.EscrowedShares, queued, broken)), broken
	}
}

// NAVInvariant checks that NAV and conservative NAV can be computed, are not
// negative, and that conservative NAV <= NAV.
func NAVInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		v, err := k.View(ctx)
		if err != nil {
			return sdk.FormatInvariant(types.ModuleName, "nav", "cannot value the vault: "+err.Error()), true
		}
		broken := v.NAV.IsNegative() || v.Conservative.IsNegative() || v.Conservative.GT(v.NAV)
		return sdk.FormatInvariant(types.ModuleName, "nav", fmt.Sprintf(
			"nav %s, conservative %s, broken: %v", v.NAV, v.Conservative, broken)), broken
	}
}

// IdleInvariant checks that the vault's idle counter equals the module
// account's uusdai balance.
func IdleInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		vault, err := k.Vault.Get(ctx)
		if err != nil {
			return sdk.FormatInvariant(types.ModuleName, "idle", "cannot read the vault: "+err.Error()), true
		}
		held := k.bank.GetBalance(ctx, k.moduleAddr, types.AssetDenom).Amount
		broken := !held.Equal(vault.Idle)
		return sdk.FormatInvariant(types.ModuleName, "idle", fmt.Sprintf(
			"idle %s, module balance %s%s, broken: %v", vault.Idle, held, types.AssetDenom, broken)), broken
	}
}

// RequestIndexesInvariant: each request has exactly its owner and queue
// index keys. insertRequest writes a new request's keys without
// IndexedMap.Set; this checks it wrote the ones the indexes derive.
func RequestIndexesInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var msg string
		requests := uint64(0)
		idx := k.Requests.Indexes
		err := k.Requests.Walk(ctx, nil, func(id uint64, r types.RedeemRequest) (bool, error) {
			requests++
			owner, err := sdk.AccAddressFromBech32(r.Owner)
			if err != nil {
				return true, err
			}
			msg += keeperutil.MissingKeys(fmt.Sprintf("request %d (bid %d bps)", id, r.BidBps),
				keeperutil.KeyIn(ctx, "owner", idx.Owner.KeySet, collections.Join(owner, id)),
				keeperutil.KeyIn(ctx, "queue", idx.Queue.KeySet, collections.Join(types.QueueBidKey(r.BidBps), id)))
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		sizes, err := keeperutil.SizeMismatches(requests, "requests",
			keeperutil.SizeOf(ctx, "owner", idx.Owner.KeySet),
			keeperutil.SizeOf(ctx, "queue", idx.Queue.KeySet))
		if err != nil {
			return err.Error(), true
		}
		msg += sizes
		return sdk.FormatInvariant(types.ModuleName, "request-indexes", msg), msg != ""
	}
}

// AllInvariants runs every x/yield invariant and reports the first broken one.
func AllInvariants(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		for _, inv := range []sdk.Invariant{SharesInvariant(k), NAVInvariant(k), IdleInvariant(k), RequestIndexesInvariant(k)} {
			if msg, broken := inv(ctx); broken {
				return msg, true
			}
		}
		return "", false
	}
}
