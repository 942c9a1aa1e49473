package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/yield/types"
)

// RequestRedeem moves shares from owner to escrow and queues them with a
// bid. Escrowed shares keep sharing gains and losses until served.
func (k Keeper) RequestRedeem(ctx context.Context, owner sdk.AccAddress, shares math.Int, bidBps uint32) (types.RedeemRequest, error) {
	return k.requestRedeem(ctx, atomically, owner, shares, bidBps)
}

// requestRedeem is RequestRedeem with its writes run by branch: keeperutil.InTx from the msg
// server, atomically from every other caller.
func (k Keeper) requestRedeem(ctx context.Context, branch keeperutil.Branch, owner sdk.AccAddress, shares math.Int, bidBps uint32) (types.RedeemRequest, error) {
	if err := types.CheckAmount("shares", shares, types.MaxShares); err != nil {
		return types.RedeemRequest{}, err
	}
	if !shares.IsPositive() {
		return types.RedeemRequest{}, errorsmod.Wrap(types.ErrInvalidAmount, "shares must be positive")
	}
	if bidBps > types.BpsDenominator {
		return types.RedeemRequest{}, errorsmod.Wrapf(types.ErrInvalidBid, "bid_bps must be at most %d, got %d", types.BpsDenominator, bidBps)
	}
	vault, err := k.Vault.Get(ctx)
	if err != nil {
		return types.RedeemRequest{}, err
	}
	epoch, err := k.Epoch.Get(ctx)
	if err != nil {
		return types.RedeemRequest{}, err
	}
	req := types.RedeemRequest{
		Id: vault.NextRequestId, Owner: owner.String(), Shares: shares, BidBps: bidBps,
		RequestedAt: blockTime(ctx), Epoch: epoch.Number,
	}
	vault.NextRequestId++
	vault.EscrowedShares = vault.EscrowedShares.Add(shares)
	err = branch(ctx, func(ctx context.Context) error {
		// The transfer checks the spendable shares (and writes nothing when
		// they fall short); they are read again only to explain a refusal.
		if err := k.modules.FromAccount(ctx, owner, types.ModuleName, sdk.NewCoins(sdk.NewCoin(types.ShareDenom, shares))); err != nil {
			if errors.Is(err, sdkerrors.ErrInsufficientFunds) {
				return errorsmod.Wrapf(types.ErrInsufficientShares, "redeeming %s%s but %s holds %s%s",
					shares, types.ShareDenom, owner, k.bank.SpendableCoin(ctx, owner, types.ShareDenom).Amount, types.ShareDenom)
			}
			return err
		}
		if err := k.insertRequest(ctx, owner, req); err != nil {
			return err
		}
		if err := k.Vault.Set(ctx, vault); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventRedeemRequested{
			RequestId: req.Id, Owner: req.Owner, Shares: shares, BidBps: bidBps, Epoch: req.Epoch,
		})
	})
	if err != nil {
		return types.RedeemRequest{}, err
	}
	return req, nil
}

// insertRequest stores a new request (its id is the vault's next, never
// used) with its owner and queue index keys, the keys Requests' indexes
// derive from it. IndexedMap.Set would first look up a stored request under
// the id to unindex it. RequestIndexesInvariant checks the keys.
func (k Keeper) insertRequest(ctx context.Context, owner sdk.AccAddress, req types.RedeemRequest) error {
	if err := k.Requests.Indexes.Owner.Set(ctx, collections.Join(owner, req.Id)); err != nil {
		return err
	}
	if err := k.Requests.Indexes.Queue.Set(ctx, collections.Join(types.QueueBidKey(req.BidBps), req.Id)); err != nil {
		return err
	}
	return k.requestValues.Set(ctx, req.Id, req)
}

// UpdateBid raises the bid of owner's request id. The request keeps its
// time priority among requests with the same bid.
func (k Keeper) UpdateBid(ctx context.Context, owner sdk.AccAddress, id uint64, bidBps uint32) (types.RedeemRequest, error) {
	return k.updateBid(ctx, atomically, owner, id, bidBps)
}

