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
	"github.com/infrafi/infrafi/x/stable/types"
)

// Keeper owns the x/stable state: params, the allowlist and the reserve
// principal out at the treasury custodian. Reserve balances and the USDai
// supply are x/bank's: the module account "stable" holds every reserve coin.
type Keeper struct {
	cdc          codec.BinaryCodec
	storeService store.KVStoreService
	logger       log.Logger

	// authority may update params and the allowlist (x/gov by default).
	authority     string
	authorityAddr sdk.AccAddress

	ak      types.AccountKeeper
	bank    types.BankKeeper
	modules keeperutil.ModuleAccounts
	oracle  types.OracleKeeper
	// denoms resolves IBC vouchers to their origin; nil until the app wires
	// ICS-20 (keeper tests run without it).
	denoms types.DenomResolver

	moduleAddr sdk.AccAddress
	feesAddr   sdk.AccAddress

	Schema    collections.Schema
	Params    collections.Item[types.Params]
	Allowlist collections.KeySet[sdk.AccAddress]
	// TreasuryOutstanding is the reserve principal per denom sent to the
	// treasury custodian and not yet settled; zero entries are deleted.
	TreasuryOutstanding collections.Map[string, math.Int]
	// OutflowWindows is the IBC outflow quota state per (channel, denom).
	OutflowWindows collections.Map[collections.Pair[string, string], types.OutflowWindow]
}

// NewKeeper builds the keeper and its collections schema. It panics when
// authority is not a bech32 account address or when the module accounts
// "stable" and "protocol_fees" are not registered with the account keeper.
func NewKeeper(
	cdc codec.BinaryCodec, storeService store.KVStoreService,
	ak types.AccountKeeper, bank types.BankKeeper, oracle types.OracleKeeper,
	authority string, logger log.Logger,
) *Keeper {
	authorityAddr, err := sdk.AccAddressFromBech32(authority)
	if err != nil {
		panic(fmt.Sprintf("x/%s: invalid authority address %q: %s", types.ModuleName, authority, err))
	}
	moduleAddr := ak.GetModuleAddress(types.ModuleName)
	feesAddr := ak.GetModuleAddress(types.ProtocolFeeCollector)
	if moduleAddr == nil || feesAddr == nil {
		panic(fmt.Sprintf("x/%s: module accounts %q and %q must be registered", types.ModuleName, types.ModuleName, types.ProtocolFeeCollector))
	}

	sb := collections.NewSchemaBuilder(storeService)
	k := &Keeper{
		cdc:           cdc,
		storeService:  storeService,
		logger:        logger.With(log.ModuleKey, "x/"+types.ModuleName),
		authority:     authority,
		authorityAddr: authorityAddr,
		ak:            ak,
		bank:          bank,
		modules:       keeperutil.NewModuleAccounts(ak, bank),
		oracle:        oracle,
		moduleAddr:    moduleAddr,
		feesAddr:      feesAddr,
		Params:        collections.NewItem(sb, types.ParamsKey, "params", keeperutil.CollValue[types.Params](cdc)),
		Allowlist:     collections.NewKeySet(sb, types.AllowlistKey, "allowlist", sdk.AccAddressKey),
		TreasuryOutstanding: collections.NewMap(sb, types.TreasuryOutstandingKey, "treasury_outstanding",
			collections.StringKey, sdk.IntValue),
		OutflowWindows: collections.NewMap(sb, types.OutflowWindowsKey, "outflow_windows",
			collections.PairKeyCodec(collections.StringKey, collections.StringKey), keeperutil.CollValue[types.OutflowWindow](cdc)),
	}

	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// SetDenomResolver gives the keeper the ICS-20 denom traces, so IBC vouchers
// can be listed as reserves and show their origin. Called once by the app
// after the transfer keeper exists.
func (k *Keeper) SetDenomResolver(r types.DenomResolver) { k.denoms = r }

// GetAuthority returns the address allowed to update params and the allowlist.
func (k Keeper) GetAuthority() string {
	return k.authority
}

// Logger returns the module logger.
func (k Keeper) Logger() log.Logger {
	return k.logger
}

// ModuleAddress is the address of the "stable" module account, which holds the reserves.
func (k Keeper) ModuleAddress() sdk.AccAddress {
	return k.moduleAddr
}

// FeeCollectorAddress is the address of the "protocol_fees" module account.
func (k Keeper) FeeCollectorAddress() sdk.AccAddress {
	return k.feesAddr
}

// CheckAuthority returns ErrUnauthorized unless signer is the module authority.
func (k Keeper) CheckAuthority(signer string) error {
	return keeperutil.CheckAuthority(k.authorityAddr, signer)
}

// GetParams returns the module parameters.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) {
	return k.Params.Get(ctx)
}

