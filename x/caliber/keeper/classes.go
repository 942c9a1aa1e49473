package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
)

// GetAssetClass returns an asset class, or ErrAssetClassNotFound.
func (k Keeper) GetAssetClass(ctx context.Context, id string) (types.AssetClass, error) {
	c, err := k.AssetClasses.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return types.AssetClass{}, errorsmod.Wrap(types.ErrAssetClassNotFound, id)
	}
	return c, err
}

// AddAssetClass registers a new asset class. The market feed is not required
// to exist yet: a class whose feed has no valid price is valued by appraisal alone.
func (k Keeper) AddAssetClass(ctx context.Context, class types.AssetClass) error {
	if err := class.Validate(); err != nil {
		return err
	}
	exists, err := k.AssetClasses.Has(ctx, class.Id)
	if err != nil {
		return err
	}
	if exists {
		return errorsmod.Wrap(types.ErrAssetClassExists, class.Id)
	}
	if err := k.AssetClasses.Set(ctx, class.Id, class); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventAssetClassAdded{AssetClass: class})
}

// UpdateAssetClass replaces an existing asset class. New valuation terms apply
// to every title of the class from the next valuation; an ineligible class
// accepts no new titles.
func (k Keeper) UpdateAssetClass(ctx context.Context, class types.AssetClass) error {
	if err := class.Validate(); err != nil {
		return err
	}
	if _, err := k.GetAssetClass(ctx, class.Id); err != nil {
		return err
	}
	if err := k.AssetClasses.Set(ctx, class.Id, class); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventAssetClassUpdated{AssetClass: class})
}

// ClassesWithMarketFeed lists, in id order, the asset classes whose market
// value comes from feedID (x/lending revalues their loans when it moves).
// Classes are few and set by the authority, so the walk is bounded.
func (k Keeper) ClassesWithMarketFeed(ctx context.Context, feedID string) ([]string, error) {
	var out []string
	err := k.AssetClasses.Walk(ctx, nil, func(id string, c types.AssetClass) (bool, error) {
		if c.MarketFeed == feedID {
			out = append(out, id)
		}
		return false, nil
	})
	return out, err
}
