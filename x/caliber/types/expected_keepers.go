package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

// BankKeeper moves the uusdai of insurance pools, premiums and claims.
type BankKeeper interface {
	SendCoinsFromAccountToModule(ctx context.Context, senderAddr sdk.AccAddress, recipientModule string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, senderModule string, recipientAddr sdk.AccAddress, amt sdk.Coins) error
	SendCoinsFromModuleToModule(ctx context.Context, senderModule, recipientModule string, amt sdk.Coins) error
	SpendableCoin(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
}

// AccountKeeper gives the module account's address.
type AccountKeeper interface {
	GetModuleAddress(moduleName string) sdk.AccAddress
}

// OracleKeeper reads market prices of asset classes.
type OracleKeeper interface {
	// GetPrice returns a feed's price with its validity at block time.
	GetPrice(ctx context.Context, feedID string) (oracletypes.Price, error)
}