// SetParams validates and stores params. Beyond Params.Validate it refuses to
// drop a reserve that the module still holds or that is still out at the
// treasury (disable it and let it drain instead), and a reserve whose bank
// metadata, when there is any, gives it other than 6 decimals.
func (k Keeper) SetParams(ctx context.Context, params types.Params) error {
	if err := params.Validate(); err != nil {
		return err
	}
	current, err := k.Params.Get(ctx)
	switch {
	case errors.Is(err, collections.ErrNotFound):
		current = types.Params{}
	case err != nil:
		return err
	}
	for _, old := range current.Reserves {
		if _, kept := params.Reserve(old.Denom); kept {
			continue
		}
		held := k.Held(ctx, old.Denom)
		outstanding, err := k.Outstanding(ctx, old.Denom)
		if err != nil {
			return err
		}
		if held.IsPositive() || outstanding.IsPositive() {
			return errorsmod.Wrapf(types.ErrReserveStillBacking,
				"cannot remove %s: the module holds %s and the treasury %s; disable it and let it drain instead",
				old.Denom, held, outstanding)
		}
	}
	for _, r := range params.Reserves {
		if err := k.checkDecimals(ctx, r.Denom); err != nil {
			return err
		}
		if _, err := k.ReserveOrigin(ctx, r.Denom); err != nil {
			return err
		}
	}
	return k.Params.Set(ctx, params)
}

// checkDecimals refuses a reserve whose bank metadata declares a display unit
// with other than USDai's 6 decimals: the 1:1 exchange is in base units.
// Denoms without metadata (typical of IBC denoms) are accepted; the 6-decimal
// requirement is then governance's to check.
func (k Keeper) checkDecimals(ctx context.Context, denom string) error {
	md, found := k.bank.GetDenomMetaData(ctx, denom)
	if !found {
		return nil
	}
	for _, u := range md.DenomUnits {
		if u.Denom == md.Display && u.Exponent != types.ReserveDecimals {
			return errorsmod.Wrapf(types.ErrInvalidParams, "%s has %d decimals (display unit %s); reserves need %d",
				denom, u.Exponent, md.Display, types.ReserveDecimals)
		}
	}
	return nil
}

// IsAllowlisted tells whether addr is on the allowlist.
func (k Keeper) IsAllowlisted(ctx context.Context, addr sdk.AccAddress) (bool, error) {
	return k.Allowlist.Has(ctx, addr)
}

// UpdateAllowlist adds and removes addresses and returns those actually added
// and removed, in the given order. Adding a listed address or removing an
// unlisted one is not an error: it changes nothing.
func (k Keeper) UpdateAllowlist(ctx context.Context, add, remove []sdk.AccAddress) (added, removed []string, err error) {
	added, removed = []string{}, []string{}
	for _, addr := range add {
		has, err := k.Allowlist.Has(ctx, addr)
		if err != nil {
			return nil, nil, err
		}
		if has {
			continue
		}
		if err := k.Allowlist.Set(ctx, addr); err != nil {
			return nil, nil, err
		}
		added = append(added, addr.String())
	}
	for _, addr := range remove {
		has, err := k.Allowlist.Has(ctx, addr)
		if err != nil {
			return nil, nil, err
		}
		if !has {
			continue
		}
		if err := k.Allowlist.Remove(ctx, addr); err != nil {
			return nil, nil, err
		}
		removed = append(removed, addr.String())
	}
	return added, removed, nil
}

// Held returns the module's balance of denom: the reserve held on chain.
func (k Keeper) Held(ctx context.Context, denom string) math.Int {
	return k.bank.GetBalance(ctx, k.moduleAddr, denom).Amount
}

// Outstanding returns the treasury principal of denom (zero when none).
func (k Keeper) Outstanding(ctx context.Context, denom string) (math.Int, error) {
	v, err := k.TreasuryOutstanding.Get(ctx, denom)
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	return v, err
}

// USDaiSupply returns the bank supply of uusdai.
func (k Keeper) USDaiSupply(ctx context.Context) math.Int {
	return k.bank.GetSupply(ctx, types.USDaiDenom).Amount
}

// atomically is keeperutil.Atomically: operations called outside a msg
// server leave no trace when they fail.
var atomically = keeperutil.Atomically
