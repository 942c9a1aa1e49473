package types

import errorsmod "cosmossdk.io/errors"

// x/caliber errors. Codes are part of the API: never reuse or renumber them.
// Unauthorized signers get the SDK's ErrUnauthorized, bad addresses its
// ErrInvalidAddress and an owner short of premium funds its ErrInsufficientFunds.
var (
	ErrInvalidParty          = errorsmod.Register(ModuleName, 2, "invalid party")
	ErrPartyNotFound         = errorsmod.Register(ModuleName, 3, "party not found")
	ErrPartyExists           = errorsmod.Register(ModuleName, 4, "party already registered")
	ErrInvalidAssetClass     = errorsmod.Register(ModuleName, 5, "invalid asset class")
	ErrAssetClassNotFound    = errorsmod.Register(ModuleName, 6, "asset class not found")
	ErrAssetClassExists      = errorsmod.Register(ModuleName, 7, "asset class already exists")
	ErrAssetClassNotEligible = errorsmod.Register(ModuleName, 8, "asset class not eligible")
	ErrInvalidTitle          = errorsmod.Register(ModuleName, 9, "invalid title")
	ErrTitleNotFound         = errorsmod.Register(ModuleName, 10, "title not found")
	ErrInvalidStatus         = errorsmod.Register(ModuleName, 11, "title status does not allow this")
	ErrInvalidSerial         = errorsmod.Register(ModuleName, 12, "invalid serials")
	ErrSerialInUse           = errorsmod.Register(ModuleName, 13, "serial already in a live title")
	ErrInvalidCustodian      = errorsmod.Register(ModuleName, 14, "invalid custodian")
	ErrInvalidAttestation    = errorsmod.Register(ModuleName, 15, "invalid custody attestation")
	ErrInvalidAppraisal      = errorsmod.Register(ModuleName, 16, "invalid appraisal")
	ErrInvalidExpiry         = errorsmod.Register(ModuleName, 17, "invalid expiry")
	ErrNoValuation           = errorsmod.Register(ModuleName, 18, "no valuation")
	ErrInvalidAmount         = errorsmod.Register(ModuleName, 19, "invalid amount")
	ErrPoolNotFound          = errorsmod.Register(ModuleName, 20, "insurance pool not found")
	ErrInsufficientCapacity  = errorsmod.Register(ModuleName, 21, "insufficient free pool capacity")
	ErrRequestNotFound       = errorsmod.Register(ModuleName, 22, "policy request not found")
	ErrInvalidPolicy         = errorsmod.Register(ModuleName, 23, "invalid policy")
	ErrPremiumTooHigh        = errorsmod.Register(ModuleName, 24, "premium above the owner's max_premium")
	ErrPolicyNotFound        = errorsmod.Register(ModuleName, 25, "no active policy")
	ErrInvalidRecipient      = errorsmod.Register(ModuleName, 26, "invalid recipient")
	ErrInvalidParams         = errorsmod.Register(ModuleName, 27, "invalid params")
	ErrInvalidGenesis        = errorsmod.Register(ModuleName, 28, "invalid genesis")
	ErrInvalidLien           = errorsmod.Register(ModuleName, 29, "invalid lien")
)
