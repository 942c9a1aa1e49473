package keeper_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log"
	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/x/caliber"
	"github.com/infrafi/infrafi/x/caliber/keeper"
	"github.com/infrafi/infrafi/x/caliber/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

const (
	h100     = "nvidia-h100-sxm5-80gb"
	storage  = "nvme-storage-array"
	h100Feed = "gpu/nvidia-h100-sxm5-80gb"
	reportA  = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	lendMod  = "lending"
	// lien is the x/lending loan id tests pledge titles to.
	lien = uint64(7)
)

var (
	genesisTime = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	authority   = sdk.AccAddress([]byte("authority___________"))
	issuer      = sdk.AccAddress([]byte("issuer______________"))
	custodian   = sdk.AccAddress([]byte("custodian___________"))
	custodian2  = sdk.AccAddress([]byte("custodian2__________"))
	appraiser1  = sdk.AccAddress([]byte("appraiser1__________"))
	appraiser2  = sdk.AccAddress([]byte("appraiser2__________"))
	appraiser3  = sdk.AccAddress([]byte("appraiser3__________"))
	insurer     = sdk.AccAddress([]byte("insurer_____________"))
	insurer2    = sdk.AccAddress([]byte("insurer2____________"))
	owner       = sdk.AccAddress([]byte("owner_______________"))
	buyer       = sdk.AccAddress([]byte("buyer_______________"))
	stranger    = sdk.AccAddress([]byte("stranger____________"))
	moduleAddr  = authtypes.NewModuleAddress(types.ModuleName)
)

// fakeBank keeps uusdai balances in memory; module accounts are the usual module addresses.
type fakeBank struct {
	balances map[string]math.Int
}

func (b *fakeBank) get(addr sdk.AccAddress) math.Int {
	if v, ok := b.balances[addr.String()]; ok {
		return v
	}
	return math.ZeroInt()
}

func (b *fakeBank) move(from, to sdk.AccAddress, amt sdk.Coins) error {
	for _, c := range amt {
		if c.Denom != types.InsuranceDenom {
			return fmt.Errorf("unexpected denom %s", c.Denom)
		}
		if b.get(from).LT(c.Amount) {
			return errorsmod.Wrapf(sdkerrors.ErrInsufficientFunds, "%s has %s", from, b.get(from))
		}
		b.balances[from.String()] = b.get(from).Sub(c.Amount)
		b.balances[to.String()] = b.get(to).Add(c.Amount)
	}
	return nil
}

func (b *fakeBank) SendCoins(_ context.Context, from, to sdk.AccAddress, amt sdk.Coins) error {
	return b.move(from, to, amt)
}

func (b *fakeBank) SendCoinsFromModuleToAccount(_ context.Context, mod string, to sdk.AccAddress, amt sdk.Coins) error {
	return b.move(authtypes.NewModuleAddress(mod), to, amt)
}

func (b *fakeBank) SpendableCoin(_ context.Context, addr sdk.AccAddress, denom string) sdk.Coin {
	return sdk.NewCoin(denom, b.get(addr))
}

func (b *fakeBank) GetBalance(_ context.Context, addr sdk.AccAddress, denom string) sdk.Coin {
	return sdk.NewCoin(denom, b.get(addr))
}

type fakeAccounts struct{}

func (fakeAccounts) GetModuleAddress(name string) sdk.AccAddress {
	return authtypes.NewModuleAddress(name)
}

// Every module account exists (the fake bank holds balances by address).
func (fakeAccounts) HasAccount(context.Context, sdk.AccAddress) bool { return true }
func (fakeAccounts) GetModuleAccount(_ context.Context, name string) sdk.ModuleAccountI {
	return authtypes.NewEmptyModuleAccount(name)
}

// fakeOracle serves fixed prices.
type fakeOracle struct {
	prices map[string]oracletypes.Price
}

