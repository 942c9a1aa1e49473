package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/x/stable/types"
)

// vaultWithUSDai mints 100 USDai against uusdc for alice (0.1 USDai fee) and
// moves 60 USDai into the vault module account.
func vaultWithUSDai(t *testing.T) *fixture {
	t.Helper()
	f := setup(t)
	f.mustMint(alice, coin(usdc, 100_000_000))
	require.NoError(t, f.bank.SendCoinsFromAccountToModule(f.ctx, alice, vault, sdk.NewCoins(coin(usdai, 60_000_000))))
	return f
}

func (f *fixture) proof() *types.QueryProofOfReservesResponse {
	f.t.Helper()
	res, err := f.query.ProofOfReserves(f.ctx, &types.QueryProofOfReservesRequest{})
	require.NoError(f.t, err)
	return res
}

func TestAllocateAndSettleRoundTrip(t *testing.T) {
	f := vaultWithUSDai(t)

	em := f.freshEvents()
	require.NoError(t, f.k.AllocateToTreasury(f.ctx, vault, custodian, usdc, math.NewInt(40_000_000)))
	f.requireInvariants()
	require.Equal(t, math.NewInt(20_000_000), f.moduleBalance(vault, usdai))
	require.Equal(t, startBalance.AddRaw(40_000_000), f.balance(custodian, usdc))
	require.Equal(t, math.NewInt(60_000_000), f.moduleBalance(types.ModuleName, usdc))
	require.Equal(t, math.NewInt(60_000_000), f.supply(usdai))
	out, err := f.k.Outstanding(f.ctx, usdc)
	require.NoError(t, err)
	require.Equal(t, math.NewInt(40_000_000), out)
	alloc := typedEvent[types.EventAllocateToTreasury](t, em, "infrafi.stable.v1.EventAllocateToTreasury")
	require.Equal(t, types.EventAllocateToTreasury{FromModule: vault, Custodian: custodian.String(), Amount: coin(usdc, 40_000_000), Outstanding: math.NewInt(40_000_000)}, *alloc)

	// Proof of reserves: 60 on chain back 60 supply; 40 more at the custodian.
	p := f.proof()
	require.Equal(t, "60000000", p.UsdaiSupply.String())
	require.Equal(t, "60000000", p.ReservesHeld.String())
	require.Equal(t, "40000000", p.TreasuryOutstanding.String())
	require.Equal(t, "100000000", p.TotalReserves.String())
	require.Equal(t, math.LegacyOneDec(), p.Ratio)
	require.Equal(t, math.LegacyMustNewDecFromStr("1.666666666666666666"), p.TotalRatio, "rounded down")
	require.Equal(t, types.ReserveBalance{Denom: usdc, Held: math.NewInt(60_000_000), TreasuryOutstanding: math.NewInt(40_000_000)}, p.Reserves[0])

	// A second allocation adds to the outstanding.
	require.NoError(t, f.k.AllocateToTreasury(f.ctx, vault, custodian, usdc, math.NewInt(5_000_000)))
	f.requireInvariants()

	// Settle part of the principal with yield, then the rest without.
	em = f.freshEvents()
	require.NoError(t, f.k.SettleFromTreasury(f.ctx, custodian, vault, usdc, math.NewInt(30_000_000), math.NewInt(500_000)))
	f.requireInvariants()
	require.Equal(t, math.NewInt(15_000_000+30_500_000), f.moduleBalance(vault, usdai))
	require.Equal(t, startBalance.AddRaw(45_000_000-30_500_000), f.balance(custodian, usdc))
	require.Equal(t, math.NewInt(55_000_000+30_500_000), f.supply(usdai))
	settle := typedEvent[types.EventSettleFromTreasury](t, em, "infrafi.stable.v1.EventSettleFromTreasury")
	require.Equal(t, types.EventSettleFromTreasury{
		Custodian: custodian.String(), ToModule: vault, Denom: usdc, Principal: math.NewInt(30_000_000),
		Yield: math.NewInt(500_000), Minted: coin(usdai, 30_500_000), Outstanding: math.NewInt(15_000_000),
	}, *settle)

	require.NoError(t, f.k.SettleFromTreasury(f.ctx, custodian, vault, usdc, math.NewInt(15_000_000), math.ZeroInt()))
	f.requireInvariants()
	has, err := f.k.TreasuryOutstanding.Has(f.ctx, usdc)
	require.NoError(t, err)
	require.False(t, has, "a settled denom leaves no zero entry")
	// Round trip: the vault got its 60 USDai back plus 0.5 of yield.
	require.Equal(t, math.NewInt(60_500_000), f.moduleBalance(vault, usdai))
	require.Equal(t, math.NewInt(100_500_000), f.supply(usdai))
	require.Equal(t, math.NewInt(100_500_000), f.moduleBalance(types.ModuleName, usdc))

	// Yield alone (principal already settled) is accepted.
	require.NoError(t, f.k.SettleFromTreasury(f.ctx, custodian, vault, usdc, math.ZeroInt(), math.NewInt(1)))
	f.requireInvariants()
}

