package types

import errorsmod "cosmossdk.io/errors"

// x/stable errors. Codes are part of the API: never reuse or renumber them.
var (
	ErrInvalidParams       = errorsmod.Register(ModuleName, 2, "invalid params")
	ErrInvalidGenesis      = errorsmod.Register(ModuleName, 3, "invalid genesis")
	ErrInvalidAmount       = errorsmod.Register(ModuleName, 4, "invalid amount")
	ErrInvalidReserve      = errorsmod.Register(ModuleName, 5, "denom cannot be a reserve")
	ErrUnknownReserve      = errorsmod.Register(ModuleName, 6, "unknown reserve")
	ErrReserveDisabled     = errorsmod.Register(ModuleName, 7, "reserve disabled")
	ErrPaused              = errorsmod.Register(ModuleName, 8, "module paused")
	ErrSupplyCapExceeded   = errorsmod.Register(ModuleName, 9, "USDai supply cap exceeded")
	ErrReserveCapExceeded  = errorsmod.Register(ModuleName, 10, "reserve cap exceeded")
	ErrDepegged            = errorsmod.Register(ModuleName, 11, "reserve depegged")
	ErrNotAllowlisted      = errorsmod.Register(ModuleName, 12, "address not allowlisted")
	ErrInsufficientReserve = errorsmod.Register(ModuleName, 13, "insufficient reserve")
	ErrTreasuryOutstanding = errorsmod.Register(ModuleName, 14, "settlement exceeds treasury outstanding")
	ErrUnknownModule       = errorsmod.Register(ModuleName, 15, "unknown module account")
	ErrInvalidAllowlist    = errorsmod.Register(ModuleName, 16, "invalid allowlist update")
	ErrReserveStillBacking = errorsmod.Register(ModuleName, 17, "reserve still backs USDai")
	ErrUnbackedSupply      = errorsmod.Register(ModuleName, 18, "USDai supply exceeds reserves held")
	ErrOutflowQuota        = errorsmod.Register(ModuleName, 19, "IBC outflow quota exceeded")
	ErrUnknownVoucher      = errorsmod.Register(ModuleName, 20, "unknown IBC voucher")
	ErrInvalidChannel      = errorsmod.Register(ModuleName, 21, "invalid IBC channel")
)
