package keeper_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	"github.com/infrafi/infrafi/x/stable/types"
)

func TestMintExactBalances(t *testing.T) {
	f := setup(t)
	em := f.freshEvents()

	// 100 USDC at 10 bps: fee 0.1 USDai, alice gets 99.9 USDai.
	res := f.mustMint(alice, coin(usdc, 100_000_000))
	require.Equal(t, coin(usdai, 99_900_000), res.Received)
	require.Equal(t, coin(usdai, 100_000), res.Fee)

	require.Equal(t, startBalance.SubRaw(100_000_000), f.balance(alice, usdc))
	require.Equal(t, math.NewInt(99_900_000), f.balance(alice, usdai))
	require.Equal(t, math.NewInt(100_000), f.moduleBalance(types.ProtocolFeeCollector, usdai))
	require.Equal(t, math.NewInt(100_000_000), f.moduleBalance(types.ModuleName, usdc))
	require.True(t, f.moduleBalance(types.ModuleName, usdai).IsZero(), "the module keeps no USDai")
	require.Equal(t, math.NewInt(100_000_000), f.supply(usdai))

	ev := typedEvent[types.EventMint](t, em, "infrafi.stable.v1.EventMint")
	require.Equal(t, types.EventMint{Sender: alice.String(), Deposited: coin(usdc, 100_000_000), Received: res.Received, Fee: res.Fee}, *ev)

	// A fee-free reserve: everything goes to the sender.
	res = f.mustMint(bob, coin(pyusd, 7))
	require.Equal(t, coin(usdai, 7), res.Received)
	require.Equal(t, coin(usdai, 0), res.Fee)
	require.Equal(t, math.NewInt(7), f.balance(bob, usdai))
	require.Equal(t, math.NewInt(100_000_007), f.supply(usdai))
}

func TestMintFeeRoundsUpForTheProtocol(t *testing.T) {
	f := setup(t)
	// 1,000,001 × 10 / 10000 = 1000.001 -> 1001.
	res := f.mustMint(alice, coin(usdc, 1_000_001))
	require.Equal(t, coin(usdai, 999_000), res.Received)
	require.Equal(t, coin(usdai, 1_001), res.Fee)
	// The smallest mint that leaves the sender anything: 2 units, fee 1.
	res = f.mustMint(alice, coin(usdc, 2))
	require.Equal(t, coin(usdai, 1), res.Received)
	require.Equal(t, coin(usdai, 1), res.Fee)
	require.Equal(t, math.NewInt(1_002), f.moduleBalance(types.ProtocolFeeCollector, usdai))
}

func TestRedeemExactBalances(t *testing.T) {
	f := setup(t)
	f.mustMint(alice, coin(usdc, 100_000_000))
	em := f.freshEvents()

	// 50 USDai at 20 bps: 0.1 USDai fee, 49.9 burned and paid out in USDC.
	res, err := f.redeem(alice, 50_000_000, usdc)
	require.NoError(t, err)
	f.requireInvariants()
	require.Equal(t, coin(usdc, 49_900_000), res.Paid)
	require.Equal(t, coin(usdai, 100_000), res.Fee)

	require.Equal(t, math.NewInt(49_900_000), f.balance(alice, usdai))
	require.Equal(t, startBalance.SubRaw(100_000_000).AddRaw(49_900_000), f.balance(alice, usdc))
	require.Equal(t, math.NewInt(200_000), f.moduleBalance(types.ProtocolFeeCollector, usdai), "mint fee + redeem fee")
	require.Equal(t, math.NewInt(50_100_000), f.moduleBalance(types.ModuleName, usdc))
	require.Equal(t, math.NewInt(50_100_000), f.supply(usdai))

	ev := typedEvent[types.EventRedeem](t, em, "infrafi.stable.v1.EventRedeem")
	require.Equal(t, types.EventRedeem{Sender: alice.String(), Amount: coin(usdai, 50_000_000), Fee: res.Fee, Paid: res.Paid}, *ev)

	// Redeeming all the rest into the other listed reserve is refused (none held),
	// then works into uusdc: the reserve coins leave exactly as USDai is burned.
	_, err = f.redeem(alice, 49_900_000, pyusd)
	require.ErrorIs(t, err, types.ErrInsufficientReserve)
	_, err = f.redeem(alice, 49_900_000, usdc)
	require.NoError(t, err)
	f.requireInvariants()
	require.True(t, f.balance(alice, usdai).IsZero())
}

