package types

import errorsmod "cosmossdk.io/errors"

// x/oracle errors. Codes are part of the API: never reuse or renumber them.
var (
	ErrInvalidFeedID  = errorsmod.Register(ModuleName, 2, "invalid feed id")
	ErrInvalidFeed    = errorsmod.Register(ModuleName, 3, "invalid feed")
	ErrFeedNotFound   = errorsmod.Register(ModuleName, 4, "feed not found")
	ErrFeedExists     = errorsmod.Register(ModuleName, 5, "feed already exists")
	ErrFeederNotFound = errorsmod.Register(ModuleName, 6, "feeder not found")
	ErrFeederExists   = errorsmod.Register(ModuleName, 7, "feeder already registered")
	ErrTooManyFeeders = errorsmod.Register(ModuleName, 8, "too many feeders")
	ErrInvalidValue   = errorsmod.Register(ModuleName, 9, "invalid value")
	ErrInvalidExpiry  = errorsmod.Register(ModuleName, 10, "invalid expiry")
	ErrPriceNotFound  = errorsmod.Register(ModuleName, 11, "price not found")
	ErrInvalidParams  = errorsmod.Register(ModuleName, 12, "invalid params")
	ErrInvalidGenesis = errorsmod.Register(ModuleName, 13, "invalid genesis")
)
