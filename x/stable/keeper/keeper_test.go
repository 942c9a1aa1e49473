package keeper_test

import (
	"context"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log"
	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/bank"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	"github.com/infrafi/infrafi/x/stable"
	"github.com/infrafi/infrafi/x/stable/keeper"
	"github.com/infrafi/infrafi/x/stable/types"
)

const (
	usdc   = "uusdc"
	pyusd  = "upyusd"
	dai    = "udai"
	usdai  = types.USDaiDenom
	fxUSDC = "fx/uusdc"

	// vault stands in for x/yield's module account in the treasury tests.
	vault = "yield"
	// faucet mints test coins; it is the only other minter.
	faucet = "faucet"
)

var (
	genesisTime = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	authority   = sdk.AccAddress([]byte("authority___________"))
	alice       = sdk.AccAddress([]byte("alice_______________"))
	bob         = sdk.AccAddress([]byte("bob_________________"))
	custodian   = sdk.AccAddress([]byte("treasury_custodian__"))

	// startBalance is what alice, bob and the custodian hold of each reserve denom.
	startBalance = math.NewInt(10_000_000_000) // 10,000 units
)

// fakeOracle serves fixed prices; a feed without an entry has no price.
type fakeOracle struct {
	prices map[string]oracletypes.Price
	err    error
}

func (o *fakeOracle) GetPrice(_ context.Context, feedID string) (oracletypes.Price, error) {
	if o.err != nil {
		return oracletypes.Price{}, o.err
	}
	p, ok := o.prices[feedID]
	if !ok {
		return oracletypes.Price{}, errorsmod.Wrap(oracletypes.ErrPriceNotFound, feedID)
	}
	return p, nil
}

type fixture struct {
	t      *testing.T
	ctx    sdk.Context
	k      *keeper.Keeper
	ak     authkeeper.AccountKeeper
	bank   bankkeeper.BaseKeeper
	msgs   types.MsgServer
	query  types.QueryServer
	oracle *fakeOracle
}

var maccPerms = map[string][]string{
	types.ModuleName:           {authtypes.Minter, authtypes.Burner},
	types.ProtocolFeeCollector: nil,
	vault:                      nil,
	faucet:                     {authtypes.Minter},
}

// newFixture returns a keeper on real x/auth and x/bank keepers, without
// x/stable genesis. alice, bob and custodian hold startBalance of uusdc,
// upyusd and udai.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	keys := storetypes.NewKVStoreKeys(authtypes.StoreKey, banktypes.StoreKey, types.StoreKey)
	ctx := testutil.DefaultContextWithKeys(keys, nil, nil).WithBlockTime(genesisTime).WithBlockHeight(1)
	encCfg := moduletestutil.MakeTestEncodingConfig(auth.AppModuleBasic{}, bank.AppModuleBasic{}, stable.AppModuleBasic{})

	ak := authkeeper.NewAccountKeeper(encCfg.Codec, runtime.NewKVStoreService(keys[authtypes.StoreKey]),
		authtypes.ProtoBaseAccount, maccPerms, address.NewBech32Codec(sdk.GetConfig().GetBech32AccountAddrPrefix()),
		sdk.GetConfig().GetBech32AccountAddrPrefix(), authority.String())
	blocked := map[string]bool{}
	for name := range maccPerms {
		blocked[authtypes.NewModuleAddress(name).String()] = true
	}
	bk := bankkeeper.NewBaseKeeper(encCfg.Codec, runtime.NewKVStoreService(keys[banktypes.StoreKey]), ak,
		blocked, authority.String(), log.NewNopLogger())
	require.NoError(t, bk.SetParams(ctx, banktypes.DefaultParams()))

	oracle := &fakeOracle{prices: map[string]oracletypes.Price{}}
	k := keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(keys[types.StoreKey]), ak, bk, oracle,
		authority.String(), log.NewNopLogger())

	f := &fixture{t: t, ctx: ctx, k: k, ak: ak, bank: bk, msgs: keeper.NewMsgServerImpl(k), query: keeper.NewQueryServerImpl(k), oracle: oracle}
	for _, addr := range []sdk.AccAddress{alice, bob, custodian} {
		for _, denom := range []string{usdc, pyusd, dai} {
			f.fund(addr, sdk.NewCoin(denom, startBalance))
		}
	}
	return f
}

