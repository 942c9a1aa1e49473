package keeper

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
)

// attest records a fresh attestation of a title in custody and (re)queues its
// expiry. An empty facility keeps the previously attested one.
func (k Keeper) attest(ctx context.Context, titleID uint64, online bool, uptimeBps uint32, facility string, maxAge time.Duration) (types.Custody, error) {
	old, err := k.Custody.Get(ctx, titleID)
	switch {
	case err == nil:
		if !old.Stale {
			if err := k.CustodyExpiry.Remove(ctx, collections.Join(old.ExpiresAt, titleID)); err != nil {
				return types.Custody{}, err
			}
		}
		if facility == "" {
			facility = old.Facility
		}
	case !errors.Is(err, collections.ErrNotFound):
		return types.Custody{}, err
	}
	now := blockTime(ctx)
	c := types.Custody{
		TitleId:        titleID,
		LastAttestedAt: now,
		ExpiresAt:      now.Add(maxAge),
		Online:         online,
		UptimeBps:      uptimeBps,
		Facility:       facility,
	}
	if err := k.Custody.Set(ctx, titleID, c); err != nil {
		return types.Custody{}, err
	}
	return c, k.CustodyExpiry.Set(ctx, collections.Join(c.ExpiresAt, titleID))
}

// stopCustody deletes a title's custody record and its queued expiry.
func (k Keeper) stopCustody(ctx context.Context, titleID uint64) error {
	c, err := k.Custody.Get(ctx, titleID)
	if errors.Is(err, collections.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !c.Stale {
		if err := k.CustodyExpiry.Remove(ctx, collections.Join(c.ExpiresAt, titleID)); err != nil {
			return err
		}
	}
	return k.Custody.Remove(ctx, titleID)
}

// AttestCustody refreshes the attestation of each listed title. The custodian
// must be an active CUSTODIAN and the custodian of every title, each in
// custody (ACTIVE, PLEDGED, FORECLOSING or REDEMPTION_REQUESTED); otherwise
// nothing is written. A stale title becomes fresh again.
func (k Keeper) AttestCustody(ctx context.Context, msg *types.MsgAttestCustody) (time.Time, error) {
	if err := msg.ValidateBasic(); err != nil {
		return time.Time{}, err
	}
	custodian := sdk.MustAccAddressFromBech32(msg.Custodian)
	if err := k.requireRole(ctx, custodian, types.RoleCustodian); err != nil {
		return time.Time{}, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if uint64(len(msg.TitleIds)) > uint64(params.MaxTitlesPerAttestation) {
		return time.Time{}, errorsmod.Wrapf(types.ErrInvalidAttestation, "%d titles, at most %d per attestation",
			len(msg.TitleIds), params.MaxTitlesPerAttestation)
	}
	for _, id := range msg.TitleIds {
		t, err := k.GetTitle(ctx, id)
		if err != nil {
			return time.Time{}, err
		}
		if err := k.requireCustodian(ctx, t, custodian); err != nil {
			return time.Time{}, err
		}
		if !types.InCustody(t.Status) {
			return time.Time{}, errorsmod.Wrapf(types.ErrInvalidStatus, "title %d is %s, not in custody", id, t.Status)
		}
	}
	var expiresAt time.Time
	for _, id := range msg.TitleIds {
		c, err := k.attest(ctx, id, msg.Online, msg.UptimeBps, msg.Facility, params.CustodyAttestationMaxAge)
		if err != nil {
			return time.Time{}, err
		}
		expiresAt = c.ExpiresAt
	}
	return expiresAt, keeperutil.Emit(ctx, &types.EventCustodyAttested{
		Custodian: custodian.String(), TitleIds: msg.TitleIds, Online: msg.Online, UptimeBps: msg.UptimeBps,
		Facility: msg.Facility, ExpiresAt: expiresAt,
	})
}

// IsStale reports whether a title in custody has an attestation older than
// custody_attestation_max_age at block time (whether or not EndBlock has marked
// it yet). Titles not in custody (pending, casualty) are never stale.
func (k Keeper) IsStale(ctx context.Context, titleID uint64) (bool, error) {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return false, err
	}
	return k.isStale(ctx, t)
}

// isStale is IsStale of a title already read.
func (k Keeper) isStale(ctx context.Context, t types.Title) (bool, error) {
	if !types.InCustody(t.Status) {
		return false, nil
	}
	c, err := k.Custody.Get(ctx, t.Id)
	if err != nil {
		return false, err
	}
	return c.Stale || !blockTime(ctx).Before(c.ExpiresAt), nil
}

// dueKeys returns up to limit keys of a time queue with time <= now, in order.
func dueKeys(ctx context.Context, queue collections.KeySet[collections.Pair[time.Time, uint64]], now time.Time, limit uint32) ([]collections.Pair[time.Time, uint64], error) {
	rng := new(collections.Range[collections.Pair[time.Time, uint64]]).
		EndInclusive(collections.Join(now, uint64(math.MaxUint64)))
	var due []collections.Pair[time.Time, uint64]
	err := queue.Walk(ctx, rng, func(key collections.Pair[time.Time, uint64]) (bool, error) {
		due = append(due, key)
		return uint32(len(due)) >= limit, nil
	})
	return due, err
}

// markStale handles up to params.max_stale_checks_per_block lapsed
// attestations, oldest first: each leaves the queue, is marked stale, gets
// EventCustodyStale and fires AfterCustodyStale once. The rest wait for the
// next block. The hook runs in a cache context: its error or panic is logged
// and discards only the hook's writes.
func (k Keeper) markStale(ctx sdk.Context, limit uint32) error {
	due, err := dueKeys(ctx, k.CustodyExpiry, ctx.BlockTime().UTC(), limit)
	if err != nil {
		return err
	}
	for _, key := range due {
		titleID := key.K2()
		if err := k.markOneStale(ctx, key); err != nil {
			k.logger.Error("custody staleness check failed; title skipped", "title_id", titleID, "error", err)
			continue
		}
		if k.hooks == nil {
			continue
		}
		t, err := k.GetTitle(ctx, titleID)
		if err != nil {
			k.logger.Error("AfterCustodyStale hook skipped: title unreadable", "title_id", titleID, "error", err)
			continue
		}
		cacheCtx, write := ctx.CacheContext()
		if err := safeCall(func() error { return k.hooks.AfterCustodyStale(cacheCtx, titleID, t.LoanId) }); err != nil {
			k.logger.Error("AfterCustodyStale hook failed", "title_id", titleID, "error", err)
			continue
		}
		write()
	}
	return nil
}

// markOneStale dequeues one lapsed attestation and marks its record stale, in a
// cache context so a failure leaves nothing half-written.
func (k Keeper) markOneStale(ctx sdk.Context, key collections.Pair[time.Time, uint64]) error {
	cacheCtx, write := ctx.CacheContext()
	if err := k.CustodyExpiry.Remove(cacheCtx, key); err != nil {
		return err
	}
	c, err := k.Custody.Get(cacheCtx, key.K2())
	if errors.Is(err, collections.ErrNotFound) {
		// An orphan queue entry (no record to mark): drop it.
		write()
		return nil
	}
	if err != nil {
		return err
	}
	c.Stale = true
	if err := k.Custody.Set(cacheCtx, key.K2(), c); err != nil {
		return err
	}
	if err := keeperutil.Emit(cacheCtx, &types.EventCustodyStale{TitleId: key.K2(), ExpiredAt: key.K1()}); err != nil {
		return err
	}
	write()
	return nil
}

// safeCall turns a panic in f (e.g. in another module's hook) into an error.
func safeCall(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}
