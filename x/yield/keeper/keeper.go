package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	"github.com/infrafi/infrafi/x/yield/types"
)

// FeeCollector is the module account that receives x/yield's fees.
const FeeCollector = stabletypes.ProtocolFeeCollector

// requestIndexes are the secondary indexes of the redemption requests.
type requestIndexes struct {
	// Owner lists an owner's requests: (owner, id).
	Owner *keeperutil.MultiIndex[sdk.AccAddress, uint64, types.RedeemRequest]
	// Queue is the service order: (10000 − bid_bps, id), walked ascending, so
	// bid descending then request time ascending.
	Queue *keeperutil.MultiIndex[uint32, uint64, types.RedeemRequest]
}

func (i requestIndexes) IndexesList() []collections.Index[uint64, types.RedeemRequest] {
	return []collections.Index[uint64, types.RedeemRequest]{i.Owner, i.Queue}
}

// Keeper owns the x/yield state: the vault counters, the senior book
// aggregates, the treasury position, the epoch and its serving round, the
// redemption queue and the share price history. NAV is always computed from
// these and the bank balances, never stored (checkpoints are history only).
type Keeper struct {
	cdc          codec.BinaryCodec
	storeService store.KVStoreService
	logger       log.Logger

	// authority may update params (x/gov by default).
	authority     string
	authorityAddr sdk.AccAddress

	ak      types.AccountKeeper
	bank    types.BankKeeper
	modules keeperutil.ModuleAccounts
	stable  types.StableKeeper
	caliber types.CaliberKeeper
	oracle  types.OracleKeeper

	moduleAddr sdk.AccAddress

	Schema   collections.Schema
	Params   collections.Item[types.Params]
	Vault    collections.Item[types.VaultState]
	Book     collections.Item[types.SeniorBook]
	Treasury collections.Item[types.TreasuryState]
	Epoch    collections.Item[types.EpochInfo]
	Round    collections.Item[types.ServingRound]
	Requests *collections.IndexedMap[uint64, types.RedeemRequest, requestIndexes]
	// requestValues is Requests' primary map without its indexes:
	// insertRequest writes a new request's value and index keys through it,
	// which saves IndexedMap.Set's lookup of a stored request that cannot exist.
	requestValues   collections.Map[uint64, types.RedeemRequest]
	Checkpoints     collections.Map[int64, types.Checkpoint]
	CheckpointCount collections.Item[uint64]
	// Committed is the principal of x/lending's PENDING loans: idle held for
	// their underwriting, not fundable to other loans.
	Committed collections.Item[math.Int]
}