func TestRedeemFromADisabledReserveDrainsIt(t *testing.T) {
	f := setup(t)
	f.mustMint(alice, coin(usdc, 10_000_000))
	f.setParams(func(p *types.Params) { p.Reserves[0].Enabled = false })

	_, err := f.mint(alice, coin(usdc, 1_000_000))
	require.ErrorIs(t, err, types.ErrReserveDisabled)
	res, err := f.redeem(alice, 5_000_000, usdc)
	require.NoError(t, err)
	require.Equal(t, coin(usdc, 4_990_000), res.Paid)
	f.requireInvariants()
}

func TestMintRefusals(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(f *fixture)
		sender  sdk.AccAddress
		amount  sdk.Coin
		want    error
	}{
		{name: "zero amount", amount: coin(usdc, 0), want: types.ErrInvalidAmount},
		{name: "negative amount", amount: sdk.Coin{Denom: usdc, Amount: math.NewInt(-5)}, want: types.ErrInvalidAmount},
		{name: "nil amount", amount: sdk.Coin{Denom: usdc}, want: types.ErrInvalidAmount},
		{name: "invalid denom", amount: sdk.Coin{Denom: "1bad", Amount: math.NewInt(5)}, want: types.ErrInvalidAmount},
		{name: "USDai as reserve", amount: coin(usdai, 5), want: types.ErrInvalidReserve},
		{name: "sUSDai as reserve", amount: coin(types.SUSDaiDenom, 5), want: types.ErrInvalidReserve},
		{name: "unknown reserve", amount: coin("ufoo", 5), want: types.ErrUnknownReserve},
		{name: "disabled reserve", amount: coin(dai, 5), want: types.ErrReserveDisabled},
		{
			name:    "paused",
			prepare: func(f *fixture) { f.setParams(func(p *types.Params) { p.Paused = true }) },
			amount:  coin(usdc, 5), want: types.ErrPaused,
		},
		{
			name:    "permissioned, sender not allowlisted",
			prepare: func(f *fixture) { f.setParams(func(p *types.Params) { p.Permissioned = true }) },
			amount:  coin(usdc, 5), want: types.ErrNotAllowlisted,
		},
		{
			name:    "reserve cap: one unit over",
			prepare: func(f *fixture) { f.mustMint(bob, coin(usdc, 600_000_000)) },
			amount:  coin(usdc, 400_000_001), want: types.ErrReserveCapExceeded,
		},
		{
			name:    "reserve cap of zero allows no mint",
			prepare: func(f *fixture) { f.setParams(func(p *types.Params) { p.Reserves[1].Cap = math.ZeroInt() }) },
			amount:  coin(pyusd, 1), want: types.ErrReserveCapExceeded,
		},
		{
			name: "supply cap: one unit over, across reserves",
			prepare: func(f *fixture) {
				f.mustMint(bob, coin(usdc, 1_000_000_000))
			},
			amount: coin(pyusd, 200_000_001), want: types.ErrSupplyCapExceeded,
		},
		{
			name:    "depegged: valid price below the threshold",
			prepare: func(f *fixture) { f.setPrice(fxUSDC, "0.95", true) },
			amount:  coin(usdc, 5), want: types.ErrDepegged,
		},
		{
			name:   "fee takes everything",
			amount: coin(usdc, 1), want: types.ErrInvalidAmount,
		},
		{name: "sender lacks the coins", sender: sdk.AccAddress([]byte("carol_______________")), amount: coin(usdc, 5_000_000), want: sdkerrors.ErrInsufficientFunds},
		{
			name:    "oracle failure other than a missing price",
			prepare: func(f *fixture) { f.oracle.err = errors.New("store corrupted") },
			amount:  coin(usdc, 5), want: nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			if tc.prepare != nil {
				tc.prepare(f)
			}
			sender := tc.sender
			if sender == nil {
				sender = alice
			}
			before := f.snapshot()
			em := f.freshEvents()
			_, err := f.mint(sender, tc.amount)
			require.Error(t, err)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
			}
			f.requireUnchanged(before)
			require.Empty(t, em.Events(), "a refused mint emits nothing")
			f.requireInvariants()
		})
	}
}

