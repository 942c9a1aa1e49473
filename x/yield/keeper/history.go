package keeper

import (
	"context"
	"errors"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/yield/types"
)

// APRWindowsDays are the trailing windows of the realized APR.
var APRWindowsDays = []uint32{7, 30, 365}

// checkpoint records NAV and the share price when checkpoint_interval has
// passed since the last checkpoint, then prunes the oldest checkpoint if the
// history is longer than max_checkpoints (one per block, so a lowered limit
// is reached gradually). O(1) per block.
func (k Keeper) checkpoint(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	now := blockTime(ctx)
	last, found, err := k.lastCheckpoint(ctx)
	if err != nil {
		return err
	}
	stored, err := k.CheckpointCount.Get(ctx)
	if err != nil {
		return err
	}
	count := stored
	if !found || now.Sub(last.Time) >= params.CheckpointInterval {
		v, err := k.valuation(ctx)
		if err != nil {
			return err
		}
		price, err := types.SharePrice(v.TotalShares, v.NAV)
		if err != nil {
			return err
		}
		cp := types.Checkpoint{
			Time: now, Height: sdk.UnwrapSDKContext(ctx).BlockHeight(),
			Nav: v.NAV, ConservativeNav: v.Conservative, TotalShares: v.TotalShares, SharePrice: price,
		}
		if err := k.Checkpoints.Set(ctx, now.Unix(), cp); err != nil {
			return err
		}
		count++
		if err := keeperutil.Emit(ctx, &types.EventCheckpoint{Checkpoint: cp}); err != nil {
			return err
		}
	}
	if count > uint64(params.MaxCheckpoints) {
		oldest, err := k.firstCheckpointKey(ctx, nil)
		if err != nil {
			return err
		}
		if err := k.Checkpoints.Remove(ctx, oldest); err != nil {
			return err
		}
		count--
	}
	if count == stored {
		// Most blocks take no checkpoint: an unchanged count is not
		// rewritten (each write is a new IAVL leaf and path, even when equal).
		return nil
	}
	return k.CheckpointCount.Set(ctx, count)
}

// lastCheckpoint returns the newest checkpoint.
func (k Keeper) lastCheckpoint(ctx context.Context) (types.Checkpoint, bool, error) {
	it, err := k.Checkpoints.Iterate(ctx, new(collections.Range[int64]).Descending())
	if err != nil {
		return types.Checkpoint{}, false, err
	}
	defer it.Close()
	if !it.Valid() {
		return types.Checkpoint{}, false, nil
	}
	cp, err := it.Value()
	return cp, err == nil, err
}

// firstCheckpointKey returns the key of the oldest checkpoint at or after
// rng's start (collections.ErrNotFound when there is none).
func (k Keeper) firstCheckpointKey(ctx context.Context, rng collections.Ranger[int64]) (int64, error) {
	it, err := k.Checkpoints.Iterate(ctx, rng)
	if err != nil {
		return 0, err
	}
	defer it.Close()
	if !it.Valid() {
		return 0, collections.ErrNotFound
	}
	return it.Key()
}

// APR returns the realized APR over each of APRWindowsDays, from the current
// share price and the oldest checkpoint inside the window (the whole
// history while it is younger than the window), and the projected APR.
func (k Keeper) APR(ctx context.Context) ([]types.RealizedAPR, math.LegacyDec, error) {
	v, err := k.valuation(ctx)
	if err != nil {
		return nil, math.LegacyDec{}, err
	}
	priceNow, err := types.SharePrice(v.TotalShares, v.NAV)
	if err != nil {
		return nil, math.LegacyDec{}, err
	}
	now := blockTime(ctx)
	realized := make([]types.RealizedAPR, 0, len(APRWindowsDays))
	for _, d := range APRWindowsDays {
		out := types.RealizedAPR{WindowDays: d, Apr: math.LegacyZeroDec()}
		from := now.Add(-time.Duration(d) * 24 * time.Hour).Unix()
		key, err := k.firstCheckpointKey(ctx, new(collections.Range[int64]).StartInclusive(from))
		switch {
		case errors.Is(err, collections.ErrNotFound):
		case err != nil:
			return nil, math.LegacyDec{}, err
		default:
			then, err := k.Checkpoints.Get(ctx, key)
			if err != nil {
				return nil, math.LegacyDec{}, err
			}
			if seconds := now.Unix() - key; seconds > 0 {
				if out.Apr, err = types.AnnualizedReturn(then.SharePrice, priceNow, seconds); err != nil {
					return nil, math.LegacyDec{}, err
				}
				out.CoveredSeconds = uint64(seconds)
			}
		}
		realized = append(realized, out)
	}
	rate := math.LegacyZeroDec()
	if v.Treasury.RateValid {
		rate = v.Treasury.Rate
	}
	projected, err := types.ProjectedAPR(v.Book.RateSum, v.Treasury.Principal, rate, v.Params.AdminFeeBps, v.NAV)
	if err != nil {
		return nil, math.LegacyDec{}, err
	}
	return realized, projected, nil
}
