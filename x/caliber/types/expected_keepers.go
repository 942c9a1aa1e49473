package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

// BankKeeper moves the uusdai of insurance pools, premiums and claims.
type BankKeeper interface {
	// SendCoins pays module accounts (keeperutil.ModuleAccounts).
	SendCoins(ctx context.Context, fromAddr, toAddr sdk.AccAddress, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, senderModule string, recipientAddr sdk.AccAddress, amt sdk.Coins) error
	SpendableCoin(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
}

// AccountKeeper gives module accounts' addresses.
type AccountKeeper interface {
	GetModuleAddress(moduleName string) sdk.AccAddress
	HasAccount(ctx context.Context, addr sdk.AccAddress) bool
	// GetModuleAccount creates the module account on first use.
	GetModuleAccount(ctx context.Context, moduleName string) sdk.ModuleAccountI
}

// OracleKeeper reads market prices of asset classes.
type OracleKeeper interface {
	// GetPrice returns a feed's price with its validity at block time.
	GetPrice(ctx context.Context, feedID string) (oracletypes.Price, error)
}
