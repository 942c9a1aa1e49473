package keeper

import (
	"context"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
	"cosmossdk.io/log"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
)

// TitleIndexes are the secondary indexes of Titles, kept by the IndexedMap.
type TitleIndexes struct {
	Owner     *keeperutil.MultiIndex[sdk.AccAddress, uint64, types.Title]
	Class     *keeperutil.MultiIndex[string, uint64, types.Title]
	Status    *keeperutil.MultiIndex[int32, uint64, types.Title]
	Custodian *keeperutil.MultiIndex[sdk.AccAddress, uint64, types.Title]
}

// IndexesList implements collections.Indexes.
func (i TitleIndexes) IndexesList() []collections.Index[uint64, types.Title] {
	return []collections.Index[uint64, types.Title]{i.Owner, i.Class, i.Status, i.Custodian}
}

func newTitleIndexes(sb *collections.SchemaBuilder) TitleIndexes {
	return TitleIndexes{
		Owner: keeperutil.NewMultiIndex(sb, types.TitlesByOwnerKey, "titles_by_owner", sdk.AccAddressKey, collections.Uint64Key,
			func(_ uint64, t types.Title) (sdk.AccAddress, error) { return sdk.AccAddressFromBech32(t.Owner) }),
		Class: keeperutil.NewMultiIndex(sb, types.TitlesByClassKey, "titles_by_class", collections.StringKey, collections.Uint64Key,
			func(_ uint64, t types.Title) (string, error) { return t.ClassId, nil }),
		Status: keeperutil.NewMultiIndex(sb, types.TitlesByStatusKey, "titles_by_status", collections.Int32Key, collections.Uint64Key,
			func(_ uint64, t types.Title) (int32, error) { return int32(t.Status), nil }),
		Custodian: keeperutil.NewMultiIndex(sb, types.TitlesByCustodianKey, "titles_by_custodian", sdk.AccAddressKey, collections.Uint64Key,
			func(_ uint64, t types.Title) (sdk.AccAddress, error) { return sdk.AccAddressFromBech32(t.Custodian) }),
	}
}

// Keeper owns the x/caliber state: parties, asset classes, titles with their
// custody and appraisals, insurance pools, policies and policy requests.
type Keeper struct {
	cdc          codec.BinaryCodec
	storeService store.KVStoreService
	logger       log.Logger

	// authority registers parties and asset classes and updates params (x/gov by default).
	authority     string
	authorityAddr sdk.AccAddress

	bank    types.BankKeeper
	account types.AccountKeeper
	modules keeperutil.ModuleAccounts
	oracle  types.OracleKeeper
	hooks   types.CaliberHooks

	Schema        collections.Schema
	Params        collections.Item[types.Params]
	Parties       collections.Map[sdk.AccAddress, types.Party]
	PartiesByRole collections.KeySet[collections.Pair[int32, sdk.AccAddress]]
	AssetClasses  collections.Map[string, types.AssetClass]
	Titles        *collections.IndexedMap[uint64, types.Title, TitleIndexes]
	// titleValues is Titles' primary map without its indexes: a new title
	// and a status change write through it and move only the index keys
	// that change (see insertTitle and setStatus).
	titleValues collections.Map[uint64, types.Title]
	NextTitleID collections.Sequence
	// Serials maps each serial of a live title to that title.
	Serials collections.Map[string, uint64]
	// Custody holds the latest attestation of every title in custody.
	Custody collections.Map[uint64, types.Custody]
	// CustodyExpiry is the time-ordered queue (expires_at, title id) of fresh
	// attestations that EndBlock walks up to block time.
	CustodyExpiry collections.KeySet[collections.Pair[time.Time, uint64]]
	// Appraisals holds each appraised title's appraisals in one record (see
	// types.TitleAppraisals).
	Appraisals collections.Map[uint64, types.TitleAppraisals]
	// legacyAppraisals is the layout before state version 3, read only by
	// MigrateAppraisalsByTitle.
	legacyAppraisals collections.Map[collections.Pair[uint64, sdk.AccAddress], types.Appraisal]
	Pools            collections.Map[sdk.AccAddress, types.InsurancePool]
	// Policies holds the one policy of each insured title.
	Policies collections.Map[uint64, types.Policy]
	// PolicyExpiry is the time-ordered queue (expires_at, title id) of policies.
	PolicyExpiry   collections.KeySet[collections.Pair[time.Time, uint64]]
	PolicyRequests collections.Map[uint64, types.PolicyRequest]
	// PolicyRequestByTitle maps a title to its one pending request.
	PolicyRequestByTitle collections.Map[uint64, uint64]
	NextPolicyRequestID  collections.Sequence
	// InsuranceReserved is the sum of every pool's reserved coverage, kept
	// where a policy is issued or released so that operators' gauges read it
	// in O(1) instead of walking the pools.
	InsuranceReserved collections.Item[math.Int]
}

