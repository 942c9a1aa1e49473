package types

import (
	"context"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// BankKeeper moves the USDai of loans.
type BankKeeper interface {
	SendCoinsFromModuleToAccount(ctx context.Context, senderModule string, recipientAddr sdk.AccAddress, amt sdk.Coins) error
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
	// GetAllBalances and SendCoins serve the lockboxes (plain accounts);
	// SendCoins also pays module accounts (keeperutil.ModuleAccounts).
	GetAllBalances(ctx context.Context, addr sdk.AccAddress) sdk.Coins
	SendCoins(ctx context.Context, fromAddr, toAddr sdk.AccAddress, amt sdk.Coins) error
	// InputOutputCoins pays a loan payment's shares in one transfer from its source.
	InputOutputCoins(ctx context.Context, input banktypes.Input, outputs []banktypes.Output) error
}

// AccountKeeper gives module account addresses.
type AccountKeeper interface {
	GetModuleAddress(moduleName string) sdk.AccAddress
	HasAccount(ctx context.Context, addr sdk.AccAddress) bool
	GetAccount(ctx context.Context, addr sdk.AccAddress) sdk.AccountI
	// RemoveAccount replaces a plain account left at the module's address
	// (keeperutil.EnsureModuleAccount).
	RemoveAccount(ctx context.Context, acc sdk.AccountI)
	// GetModuleAccount creates the module account on first use.
	GetModuleAccount(ctx context.Context, moduleName string) sdk.ModuleAccountI
}

// CaliberKeeper is x/caliber's collateral API: roles, titles, valuation,
// custody staleness, insurance and the pledge lock.
type CaliberKeeper interface {
	HasRole(ctx context.Context, addr sdk.AccAddress, role calibertypes.Role) bool
	GetTitle(ctx context.Context, titleID uint64) (calibertypes.Title, error)
	GetValuation(ctx context.Context, titleID uint64) (calibertypes.Valuation, error)
	// Collateral is GetValuation and x/caliber's IsStale from one read of
	// the title.
	Collateral(ctx context.Context, titleID uint64) calibertypes.CollateralView
	ActivePolicy(ctx context.Context, titleID uint64) (calibertypes.Policy, error)
	// Pledge makes the title PLEDGED with loanID as its lien (Title.loan_id);
	// Release, TransferForeclosed and SetLien(…, 0) clear the lien.
	Pledge(ctx context.Context, titleID uint64, owner sdk.AccAddress, loanID uint64) error
	SetLien(ctx context.Context, titleID, loanID uint64) error
	// PledgedCount is the number of PLEDGED and FORECLOSING titles.
	PledgedCount(ctx context.Context) (uint64, error)
	Release(ctx context.Context, titleID uint64) error
	StartForeclosure(ctx context.Context, titleID uint64) error
	TransferForeclosed(ctx context.Context, titleID uint64, newOwner sdk.AccAddress) error
	TransferTitle(ctx context.Context, owner sdk.AccAddress, titleID uint64, recipient sdk.AccAddress) error
	PayValueClaim(ctx context.Context, titleID uint64, salePrice math.Int, recipientModule string) (math.Int, error)
	PayCasualtyClaim(ctx context.Context, titleID uint64, recipientModule string) (math.Int, error)
	// ClassesWithMarketFeed lists the asset classes valued by an oracle feed.
	ClassesWithMarketFeed(ctx context.Context, feedID string) ([]string, error)
}

// YieldKeeper is x/yield's senior-book API. The vault keeps only aggregates;
// x/lending stores each loan's SeniorPosition and passes it back on every call.
type YieldKeeper interface {
	// Fundable is what the vault can lend now (idle − reserved − buffer −
	// committed).
	Fundable(ctx context.Context) (math.Int, error)
	// CommitFunding holds amount of the vault's liquidity for a PENDING loan:
	// it leaves Fundable and the treasury rebalance keeps (or recalls) it idle.
	CommitFunding(ctx context.Context, amount math.Int) error
	// ReleaseFunding releases amount of committed liquidity; it fails above
	// the committed total.
	ReleaseFunding(ctx context.Context, amount math.Int) error
	// GetCommitted is the total committed (for the invariant).
	GetCommitted(ctx context.Context) (math.Int, error)
	// FundSenior sends amount USDai from the vault to toModule and opens a
	// position at rate; it fails above the fundable liquidity.
	FundSenior(ctx context.Context, toModule string, amount math.Int, rate math.LegacyDec) (yieldtypes.SeniorPosition, error)
	// ReceiveSenior takes principal + interest USDai from fromModule into the
	// vault (charging the admin fee on interest) and returns the updated position.
	ReceiveSenior(ctx context.Context, fromModule string, pos yieldtypes.SeniorPosition, principal, interest math.Int) (yieldtypes.SeniorPosition, error)
	// BookSenior is ReceiveSenior without the transfers: it returns them
	// (net to the vault, admin fee to the fee collector) for the caller to
	// make from the payment's source in the same state transition.
	BookSenior(ctx context.Context, fromModule string, pos yieldtypes.SeniorPosition, principal, interest math.Int) (yieldtypes.SeniorPosition, []banktypes.Output, error)
	// Impair marks the position impaired with a write-down (replacing an
	// earlier one): its accrued interest leaves NAV.
	Impair(ctx context.Context, pos yieldtypes.SeniorPosition, writeDown math.Int) (yieldtypes.SeniorPosition, error)
	// Reinstate makes an impaired position perform again from now.
	Reinstate(ctx context.Context, pos yieldtypes.SeniorPosition) (yieldtypes.SeniorPosition, error)
	// WriteOff closes the position; its remaining balance is the vault's loss.
	WriteOff(ctx context.Context, pos yieldtypes.SeniorPosition) (math.Int, error)
	// Recover moves USDai recovered after a write-off from fromModule into the vault.
	Recover(ctx context.Context, fromModule string, amount math.Int) error
}

// StableKeeper is x/stable's PSM as the lockboxes use it: the listed reserves
// and a mint of USDai from a reserve coin (at the mint fee, within the caps
// and the depeg guard; nothing changes when it refuses).
type StableKeeper interface {
	GetParams(ctx context.Context) (stabletypes.Params, error)
	Mint(ctx context.Context, sender sdk.AccAddress, amount sdk.Coin) (received, fee sdk.Coin, err error)
}