// testParams lists uusdc (10/20 bps, cap 1,000 units, depeg guard on fx/uusdc
// at 0.98), upyusd (no fees, cap 500 units, no guard) and udai (disabled),
// with a supply cap of 1,200 units.
func testParams() types.Params {
	p := types.NewParams([]types.ReserveAsset{
		{Denom: usdc, Enabled: true, MintFeeBps: 10, RedeemFeeBps: 20, Cap: math.NewInt(1_000_000_000),
			DepegFeed: fxUSDC, DepegThreshold: math.LegacyMustNewDecFromStr("0.98")},
		{Denom: pyusd, Enabled: true, Cap: math.NewInt(500_000_000), DepegThreshold: math.LegacyZeroDec()},
		{Denom: dai, Enabled: false, MintFeeBps: 5, RedeemFeeBps: 5, Cap: math.NewInt(1_000_000_000), DepegThreshold: math.LegacyZeroDec()},
	}, math.NewInt(1_200_000_000), false, false)
	p.OutflowQuotas = []types.OutflowQuota{
		{Denom: types.USDaiDenom, WindowSeconds: quotaWindow, MaxSupplyBps: 5000, MaxAmount: math.NewInt(300_000_000)},
	}
	return p
}

// quotaWindow is the test params' outflow window for uusdai.
const quotaWindow = 100

// setup returns a fixture with testParams as genesis.
func setup(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	require.NoError(t, f.k.InitGenesis(f.ctx, types.NewGenesisState(testParams(), nil, nil)))
	f.requireInvariants()
	return f
}

// fund mints coins through the faucet module and sends them to addr.
func (f *fixture) fund(addr sdk.AccAddress, coin sdk.Coin) {
	f.t.Helper()
	require.NoError(f.t, f.bank.MintCoins(f.ctx, faucet, sdk.NewCoins(coin)))
	require.NoError(f.t, f.bank.SendCoinsFromModuleToAccount(f.ctx, faucet, addr, sdk.NewCoins(coin)))
}

func (f *fixture) balance(addr sdk.AccAddress, denom string) math.Int {
	return f.bank.GetBalance(f.ctx, addr, denom).Amount
}

func (f *fixture) moduleBalance(name, denom string) math.Int {
	return f.balance(authtypes.NewModuleAddress(name), denom)
}

func (f *fixture) supply(denom string) math.Int {
	return f.bank.GetSupply(f.ctx, denom).Amount
}

// requireInvariants fails unless every x/stable invariant holds and the USDai
// supply equals the on-chain reserves exactly.
func (f *fixture) requireInvariants() {
	f.t.Helper()
	msg, broken := keeper.AllInvariants(f.k)(f.ctx)
	require.False(f.t, broken, msg)
	held := math.ZeroInt()
	for _, d := range []string{usdc, pyusd, dai} {
		held = held.Add(f.moduleBalance(types.ModuleName, d))
	}
	require.Equal(f.t, held.String(), f.supply(usdai).String(), "USDai supply == reserves held")
}

// state is everything a failed operation must leave untouched.
type state struct {
	bank   *banktypes.GenesisState
	stable *types.GenesisState
}

func (f *fixture) snapshot() state {
	f.t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	return state{bank: f.bank.ExportGenesis(f.ctx), stable: gs}
}

// requireUnchanged fails unless the bank and x/stable state equal before.
func (f *fixture) requireUnchanged(before state) {
	f.t.Helper()
	after := f.snapshot()
	require.Equal(f.t, before.bank, after.bank, "bank state changed")
	require.Equal(f.t, before.stable, after.stable, "stable state changed")
}

