package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/oracle/types"
)

// InitGenesis validates gs and writes it to the store.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, feed := range gs.Feeds {
		if err := k.Feeds.Set(ctx, feed.Id, feed); err != nil {
			return err
		}
	}
	for _, f := range gs.Feeders {
		addr := sdk.MustAccAddressFromBech32(f.Address)
		if err := k.Feeders.Set(ctx, collections.Join(f.FeedId, addr)); err != nil {
			return err
		}
	}
	for _, post := range gs.Posts {
		addr := sdk.MustAccAddressFromBech32(post.Feeder)
		if err := k.Posts.Set(ctx, collections.Join(post.FeedId, addr), post); err != nil {
			return err
		}
	}
	for _, price := range gs.Prices {
		if err := k.Prices.Set(ctx, price.FeedId, price); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis returns the module state, in key order. Pending feeds are not
// exported: EndBlock empties that set every block.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := types.NewGenesisState(params, []types.Feed{}, []types.Feeder{}, []types.Post{}, []types.Price{})

	err = k.Feeds.Walk(ctx, nil, func(_ string, feed types.Feed) (bool, error) {
		gs.Feeds = append(gs.Feeds, feed)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	err = k.Feeders.Walk(ctx, nil, func(key collections.Pair[string, sdk.AccAddress]) (bool, error) {
		gs.Feeders = append(gs.Feeders, types.Feeder{FeedId: key.K1(), Address: key.K2().String()})
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	err = k.Posts.Walk(ctx, nil, func(_ collections.Pair[string, sdk.AccAddress], post types.Post) (bool, error) {
		gs.Posts = append(gs.Posts, post)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	err = k.Prices.Walk(ctx, nil, func(_ string, price types.Price) (bool, error) {
		gs.Prices = append(gs.Prices, price)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return gs, nil
}
