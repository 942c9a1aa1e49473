package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, also its store key, route and codespace.
	ModuleName = "oracle"

	// StoreKey is the KV store key of the module.
	StoreKey = ModuleName
)

// Collection prefixes. They are part of the state layout: never reuse or renumber them.
var (
	ParamsKey       = collections.NewPrefix(0)
	FeedsKey        = collections.NewPrefix(1)
	FeedersKey      = collections.NewPrefix(2)
	PostsKey        = collections.NewPrefix(3)
	PricesKey       = collections.NewPrefix(4)
	PendingFeedsKey = collections.NewPrefix(5)
)
