package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/x/stable/types"
)

func TestGenesisRoundTrip(t *testing.T) {
	f := newFixture(t)
	gs := types.NewGenesisState(testParams(), []string{bob.String(), alice.String()},
		[]types.TreasuryOutstanding{{Denom: usdc, Amount: math.NewInt(123)}, {Denom: pyusd, Amount: math.NewInt(7)}})
	require.NoError(t, f.k.InitGenesis(f.ctx, gs))

	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Equal(t, gs.Params, exported.Params)
	require.ElementsMatch(t, gs.Allowlist, exported.Allowlist)
	// Export is in key order: denoms sorted.
	require.Equal(t, []types.TreasuryOutstanding{{Denom: pyusd, Amount: math.NewInt(7)}, {Denom: usdc, Amount: math.NewInt(123)}}, exported.TreasuryOutstanding)
	require.NoError(t, exported.Validate())

	// Importing the export into a fresh store gives the same export.
	g := newFixture(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, exported))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, exported, again)

	// The default genesis round-trips too, with empty lists.
	h := newFixture(t)
	require.NoError(t, h.k.InitGenesis(h.ctx, types.DefaultGenesis()))
	def, err := h.k.ExportGenesis(h.ctx)
	require.NoError(t, err)
	defaults := types.DefaultParams()
	require.True(t, defaults.Equal(def.Params), "%v", def.Params)
	require.Empty(t, def.Allowlist)
	require.Empty(t, def.TreasuryOutstanding)
}

func TestInitGenesisRefusesUnbackedUSDai(t *testing.T) {
	f := newFixture(t)
	f.fund(alice, coin(usdai, 1)) // USDai minted outside x/stable
	err := f.k.InitGenesis(f.ctx, types.NewGenesisState(testParams(), nil, nil))
	require.ErrorIs(t, err, types.ErrUnbackedSupply)

	// Backed by reserves the module holds, the same supply is accepted.
	g := newFixture(t)
	g.fund(alice, coin(usdai, 1))
	require.NoError(t, g.bank.SendCoinsFromAccountToModule(g.ctx, bob, types.ModuleName, sdk.NewCoins(coin(usdc, 1))))
	require.NoError(t, g.k.InitGenesis(g.ctx, types.NewGenesisState(testParams(), nil, nil)))
	g.requireInvariants()
}

func TestGenesisValidate(t *testing.T) {
	valid := func() *types.GenesisState {
		return types.NewGenesisState(testParams(), []string{alice.String()}, []types.TreasuryOutstanding{{Denom: usdc, Amount: math.NewInt(1)}})
	}
	require.NoError(t, valid().Validate())
	require.NoError(t, types.DefaultGenesis().Validate())

	tests := []struct {
		name   string
		mutate func(gs *types.GenesisState)
		want   error
	}{
		{name: "bad params", mutate: func(gs *types.GenesisState) { gs.Params.SupplyCap = math.NewInt(-1) }, want: types.ErrInvalidParams},
		{name: "bad allowlisted address", mutate: func(gs *types.GenesisState) { gs.Allowlist = []string{"nope"} }},
		{name: "duplicate allowlisted address", mutate: func(gs *types.GenesisState) { gs.Allowlist = []string{alice.String(), alice.String()} }, want: types.ErrInvalidGenesis},
		{name: "outstanding of a non-reserve", mutate: func(gs *types.GenesisState) { gs.TreasuryOutstanding[0].Denom = "ufoo" }, want: types.ErrInvalidGenesis},
		{name: "duplicate outstanding", mutate: func(gs *types.GenesisState) {
			gs.TreasuryOutstanding = append(gs.TreasuryOutstanding, gs.TreasuryOutstanding[0])
		}, want: types.ErrInvalidGenesis},
		{name: "zero outstanding", mutate: func(gs *types.GenesisState) { gs.TreasuryOutstanding[0].Amount = math.ZeroInt() }, want: types.ErrInvalidGenesis},
		{name: "nil outstanding", mutate: func(gs *types.GenesisState) { gs.TreasuryOutstanding[0].Amount = math.Int{} }, want: types.ErrInvalidGenesis},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gs := valid()
			tc.mutate(gs)
			err := gs.Validate()
			require.Error(t, err)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
			}
			f := newFixture(t)
			require.Error(t, f.k.InitGenesis(f.ctx, gs), "InitGenesis validates too")
		})
	}
}

