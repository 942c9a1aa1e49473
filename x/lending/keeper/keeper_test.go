package keeper_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
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
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/lending"
	"github.com/infrafi/infrafi/x/lending/keeper"
	"github.com/infrafi/infrafi/x/lending/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

const (
	h100    = "nvidia-h100-sxm5-80gb"
	storage = "nvme-storage-array"
	month   = 2_628_000 * time.Second
	yieldM  = "yield"
	feesM   = "protocol_fees"
)

var (
	genesisTime = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	authority   = sdk.AccAddress([]byte("authority___________"))
	borrower    = sdk.AccAddress([]byte("borrower____________"))
	other       = sdk.AccAddress([]byte("other_______________"))
	curator     = sdk.AccAddress([]byte("curator_____________"))
	payer       = sdk.AccAddress([]byte("payer_______________"))
	custodian   = sdk.AccAddress([]byte("custodian___________"))
	custodian2  = sdk.AccAddress([]byte("custodian2__________"))
	insurer     = sdk.AccAddress([]byte("insurer_____________"))
	bidder      = sdk.AccAddress([]byte("bidder______________"))
	lendingAddr = authtypes.NewModuleAddress(types.ModuleName)
	yieldAddr   = authtypes.NewModuleAddress(yieldM)
	feesAddr    = authtypes.NewModuleAddress(feesM)
)

func usd(n int64) math.Int { return math.NewInt(n).MulRaw(1_000_000) }

// fakeBank keeps every balance in the fixture's store, by (address, denom),
// so that a keeper's cache branch reverts its transfers as it would the real
// bank's. The ctx-less helpers (get, set, setCoins, usdai) read and write the
// fixture's own context: what a test sees between keeper calls.
type fakeBank struct {
	base     context.Context
	balances collections.Map[collections.Pair[string, string], math.Int]
}

func newFakeBank(sb *collections.SchemaBuilder) *fakeBank {
	return &fakeBank{balances: collections.NewMap(sb, collections.NewPrefix(251), "fake_balances",
		collections.PairKeyCodec(collections.StringKey, collections.StringKey), sdk.IntValue)}
}

func (b *fakeBank) getDenomAt(ctx context.Context, a sdk.AccAddress, denom string) math.Int {
	v, err := b.balances.Get(ctx, collections.Join(a.String(), denom))
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt()
	}
	if err != nil {
		panic(err)
	}
	return v
}

func (b *fakeBank) setDenomAt(ctx context.Context, a sdk.AccAddress, denom string, v math.Int) {
	if err := b.balances.Set(ctx, collections.Join(a.String(), denom), v); err != nil {
		panic(err)
	}
}

// addDenomAt adds delta (negative for a debit) to a's balance of denom.
func (b *fakeBank) addDenomAt(ctx context.Context, a sdk.AccAddress, denom string, delta math.Int) {
	b.setDenomAt(ctx, a, denom, b.getDenomAt(ctx, a, denom).Add(delta))
}

// get and set are a uusdai balance as the test sees it.
func (b *fakeBank) get(a sdk.AccAddress) math.Int    { return b.getDenomAt(b.base, a, types.Denom) }
func (b *fakeBank) set(a sdk.AccAddress, v math.Int) { b.setDenomAt(b.base, a, types.Denom, v) }

// setCoins sets a's balance of each of coins.
func (b *fakeBank) setCoins(a sdk.AccAddress, coins sdk.Coins) {
	for _, c := range coins {
		b.setDenomAt(b.base, a, c.Denom, c.Amount)
	}
}