// updateBid is UpdateBid with its writes run by branch: keeperutil.InTx from the msg
// server, atomically from every other caller.
func (k Keeper) updateBid(ctx context.Context, branch keeperutil.Branch, owner sdk.AccAddress, id uint64, bidBps uint32) (types.RedeemRequest, error) {
	req, err := k.ownRequest(ctx, owner, id)
	if err != nil {
		return types.RedeemRequest{}, err
	}
	if bidBps > types.BpsDenominator {
		return types.RedeemRequest{}, errorsmod.Wrapf(types.ErrInvalidBid, "bid_bps must be at most %d, got %d", types.BpsDenominator, bidBps)
	}
	if bidBps <= req.BidBps {
		return types.RedeemRequest{}, errorsmod.Wrapf(types.ErrInvalidBid, "a bid can only be raised: request %d bids %d bps, got %d", id, req.BidBps, bidBps)
	}
	if err := k.checkNotServing(ctx, req); err != nil {
		return types.RedeemRequest{}, err
	}
	old := req.BidBps
	req.BidBps = bidBps
	err = branch(ctx, func(ctx context.Context) error {
		if err := k.Requests.Set(ctx, id, req); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventBidUpdated{RequestId: id, Owner: req.Owner, OldBidBps: old, NewBidBps: bidBps})
	})
	if err != nil {
		return types.RedeemRequest{}, err
	}
	return req, nil
}

// CancelRedeem removes owner's request id and returns its shares, until
// params.cancel_cutoff before the current epoch's end.
func (k Keeper) CancelRedeem(ctx context.Context, owner sdk.AccAddress, id uint64) (math.Int, error) {
	return k.cancelRedeem(ctx, atomically, owner, id)
}

// cancelRedeem is CancelRedeem with its writes run by branch: keeperutil.InTx from the msg
// server, atomically from every other caller.
func (k Keeper) cancelRedeem(ctx context.Context, branch keeperutil.Branch, owner sdk.AccAddress, id uint64) (math.Int, error) {
	req, err := k.ownRequest(ctx, owner, id)
	if err != nil {
		return math.Int{}, err
	}
	if err := k.checkNotServing(ctx, req); err != nil {
		return math.Int{}, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return math.Int{}, err
	}
	epoch, err := k.Epoch.Get(ctx)
	if err != nil {
		return math.Int{}, err
	}
	if cutoff := epoch.End.Add(-params.CancelCutoff); !blockTime(ctx).Before(cutoff) {
		return math.Int{}, errorsmod.Wrapf(types.ErrCancelClosed, "epoch %d closes at %s; cancellation closed at %s",
			epoch.Number, epoch.End.UTC().Format("2006-01-02T15:04:05Z"), cutoff.UTC().Format("2006-01-02T15:04:05Z"))
	}
	vault, err := k.Vault.Get(ctx)
	if err != nil {
		return math.Int{}, err
	}
	vault.EscrowedShares = vault.EscrowedShares.Sub(req.Shares)
	err = branch(ctx, func(ctx context.Context) error {
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, owner, sdk.NewCoins(sdk.NewCoin(types.ShareDenom, req.Shares))); err != nil {
			return err
		}
		if err := k.Requests.Remove(ctx, id); err != nil {
			return err
		}
		if err := k.Vault.Set(ctx, vault); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, &types.EventRedeemCancelled{RequestId: id, Owner: req.Owner, Shares: req.Shares})
	})
	if err != nil {
		return math.Int{}, err
	}
	return req.Shares, nil
}

// ownRequest returns request id if owner made it: ErrRequestNotFound or ErrUnauthorized otherwise.
func (k Keeper) ownRequest(ctx context.Context, owner sdk.AccAddress, id uint64) (types.RedeemRequest, error) {
	req, err := k.Requests.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return req, errorsmod.Wrapf(types.ErrRequestNotFound, "request %d", id)
	}
	if err != nil {
		return req, err
	}
	if req.Owner != owner.String() {
		return req, errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "request %d belongs to %s, not %s", id, req.Owner, owner)
	}
	return req, nil
}