func TestSettlementIgnoresPauseCapsAndDepeg(t *testing.T) {
	f := vaultWithUSDai(t)
	require.NoError(t, f.k.AllocateToTreasury(f.ctx, vault, custodian, usdc, math.NewInt(40_000_000)))
	f.setParams(func(p *types.Params) {
		p.Paused = true
		p.Reserves[0].Enabled = false
		p.Reserves[0].Cap = math.ZeroInt()
		p.SupplyCap = math.ZeroInt()
	})
	f.setPrice(fxUSDC, "0.5", true)
	require.NoError(t, f.k.SettleFromTreasury(f.ctx, custodian, vault, usdc, math.NewInt(40_000_000), math.NewInt(1_000_000)))
	f.requireInvariants()
	require.Equal(t, math.NewInt(61_000_000), f.moduleBalance(vault, usdai))
}

func TestAllocateRefusals(t *testing.T) {
	moduleAddr := authtypes.NewModuleAddress(types.ProtocolFeeCollector)
	tests := []struct {
		name      string
		prepare   func(f *fixture)
		from      string
		custodian sdk.AccAddress
		denom     string
		amount    math.Int
		want      error
	}{
		{name: "zero", amount: math.ZeroInt(), want: types.ErrInvalidAmount},
		{name: "negative", amount: math.NewInt(-1), want: types.ErrInvalidAmount},
		{name: "nil amount", amount: math.Int{}, want: types.ErrInvalidAmount},
		{name: "unknown module", from: "nosuchmodule", amount: math.NewInt(1), want: types.ErrUnknownModule},
		{name: "from x/stable itself", from: types.ModuleName, amount: math.NewInt(1), want: types.ErrUnknownModule},
		{name: "empty custodian", custodian: sdk.AccAddress{}, amount: math.NewInt(1), want: sdkerrors.ErrInvalidAddress},
		{name: "unknown reserve", denom: "ufoo", amount: math.NewInt(1), want: types.ErrUnknownReserve},
		{name: "more than held", denom: pyusd, amount: math.NewInt(1), want: types.ErrInsufficientReserve},
		{name: "vault lacks the USDai", amount: math.NewInt(60_000_001), want: sdkerrors.ErrInsufficientFunds},
		{
			name:    "paused",
			prepare: func(f *fixture) { f.setParams(func(p *types.Params) { p.Paused = true }) },
			amount:  math.NewInt(1), want: types.ErrPaused,
		},
		// The bank refuses the last step (a blocked recipient) after the
		// burn: nothing of the earlier steps may remain.
		{name: "custodian is a blocked module account", custodian: moduleAddr, amount: math.NewInt(1_000_000), want: sdkerrors.ErrUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := vaultWithUSDai(t)
			if tc.prepare != nil {
				tc.prepare(f)
			}
			from, cust, denom := tc.from, tc.custodian, tc.denom
			if from == "" {
				from = vault
			}
			if cust == nil {
				cust = custodian
			}
			if denom == "" {
				denom = usdc
			}
			before := f.snapshot()
			em := f.freshEvents()
			require.ErrorIs(t, f.k.AllocateToTreasury(f.ctx, from, cust, denom, tc.amount), tc.want)
			f.requireUnchanged(before)
			require.Empty(t, em.Events())
			f.requireInvariants()
		})
	}
}

func TestSettleRefusals(t *testing.T) {
	poor := sdk.AccAddress([]byte("poor_custodian______"))
	tests := []struct {
		name             string
		custodian        sdk.AccAddress
		to, denom        string
		principal, yield math.Int
		want             error
	}{
		{name: "nothing", principal: math.ZeroInt(), yield: math.ZeroInt(), want: types.ErrInvalidAmount},
		{name: "negative yield", principal: math.NewInt(10), yield: math.NewInt(-1), want: types.ErrInvalidAmount},
		{name: "negative principal", principal: math.NewInt(-10), yield: math.NewInt(20), want: types.ErrInvalidAmount},
		{name: "nil yield", principal: math.NewInt(10), yield: math.Int{}, want: types.ErrInvalidAmount},
		{name: "principal above outstanding", principal: math.NewInt(40_000_001), yield: math.ZeroInt(), want: types.ErrTreasuryOutstanding},
		{name: "principal in a denom never allocated", denom: pyusd, principal: math.NewInt(1), yield: math.ZeroInt(), want: types.ErrTreasuryOutstanding},
		{name: "unknown reserve", denom: "ufoo", principal: math.NewInt(1), yield: math.ZeroInt(), want: types.ErrUnknownReserve},
		{name: "unknown module", to: "nosuchmodule", principal: math.NewInt(1), yield: math.ZeroInt(), want: types.ErrUnknownModule},
		{name: "empty custodian", custodian: sdk.AccAddress{}, principal: math.NewInt(1), yield: math.ZeroInt(), want: sdkerrors.ErrInvalidAddress},
		{name: "custodian lacks the coins", custodian: poor, principal: math.NewInt(1), yield: math.ZeroInt(), want: sdkerrors.ErrInsufficientFunds},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := vaultWithUSDai(t)
			require.NoError(t, f.k.AllocateToTreasury(f.ctx, vault, custodian, usdc, math.NewInt(40_000_000)))
			cust, to, denom := tc.custodian, tc.to, tc.denom
			if cust == nil {
				cust = custodian
			}
			if to == "" {
				to = vault
			}
			if denom == "" {
				denom = usdc
			}
			before := f.snapshot()
			em := f.freshEvents()
			require.ErrorIs(t, f.k.SettleFromTreasury(f.ctx, cust, to, denom, tc.principal, tc.yield), tc.want)
			f.requireUnchanged(before)
			require.Empty(t, em.Events())
			f.requireInvariants()
		})
	}
}