// usdai is every uusdai balance, by address.
func (b *fakeBank) usdai() map[string]math.Int {
	out := map[string]math.Int{}
	err := b.balances.Walk(b.base, nil, func(k collections.Pair[string, string], v math.Int) (bool, error) {
		if k.K2() == types.Denom {
			out[k.K1()] = v
		}
		return false, nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

func (b *fakeBank) move(ctx context.Context, from, to sdk.AccAddress, amt sdk.Coins) error {
	for _, c := range amt {
		if have := b.getDenomAt(ctx, from, c.Denom); have.LT(c.Amount) {
			return errorsmod.Wrapf(sdkerrors.ErrInsufficientFunds, "%s has %s%s", from, have, c.Denom)
		}
	}
	for _, c := range amt {
		b.addDenomAt(ctx, from, c.Denom, c.Amount.Neg())
		b.addDenomAt(ctx, to, c.Denom, c.Amount)
	}
	return nil
}

func (b *fakeBank) SendCoinsFromAccountToModule(ctx context.Context, from sdk.AccAddress, mod string, amt sdk.Coins) error {
	return b.move(ctx, from, authtypes.NewModuleAddress(mod), amt)
}
func (b *fakeBank) SendCoinsFromModuleToAccount(ctx context.Context, mod string, to sdk.AccAddress, amt sdk.Coins) error {
	return b.move(ctx, authtypes.NewModuleAddress(mod), to, amt)
}
func (b *fakeBank) SendCoinsFromModuleToModule(ctx context.Context, from, to string, amt sdk.Coins) error {
	return b.move(ctx, authtypes.NewModuleAddress(from), authtypes.NewModuleAddress(to), amt)
}

// InputOutputCoins checks the input's funds before it moves anything.
func (b *fakeBank) InputOutputCoins(ctx context.Context, in banktypes.Input, outs []banktypes.Output) error {
	from := sdk.MustAccAddressFromBech32(in.Address)
	for _, c := range in.Coins {
		if have := b.getDenomAt(ctx, from, c.Denom); have.LT(c.Amount) {
			return errorsmod.Wrapf(sdkerrors.ErrInsufficientFunds, "%s has %s%s", from, have, c.Denom)
		}
	}
	for _, o := range outs {
		if err := b.move(ctx, from, sdk.MustAccAddressFromBech32(o.Address), o.Coins); err != nil {
			return err
		}
	}
	return nil
}
func (b *fakeBank) SendCoins(ctx context.Context, from, to sdk.AccAddress, amt sdk.Coins) error {
	return b.move(ctx, from, to, amt)
}
func (b *fakeBank) GetBalance(ctx context.Context, a sdk.AccAddress, denom string) sdk.Coin {
	return sdk.NewCoin(denom, b.getDenomAt(ctx, a, denom))
}
func (b *fakeBank) GetAllBalances(ctx context.Context, a sdk.AccAddress) sdk.Coins {
	var out sdk.Coins
	rng := collections.NewPrefixedPairRange[string, string](a.String())
	err := b.balances.Walk(ctx, rng, func(k collections.Pair[string, string], v math.Int) (bool, error) {
		out = out.Add(sdk.NewCoin(k.K2(), v))
		return false, nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

// fakeStable is x/stable's PSM for the lockbox: one reserve (uusdc) at a
// 10 bps mint fee; refuse makes it refuse every mint (cap, depeg, pause).
type fakeStable struct {
	bank   *fakeBank
	refuse error
}

const usdc = "uusdc"

var stableAddr = authtypes.NewModuleAddress(stabletypes.ModuleName)

func (s *fakeStable) GetParams(context.Context) (stabletypes.Params, error) {
	return stabletypes.Params{Reserves: []stabletypes.ReserveAsset{{Denom: usdc, Enabled: true, MintFeeBps: 10}}}, nil
}

func (s *fakeStable) Mint(ctx context.Context, sender sdk.AccAddress, amount sdk.Coin) (sdk.Coin, sdk.Coin, error) {
	if s.refuse != nil {
		return sdk.Coin{}, sdk.Coin{}, s.refuse
	}
	if err := s.bank.move(ctx, sender, stableAddr, sdk.NewCoins(amount)); err != nil {
		return sdk.Coin{}, sdk.Coin{}, err
	}
	net, fee := stabletypes.SplitFee(amount.Amount, 10)
	s.bank.addDenomAt(ctx, sender, types.Denom, net)
	s.bank.addDenomAt(ctx, feesAddr, types.Denom, fee)
	return sdk.NewCoin(types.Denom, net), sdk.NewCoin(types.Denom, fee), nil
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
func (a fakeAccounts) GetAccount(_ context.Context, addr sdk.AccAddress) sdk.AccountI {
	if addr.Equals(a.GetModuleAddress(types.ModuleName)) {
		return authtypes.NewEmptyModuleAccount(types.ModuleName)
	}
	return nil
}
func (fakeAccounts) RemoveAccount(context.Context, sdk.AccountI) {}

// fakeCaliber serves titles, valuations, staleness and policies from memory.
type fakeCaliber struct {
	titles   map[uint64]*calibertypes.Title
	values   map[uint64]math.Int
	stale    map[uint64]bool
	policies map[uint64]calibertypes.Policy
	curators map[string]bool
	feeds    map[string][]string // market feed -> classes
	bank     *fakeBank
}

func (c *fakeCaliber) HasRole(_ context.Context, a sdk.AccAddress, r calibertypes.Role) bool {
	return r == calibertypes.RoleCurator && c.curators[a.String()]
}
func (c *fakeCaliber) GetTitle(_ context.Context, id uint64) (calibertypes.Title, error) {
	t, ok := c.titles[id]
	if !ok {
		return calibertypes.Title{}, errorsmod.Wrapf(calibertypes.ErrTitleNotFound, "title %d", id)
	}
	return *t, nil
}
func (c *fakeCaliber) GetValuation(_ context.Context, id uint64) (calibertypes.Valuation, error) {
	v, ok := c.values[id]
	if !ok {
		return calibertypes.Valuation{}, errorsmod.Wrapf(calibertypes.ErrNoValuation, "title %d", id)
	}
	return calibertypes.Valuation{TitleId: id, Value: v}, nil
}
func (c *fakeCaliber) IsStale(_ context.Context, id uint64) (bool, error) { return c.stale[id], nil }
func (c *fakeCaliber) Collateral(ctx context.Context, id uint64) calibertypes.CollateralView {
	var v calibertypes.CollateralView
	v.Valuation, v.ValuationErr = c.GetValuation(ctx, id)
	v.Stale, v.StaleErr = c.IsStale(ctx, id)
	return v
}
func (c *fakeCaliber) ActivePolicy(_ context.Context, id uint64) (calibertypes.Policy, error) {
	p, ok := c.policies[id]
	if !ok {
		return calibertypes.Policy{}, errorsmod.Wrapf(calibertypes.ErrPolicyNotFound, "title %d", id)
	}
	return p, nil
}
func (c *fakeCaliber) Pledge(_ context.Context, id uint64, owner sdk.AccAddress, loanID uint64) error {
	t := c.titles[id]
	if t.Owner != owner.String() || t.Status != calibertypes.StatusActive || loanID == 0 {
		return fmt.Errorf("cannot pledge title %d", id)
	}
	t.Status, t.LoanId = calibertypes.StatusPledged, loanID
	return nil
}
func (c *fakeCaliber) Release(_ context.Context, id uint64) error {
	t := c.titles[id]
	if t.Status != calibertypes.StatusPledged {
		return fmt.Errorf("title %d not pledged", id)
	}
	t.Status, t.LoanId = calibertypes.StatusActive, 0
	return nil
}
func (c *fakeCaliber) SetLien(_ context.Context, id, loanID uint64) error {
	t, ok := c.titles[id]
	if !ok || calibertypes.HoldsLien(t.Status) != (loanID != 0) {
		return fmt.Errorf("cannot set the lien of title %d to %d", id, loanID)
	}
	t.LoanId = loanID
	return nil
}
func (c *fakeCaliber) PledgedCount(context.Context) (uint64, error) {
	var n uint64
	for _, t := range c.titles {
		if calibertypes.HoldsLien(t.Status) {
			n++
		}
	}
	return n, nil
}

func (c *fakeCaliber) setStatus(id uint64, from, to calibertypes.TitleStatus) error {
	t, ok := c.titles[id]
	if !ok || t.Status != from {
		return fmt.Errorf("title %d is not %s", id, from)
	}
	t.Status = to
	return nil
}
func (c *fakeCaliber) StartForeclosure(_ context.Context, id uint64) error {
	return c.setStatus(id, calibertypes.StatusPledged, calibertypes.StatusForeclosing)
}
func (c *fakeCaliber) TransferForeclosed(_ context.Context, id uint64, to sdk.AccAddress) error {
	if err := c.setStatus(id, calibertypes.StatusForeclosing, calibertypes.StatusActive); err != nil {
		return err
	}
	c.titles[id].Owner, c.titles[id].LoanId = to.String(), 0
	return nil
}
func (c *fakeCaliber) TransferTitle(_ context.Context, owner sdk.AccAddress, id uint64, to sdk.AccAddress) error {
	t, ok := c.titles[id]
	if !ok || t.Owner != owner.String() || t.Status != calibertypes.StatusActive {
		return fmt.Errorf("cannot transfer title %d", id)
	}
	t.Owner = to.String()
	return nil
}

// PayValueClaim pays min(coverage, max(0, insured − sale)) from the insurer
// account and closes the policy.
func (c *fakeCaliber) PayValueClaim(ctx context.Context, id uint64, sale math.Int, to string) (math.Int, error) {
	p, ok := c.policies[id]
	if !ok {
		return math.Int{}, errorsmod.Wrapf(calibertypes.ErrPolicyNotFound, "title %d", id)
	}
	claim := calibertypes.ValueClaim(p.InsuredValue, p.Coverage, sale)
	delete(c.policies, id)
	return claim, c.payClaim(ctx, claim, to)
}
func (c *fakeCaliber) PayCasualtyClaim(ctx context.Context, id uint64, to string) (math.Int, error) {
	p, ok := c.policies[id]
	if !ok {
		return math.Int{}, errorsmod.Wrapf(calibertypes.ErrPolicyNotFound, "title %d", id)
	}
	delete(c.policies, id)
	return p.Coverage, c.payClaim(ctx, p.Coverage, to)
}
func (c *fakeCaliber) payClaim(ctx context.Context, claim math.Int, to string) error {
	if !claim.IsPositive() {
		return nil
	}
	return c.bank.SendCoinsFromAccountToModule(ctx, insurer, to, sdk.NewCoins(sdk.NewCoin("uusdai", claim)))
}
func (c *fakeCaliber) ClassesWithMarketFeed(_ context.Context, feed string) ([]string, error) {
	return c.feeds[feed], nil
}

// fakeVault lends from the "yield" module balance, keeping reserved and the
// committed liquidity (kept in the store, so it follows cache contexts) aside.
type fakeVault struct {
	bank      *fakeBank
	reserved  math.Int
	interest  math.Int // senior interest received
	committed collections.Item[math.Int]
	// writtenOff and recovered are the senior losses and recoveries.
	writtenOff, recovered math.Int
}

func (v *fakeVault) GetCommitted(ctx context.Context) (math.Int, error) {
	c, err := v.committed.Get(ctx)
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	return c, err
}
func (v *fakeVault) CommitFunding(ctx context.Context, amount math.Int) error {
	c, err := v.GetCommitted(ctx)
	if err != nil {
		return err
	}
	return v.committed.Set(ctx, c.Add(amount))
}
func (v *fakeVault) ReleaseFunding(ctx context.Context, amount math.Int) error {
	c, err := v.GetCommitted(ctx)
	if err != nil {
		return err
	}
	if amount.GT(c) {
		return fmt.Errorf("release of %s exceeds the committed %s", amount, c)
	}
	return v.committed.Set(ctx, c.Sub(amount))
}
func (v *fakeVault) Fundable(ctx context.Context) (math.Int, error) {
	c, err := v.GetCommitted(ctx)
	if err != nil {
		return math.Int{}, err
	}
	return math.MaxInt(math.ZeroInt(), v.bank.getDenomAt(ctx, yieldAddr, types.Denom).Sub(v.reserved).Sub(c)), nil
}
func (v *fakeVault) FundSenior(ctx context.Context, to string, amount math.Int, rate math.LegacyDec) (yieldtypes.SeniorPosition, error) {
	// Like x/yield's, it refuses above the fundable liquidity.
	fundable, err := v.Fundable(ctx)
	if err != nil {
		return yieldtypes.SeniorPosition{}, err
	}
	if amount.GT(fundable) {
		return yieldtypes.SeniorPosition{}, errorsmod.Wrapf(yieldtypes.ErrInsufficientLiquidity, "funding of %s exceeds the fundable %s", amount, fundable)
	}
	if err := v.bank.SendCoinsFromModuleToModule(ctx, yieldM, to, sdk.NewCoins(sdk.NewCoin("uusdai", amount))); err != nil {
		return yieldtypes.SeniorPosition{}, err
	}
	return yieldtypes.SeniorPosition{Balance: amount, Rate: rate, Since: sdk.UnwrapSDKContext(ctx).BlockTime(), WriteDown: math.ZeroInt()}, nil
}
func (v *fakeVault) ReceiveSenior(ctx context.Context, from string, pos yieldtypes.SeniorPosition, principal, interest math.Int) (yieldtypes.SeniorPosition, error) {
	if err := v.bank.SendCoinsFromModuleToModule(ctx, from, yieldM, sdk.NewCoins(sdk.NewCoin("uusdai", principal.Add(interest)))); err != nil {
		return yieldtypes.SeniorPosition{}, err
	}
	return v.book(ctx, pos, principal, interest), nil
}

// BookSenior books as ReceiveSenior and asks for everything to the vault (no fee).
func (v *fakeVault) BookSenior(ctx context.Context, _ string, pos yieldtypes.SeniorPosition, principal, interest math.Int) (yieldtypes.SeniorPosition, []banktypes.Output, error) {
	out := banktypes.Output{Address: authtypes.NewModuleAddress(yieldM).String(), Coins: sdk.NewCoins(sdk.NewCoin("uusdai", principal.Add(interest)))}
	return v.book(ctx, pos, principal, interest), []banktypes.Output{out}, nil
}

func (v *fakeVault) book(ctx context.Context, pos yieldtypes.SeniorPosition, principal, interest math.Int) yieldtypes.SeniorPosition {
	v.interest = v.interest.Add(interest)
	pos.Balance = pos.Balance.Sub(principal)
	pos.Since = sdk.UnwrapSDKContext(ctx).BlockTime()
	// As the vault: the write-down never exceeds the balance, and a position
	// repaid in full is closed (no longer impaired).
	if pos.Impaired {
		pos.WriteDown = math.MinInt(pos.WriteDown, pos.Balance)
	}
	if pos.Balance.IsZero() {
		pos = yieldtypes.SeniorPosition{Balance: math.ZeroInt(), Rate: pos.Rate, Since: pos.Since, WriteDown: math.ZeroInt()}
	}
	return pos
}

// Impair, Reinstate, WriteOff and Recover keep the vault's impairment and
// losses as plain totals (what tests assert on).
func (v *fakeVault) Impair(_ context.Context, pos yieldtypes.SeniorPosition, writeDown math.Int) (yieldtypes.SeniorPosition, error) {
	if writeDown.GT(pos.Balance) {
		return yieldtypes.SeniorPosition{}, fmt.Errorf("write-down %s above balance %s", writeDown, pos.Balance)
	}
	pos.Impaired, pos.WriteDown = true, writeDown
	return pos, nil
}
func (v *fakeVault) Reinstate(ctx context.Context, pos yieldtypes.SeniorPosition) (yieldtypes.SeniorPosition, error) {
	if !pos.Impaired {
		return yieldtypes.SeniorPosition{}, fmt.Errorf("not impaired")
	}
	return yieldtypes.SeniorPosition{Balance: pos.Balance, Rate: pos.Rate, Since: sdk.UnwrapSDKContext(ctx).BlockTime(), WriteDown: math.ZeroInt()}, nil
}
func (v *fakeVault) WriteOff(_ context.Context, pos yieldtypes.SeniorPosition) (math.Int, error) {
	v.writtenOff = v.writtenOff.Add(pos.Balance)
	return pos.Balance, nil
}
func (v *fakeVault) Recover(ctx context.Context, from string, amount math.Int) error {
	v.recovered = v.recovered.Add(amount)
	return v.bank.SendCoinsFromModuleToModule(ctx, from, yieldM, sdk.NewCoins(sdk.NewCoin("uusdai", amount)))
}

type fixture struct {
	ctx     sdk.Context
	key     *storetypes.KVStoreKey
	k       *keeper.Keeper
	bank    *fakeBank
	caliber *fakeCaliber
	vault   *fakeVault
	stable  *fakeStable
}

func testProduct() types.Product {
	return types.Product{
		Id: "gpu", AssetClasses: []string{h100},
		MaxLtv: math.LegacyMustNewDecFromStr("0.7"), LiquidationLtv: math.LegacyMustNewDecFromStr("0.85"),
		AprMin: math.LegacyMustNewDecFromStr("0.10"), AprMax: math.LegacyMustNewDecFromStr("0.20"),
		Duration: 12 * month, RepaymentInterval: month, Schedule: types.ScheduleAmortizing,
		GracePeriod: 5 * 24 * time.Hour, GraceApr: math.LegacyMustNewDecFromStr("0.05"),
		OriginationFeeBps: 100, ExitFeeBps: 50, LiquidationFeeBps: 500,
		MinFirstLossBps: 1000, FirstLossPremiumBps: 2000, DebtServiceReservePeriods: 1,
		CurePeriod: 7 * 24 * time.Hour,
		Auction: types.AuctionTerms{
			StartMultiplier: math.LegacyMustNewDecFromStr("1.1"), FloorRatio: math.LegacyMustNewDecFromStr("0.5"),
			Duration: 48 * time.Hour, MaxResets: 2,
		},
		RecoveryHaircut: math.LegacyMustNewDecFromStr("0.3"), MinInsuranceBps: 5000, Enabled: true,
	}
}

func setup(t *testing.T) *fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test")).Ctx.
		WithBlockTime(genesisTime).WithBlockHeight(1)
	enc := moduletestutil.MakeTestEncodingConfig(lending.AppModuleBasic{})
	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(key))
	bank := newFakeBank(sb)
	bank.base = ctx
	stable := &fakeStable{bank: bank}
	cal := &fakeCaliber{
		titles: map[uint64]*calibertypes.Title{}, values: map[uint64]math.Int{}, stale: map[uint64]bool{},
		policies: map[uint64]calibertypes.Policy{}, curators: map[string]bool{curator.String(): true},
		feeds: map[string][]string{}, bank: bank,
	}
	vault := &fakeVault{bank: bank, reserved: math.ZeroInt(), interest: math.ZeroInt(), writtenOff: math.ZeroInt(), recovered: math.ZeroInt(),
		committed: collections.NewItem(sb, collections.NewPrefix(250), "fake_committed", sdk.IntValue)}
	_, err := sb.Build()
	require.NoError(t, err)
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), authority.String(), bank, fakeAccounts{}, cal, vault, stable, log.NewNopLogger())
	require.NoError(t, k.InitGenesis(ctx, types.DefaultGenesis()))
	require.NoError(t, k.CreateProduct(ctx, testProduct()))
	f := &fixture{ctx: ctx, key: key, k: k, bank: bank, caliber: cal, vault: vault, stable: stable}
	bank.set(yieldAddr, usd(1_000_000))
	bank.set(curator, usd(100_000))
	bank.set(payer, usd(100_000))
	bank.set(borrower, usd(1_000))
	bank.set(insurer, usd(1_000_000))
	for id := uint64(1); id <= 4; id++ {
		f.addTitle(id, borrower, h100, custodian, usd(20_000))
	}
	return f
}

// addTitle adds an ACTIVE, valued title insured at 60% of its value for two years.
func (f *fixture) addTitle(id uint64, owner sdk.AccAddress, class string, cust sdk.AccAddress, value math.Int) {
	f.caliber.titles[id] = &calibertypes.Title{Id: id, ClassId: class, Owner: owner.String(), Custodian: cust.String(), Status: calibertypes.StatusActive}
	f.caliber.values[id] = value
	f.caliber.policies[id] = calibertypes.Policy{TitleId: id, InsuredValue: value, Coverage: value.MulRaw(6).QuoRaw(10), ExpiresAt: genesisTime.Add(2 * 365 * 24 * time.Hour)}
}

func (f *fixture) request(t *testing.T, principal math.Int, titles ...uint64) uint64 {
	t.Helper()
	id, err := f.k.RequestLoan(f.ctx, &types.MsgRequestLoan{Borrower: borrower.String(), TitleIds: titles, ProductId: "gpu", Principal: principal})
	require.NoError(t, err)
	return id
}

// lienOf is a title's lien, as x/caliber passes it to the hooks (0 for a
// title that does not exist).
func (f *fixture) lienOf(id uint64) uint64 {
	if t, ok := f.caliber.titles[id]; ok {
		return t.LoanId
	}
	return 0
}

// reportCasualty does what x/caliber's ReportCasualty does to a title (the
// status becomes CASUALTY, the lien is cleared), then calls the hook with the
// lien the title held.
func (f *fixture) reportCasualty(t *testing.T, id uint64) {
	t.Helper()
	tt := f.caliber.titles[id]
	lien := tt.LoanId
	tt.Status, tt.LoanId = calibertypes.StatusCasualty, 0
	require.NoError(t, f.k.Hooks().AfterCasualty(f.ctx, id, lien))
}

func (f *fixture) loan(t *testing.T, id uint64) types.Loan {
	t.Helper()
	l, err := f.k.GetLoan(f.ctx, id)
	require.NoError(t, err)
	return l
}

// snapshot captures everything a failed operation must leave unchanged,
// the vault's committed liquidity included.
func (f *fixture) snapshot(t *testing.T) string {
	t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	s := gs.String()
	for id := uint64(1); id <= 10; id++ {
		if tt, ok := f.caliber.titles[id]; ok {
			s += fmt.Sprintf("|%d:%s:%d", id, tt.Status, tt.LoanId)
		}
	}
	for _, a := range []sdk.AccAddress{borrower, other, curator, payer, lendingAddr, yieldAddr, feesAddr, insurer, bidder} {
		s += "|" + f.bank.get(a).String()
	}
	committed, err := f.vault.GetCommitted(f.ctx)
	require.NoError(t, err)
	s += "|committed:" + committed.String()
	return s
}

func (f *fixture) checkInvariants(t *testing.T) {
	t.Helper()
	for name, inv := range keeper.Invariants(f.k) {
		msg, broken := inv(f.ctx)
		require.False(t, broken, "%s: %s", name, msg)
	}
}