func TestMintAtTheCapsExactly(t *testing.T) {
	f := setup(t)
	f.mustMint(bob, coin(usdc, 1_000_000_000)) // uusdc cap reached exactly
	st, err := f.query.Reserve(f.ctx, &types.QueryReserveRequest{Denom: usdc})
	require.NoError(t, err)
	require.True(t, st.Reserve.CapRemaining.IsZero())
	require.False(t, st.Reserve.Mintable)
	f.mustMint(bob, coin(pyusd, 200_000_000)) // supply cap reached exactly
	require.Equal(t, math.NewInt(1_200_000_000), f.supply(usdai))
}

func TestDepegGuard(t *testing.T) {
	tests := []struct {
		name    string
		price   string
		valid   bool
		noPrice bool
		err     error
		blocked bool
	}{
		{name: "valid below threshold", price: "0.95", valid: true, blocked: true},
		{name: "valid one tick below threshold", price: "0.979999999999999999", valid: true, blocked: true},
		{name: "valid at threshold", price: "0.98", valid: true},
		{name: "valid above peg", price: "1.01", valid: true},
		{name: "invalid (stale) below threshold", price: "0.5", valid: false},
		{name: "no price yet", noPrice: true},
		{name: "feed removed from the oracle", err: errorsmod.Wrap(oracletypes.ErrFeedNotFound, fxUSDC)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			if !tc.noPrice && tc.err == nil {
				f.setPrice(fxUSDC, tc.price, tc.valid)
			}
			f.oracle.err = tc.err
			_, err := f.mint(alice, coin(usdc, 1_000_000))
			if tc.blocked {
				require.ErrorIs(t, err, types.ErrDepegged)
				require.Contains(t, err.Error(), "below the depeg threshold 0.98")
			} else {
				require.NoError(t, err)
			}
			f.requireInvariants()

			// The guard is on minting only: redeeming into the reserve stays open.
			f.oracle.err = nil
			f.fund(bob, coin(usdc, 2_000_000))
			f.setPrice(fxUSDC, "1", true)
			f.mustMint(bob, coin(usdc, 2_000_000))
			f.setPrice(fxUSDC, "0.5", true)
			_, err = f.redeem(bob, 1_000_000, usdc)
			require.NoError(t, err)
			f.requireInvariants()
		})
	}

	// A reserve without a feed is never depegged.
	f := setup(t)
	f.setPrice(fxUSDC, "0.1", true)
	f.mustMint(alice, coin(pyusd, 1_000_000))
}

