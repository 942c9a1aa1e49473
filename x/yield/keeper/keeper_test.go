package keeper_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cosmos/gogoproto/proto"
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

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	"github.com/infrafi/infrafi/x/yield"
	"github.com/infrafi/infrafi/x/yield/keeper"
	"github.com/infrafi/infrafi/x/yield/types"
)

const (
	usdai    = types.AssetDenom
	susdai   = types.ShareDenom
	usdc     = "uusdc"
	rateFeed = "rate/tbill"

	// stableModule stands in for x/stable's module account; lending for x/lending's.
	stableModule = "stable"
	lending      = "lending"
	faucet       = "faucet"
)

var (
	genesisTime = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	authority   = sdk.AccAddress([]byte("authority___________"))
	alice       = sdk.AccAddress([]byte("alice_______________"))
	bob         = sdk.AccAddress([]byte("bob_________________"))
	carol       = sdk.AccAddress([]byte("carol_______________"))
	custodian   = sdk.AccAddress([]byte("treasury_custodian__"))
	stranger    = sdk.AccAddress([]byte("stranger____________"))
)

var maccPerms = map[string][]string{
	types.ModuleName:    {authtypes.Minter, authtypes.Burner},
	keeper.FeeCollector: nil,
	stableModule:        {authtypes.Minter, authtypes.Burner},
	lending:             nil,
	faucet:              {authtypes.Minter},
}

// fakeStable mimics x/stable's treasury calls on the real bank keeper:
// allocation burns the vault's USDai and sends reserve coins to the
// custodian; settlement takes reserve coins back and mints USDai to the vault.
type fakeStable struct {
	bank        bankkeeper.BaseKeeper
	ak          authkeeper.AccountKeeper
	outstanding math.Int
	fail        error
	calls       int
}

func (s *fakeStable) AllocateToTreasury(ctx context.Context, fromModule string, to sdk.AccAddress, denom string, amount math.Int) error {
	s.calls++
	if s.fail != nil {
		return s.fail
	}
	if err := s.bank.SendCoinsFromModuleToModule(ctx, fromModule, stableModule, sdk.NewCoins(sdk.NewCoin(usdai, amount))); err != nil {
		return err
	}
	if err := s.bank.BurnCoins(ctx, stableModule, sdk.NewCoins(sdk.NewCoin(usdai, amount))); err != nil {
		return err
	}
	if err := s.bank.SendCoinsFromModuleToAccount(ctx, stableModule, to, sdk.NewCoins(sdk.NewCoin(denom, amount))); err != nil {
		return err
	}
	s.outstanding = s.outstanding.Add(amount)
	return nil
}

func (s *fakeStable) SettleFromTreasury(ctx context.Context, from sdk.AccAddress, toModule string, denom string, principal, yield math.Int) error {
	if principal.GT(s.outstanding) {
		return errors.New("principal exceeds outstanding")
	}
	total := principal.Add(yield)
	if err := s.bank.SendCoinsFromAccountToModule(ctx, from, stableModule, sdk.NewCoins(sdk.NewCoin(denom, total))); err != nil {
		return err
	}
	if err := s.bank.MintCoins(ctx, stableModule, sdk.NewCoins(sdk.NewCoin(usdai, total))); err != nil {
		return err
	}
	if err := s.bank.SendCoinsFromModuleToModule(ctx, stableModule, toModule, sdk.NewCoins(sdk.NewCoin(usdai, total))); err != nil {
		return err
	}
	s.outstanding = s.outstanding.Sub(principal)
	return nil
}

func (s *fakeStable) Held(ctx context.Context, denom string) math.Int {
	return s.bank.GetBalance(ctx, s.ak.GetModuleAddress(stableModule), denom).Amount
}

// fakeCaliber holds the TREASURY_CUSTODIAN parties.
type fakeCaliber struct{ custodians map[string]bool }

func (c *fakeCaliber) HasRole(_ context.Context, addr sdk.AccAddress, role calibertypes.Role) bool {
	return role == calibertypes.RoleTreasuryCustodian && c.custodians[addr.String()]
}

