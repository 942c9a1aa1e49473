package types

import errorsmod "cosmossdk.io/errors"

// x/lending errors. Codes are part of the API: never reuse or renumber them.
// Unauthorized signers get the SDK's ErrUnauthorized, bad addresses its
// ErrInvalidAddress and payers short of funds its ErrInsufficientFunds.
// Each underwriting check has its own error so a failure names the check.
var (
	ErrInvalidProduct        = errorsmod.Register(ModuleName, 2, "invalid product")
	ErrProductNotFound       = errorsmod.Register(ModuleName, 3, "product not found")
	ErrProductExists         = errorsmod.Register(ModuleName, 4, "product already exists")
	ErrProductDisabled       = errorsmod.Register(ModuleName, 5, "product disabled")
	ErrClassNotAllowed       = errorsmod.Register(ModuleName, 6, "asset class not allowed by the product")
	ErrInvalidTitles         = errorsmod.Register(ModuleName, 7, "invalid title list")
	ErrInvalidAmount         = errorsmod.Register(ModuleName, 8, "invalid amount")
	ErrLoanNotFound          = errorsmod.Register(ModuleName, 9, "loan not found")
	ErrInvalidLoanStatus     = errorsmod.Register(ModuleName, 10, "loan status does not allow this")
	ErrAPROutOfRange         = errorsmod.Register(ModuleName, 11, "apr outside the product range")
	ErrJuniorTooLow          = errorsmod.Register(ModuleName, 12, "junior amount below the product minimum first loss")
	ErrNoValuation           = errorsmod.Register(ModuleName, 13, "check failed: title has no valuation")
	ErrLTVExceeded           = errorsmod.Register(ModuleName, 14, "check failed: loan-to-value above max_ltv")
	ErrUninsured             = errorsmod.Register(ModuleName, 15, "check failed: title insurance missing, too small or ending before maturity")
	ErrCustodyStale          = errorsmod.Register(ModuleName, 16, "check failed: custody attestation stale")
	ErrConcentration         = errorsmod.Register(ModuleName, 17, "check failed: concentration limit")
	ErrInsufficientLiquidity = errorsmod.Register(ModuleName, 18, "check failed: vault fundable liquidity below the senior part")
	ErrDisbursementTooSmall  = errorsmod.Register(ModuleName, 19, "principal does not cover the origination fee and debt-service reserve")
	ErrInvalidParams         = errorsmod.Register(ModuleName, 20, "invalid params")
	ErrInvalidGenesis        = errorsmod.Register(ModuleName, 21, "invalid genesis")
	ErrInvalidAPR            = errorsmod.Register(ModuleName, 22, "invalid apr")
	ErrTitleInLoan           = errorsmod.Register(ModuleName, 23, "title already pledged to a loan")
	ErrAuctionNotFound       = errorsmod.Register(ModuleName, 24, "auction not found")
	ErrAuctionClosed         = errorsmod.Register(ModuleName, 25, "auction closed")
	ErrBidTooLow             = errorsmod.Register(ModuleName, 26, "bid below the current auction price")
	ErrInvalidDenom          = errorsmod.Register(ModuleName, 27, "invalid denom")
	ErrTitleNotInLoan        = errorsmod.Register(ModuleName, 28, "title not pledged to this loan")
	ErrLockboxLocked         = errorsmod.Register(ModuleName, 29, "lockbox coins locked: only USDai and listed reserves above two installments of an ACTIVE loan, or anything once the loan is closed")
	ErrWithdrawalTooLarge    = errorsmod.Register(ModuleName, 30, "withdrawal above what the lockbox holds beyond the next two installments")
)