func (o *fakeOracle) GetPrice(_ context.Context, feedID string) (oracletypes.Price, error) {
	p, ok := o.prices[feedID]
	if !ok {
		return oracletypes.Price{}, errorsmod.Wrap(oracletypes.ErrPriceNotFound, feedID)
	}
	return p, nil
}

// recordingHooks records every hook call and can be told to fail or panic.
type recordingHooks struct {
	valuation, stale, casualty []uint64
	// liens are the loan ids every hook was called with, in call order.
	liens  []uint64
	fail   error
	panics bool
	// onCall writes inside the hook, to prove a failed hook's writes are discarded.
	onCall func(ctx context.Context)
}

func (h *recordingHooks) call(ctx context.Context, list *[]uint64, id, loanID uint64) error {
	*list = append(*list, id)
	h.liens = append(h.liens, loanID)
	if h.onCall != nil {
		h.onCall(ctx)
	}
	if h.panics {
		panic("hook panic")
	}
	return h.fail
}

func (h *recordingHooks) AfterValuationChanged(ctx context.Context, id, loanID uint64) error {
	return h.call(ctx, &h.valuation, id, loanID)
}

func (h *recordingHooks) AfterCustodyStale(ctx context.Context, id, loanID uint64) error {
	return h.call(ctx, &h.stale, id, loanID)
}

func (h *recordingHooks) AfterCasualty(ctx context.Context, id, loanID uint64) error {
	return h.call(ctx, &h.casualty, id, loanID)
}

type fixture struct {
	t      *testing.T
	ctx    sdk.Context
	k      *keeper.Keeper
	msgs   types.MsgServer
	query  types.QueryServer
	bank   *fakeBank
	oracle *fakeOracle
	hooks  *recordingHooks
	encCfg moduletestutil.TestEncodingConfig
	// storeService reaches the module's store under the keeper (a state
	// layout before a migration).
	storeService corestore.KVStoreService
	serial       int
}

func dec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }

func h100Class() types.AssetClass {
	return types.AssetClass{
		Id: h100, Kind: types.AssetKindGPU, Manufacturer: "NVIDIA", Model: "H100 SXM5 80GB",
		MaxLtv: dec("0.7"), DepreciationPerYear: dec("0.2"), ResidualRatio: dec("0.2"),
		MinAppraisals: 1, MarketFeed: h100Feed, Eligible: true,
	}
}

func storageClass() types.AssetClass {
	return types.AssetClass{
		Id: storage, Kind: types.AssetKindStorage, Manufacturer: "Generic", Model: "NVMe",
		MaxLtv: dec("0.5"), DepreciationPerYear: dec("0.25"), ResidualRatio: dec("0.1"),
		MinAppraisals: 2, Eligible: true,
	}
}

func newKeeper(t *testing.T, bank *fakeBank, oracle *fakeOracle) (sdk.Context, *keeper.Keeper, moduletestutil.TestEncodingConfig, corestore.KVStoreService) {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	testCtx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	encCfg := moduletestutil.MakeTestEncodingConfig(caliber.AppModuleBasic{})
	storeService := runtime.NewKVStoreService(key)
	k := keeper.NewKeeper(encCfg.Codec, storeService, authority.String(),
		bank, fakeAccounts{}, oracle, log.NewNopLogger())
	return testCtx.Ctx.WithBlockTime(genesisTime).WithBlockHeight(1), k, encCfg, storeService
}

func party(addr sdk.AccAddress, roles ...types.Role) types.Party {
	return types.Party{Address: addr.String(), Roles: roles, Name: "party", Active: true}
}

