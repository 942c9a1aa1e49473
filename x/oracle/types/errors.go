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
	// ErrWrongSource: the operation needs the feed to have the other source, e.g.
	// a feeder posting to a VOTE_EXTENSIONS feed.
	ErrWrongSource          = errorsmod.Register(ModuleName, 14, "feed has another source")
	ErrInvalidVoteExtension = errorsmod.Register(ModuleName, 15, "invalid vote extension")
	ErrTooManyVoteExtFeeds  = errorsmod.Register(ModuleName, 16, "too many vote extension feeds")
)