// Genesis creates the module accounts of stable and protocol_fees, which
// x/yield and x/lending pay by address in multi-output transfers: x/bank
// would otherwise give protocol_fees a plain account on the first such
// transfer, and refuse every module transfer to it after that.
func TestInitGenesisCreatesModuleAccounts(t *testing.T) {
	f := newFixture(t)
	fees := f.ak.GetModuleAddress(types.ProtocolFeeCollector)
	require.False(t, f.ak.HasAccount(f.ctx, fees), "no fee has been paid yet")
	require.NoError(t, f.k.InitGenesis(f.ctx, types.DefaultGenesis()))
	for _, name := range []string{types.ModuleName, types.ProtocolFeeCollector} {
		_, ok := f.ak.GetAccount(f.ctx, f.ak.GetModuleAddress(name)).(sdk.ModuleAccountI)
		require.True(t, ok, "%s is a module account", name)
	}

	// A multi-output transfer pays the collector by address; module
	// transfers to it keep working afterwards.
	fee := sdk.NewCoins(sdk.NewCoin(usdc, math.NewInt(5)))
	in := banktypes.Input{Address: alice.String(), Coins: fee}
	require.NoError(t, f.bank.InputOutputCoins(f.ctx, in, []banktypes.Output{{Address: fees.String(), Coins: fee}}))
	require.NoError(t, f.bank.SendCoinsFromAccountToModule(f.ctx, alice, types.ModuleName, fee))
	require.NoError(t, f.bank.SendCoinsFromModuleToModule(f.ctx, types.ModuleName, types.ProtocolFeeCollector, fee))
	require.Equal(t, math.NewInt(10), f.bank.GetBalance(f.ctx, fees, usdc).Amount)
}

// A chain that started before genesis created protocol_fees gets a plain
// account there from its first multi-output fee payment, and x/auth then
// refuses the address every module operation (GetModuleAccount panics on it,
// so x/bank's module transfers do, and so did this module's InitGenesis on a
// genesis exported with it). The 1->2 migration, and InitGenesis, replace it
// with the module account; the coins stay; a second run changes nothing.
func TestPlainFeeCollectorAccountReplaced(t *testing.T) {
	for _, tc := range []struct {
		name string
		fix  func(f *fixture) error
	}{
		{"migration 1->2", func(f *fixture) error { return f.k.MigrateModuleAccounts(f.ctx) }},
		{"InitGenesis", func(f *fixture) error { return f.k.InitGenesis(f.ctx, types.DefaultGenesis()) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			fees := f.ak.GetModuleAddress(types.ProtocolFeeCollector)
			fee := sdk.NewCoins(sdk.NewCoin(usdc, math.NewInt(5)))
			in := banktypes.Input{Address: alice.String(), Coins: fee}
			require.NoError(t, f.bank.InputOutputCoins(f.ctx, in, []banktypes.Output{{Address: fees.String(), Coins: fee}}))
			_, plain := f.ak.GetAccount(f.ctx, fees).(*authtypes.BaseAccount)
			require.True(t, plain, "x/bank left a plain account at the collector's address")
			require.Panics(t, func() {
				_ = f.bank.SendCoinsFromAccountToModule(f.ctx, alice, types.ProtocolFeeCollector, fee)
			}, "x/auth refuses a plain account at a module address")

			require.NoError(t, tc.fix(f))
			for _, name := range []string{types.ModuleName, types.ProtocolFeeCollector} {
				macc, ok := f.ak.GetAccount(f.ctx, f.ak.GetModuleAddress(name)).(sdk.ModuleAccountI)
				require.True(t, ok, "%s is a module account", name)
				require.Equal(t, name, macc.GetName())
			}
			number := f.ak.GetAccount(f.ctx, fees).GetAccountNumber()
			require.Equal(t, math.NewInt(5), f.balance(fees, usdc), "the coins stay")
			require.NoError(t, f.bank.SendCoinsFromAccountToModule(f.ctx, alice, types.ProtocolFeeCollector, fee))
			require.Equal(t, math.NewInt(10), f.balance(fees, usdc))

			require.NoError(t, f.k.MigrateModuleAccounts(f.ctx))
			require.Equal(t, number, f.ak.GetAccount(f.ctx, fees).GetAccountNumber(), "a module account is left as it is")
		})
	}
}

// An account at a module address that has signed is not one a transfer
// leaves: InitGenesis refuses it and leaves it in place.
func TestInitGenesisRefusesSignedAccountAtModuleAddress(t *testing.T) {
	f := newFixture(t)
	fees := f.ak.GetModuleAddress(types.ProtocolFeeCollector)
	acc := f.ak.NewAccountWithAddress(f.ctx, fees)
	require.NoError(t, acc.SetSequence(3))
	f.ak.SetAccount(f.ctx, acc)
	require.ErrorIs(t, f.k.InitGenesis(f.ctx, types.DefaultGenesis()), sdkerrors.ErrInvalidAddress)
	require.Equal(t, uint64(3), f.ak.GetAccount(f.ctx, fees).GetSequence())
}