// NewKeeper builds the keeper and its collections schema. It panics when
// authority is not a bech32 account address or when the module accounts
// "yield" and "protocol_fees" are not registered with the account keeper.
func NewKeeper(
	cdc codec.BinaryCodec, storeService store.KVStoreService,
	ak types.AccountKeeper, bank types.BankKeeper, stable types.StableKeeper,
	caliber types.CaliberKeeper, oracle types.OracleKeeper,
	authority string, logger log.Logger,
) *Keeper {
	authorityAddr, err := sdk.AccAddressFromBech32(authority)
	if err != nil {
		panic(fmt.Sprintf("x/%s: invalid authority address %q: %s", types.ModuleName, authority, err))
	}
	moduleAddr := ak.GetModuleAddress(types.ModuleName)
	if moduleAddr == nil {
		panic(fmt.Sprintf("x/%s: module account %q is not registered", types.ModuleName, types.ModuleName))
	}
	if ak.GetModuleAddress(FeeCollector) == nil {
		panic(fmt.Sprintf("x/%s: module account %q is not registered", types.ModuleName, FeeCollector))
	}

	sb := collections.NewSchemaBuilder(storeService)
	requestValue := keeperutil.CollValue[types.RedeemRequest](cdc)
	k := &Keeper{
		cdc:           cdc,
		storeService:  storeService,
		logger:        logger.With(log.ModuleKey, "x/"+types.ModuleName),
		authority:     authority,
		authorityAddr: authorityAddr,
		ak:            ak,
		bank:          bank,
		modules:       keeperutil.NewModuleAccounts(ak, bank),
		stable:        stable,
		caliber:       caliber,
		oracle:        oracle,
		moduleAddr:    moduleAddr,
		Params:        collections.NewItem(sb, types.ParamsKey, "params", keeperutil.CollValue[types.Params](cdc)),
		Vault:         collections.NewItem(sb, types.VaultKey, "vault", keeperutil.CollValue[types.VaultState](cdc)),
		Book:          collections.NewItem(sb, types.BookKey, "book", keeperutil.CollValue[types.SeniorBook](cdc)),
		Treasury:      collections.NewItem(sb, types.TreasuryKey, "treasury", keeperutil.CollValue[types.TreasuryState](cdc)),
		Epoch:         collections.NewItem(sb, types.EpochKey, "epoch", keeperutil.CollValue[types.EpochInfo](cdc)),
		Round:         collections.NewItem(sb, types.RoundKey, "round", keeperutil.CollValue[types.ServingRound](cdc)),
		Requests: collections.NewIndexedMap(sb, types.RequestsKey, "requests", collections.Uint64Key, requestValue, requestIndexes{
			Owner: keeperutil.NewMultiIndex(sb, types.RequestsByOwnerKey, "requests_by_owner", sdk.AccAddressKey, collections.Uint64Key,
				func(_ uint64, r types.RedeemRequest) (sdk.AccAddress, error) {
					return sdk.AccAddressFromBech32(r.Owner)
				}),
			Queue: keeperutil.NewMultiIndex(sb, types.QueueKey, "queue", collections.Uint32Key, collections.Uint64Key,
				func(_ uint64, r types.RedeemRequest) (uint32, error) { return types.QueueBidKey(r.BidBps), nil }),
		}),
		Checkpoints:     collections.NewMap(sb, types.CheckpointsKey, "checkpoints", collections.Int64Key, keeperutil.CollValue[types.Checkpoint](cdc)),
		CheckpointCount: collections.NewItem(sb, types.CheckpointCountKey, "checkpoint_count", collections.Uint64Value),
		Committed:       collections.NewItem(sb, types.CommittedKey, "committed", sdk.IntValue),
	}

	// A builder of its own: the schema already holds the "requests" prefix.
	k.requestValues = collections.NewMap(collections.NewSchemaBuilder(storeService), types.RequestsKey, "requests",
		collections.Uint64Key, requestValue)
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// GetAuthority returns the address allowed to update params.
func (k Keeper) GetAuthority() string { return k.authority }

// Logger returns the module logger.
func (k Keeper) Logger() log.Logger { return k.logger }

// ModuleAddress is the vault's module account.
func (k Keeper) ModuleAddress() sdk.AccAddress { return k.moduleAddr }

// CheckAuthority returns ErrUnauthorized unless signer is the module authority.
func (k Keeper) CheckAuthority(signer string) error {
	return keeperutil.CheckAuthority(k.authorityAddr, signer)
}

// GetParams returns the module parameters.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) {
	return k.Params.Get(ctx)
}

// SetParams validates and stores params. The treasury custodian and reserve
// denom cannot change while a treasury position (principal or accrued
// yield) is open: the position is held by that custodian in that denom.
func (k Keeper) SetParams(ctx context.Context, params types.Params) error {
	if err := params.Validate(); err != nil {
		return err
	}
	old, err := k.Params.Get(ctx)
	switch {
	case errors.Is(err, collections.ErrNotFound):
	case err != nil:
		return err
	case old.TreasuryCustodian != params.TreasuryCustodian || old.TreasuryReserveDenom != params.TreasuryReserveDenom:
		t, err := k.Treasury.Get(ctx)
		if err != nil {
			return err
		}
		if !t.Principal.IsZero() || !t.AccruedYield.IsZero() {
			return errorsmod.Wrapf(types.ErrInvalidParams,
				"treasury custodian and reserve denom cannot change while %s principal is at the custodian", t.Principal)
		}
	}
	return k.Params.Set(ctx, params)
}

// atomically is keeperutil.Atomically: operations called outside a msg
// server leave no trace when they fail.
var atomically = keeperutil.Atomically

// checkModule refuses a name that is not a registered module account (x/bank
// panics on those) and the vault's own account.
func (k Keeper) checkModule(name string) error {
	if name == "" || name == types.ModuleName || k.ak.GetModuleAddress(name) == nil {
		return errorsmod.Wrapf(types.ErrUnknownModule, "%q is not a module account", name)
	}
	return nil
}
