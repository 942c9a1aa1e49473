package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

// AccountKeeper resolves module account addresses (nil for an unregistered name).
type AccountKeeper interface {
	GetModuleAddress(moduleName string) sdk.AccAddress
	HasAccount(ctx context.Context, addr sdk.AccAddress) bool
	GetAccount(ctx context.Context, addr sdk.AccAddress) sdk.AccountI
	// RemoveAccount replaces a plain account left at a module address
	// (keeperutil.EnsureModuleAccount).
	RemoveAccount(ctx context.Context, acc sdk.AccountI)
	// GetModuleAccount creates the module account on first use.
	GetModuleAccount(ctx context.Context, moduleName string) sdk.ModuleAccountI
}

// BankKeeper holds the reserve coins and the USDai supply.
type BankKeeper interface {
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
	GetAllBalances(ctx context.Context, addr sdk.AccAddress) sdk.Coins
	GetSupply(ctx context.Context, denom string) sdk.Coin
	GetDenomMetaData(ctx context.Context, denom string) (banktypes.Metadata, bool)
	// SendCoins pays module accounts (keeperutil.ModuleAccounts).
	SendCoins(ctx context.Context, fromAddr, toAddr sdk.AccAddress, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, senderModule string, recipientAddr sdk.AccAddress, amt sdk.Coins) error
	MintCoins(ctx context.Context, moduleName string, amt sdk.Coins) error
	BurnCoins(ctx context.Context, moduleName string, amt sdk.Coins) error
}

// OracleKeeper reads the fx feeds of the depeg guard.
type OracleKeeper interface {
	// GetPrice returns oracletypes.ErrPriceNotFound when the feed has no price
	// and oracletypes.ErrFeedNotFound when the feed does not exist.
	GetPrice(ctx context.Context, feedID string) (oracletypes.Price, error)
}

// DenomResolver resolves an ICS-20 voucher denom ("ibc/<hash>") to its trace
// path and base denom; an error when the chain has never seen the voucher.
type DenomResolver interface {
	DenomOrigin(ctx sdk.Context, denom string) (path, base string, err error)
}