func (f *fixture) setParams(mutate func(*types.Params)) {
	f.t.Helper()
	p, err := f.k.GetParams(f.ctx)
	require.NoError(f.t, err)
	mutate(&p)
	require.NoError(f.t, f.k.SetParams(f.ctx, p))
}

func (f *fixture) setPrice(feed, value string, valid bool) {
	f.oracle.prices[feed] = oracletypes.Price{FeedId: feed, Value: math.LegacyMustNewDecFromStr(value), UpdatedAt: genesisTime, Valid: valid}
}

func (f *fixture) mint(sender sdk.AccAddress, coin sdk.Coin) (*types.MsgMintResponse, error) {
	return f.msgs.Mint(f.ctx, &types.MsgMint{Sender: sender.String(), Amount: coin})
}

func (f *fixture) redeem(sender sdk.AccAddress, amount int64, reserve string) (*types.MsgRedeemResponse, error) {
	return f.msgs.Redeem(f.ctx, &types.MsgRedeem{Sender: sender.String(), Amount: sdk.NewInt64Coin(usdai, amount), ReserveDenom: reserve})
}

func (f *fixture) mustMint(sender sdk.AccAddress, coin sdk.Coin) *types.MsgMintResponse {
	f.t.Helper()
	res, err := f.mint(sender, coin)
	require.NoError(f.t, err)
	f.requireInvariants()
	return res
}

// freshEvents gives the context a new event manager and returns it.
func (f *fixture) freshEvents() *sdk.EventManager {
	em := sdk.NewEventManager()
	f.ctx = f.ctx.WithEventManager(em)
	return em
}

// typedEvent returns the only event of a proto type, parsed.
func typedEvent[T any, PT interface {
	*T
	interface{ ProtoMessage() }
}](t *testing.T, em *sdk.EventManager, name string) *T {
	t.Helper()
	var found []sdk.Event
	for _, e := range em.Events() {
		if e.Type == name {
			found = append(found, e)
		}
	}
	require.Len(t, found, 1, "events of type %s", name)
	msg, err := sdk.ParseTypedEvent(abci.Event(found[0]))
	require.NoError(t, err)
	out, ok := msg.(PT)
	require.True(t, ok, "event %s has type %T", name, msg)
	return (*T)(out)
}

func coin(denom string, amount int64) sdk.Coin { return sdk.NewInt64Coin(denom, amount) }

func TestNewKeeperPanics(t *testing.T) {
	f := newFixture(t)
	encCfg := moduletestutil.MakeTestEncodingConfig(stable.AppModuleBasic{})
	key := storetypes.NewKVStoreKey(types.StoreKey)
	require.Panics(t, func() {
		keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(key), noModules{}, f.bank, f.oracle, authority.String(), log.NewNopLogger())
	}, "unregistered module accounts")
	require.Panics(t, func() {
		keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(key), moduleNames{}, f.bank, f.oracle, "not-an-address", log.NewNopLogger())
	}, "bad authority")
	require.NotPanics(t, func() {
		keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(key), moduleNames{}, f.bank, f.oracle, authority.String(), log.NewNopLogger())
	})
}

type noModules struct{}

func (noModules) GetModuleAddress(string) sdk.AccAddress                      { return nil }
func (noModules) GetModuleAccount(context.Context, string) sdk.ModuleAccountI { return nil }
func (noModules) HasAccount(context.Context, sdk.AccAddress) bool             { return false }
func (noModules) GetAccount(context.Context, sdk.AccAddress) sdk.AccountI     { return nil }
func (noModules) RemoveAccount(context.Context, sdk.AccountI)                 {}

type moduleNames struct{}

func (moduleNames) GetModuleAddress(name string) sdk.AccAddress {
	return authtypes.NewModuleAddress(name)
}
func (moduleNames) GetModuleAccount(context.Context, string) sdk.ModuleAccountI { return nil }
func (moduleNames) HasAccount(context.Context, sdk.AccAddress) bool             { return true }
func (moduleNames) GetAccount(context.Context, sdk.AccAddress) sdk.AccountI     { return nil }
func (moduleNames) RemoveAccount(context.Context, sdk.AccountI)                 {}