// fakeOracle serves fixed prices; a feed without an entry has no price.
type fakeOracle struct{ prices map[string]oracletypes.Price }

func (o *fakeOracle) GetPrice(_ context.Context, feedID string) (oracletypes.Price, error) {
	p, ok := o.prices[feedID]
	if !ok {
		return oracletypes.Price{}, errorsmod.Wrap(oracletypes.ErrPriceNotFound, feedID)
	}
	return p, nil
}

type fixture struct {
	t       *testing.T
	ctx     sdk.Context
	k       *keeper.Keeper
	bank    bankkeeper.BaseKeeper
	ak      authkeeper.AccountKeeper
	msgs    types.MsgServer
	query   types.QueryServer
	stable  *fakeStable
	caliber *fakeCaliber
	oracle  *fakeOracle
}

// testParams: epoch 1 h with a 10 min cancel cutoff, 3 redemptions per
// block, 10% of bids and 1% admin fee to the protocol, 10% buffer, hourly
// rebalance and checkpoints, treasury custodian in uusdc.
func testParams() types.Params {
	p := types.DefaultParams()
	p.EpochLength = time.Hour
	p.CancelCutoff = 10 * time.Minute
	p.MaxRedemptionsPerBlock = 3
	p.ProtocolBidShareBps = 1_000
	p.AdminFeeBps = 100
	p.LiquidityBufferBps = 1_000
	p.RebalanceInterval = time.Hour
	p.TreasuryCustodian = custodian.String()
	p.TreasuryReserveDenom = usdc
	p.CheckpointInterval = time.Hour
	p.MaxCheckpoints = 5
	return p
}

// setup returns a keeper with testParams, after the first BeginBlock (epoch 1
// from genesisTime). alice, bob and carol hold 1M USDai each; the custodian
// holds 1M USDC; x/stable holds 10M USDC of reserves; the T-bill feed is
// valid at 5%.
func setup(t *testing.T) *fixture {
	t.Helper()
	return setupWith(t, nil)
}

// setupWith is setup with params changed by edit.
func setupWith(t *testing.T, edit func(p *types.Params)) *fixture {
	t.Helper()
	f := newFixture(t)
	gs := types.DefaultGenesis()
	gs.Params = testParams()
	if edit != nil {
		edit(&gs.Params)
	}
	require.NoError(t, f.k.InitGenesis(f.ctx, gs))
	f.beginBlock()
	return f
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	keys := storetypes.NewKVStoreKeys(authtypes.StoreKey, banktypes.StoreKey, types.StoreKey)
	ctx := testutil.DefaultContextWithKeys(keys, nil, nil).WithBlockTime(genesisTime).WithBlockHeight(1)
	encCfg := moduletestutil.MakeTestEncodingConfig(auth.AppModuleBasic{}, bank.AppModuleBasic{}, yield.AppModuleBasic{})

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

	stable := &fakeStable{bank: bk, ak: ak, outstanding: math.ZeroInt()}
	caliber := &fakeCaliber{custodians: map[string]bool{custodian.String(): true}}
	oracle := &fakeOracle{prices: map[string]oracletypes.Price{
		rateFeed: {FeedId: rateFeed, Value: math.LegacyMustNewDecFromStr("0.05"), UpdatedAt: genesisTime, Valid: true, NumPosts: 1},
	}}
	k := keeper.NewKeeper(encCfg.Codec, runtime.NewKVStoreService(keys[types.StoreKey]), ak, bk, stable, caliber, oracle,
		authority.String(), log.NewTestLogger(t))

	f := &fixture{t: t, ctx: ctx, k: k, bank: bk, ak: ak, msgs: keeper.NewMsgServerImpl(k), query: keeper.NewQueryServerImpl(k),
		stable: stable, caliber: caliber, oracle: oracle}
	for _, addr := range []sdk.AccAddress{alice, bob, carol} {
		f.fund(addr, sdk.NewCoin(usdai, usd(1_000_000)))
	}
	f.fund(custodian, sdk.NewCoin(usdc, usd(1_000_000)))
	f.fundModule(stableModule, sdk.NewCoin(usdc, usd(10_000_000)))
	return f
}

