package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, also its store key, route, codespace
	// and the name of the module account that holds every reserve coin.
	ModuleName = "stable"

	// StoreKey is the KV store key of the module.
	StoreKey = ModuleName

	// ProtocolFeeCollector is the module account (no permissions) that receives
	// protocol fees: x/stable's mint and redeem fees, and x/yield's and
	// x/lending's fees.
	ProtocolFeeCollector = "protocol_fees"

	// USDaiDenom is the USDai stablecoin, minted and burned only by this module.
	USDaiDenom = "uusdai"
	// SUSDaiDenom is the sUSDai vault share (x/yield); it can never be a reserve.
	SUSDaiDenom = "ususdai"
)

// Collection prefixes. They are part of the state layout: never reuse or renumber them.
var (
	ParamsKey              = collections.NewPrefix(0)
	AllowlistKey           = collections.NewPrefix(1)
	TreasuryOutstandingKey = collections.NewPrefix(2)
	OutflowWindowsKey      = collections.NewPrefix(3)
)
