package keeper

import (
	"context"

	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/stable/types"
)

// ReserveStatus returns a reserve's configuration with its held balance,
// treasury outstanding, room under the cap and depeg state at this block.
func (k Keeper) ReserveStatus(ctx context.Context, params types.Params, reserve types.ReserveAsset) (types.ReserveStatus, error) {
	held := k.Held(ctx, reserve.Denom)
	outstanding, err := k.Outstanding(ctx, reserve.Denom)
	if err != nil {
		return types.ReserveStatus{}, err
	}
	fx, err := k.fxStatus(ctx, reserve)
	if err != nil {
		return types.ReserveStatus{}, err
	}
	room := types.CapRemaining(reserve.Cap, held)
	return types.ReserveStatus{
		Asset:               reserve,
		Held:                held,
		TreasuryOutstanding: outstanding,
		CapRemaining:        room,
		FxPrice:             fx.price,
		FxPriceValid:        fx.valid,
		Depegged:            fx.depegged,
		Mintable:            !params.Paused && reserve.Enabled && !fx.depegged && room.IsPositive(),
		Origin:              k.knownOrigin(ctx, reserve.Denom),
	}, nil
}

// knownOrigin is ReserveOrigin for queries: a voucher whose trace is unknown
// shows no origin rather than failing the whole query.
func (k Keeper) knownOrigin(ctx context.Context, denom string) *types.ReserveOrigin {
	origin, err := k.ReserveOrigin(ctx, denom)
	if err != nil {
		return nil
	}
	return origin
}

// ProofOfReserves compares the USDai supply with the reserves: held on chain
// by the module, and out at the treasury custodian, per listed reserve.
func (k Keeper) ProofOfReserves(ctx context.Context) (*types.QueryProofOfReservesResponse, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	res := &types.QueryProofOfReservesResponse{
		UsdaiSupply:         k.USDaiSupply(ctx),
		ReservesHeld:        math.ZeroInt(),
		TreasuryOutstanding: math.ZeroInt(),
		Reserves:            make([]types.ReserveBalance, 0, len(params.Reserves)),
	}
	for _, r := range params.Reserves {
		held := k.Held(ctx, r.Denom)
		outstanding, err := k.Outstanding(ctx, r.Denom)
		if err != nil {
			return nil, err
		}
		res.ReservesHeld = res.ReservesHeld.Add(held)
		res.TreasuryOutstanding = res.TreasuryOutstanding.Add(outstanding)
		res.Reserves = append(res.Reserves, types.ReserveBalance{
			Denom: r.Denom, Held: held, TreasuryOutstanding: outstanding, Origin: k.knownOrigin(ctx, r.Denom),
		})
	}
	res.TotalReserves = res.ReservesHeld.Add(res.TreasuryOutstanding)
	res.Ratio = types.BackingRatio(res.ReservesHeld, res.UsdaiSupply)
	res.TotalRatio = types.BackingRatio(res.TotalReserves, res.UsdaiSupply)
	return res, nil
}

// reservesHeld sums the module's balances of the listed reserve denoms.
func (k Keeper) reservesHeld(ctx context.Context, params types.Params) math.Int {
	total := math.ZeroInt()
	for _, r := range params.Reserves {
		total = total.Add(k.Held(ctx, r.Denom))
	}
	return total
}