// checkNotServing refuses changes to a request that the running serving round covers.
func (k Keeper) checkNotServing(ctx context.Context, req types.RedeemRequest) error {
	round, err := k.Round.Get(ctx)
	if err != nil {
		return err
	}
	if round.Active && req.Id < round.CutoffId {
		return errorsmod.Wrapf(types.ErrRoundInProgress, "request %d is being served for epoch %d; retry after the round", req.Id, round.Epoch)
	}
	return nil
}

// initEpoch starts the first epoch at the first block.
func (k Keeper) initEpoch(ctx context.Context) error {
	epoch, err := k.Epoch.Get(ctx)
	if err != nil {
		return err
	}
	if !epoch.End.IsZero() {
		return nil
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	now := blockTime(ctx)
	return k.Epoch.Set(ctx, types.EpochInfo{Number: 1, Start: now, End: now.Add(params.EpochLength)})
}

// closeEpochIfDue closes the current epoch once block time reaches its end:
// the next epoch starts on the same grid and a serving round starts for the
// requests made so far (ids below the next request id).
func (k Keeper) closeEpochIfDue(ctx context.Context) error {
	epoch, err := k.Epoch.Get(ctx)
	if err != nil {
		return err
	}
	now := blockTime(ctx)
	if epoch.End.IsZero() || now.Before(epoch.End) {
		return nil
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	vault, err := k.Vault.Get(ctx)
	if err != nil {
		return err
	}
	closed := epoch
	next := types.EpochInfo{Number: epoch.Number + 1, Start: epoch.End, End: types.NextEpochEnd(epoch.End, now, params.EpochLength)}
	round := types.NewServingRound()
	round.Active, round.Epoch, round.CutoffId = true, closed.Number, vault.NextRequestId
	if err := k.Epoch.Set(ctx, next); err != nil {
		return err
	}
	if err := k.Round.Set(ctx, round); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventEpochClosed{
		Epoch: closed.Number, End: closed.End, NextEnd: next.End, QueuedShares: vault.EscrowedShares, CutoffId: round.CutoffId,
	})
}

// serveQueue continues the serving round: it walks the queue in service order
// from the cursor, visiting at most max_redemptions_per_block entries. Each
// request of the round is paid at the current conservative price less its
// bid, with the vault's idle USDai; the first one that cannot be paid in full
// is filled partially and ends the round. Requests made after the close are
// skipped. Each request is served in its own cache context: an error is
// logged and the request left queued.
func (k Keeper) serveQueue(ctx context.Context) error {
	round, err := k.Round.Get(ctx)
	if err != nil {
		return err
	}
	if !round.Active {
		return nil
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}

	var rng collections.Ranger[collections.Pair[uint32, uint64]]
	if round.HasCursor {
		rng = new(collections.Range[collections.Pair[uint32, uint64]]).
			StartExclusive(collections.Join(round.CursorBidKey, round.CursorId))
	}
	keys, err := k.queueKeys(ctx, rng, params.MaxRedemptionsPerBlock)
	if err != nil {
		return err
	}

	exhausted := false
	for _, key := range keys {
		round.HasCursor, round.CursorBidKey, round.CursorId = true, key.K1(), key.K2()
		if key.K2() >= round.CutoffId {
			continue
		}
		sdkCtx := sdk.UnwrapSDKContext(ctx)
		cacheCtx, write := sdkCtx.CacheContext()
		served, partial, err := k.serveRequestSafely(cacheCtx, params, key.K2(), &round)
		if err != nil {
			k.logger.Error("redemption request not served; left queued", "request_id", key.K2(), "error", err)
			continue
		}
		write()
		if !served || partial {
			exhausted = true
			break
		}
	}

	if exhausted || len(keys) < int(params.MaxRedemptionsPerBlock) {
		finished := &types.EventRoundFinished{
			Epoch: round.Epoch, Served: round.Served, Paid: round.Paid, SharesBurned: round.SharesBurned, LiquidityExhausted: exhausted,
		}
		if err := k.Round.Set(ctx, types.NewServingRound()); err != nil {
			return err
		}
		return keeperutil.Emit(ctx, finished)
	}
	return k.Round.Set(ctx, round)
}

// queueKeys returns up to limit queue keys in service order from rng.
func (k Keeper) queueKeys(ctx context.Context, rng collections.Ranger[collections.Pair[uint32, uint64]], limit uint32) ([]collections.Pair[uint32, uint64], error) {
	it, err := k.Requests.Indexes.Queue.Iterate(ctx, rng)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var keys []collections.Pair[uint32, uint64]
	for ; it.Valid() && len(keys) < int(limit); it.Next() {
		key, err := it.Key()
		if err != nil {
			return nil, err
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// serveRequestSafely turns a panic in serveRequest into an error.
func (k Keeper) serveRequestSafely(ctx context.Context, params types.Params, id uint64, round *types.ServingRound) (served, partial bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return k.serveRequest(ctx, params, id, round)
}

// serveRequest pays request id as far as idle liquidity allows. served is
// false when not a single share could be paid; partial when some shares stay
// queued.
func (k Keeper) serveRequest(ctx context.Context, params types.Params, id uint64, round *types.ServingRound) (served, partial bool, err error) {
	req, err := k.Requests.Get(ctx, id)
	if err != nil {
		return false, false, err
	}
	v, err := k.valuation(ctx)
	if err != nil {
		return false, false, err
	}
	fill, err := types.FillableShares(req.Shares, v.Vault.Idle, v.TotalShares, v.Conservative, req.BidBps, params.ProtocolBidShareBps)
	if err != nil {
		return false, false, err
	}
	if !fill.IsPositive() {
		return false, false, nil
	}
	r, err := types.RedeemPayout(fill, v.TotalShares, v.Conservative, req.BidBps, params.ProtocolBidShareBps)
	if err != nil {
		return false, false, err
	}
	price, err := types.SharePrice(v.TotalShares, v.Conservative)
	if err != nil {
		return false, false, err
	}
	owner, err := sdk.AccAddressFromBech32(req.Owner)
	if err != nil {
		return false, false, err
	}

	vault := v.Vault
	if err := subIdle(&vault, r.Payout.Add(r.ProtocolShare)); err != nil {
		return false, false, err
	}
	vault.EscrowedShares = vault.EscrowedShares.Sub(fill)
	if err := k.bank.BurnCoins(ctx, types.ModuleName, sdk.NewCoins(sdk.NewCoin(types.ShareDenom, fill))); err != nil {
		return false, false, err
	}
	if r.Payout.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, owner, usdai(r.Payout)); err != nil {
			return false, false, err
		}
	}
	if err := k.payFee(ctx, r.ProtocolShare); err != nil {
		return false, false, err
	}
	req.Shares = req.Shares.Sub(fill)
	if req.Shares.IsZero() {
		err = k.Requests.Remove(ctx, id)
	} else {
		err = k.Requests.Set(ctx, id, req)
	}
	if err != nil {
		return false, false, err
	}
	if err := k.Vault.Set(ctx, vault); err != nil {
		return false, false, err
	}
	round.Served++
	round.Paid = round.Paid.Add(r.Payout)
	round.SharesBurned = round.SharesBurned.Add(fill)
	err = keeperutil.Emit(ctx, &types.EventRedeemServed{
		RequestId: id, Owner: req.Owner, Epoch: round.Epoch, BidBps: req.BidBps, Shares: fill, Payout: r.Payout,
		BidAmount: r.Bid, ProtocolShare: r.ProtocolShare, RemainingShares: req.Shares, Price: price,
	})
	return true, req.Shares.IsPositive(), err
}
