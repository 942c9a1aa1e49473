package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/oracle/types"
)

// Keeper owns the x/oracle state: feeds, their registered feeders, each feeder's
// latest post and each feed's aggregated price.
type Keeper struct {
	cdc          codec.BinaryCodec
	storeService store.KVStoreService
	logger       log.Logger

	// authority may add and remove feeds and feeders and update params (x/gov by default).
	authority     string
	authorityAddr sdk.AccAddress

	hooks types.OracleHooks

	Schema  collections.Schema
	Params  collections.Item[types.Params]
	Feeds   collections.Map[string, types.Feed]
	Feeders collections.KeySet[collections.Pair[string, sdk.AccAddress]]
	Posts   collections.Map[collections.Pair[string, sdk.AccAddress], types.Post]
	Prices  collections.Map[string, types.Price]
	// PendingFeeds holds the feeds to re-aggregate in this block's EndBlock, so
	// that EndBlock work is proportional to this block's posts, not to all feeds.
	PendingFeeds collections.KeySet[string]
}

// NewKeeper builds the keeper and its collections schema. It panics when authority
// is not a bech32 account address with the configured prefix.
func NewKeeper(cdc codec.BinaryCodec, storeService store.KVStoreService, authority string, logger log.Logger) *Keeper {
	authorityAddr, err := sdk.AccAddressFromBech32(authority)
	if err != nil {
		panic(fmt.Sprintf("x/%s: invalid authority address %q: %s", types.ModuleName, authority, err))
	}

	sb := collections.NewSchemaBuilder(storeService)
	feederKey := collections.PairKeyCodec(collections.StringKey, sdk.AccAddressKey)
	k := &Keeper{
		cdc:           cdc,
		storeService:  storeService,
		logger:        logger.With(log.ModuleKey, "x/"+types.ModuleName),
		authority:     authority,
		authorityAddr: authorityAddr,
		Params:        collections.NewItem(sb, types.ParamsKey, "params", keeperutil.CollValue[types.Params](cdc)),
		Feeds:         collections.NewMap(sb, types.FeedsKey, "feeds", collections.StringKey, keeperutil.CollValue[types.Feed](cdc)),
		Feeders:       collections.NewKeySet(sb, types.FeedersKey, "feeders", feederKey),
		Posts:         collections.NewMap(sb, types.PostsKey, "posts", feederKey, keeperutil.CollValue[types.Post](cdc)),
		Prices:        collections.NewMap(sb, types.PricesKey, "prices", collections.StringKey, keeperutil.CollValue[types.Price](cdc)),
		PendingFeeds:  collections.NewKeySet(sb, types.PendingFeedsKey, "pending_feeds", collections.StringKey),
	}

	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// SetHooks sets the hooks called after each aggregation. It panics when called twice.
func (k *Keeper) SetHooks(h types.OracleHooks) {
	if k.hooks != nil {
		panic(fmt.Sprintf("x/%s: hooks already set", types.ModuleName))
	}
	k.hooks = h
}

// GetAuthority returns the address allowed to manage feeds, feeders and params.
func (k Keeper) GetAuthority() string {
	return k.authority
}

// Logger returns the module logger.
func (k Keeper) Logger() log.Logger {
	return k.logger
}

// CheckAuthority returns ErrUnauthorized unless signer is the module authority.
func (k Keeper) CheckAuthority(signer string) error {
	return keeperutil.CheckAuthority(k.authorityAddr, signer)
}

// GetParams returns the module parameters.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) {
	return k.Params.Get(ctx)
}

// SetParams validates and stores params. It refuses a max_feeders_per_feed below a
// feed's min_feeders or registered feeder count, so the state stays exportable as
// a valid genesis. Cost O(feeds + feeders): governance only.
func (k Keeper) SetParams(ctx context.Context, params types.Params) error {
	if err := params.Validate(); err != nil {
		return err
	}
	err := k.Feeds.Walk(ctx, nil, func(id string, feed types.Feed) (bool, error) {
		if feed.MinFeeders > params.MaxFeedersPerFeed {
			return true, errorsmod.Wrapf(types.ErrInvalidParams, "feed %s needs min_feeders %d > max_feeders_per_feed %d", id, feed.MinFeeders, params.MaxFeedersPerFeed)
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	var (
		current string
		count   uint32
	)
	err = k.Feeders.Walk(ctx, nil, func(key collections.Pair[string, sdk.AccAddress]) (bool, error) {
		if key.K1() != current {
			current, count = key.K1(), 0
		}
		count++
		if count > params.MaxFeedersPerFeed {
			return true, errorsmod.Wrapf(types.ErrInvalidParams, "feed %s has more than max_feeders_per_feed %d feeders", current, params.MaxFeedersPerFeed)
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	return k.Params.Set(ctx, params)
}