func usd(v int64) math.Int { return math.NewInt(v).MulRaw(1_000_000) }

func dec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }

func amt(s string) math.Int {
	v, ok := math.NewIntFromString(s)
	if !ok {
		panic(s)
	}
	return v
}

// noTreasury turns the treasury off, so idle liquidity stays put.
func noTreasury(p *types.Params) { p.TreasuryCustodian, p.TreasuryReserveDenom = "", "" }

func (f *fixture) fund(addr sdk.AccAddress, coin sdk.Coin) {
	f.t.Helper()
	require.NoError(f.t, f.bank.MintCoins(f.ctx, faucet, sdk.NewCoins(coin)))
	require.NoError(f.t, f.bank.SendCoinsFromModuleToAccount(f.ctx, faucet, addr, sdk.NewCoins(coin)))
}

func sdkCoin(denom string, amount math.Int) sdk.Coin { return sdk.NewCoin(denom, amount) }

func (f *fixture) fundModule(module string, coin sdk.Coin) {
	f.t.Helper()
	require.NoError(f.t, f.bank.MintCoins(f.ctx, faucet, sdk.NewCoins(coin)))
	require.NoError(f.t, f.bank.SendCoinsFromModuleToModule(f.ctx, faucet, module, sdk.NewCoins(coin)))
}

func (f *fixture) balance(addr sdk.AccAddress, denom string) math.Int {
	return f.bank.GetBalance(f.ctx, addr, denom).Amount
}

func (f *fixture) moduleBalance(module, denom string) math.Int {
	return f.balance(f.ak.GetModuleAddress(module), denom)
}

// advance moves block time by dt and the height by one, without block hooks.
func (f *fixture) advance(dt time.Duration) {
	f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(dt)).WithBlockHeight(f.ctx.BlockHeight() + 1).
		WithEventManager(sdk.NewEventManager())
}

func (f *fixture) beginBlock() {
	f.t.Helper()
	require.NoError(f.t, f.k.BeginBlocker(f.ctx))
}

func (f *fixture) endBlock() {
	f.t.Helper()
	require.NoError(f.t, f.k.EndBlocker(f.ctx))
}

// block advances dt and runs BeginBlock and EndBlock.
func (f *fixture) block(dt time.Duration) {
	f.t.Helper()
	f.advance(dt)
	f.beginBlock()
	f.endBlock()
}

func (f *fixture) view() keeper.View {
	f.t.Helper()
	v, err := f.k.View(f.ctx)
	require.NoError(f.t, err)
	return v
}

func (f *fixture) deposit(addr sdk.AccAddress, amount math.Int) math.Int {
	f.t.Helper()
	res, err := f.msgs.Deposit(f.ctx, &types.MsgDeposit{Depositor: addr.String(), Amount: sdk.NewCoin(usdai, amount)})
	require.NoError(f.t, err)
	return res.Shares.Amount
}

func (f *fixture) requestRedeem(addr sdk.AccAddress, shares math.Int, bid uint32) uint64 {
	f.t.Helper()
	res, err := f.msgs.RequestRedeem(f.ctx, &types.MsgRequestRedeem{Owner: addr.String(), Shares: shares, BidBps: bid})
	require.NoError(f.t, err)
	return res.RequestId
}

// requireInvariants checks every invariant of the module.
func (f *fixture) requireInvariants() {
	f.t.Helper()
	msg, broken := keeper.AllInvariants(f.k)(f.ctx)
	require.False(f.t, broken, msg)
}

// eventsOf returns the typed events of type T (a pointer to an event
// message) emitted on ctx since the last advance.
func eventsOf[T proto.Message](ctx sdk.Context) []T {
	var out []T
	for _, ev := range ctx.EventManager().ABCIEvents() {
		msg, err := sdk.ParseTypedEvent(ev)
		if err != nil {
			continue
		}
		if m, ok := msg.(T); ok {
			out = append(out, m)
		}
	}
	return out
}