// setup returns a keeper with the parties issuer, custodian(2), appraiser1..3,
// insurer(2), the classes h100 (min 1 appraisal, market feed) and storage
// (min 2), 1M USDai for owner and the insurers, and a recording hook.
func setup(t *testing.T) *fixture {
	t.Helper()
	bank := &fakeBank{balances: map[string]math.Int{}}
	oracle := &fakeOracle{prices: map[string]oracletypes.Price{}}
	ctx, k, encCfg, storeService := newKeeper(t, bank, oracle)
	hooks := &recordingHooks{}
	k.SetHooks(hooks)

	gs := types.DefaultGenesis()
	gs.Parties = []types.Party{
		party(issuer, types.RoleIssuer),
		party(custodian, types.RoleCustodian),
		party(custodian2, types.RoleCustodian),
		party(appraiser1, types.RoleAppraiser),
		party(appraiser2, types.RoleAppraiser),
		party(appraiser3, types.RoleAppraiser, types.RoleCurator),
		party(insurer, types.RoleInsurer),
		party(insurer2, types.RoleInsurer),
	}
	gs.AssetClasses = []types.AssetClass{h100Class(), storageClass()}
	require.NoError(t, k.InitGenesis(ctx, gs))
	for _, a := range []sdk.AccAddress{owner, buyer, insurer, insurer2} {
		bank.balances[a.String()] = math.NewInt(1_000_000_000_000)
	}
	return &fixture{
		t: t, ctx: ctx, k: k, msgs: keeper.NewMsgServerImpl(k), query: keeper.NewQueryServerImpl(k),
		bank: bank, oracle: oracle, hooks: hooks, encCfg: encCfg, storeService: storeService,
	}
}

// nextSerials returns n fresh serials.
func (f *fixture) nextSerials(n int) []string {
	out := make([]string, n)
	for i := range out {
		f.serial++
		out[i] = fmt.Sprintf("SN-%06d", f.serial)
	}
	return out
}

func (f *fixture) mintMsg(class string, serials ...string) *types.MsgMintTitle {
	if len(serials) == 0 {
		serials = f.nextSerials(8)
	}
	return &types.MsgMintTitle{
		Issuer: issuer.String(), ClassId: class, Owner: owner.String(), Custodian: custodian.String(),
		Units: uint64(len(serials)), Serials: serials, Facility: "DAL-01", Jurisdiction: "US-TX",
		Legal: types.LegalInfo{SpvId: "SPV-1", DocumentSha256: reportA, Uri: "ipfs://doc"},
	}
}

// mint mints an h100 title and returns its id.
func (f *fixture) mint(serials ...string) uint64 {
	f.t.Helper()
	res, err := f.msgs.MintTitle(f.ctx, f.mintMsg(h100, serials...))
	require.NoError(f.t, err)
	return res.TitleId
}

// active mints and confirms an h100 title.
func (f *fixture) active(serials ...string) uint64 {
	f.t.Helper()
	id := f.mint(serials...)
	_, err := f.msgs.ConfirmCustody(f.ctx, &types.MsgConfirmCustody{Custodian: custodian.String(), TitleId: id})
	require.NoError(f.t, err)
	return id
}

func (f *fixture) title(id uint64) types.Title {
	f.t.Helper()
	t, err := f.k.GetTitle(f.ctx, id)
	require.NoError(f.t, err)
	return t
}

func (f *fixture) appraise(appraiser sdk.AccAddress, id uint64, value int64, validFor time.Duration) error {
	_, err := f.msgs.Appraise(f.ctx, &types.MsgAppraise{
		Appraiser: appraiser.String(), TitleId: id, Value: math.NewInt(value),
		ValidUntil: f.ctx.BlockTime().Add(validFor), ReportSha256: reportA,
	})
	return err
}

func (f *fixture) advance(d time.Duration) {
	f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(d)).WithBlockHeight(f.ctx.BlockHeight() + 1)
}

// endBlock runs EndBlocker on a fresh event manager and returns its events.
func (f *fixture) endBlock() sdk.Events {
	f.t.Helper()
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	require.NoError(f.t, f.k.EndBlocker(f.ctx))
	return f.ctx.EventManager().Events()
}

// state is everything the module stores, indexes included, plus the fake bank.
type state struct {
	Genesis *types.GenesisState
	Indexes map[string][]string
	Bank    map[string]string
}