// NewKeeper builds the keeper and its collections schema. It panics when authority
// is not a bech32 account address with the configured prefix.
func NewKeeper(
	cdc codec.BinaryCodec, storeService store.KVStoreService, authority string,
	bank types.BankKeeper, account types.AccountKeeper, oracle types.OracleKeeper, logger log.Logger,
) *Keeper {
	authorityAddr, err := sdk.AccAddressFromBech32(authority)
	if err != nil {
		panic(fmt.Sprintf("x/%s: invalid authority address %q: %s", types.ModuleName, authority, err))
	}

	sb := collections.NewSchemaBuilder(storeService)
	timeQueue := collections.PairKeyCodec(sdk.TimeKey, collections.Uint64Key)
	k := &Keeper{
		cdc:           cdc,
		storeService:  storeService,
		logger:        logger.With(log.ModuleKey, "x/"+types.ModuleName),
		authority:     authority,
		authorityAddr: authorityAddr,
		bank:          bank,
		account:       account,
		modules:       keeperutil.NewModuleAccounts(account, bank),
		oracle:        oracle,
		Params:        collections.NewItem(sb, types.ParamsKey, "params", keeperutil.CollValue[types.Params](cdc)),
		Parties:       collections.NewMap(sb, types.PartiesKey, "parties", sdk.AccAddressKey, keeperutil.CollValue[types.Party](cdc)),
		PartiesByRole: collections.NewKeySet(sb, types.PartiesByRoleKey, "parties_by_role",
			collections.PairKeyCodec(collections.Int32Key, sdk.AccAddressKey), collections.WithKeySetSecondaryIndex()),
		AssetClasses: collections.NewMap(sb, types.AssetClassesKey, "asset_classes", collections.StringKey, keeperutil.CollValue[types.AssetClass](cdc)),
		Titles: collections.NewIndexedMap(sb, types.TitlesKey, "titles", collections.Uint64Key,
			keeperutil.CollValue[types.Title](cdc), newTitleIndexes(sb)),
		NextTitleID:    collections.NewSequence(sb, types.NextTitleIDKey, "next_title_id"),
		Serials:        collections.NewMap(sb, types.SerialsKey, "serials", collections.StringKey, collections.Uint64Value),
		Custody:        collections.NewMap(sb, types.CustodyKey, "custody", collections.Uint64Key, keeperutil.CollValue[types.Custody](cdc)),
		CustodyExpiry:  collections.NewKeySet(sb, types.CustodyExpiryKey, "custody_expiry", timeQueue),
		Appraisals:     collections.NewMap(sb, types.AppraisalsKey, "appraisals", collections.Uint64Key, keeperutil.CollValue[types.TitleAppraisals](cdc)),
		Pools:          collections.NewMap(sb, types.PoolsKey, "pools", sdk.AccAddressKey, keeperutil.CollValue[types.InsurancePool](cdc)),
		Policies:       collections.NewMap(sb, types.PoliciesKey, "policies", collections.Uint64Key, keeperutil.CollValue[types.Policy](cdc)),
		PolicyExpiry:   collections.NewKeySet(sb, types.PolicyExpiryKey, "policy_expiry", timeQueue),
		PolicyRequests: collections.NewMap(sb, types.PolicyRequestsKey, "policy_requests", collections.Uint64Key, keeperutil.CollValue[types.PolicyRequest](cdc)),
		PolicyRequestByTitle: collections.NewMap(sb, types.PolicyRequestByTitleKey, "policy_request_by_title",
			collections.Uint64Key, collections.Uint64Value),
		NextPolicyRequestID: collections.NewSequence(sb, types.NextPolicyRequestIDKey, "next_policy_request_id"),
		InsuranceReserved:   collections.NewItem(sb, types.InsuranceReservedKey, "insurance_reserved", sdk.IntValue),
	}
	// A builder of its own: the schema already holds the "titles" prefix.
	k.titleValues = collections.NewMap(collections.NewSchemaBuilder(storeService), types.TitlesKey, "titles",
		collections.Uint64Key, keeperutil.CollValue[types.Title](cdc))

	// Outside the schema: the layout is gone once migrated.
	k.legacyAppraisals = collections.NewMap(collections.NewSchemaBuilder(storeService), types.LegacyAppraisalsKey, "legacy_appraisals",
		collections.PairKeyCodec(collections.Uint64Key, sdk.AccAddressKey), keeperutil.CollValue[types.Appraisal](cdc))

	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// SetHooks sets the hooks x/lending registers. It panics when called twice.
func (k *Keeper) SetHooks(h types.CaliberHooks) {
	if k.hooks != nil {
		panic(fmt.Sprintf("x/%s: hooks already set", types.ModuleName))
	}
	k.hooks = h
}

// GetAuthority returns the address allowed to register parties and classes and update params.
func (k Keeper) GetAuthority() string {
	return k.authority
}

// Logger returns the module logger.
func (k Keeper) Logger() log.Logger {
	return k.logger
}

// CheckAuthority returns ErrUnauthorized unless signer is the module authority.
func (k Keeper) CheckAuthority(signer string) error {
	return keeperutil.CheckAuthority(k.authorityAddr, signer)
}

// GetParams returns the module parameters.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) {
	return k.Params.Get(ctx)
}

// SetParams validates and stores params. A new custody_attestation_max_age
// applies from each title's next attestation; a lower max_serials_per_title
// applies to new titles only.
func (k Keeper) SetParams(ctx context.Context, params types.Params) error {
	if err := params.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, params); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventParamsUpdated{Params: params})
}

// blockTime is the block time in UTC.
func blockTime(ctx context.Context) time.Time {
	return sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
}
