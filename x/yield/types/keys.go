package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, also its store key, route, codespace
	// and the name of the module account that holds the vault's idle USDai
	// and the escrowed shares.
	ModuleName = "yield"

	// StoreKey is the KV store key of the module.
	StoreKey = ModuleName

	// AssetDenom is USDai, the vault's asset.
	AssetDenom = "uusdai"
	// ShareDenom is sUSDai, the vault share, minted and burned only by this module.
	ShareDenom = "ususdai"
)

// Collection prefixes. They are part of the state layout: never reuse or renumber them.
var (
	ParamsKey          = collections.NewPrefix(0)
	VaultKey           = collections.NewPrefix(1)
	BookKey            = collections.NewPrefix(2)
	TreasuryKey        = collections.NewPrefix(3)
	EpochKey           = collections.NewPrefix(4)
	RoundKey           = collections.NewPrefix(5)
	RequestsKey        = collections.NewPrefix(6)
	RequestsByOwnerKey = collections.NewPrefix(7)
	QueueKey           = collections.NewPrefix(8)
	CheckpointsKey     = collections.NewPrefix(9)
	CheckpointCountKey = collections.NewPrefix(10)
	CommittedKey       = collections.NewPrefix(11)
)