func (f *fixture) state() state {
	f.t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	idx := map[string][]string{}
	add := func(name string, key any) { idx[name] = append(idx[name], fmt.Sprint(key)) }
	walk := func(name string, fn func() error) { require.NoError(f.t, fn(), name) }
	walk("serials", func() error {
		return f.k.Serials.Walk(f.ctx, nil, func(s string, id uint64) (bool, error) { add("serials", s+"="+fmt.Sprint(id)); return false, nil })
	})
	for name, ks := range map[string]collections.KeySet[collections.Pair[time.Time, uint64]]{
		"custody_expiry": f.k.CustodyExpiry, "policy_expiry": f.k.PolicyExpiry,
	} {
		walk(name, func() error {
			return ks.Walk(f.ctx, nil, func(k collections.Pair[time.Time, uint64]) (bool, error) {
				add(name, pair(k.K1(), k.K2()))
				return false, nil
			})
		})
	}
	walk("roles", func() error {
		return f.k.PartiesByRole.Walk(f.ctx, nil, func(k collections.Pair[int32, sdk.AccAddress]) (bool, error) {
			add("roles", pair(k.K1(), k.K2()))
			return false, nil
		})
	})
	walk("owner", func() error {
		return f.k.Titles.Indexes.Owner.Walk(f.ctx, nil, func(k collections.Pair[sdk.AccAddress, uint64]) (bool, error) {
			add("owner", pair(k.K1(), k.K2()))
			return false, nil
		})
	})
	walk("status", func() error {
		return f.k.Titles.Indexes.Status.Walk(f.ctx, nil, func(k collections.Pair[int32, uint64]) (bool, error) {
			add("status", pair(k.K1(), k.K2()))
			return false, nil
		})
	})
	walk("request_by_title", func() error {
		return f.k.PolicyRequestByTitle.Walk(f.ctx, nil, func(t, r uint64) (bool, error) { add("request_by_title", [2]uint64{t, r}); return false, nil })
	})
	bank := map[string]string{}
	for a, v := range f.bank.balances {
		bank[a] = v.String()
	}
	return state{Genesis: gs, Indexes: idx, Bank: bank}
}

// requireUnchanged asserts that err is wantErr and the state equals before.
func (f *fixture) requireUnchanged(before state, err, wantErr error, msgAndArgs ...any) {
	f.t.Helper()
	require.ErrorIs(f.t, err, wantErr, msgAndArgs...)
	require.Equal(f.t, before, f.state(), msgAndArgs...)
}

// requireInvariants runs every module invariant.
func (f *fixture) requireInvariants() {
	f.t.Helper()
	for name, inv := range keeper.Invariants(f.k) {
		msg, broken := inv(f.ctx)
		require.False(f.t, broken, "%s: %s", name, msg)
	}
}

func typedEvents(events sdk.Events, name string) []sdk.Event {
	var out []sdk.Event
	for _, e := range events {
		if e.Type == name {
			out = append(out, e)
		}
	}
	return out
}

func TestNewKeeperPanicsOnInvalidAuthority(t *testing.T) {
	key := storetypes.NewKVStoreKey(types.StoreKey)
	encCfg := moduletestutil.MakeTestEncodingConfig(caliber.AppModuleBasic{})
	require.Panics(t, func() {
		keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(key), "nope", &fakeBank{}, fakeAccounts{}, &fakeOracle{}, log.NewNopLogger())
	})
}

func TestSetHooksTwicePanics(t *testing.T) {
	f := setup(t)
	require.Panics(t, func() { f.k.SetHooks(types.NewMultiCaliberHooks()) })
	require.Equal(t, authority.String(), f.k.GetAuthority())
}

var errHook = errors.New("hook failed")

func joinAddr(a sdk.AccAddress, id uint64) collections.Pair[sdk.AccAddress, uint64] {
	return collections.Join(a, id)
}

func pair(a, b any) string { return fmt.Sprintf("%v/%v", a, b) }
