package keeper

import (
	"context"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
)

// FeeCollector receives origination and exit fees.
const FeeCollector = stabletypes.ProtocolFeeCollector

// Totals keys.
const (
	totalSenior = "senior"
	totalJunior = "junior"
	totalDSR    = "dsr"
)

// LoanIndexes are the secondary indexes of Loans.
type LoanIndexes struct {
	Borrower *keeperutil.MultiIndex[sdk.AccAddress, uint64, types.Loan]
	Status   *keeperutil.MultiIndex[int32, uint64, types.Loan]
	// Curator indexes funded loans by curator. It is sparse: a PENDING
	// loan, which has no curator yet, has no key (state version 2; version
	// 1 kept one under "", which no query could ask for).
	Curator *keeperutil.MultiIndex[string, uint64, types.Loan]
}

// IndexesList implements collections.Indexes.
func (i LoanIndexes) IndexesList() []collections.Index[uint64, types.Loan] {
	return []collections.Index[uint64, types.Loan]{i.Borrower, i.Status, i.Curator}
}

// AuctionIndexes are the secondary indexes of Auctions.
type AuctionIndexes struct {
	Status *keeperutil.MultiIndex[int32, uint64, types.Auction]
}

// IndexesList implements collections.Indexes.
func (i AuctionIndexes) IndexesList() []collections.Index[uint64, types.Auction] {
	return []collections.Index[uint64, types.Auction]{i.Status}
}

// Keeper owns the x/lending state: products, loans and their indexes, the
// time queues EndBlock walks and the book aggregates.
type Keeper struct {
	cdc          codec.BinaryCodec
	storeService store.KVStoreService
	logger       log.Logger

	authority     string
	authorityAddr sdk.AccAddress

	bank    types.BankKeeper
	account types.AccountKeeper
	modules keeperutil.ModuleAccounts
	caliber types.CaliberKeeper
	yield   types.YieldKeeper
	stable  types.StableKeeper

	Schema   collections.Schema
	Params   collections.Item[types.Params]
	Products collections.Map[string, types.Product]
	Loans    *collections.IndexedMap[uint64, types.Loan, LoanIndexes]
	// loanValues is Loans' primary map without its indexes: setLoan writes
	// through it when no indexed field changed, which saves reading and
	// decoding the stored loan and rewriting three index keys.
	loanValues collections.Map[uint64, types.Loan]
	NextLoanID collections.Sequence
	// titleLoanV3 is state version 3's title -> loan map, read only by the
	// 3 -> 4 migration that moves each entry to the title's lien.
	titleLoanV3 collections.Map[uint64, uint64]
	// DueQueue is (next_due_time, loan id) of every funded live loan.
	DueQueue collections.KeySet[collections.Pair[time.Time, uint64]]
	// PendingQueue is (pending_expires_at, loan id) of every PENDING loan.
	PendingQueue collections.KeySet[collections.Pair[time.Time, uint64]]
	// Exposures is the senior principal outstanding per (kind, key) bucket.
	Exposures collections.Map[collections.Pair[string, string], math.Int]
	// Totals holds the senior and junior principal outstanding and the DSR held.
	Totals collections.Map[string, math.Int]
	// StatusCounts is the number of loans per status.
	StatusCounts collections.Map[int32, uint64]
	// DeadlineQueue is (deadline, loan id): grace ends, cure deadlines and
	// auction ends.
	DeadlineQueue collections.KeySet[collections.Pair[time.Time, uint64]]
	// ClassLoans is (asset class, loan id) of every performing loan: the
	// class-wide covenant walk after a market-feed move.
	ClassLoans collections.KeySet[collections.Pair[string, uint64]]
	// Impaired holds the ids of loans whose senior claim is impaired.
	Impaired collections.KeySet[uint64]
	// Auctions are the foreclosure auctions, keyed by loan id.
	Auctions *collections.IndexedMap[uint64, types.Auction, AuctionIndexes]
	// Revaluations are the pending class-wide covenant walks.
	Revaluations collections.Map[string, types.Revaluation]

	foreclosed sdk.AccAddress
}

