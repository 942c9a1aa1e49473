package types

import (
	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/address"
)

const (
	// ModuleName is the module's name, also its store key, route, codespace and
	// module account (which holds the debt-service reserves in transit).
	ModuleName = "lending"

	// StoreKey is the KV store key of the module.
	StoreKey = ModuleName

	// Denom is USDai, the currency of every loan.
	Denom = "uusdai"
)

// Collection prefixes. They are part of the state layout: never reuse or renumber them.
var (
	ParamsKey          = collections.NewPrefix(0)
	ProductsKey        = collections.NewPrefix(1)
	LoansKey           = collections.NewPrefix(2)
	LoansByBorrowerKey = collections.NewPrefix(3)
	LoansByStatusKey   = collections.NewPrefix(4)
	LoansByCuratorKey  = collections.NewPrefix(5)
	NextLoanIDKey      = collections.NewPrefix(6)
	// TitleLoanKey held the title -> loan map of state versions 1 to 3;
	// version 4 keeps that lien on the title (x/caliber Title.loan_id).
	TitleLoanKey        = collections.NewPrefix(7)
	DueQueueKey         = collections.NewPrefix(8)
	PendingQueueKey     = collections.NewPrefix(9)
	ExposuresKey        = collections.NewPrefix(10)
	TotalsKey           = collections.NewPrefix(11)
	StatusCountsKey     = collections.NewPrefix(12)
	DeadlineQueueKey    = collections.NewPrefix(13)
	ClassLoansKey       = collections.NewPrefix(14)
	ImpairedKey         = collections.NewPrefix(15)
	AuctionsKey         = collections.NewPrefix(16)
	AuctionsByStatusKey = collections.NewPrefix(17)
	RevaluationsKey     = collections.NewPrefix(18)
)

// ForeclosedAccount is the name whose module address holds written-off
// titles (x/caliber titles, no coins) until a recovery sale.
const ForeclosedAccount = "lending_foreclosed"

// Exposure kinds (the concentration buckets).
const (
	ExposureBorrower  = "borrower"
	ExposureClass     = "class"
	ExposureCustodian = "custodian"
)

// LockboxAddress is loan loanID's lockbox: an address derived from the module
// name and the loan id, so no private key exists for it and only this module
// moves its coins.
func LockboxAddress(loanID uint64) sdk.AccAddress {
	return address.Module(ModuleName, []byte("lockbox"), sdk.Uint64ToBigEndian(loanID))
}
