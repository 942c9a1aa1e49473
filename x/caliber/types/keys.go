package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, also its store key, route, codespace and
	// module account (which holds the insurance pools).
	ModuleName = "caliber"

	// StoreKey is the KV store key of the module.
	StoreKey = ModuleName

	// InsuranceDenom is the denom of insurance pools, premiums, claims and
	// appraisal values: USDai in base units.
	InsuranceDenom = "uusdai"
)

// Collection prefixes. They are part of the state layout: never reuse or renumber them.
var (
	ParamsKey            = collections.NewPrefix(0)
	PartiesKey           = collections.NewPrefix(1)
	PartiesByRoleKey     = collections.NewPrefix(2)
	AssetClassesKey      = collections.NewPrefix(3)
	TitlesKey            = collections.NewPrefix(4)
	TitlesByOwnerKey     = collections.NewPrefix(5)
	TitlesByClassKey     = collections.NewPrefix(6)
	TitlesByStatusKey    = collections.NewPrefix(7)
	TitlesByCustodianKey = collections.NewPrefix(8)
	NextTitleIDKey       = collections.NewPrefix(9)
	SerialsKey           = collections.NewPrefix(10)
	CustodyKey           = collections.NewPrefix(11)
	CustodyExpiryKey     = collections.NewPrefix(12)
	// LegacyAppraisalsKey held one record per (title, appraiser) until state
	// version 3; the migration to 3 moves them to AppraisalsKey.
	LegacyAppraisalsKey     = collections.NewPrefix(13)
	PoolsKey                = collections.NewPrefix(14)
	PoliciesKey             = collections.NewPrefix(15)
	PolicyExpiryKey         = collections.NewPrefix(16)
	PolicyRequestsKey       = collections.NewPrefix(17)
	PolicyRequestByTitleKey = collections.NewPrefix(18)
	NextPolicyRequestIDKey  = collections.NewPrefix(19)
	InsuranceReservedKey    = collections.NewPrefix(20)
	AppraisalsKey           = collections.NewPrefix(21)
)