// NewKeeper builds the keeper and its collections schema. It panics when
// authority is not a bech32 address.
func NewKeeper(
	cdc codec.BinaryCodec, storeService store.KVStoreService, authority string,
	bank types.BankKeeper, account types.AccountKeeper, caliber types.CaliberKeeper, yield types.YieldKeeper,
	stable types.StableKeeper, logger log.Logger,
) *Keeper {
	authorityAddr, err := sdk.AccAddressFromBech32(authority)
	if err != nil {
		panic(fmt.Sprintf("x/%s: invalid authority address %q: %s", types.ModuleName, authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	timeQueue := collections.PairKeyCodec(sdk.TimeKey, collections.Uint64Key)
	k := &Keeper{
		cdc: cdc, storeService: storeService,
		logger:    logger.With(log.ModuleKey, "x/"+types.ModuleName),
		authority: authority, authorityAddr: authorityAddr,
		bank: bank, account: account, modules: keeperutil.NewModuleAccounts(account, bank),
		caliber: caliber, yield: yield, stable: stable,
		Params:   collections.NewItem(sb, types.ParamsKey, "params", keeperutil.CollValue[types.Params](cdc)),
		Products: collections.NewMap(sb, types.ProductsKey, "products", collections.StringKey, keeperutil.CollValue[types.Product](cdc)),
		Loans: collections.NewIndexedMap(sb, types.LoansKey, "loans", collections.Uint64Key, keeperutil.CollValue[types.Loan](cdc), LoanIndexes{
			Borrower: keeperutil.NewMultiIndex(sb, types.LoansByBorrowerKey, "loans_by_borrower", sdk.AccAddressKey, collections.Uint64Key,
				func(_ uint64, l types.Loan) (sdk.AccAddress, error) { return sdk.AccAddressFromBech32(l.Borrower) }),
			Status: keeperutil.NewMultiIndex(sb, types.LoansByStatusKey, "loans_by_status", collections.Int32Key, collections.Uint64Key,
				func(_ uint64, l types.Loan) (int32, error) { return int32(l.Status), nil }).
				Sparse(func(l types.Loan) bool { return statusIndexed(l.Status) }),
			Curator: keeperutil.NewMultiIndex(sb, types.LoansByCuratorKey, "loans_by_curator", collections.StringKey, collections.Uint64Key,
				func(_ uint64, l types.Loan) (string, error) { return l.Curator, nil }).
				Sparse(func(l types.Loan) bool { return l.Curator != "" }),
		}),
		NextLoanID:   collections.NewSequence(sb, types.NextLoanIDKey, "next_loan_id"),
		titleLoanV3:  collections.NewMap(sb, types.TitleLoanKey, "title_loan", collections.Uint64Key, collections.Uint64Value),
		DueQueue:     collections.NewKeySet(sb, types.DueQueueKey, "due_queue", timeQueue),
		PendingQueue: collections.NewKeySet(sb, types.PendingQueueKey, "pending_queue", timeQueue),
		Exposures: collections.NewMap(sb, types.ExposuresKey, "exposures",
			collections.PairKeyCodec(collections.StringKey, collections.StringKey), sdk.IntValue),
		Totals:        collections.NewMap(sb, types.TotalsKey, "totals", collections.StringKey, sdk.IntValue),
		StatusCounts:  collections.NewMap(sb, types.StatusCountsKey, "status_counts", collections.Int32Key, collections.Uint64Value),
		DeadlineQueue: collections.NewKeySet(sb, types.DeadlineQueueKey, "deadline_queue", timeQueue),
		ClassLoans: collections.NewKeySet(sb, types.ClassLoansKey, "class_loans",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)),
		Impaired: collections.NewKeySet(sb, types.ImpairedKey, "impaired", collections.Uint64Key),
		Auctions: collections.NewIndexedMap(sb, types.AuctionsKey, "auctions", collections.Uint64Key, keeperutil.CollValue[types.Auction](cdc), AuctionIndexes{
			Status: keeperutil.NewMultiIndex(sb, types.AuctionsByStatusKey, "auctions_by_status", collections.Int32Key, collections.Uint64Key,
				func(_ uint64, a types.Auction) (int32, error) { return int32(a.Status), nil }),
		}),
		Revaluations: collections.NewMap(sb, types.RevaluationsKey, "revaluations", collections.StringKey, keeperutil.CollValue[types.Revaluation](cdc)),
		foreclosed:   authtypes.NewModuleAddress(types.ForeclosedAccount),
	}
	// A builder of its own: the schema already holds the "loans" prefix.
	k.loanValues = collections.NewMap(collections.NewSchemaBuilder(storeService), types.LoansKey, "loans",
		collections.Uint64Key, keeperutil.CollValue[types.Loan](cdc))
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// ForeclosedAddress is the foreclosed-asset account that holds written-off titles.
func (k Keeper) ForeclosedAddress() sdk.AccAddress { return k.foreclosed }

// GetAuthority returns the address allowed to manage products and params.
func (k Keeper) GetAuthority() string { return k.authority }

// Logger returns the module logger.
func (k Keeper) Logger() log.Logger { return k.logger }

// CheckAuthority returns ErrUnauthorized unless signer is the module authority.
func (k Keeper) CheckAuthority(signer string) error {
	return keeperutil.CheckAuthority(k.authorityAddr, signer)
}

// SetParams validates and stores params.
func (k Keeper) SetParams(ctx context.Context, params types.Params) error {
	if err := params.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, params); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventParamsUpdated{Params: params})
}

// total reads a Totals entry (zero when absent).
func (k Keeper) total(ctx context.Context, key string) (math.Int, error) {
	v, err := k.Totals.Get(ctx, key)
	if err != nil {
		if errorsmod.IsOf(err, collections.ErrNotFound) {
			return math.ZeroInt(), nil
		}
		return math.Int{}, err
	}
	return v, nil
}

// BookTotals returns the senior and junior principal outstanding and the DSR
// held, from the maintained totals (three reads, whatever the book's size).
func (k Keeper) BookTotals(ctx context.Context) (senior, junior, dsr math.Int, err error) {
	if senior, err = k.total(ctx, totalSenior); err != nil {
		return
	}
	if junior, err = k.total(ctx, totalJunior); err != nil {
		return
	}
	dsr, err = k.total(ctx, totalDSR)
	return
}

// addTotal adds delta (may be negative) to a Totals entry; a zero total is
// removed, as InitGenesis (which rebuilds the totals from the loans) would
// leave it, so an exported and re-imported store is the same.
func (k Keeper) addTotal(ctx context.Context, key string, delta math.Int) error {
	if delta.IsZero() {
		return nil // rewriting a value (or removing an absent one) still costs IAVL a path copy
	}
	v, err := k.total(ctx, key)
	if err != nil {
		return err
	}
	if v = v.Add(delta); v.IsZero() {
		return k.Totals.Remove(ctx, key)
	}
	return k.Totals.Set(ctx, key, v)
}

// exposure reads an Exposures entry (zero when absent).
func (k Keeper) exposure(ctx context.Context, kind, key string) (math.Int, error) {
	v, err := k.Exposures.Get(ctx, collections.Join(kind, key))
	if err != nil {
		if errorsmod.IsOf(err, collections.ErrNotFound) {
			return math.ZeroInt(), nil
		}
		return math.Int{}, err
	}
	return v, nil
}

// buckets lists the concentration buckets of a loan: its borrower and every
// distinct asset class and custodian of its titles.
func buckets(l types.Loan) []collections.Pair[string, string] {
	out := []collections.Pair[string, string]{collections.Join(types.ExposureBorrower, l.Borrower)}
	for _, c := range l.AssetClasses {
		out = append(out, collections.Join(types.ExposureClass, c))
	}
	for _, c := range l.Custodians {
		out = append(out, collections.Join(types.ExposureCustodian, c))
	}
	return out
}

// addExposure adds delta senior principal to every bucket of the loan and to
// the senior total; empty buckets are deleted.
func (k Keeper) addExposure(ctx context.Context, l types.Loan, delta math.Int) error {
	if delta.IsZero() {
		return nil // as addTotal: no write that changes nothing
	}
	for _, b := range buckets(l) {
		v, err := k.exposure(ctx, b.K1(), b.K2())
		if err != nil {
			return err
		}
		v = v.Add(delta)
		if v.IsZero() {
			err = k.Exposures.Remove(ctx, b)
		} else {
			err = k.Exposures.Set(ctx, b, v)
		}
		if err != nil {
			return err
		}
	}
	return k.addTotal(ctx, totalSenior, delta)
}

// setLoan stores a loan, keeping the status counts in step with its status
// change; from is the status it was stored with (LoanStatusUnspecified for a
// new loan). The indexed fields are borrower (set at request, never
// changed), curator (set only when a PENDING loan is funded, a status
// change) and status, so from alone says which index keys move: the stored
// loan is never read back (IndexedMap.Set would read and decode it to find
// its old keys). IndexesInvariant checks the indexes against the loans.
func (k Keeper) setLoan(ctx context.Context, l types.Loan, from types.LoanStatus) error {
	if from != l.Status {
		if err := k.moveLoanKeys(ctx, l, from); err != nil {
			return err
		}
	}
	return k.loanValues.Set(ctx, l.Id, l)
}

// moveLoanKeys writes a new loan's index keys and status count, or moves a
// stored loan's status key and count and, when it is funded, adds its
// curator key.
func (k Keeper) moveLoanKeys(ctx context.Context, l types.Loan, from types.LoanStatus) error {
	idx := k.Loans.Indexes
	if from == types.LoanStatusUnspecified {
		for _, index := range idx.IndexesList() {
			if err := index.Reference(ctx, l.Id, l, noStoredLoan); err != nil {
				return err
			}
		}
		return k.addCount(ctx, l.Status, 1)
	}
	if statusIndexed(from) {
		if err := idx.Status.Remove(ctx, collections.Join(int32(from), l.Id)); err != nil {
			return err
		}
	}
	if statusIndexed(l.Status) {
		if err := idx.Status.Set(ctx, collections.Join(int32(l.Status), l.Id)); err != nil {
			return err
		}
	}
	if from == types.LoanPending && idx.Curator.Indexed(l) {
		if err := idx.Curator.Set(ctx, collections.Join(l.Curator, l.Id)); err != nil {
			return err
		}
	}
	if err := k.addCount(ctx, from, -1); err != nil {
		return err
	}
	return k.addCount(ctx, l.Status, 1)
}

// MigrateSparseCuratorIndex (state version 1 to 2) removes the curator
// index keys of loans without a curator (PENDING loans and those that
// expired or were cancelled pending), which version 1 kept under "".
func (k Keeper) MigrateSparseCuratorIndex(ctx sdk.Context) error {
	return k.Loans.Indexes.Curator.Clear(ctx, collections.NewPrefixedPairRange[string, uint64](""))
}

// MigrateSparseStatusIndex (state version 2 to 3) removes the status index
// keys of PENDING loans: version 3 lists those from the pending queue, which
// holds exactly them.
func (k Keeper) MigrateSparseStatusIndex(ctx sdk.Context) error {
	return k.Loans.Indexes.Status.Clear(ctx, collections.NewPrefixedPairRange[int32, uint64](int32(types.LoanPending)))
}

// MigrateTitleLiens (state version 3 to 4) moves each title -> loan entry to
// the title's lien in x/caliber (Title.loan_id) and deletes the map: a pledge
// then writes no key of its own, and a release deletes none.
func (k Keeper) MigrateTitleLiens(ctx sdk.Context) error {
	it, err := k.titleLoanV3.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	kvs, err := it.KeyValues()
	if err != nil {
		return err
	}
	for _, kv := range kvs {
		if err := k.caliber.SetLien(ctx, kv.Key, kv.Value); err != nil {
			return errorsmod.Wrapf(err, "title %d of loan %d", kv.Key, kv.Value)
		}
	}
	return k.titleLoanV3.Clear(ctx, nil)
}

// statusIndexed says whether loans in status s have a status index key.
// PENDING loans have none: the pending queue holds exactly them (a request
// adds its key, and funding, cancelling and expiry remove it), and the Loans
// query lists them from there, so a request writes one key fewer and funding
// deletes one fewer.
func statusIndexed(s types.LoanStatus) bool { return s != types.LoanPending }

// noStoredLoan is the old value of a loan being created: none.
func noStoredLoan() (types.Loan, error) { return types.Loan{}, collections.ErrNotFound }

func (k Keeper) addCount(ctx context.Context, s types.LoanStatus, delta int64) error {
	n, err := k.StatusCounts.Get(ctx, int32(s))
	if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
		return err
	}
	n = uint64(int64(n) + delta)
	if n == 0 {
		return k.StatusCounts.Remove(ctx, int32(s))
	}
	return k.StatusCounts.Set(ctx, int32(s), n)
}

