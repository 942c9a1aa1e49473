package types

import errorsmod "cosmossdk.io/errors"

// x/yield errors. Codes are part of the API: never reuse or renumber them.
var (
	ErrInvalidParams         = errorsmod.Register(ModuleName, 2, "invalid params")
	ErrInvalidGenesis        = errorsmod.Register(ModuleName, 3, "invalid genesis")
	ErrInvalidAmount         = errorsmod.Register(ModuleName, 4, "invalid amount")
	ErrInvalidDenom          = errorsmod.Register(ModuleName, 5, "invalid denom")
	ErrInsufficientShares    = errorsmod.Register(ModuleName, 6, "insufficient shares")
	ErrZeroShares            = errorsmod.Register(ModuleName, 7, "deposit too small to mint a share")
	ErrInvalidBid            = errorsmod.Register(ModuleName, 8, "invalid bid")
	ErrRequestNotFound       = errorsmod.Register(ModuleName, 9, "redemption request not found")
	ErrCancelClosed          = errorsmod.Register(ModuleName, 10, "cancellation closed for this epoch")
	ErrRoundInProgress       = errorsmod.Register(ModuleName, 11, "request is being served")
	ErrTreasuryDisabled      = errorsmod.Register(ModuleName, 12, "treasury disabled")
	ErrExceedsRecall         = errorsmod.Register(ModuleName, 13, "principal exceeds the recall order")
	ErrInsufficientLiquidity = errorsmod.Register(ModuleName, 14, "insufficient fundable liquidity")
	ErrInvalidPosition       = errorsmod.Register(ModuleName, 15, "invalid senior position")
	ErrOverflow              = errorsmod.Register(ModuleName, 16, "amount out of range")
	ErrUnknownModule         = errorsmod.Register(ModuleName, 17, "unknown module account")
)