func TestRedeemRefusals(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(f *fixture)
		amount  sdk.Coin
		reserve string
		want    error
	}{
		{name: "zero amount", amount: coin(usdai, 0), reserve: usdc, want: types.ErrInvalidAmount},
		{name: "negative amount", amount: sdk.Coin{Denom: usdai, Amount: math.NewInt(-1)}, reserve: usdc, want: types.ErrInvalidAmount},
		{name: "amount not in USDai", amount: coin(usdc, 5), reserve: usdc, want: types.ErrInvalidAmount},
		{name: "USDai as reserve", amount: coin(usdai, 5), reserve: usdai, want: types.ErrInvalidReserve},
		{name: "sUSDai as reserve", amount: coin(usdai, 5), reserve: types.SUSDaiDenom, want: types.ErrInvalidReserve},
		{name: "unknown reserve", amount: coin(usdai, 5), reserve: "ufoo", want: types.ErrUnknownReserve},
		{name: "more than the reserve holds", amount: coin(usdai, 10_000_000), reserve: pyusd, want: types.ErrInsufficientReserve},
		{
			name:    "paused",
			prepare: func(f *fixture) { f.setParams(func(p *types.Params) { p.Paused = true }) },
			amount:  coin(usdai, 5_000_000), reserve: usdc, want: types.ErrPaused,
		},
		{
			name:    "permissioned, sender not allowlisted",
			prepare: func(f *fixture) { f.setParams(func(p *types.Params) { p.Permissioned = true }) },
			amount:  coin(usdai, 5_000_000), reserve: usdc, want: types.ErrNotAllowlisted,
		},
		{name: "fee takes everything", amount: coin(usdai, 1), reserve: usdc, want: types.ErrInvalidAmount},
		{name: "sender lacks the USDai", amount: coin(usdai, 9_000_000), reserve: usdc, want: sdkerrors.ErrInsufficientFunds},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			// alice holds 7.992 USDai; the module 10 USDC and 2 PYUSD.
			f.mustMint(alice, coin(usdc, 8_000_000))
			f.mustMint(bob, coin(usdc, 2_000_000))
			f.mustMint(bob, coin(pyusd, 2_000_000))
			if tc.prepare != nil {
				tc.prepare(f)
			}
			before := f.snapshot()
			em := f.freshEvents()
			_, err := f.msgs.Redeem(f.ctx, &types.MsgRedeem{Sender: alice.String(), Amount: tc.amount, ReserveDenom: tc.reserve})
			require.ErrorIs(t, err, tc.want)
			f.requireUnchanged(before)
			require.Empty(t, em.Events())
			f.requireInvariants()
		})
	}
}

func TestPermissionedMode(t *testing.T) {
	f := setup(t)
	f.mustMint(bob, coin(usdc, 10_000_000))
	_, _, err := f.k.UpdateAllowlist(f.ctx, []sdk.AccAddress{alice}, nil)
	require.NoError(t, err)
	f.setParams(func(p *types.Params) { p.Permissioned = true })

	f.mustMint(alice, coin(usdc, 1_000_000))
	_, err = f.mint(bob, coin(usdc, 1_000_000))
	require.ErrorIs(t, err, types.ErrNotAllowlisted)
	_, err = f.redeem(bob, 1_000_000, usdc)
	require.ErrorIs(t, err, types.ErrNotAllowlisted)

	// Transfers stay free: bob can still pay alice, who may redeem.
	require.NoError(t, f.bank.SendCoins(f.ctx, bob, alice, sdk.NewCoins(coin(usdai, 1_000_000))))
	_, err = f.redeem(alice, 1_500_000, usdc)
	require.NoError(t, err)
	f.requireInvariants()

	// Back to open mode: bob may mint again.
	f.setParams(func(p *types.Params) { p.Permissioned = false })
	f.mustMint(bob, coin(usdc, 1_000_000))
}

func TestBadSenderAddress(t *testing.T) {
	f := setup(t)
	_, err := f.msgs.Mint(f.ctx, &types.MsgMint{Sender: "infra1bad", Amount: coin(usdc, 5)})
	require.ErrorIs(t, err, sdkerrors.ErrInvalidAddress)
	_, err = f.msgs.Redeem(f.ctx, &types.MsgRedeem{Sender: "", Amount: coin(usdai, 5), ReserveDenom: usdc})
	require.ErrorIs(t, err, sdkerrors.ErrInvalidAddress)
}