// GetLoan returns a loan or ErrLoanNotFound.
func (k Keeper) GetLoan(ctx context.Context, id uint64) (types.Loan, error) {
	l, err := k.Loans.Get(ctx, id)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return types.Loan{}, errorsmod.Wrapf(types.ErrLoanNotFound, "loan %d", id)
	}
	return l, err
}

// GetProduct returns a product or ErrProductNotFound.
func (k Keeper) GetProduct(ctx context.Context, id string) (types.Product, error) {
	p, err := k.Products.Get(ctx, id)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return types.Product{}, errorsmod.Wrapf(types.ErrProductNotFound, "product %q", id)
	}
	return p, err
}

// CreateProduct stores a new product.
func (k Keeper) CreateProduct(ctx context.Context, p types.Product) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if has, err := k.Products.Has(ctx, p.Id); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrProductExists, "product %q", p.Id)
	}
	if err := k.Products.Set(ctx, p.Id, p); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventProductSet{Product: p, Created: true})
}

// UpdateProduct replaces an existing product. Funded loans keep their
// LoanTerms; pending loans are underwritten under the new product.
func (k Keeper) UpdateProduct(ctx context.Context, p types.Product) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if _, err := k.GetProduct(ctx, p.Id); err != nil {
		return err
	}
	if err := k.Products.Set(ctx, p.Id, p); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventProductSet{Product: p})
}

// atomically is keeperutil.Atomically: operations called outside a msg
// server leave no trace when they fail.
var atomically = keeperutil.Atomically

func usdai(amount math.Int) sdk.Coins {
	return sdk.NewCoins(sdk.NewCoin(types.Denom, amount))
}

// blockTime is the block time in UTC.
func blockTime(ctx context.Context) time.Time {
	return sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
}
