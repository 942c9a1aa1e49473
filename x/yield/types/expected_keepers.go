package types

import (
	"context"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

// AccountKeeper resolves module accounts.
type AccountKeeper interface {
	// GetModuleAddress returns nil for an unregistered module name.
	GetModuleAddress(moduleName string) sdk.AccAddress
	HasAccount(ctx context.Context, addr sdk.AccAddress) bool
	// GetModuleAccount creates the module account on first use.
	GetModuleAccount(ctx context.Context, moduleName string) sdk.ModuleAccountI
}

// BankKeeper holds the vault's USDai and mints and burns sUSDai.
type BankKeeper interface {
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
	SpendableCoin(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
	GetSupply(ctx context.Context, denom string) sdk.Coin
	// SendCoins pays module accounts (keeperutil.ModuleAccounts).
	SendCoins(ctx context.Context, fromAddr, toAddr sdk.AccAddress, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, senderModule string, recipientAddr sdk.AccAddress, amt sdk.Coins) error
	MintCoins(ctx context.Context, moduleName string, amt sdk.Coins) error
	BurnCoins(ctx context.Context, moduleName string, amt sdk.Coins) error
}

// StableKeeper is x/stable's treasury API: allocation burns vault USDai and
// sends the same amount of a reserve to the custodian; settlement takes
// reserve back from the custodian and mints USDai to the vault.
type StableKeeper interface {
	AllocateToTreasury(ctx context.Context, fromModule string, custodian sdk.AccAddress, reserveDenom string, amount math.Int) error
	SettleFromTreasury(ctx context.Context, custodian sdk.AccAddress, toModule string, reserveDenom string, principal, yield math.Int) error
	// Held is x/stable's on-chain balance of a reserve denom: the most it can allocate.
	Held(ctx context.Context, denom string) math.Int
}

// CaliberKeeper tells whether an address is an active TREASURY_CUSTODIAN.
type CaliberKeeper interface {
	HasRole(ctx context.Context, addr sdk.AccAddress, role calibertypes.Role) bool
}

// OracleKeeper reads the T-bill rate feed.
type OracleKeeper interface {
	// GetPrice returns the feed's price with its validity at block time.
	GetPrice(ctx context.Context, feedID string) (oracletypes.Price, error)
}
