package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/yield/types"
)

func TestDepositSharePrice(t *testing.T) {
	f := setup(t)
	type step struct {
		who        sdk.AccAddress
		deposit    math.Int
		yield      math.Int // settled by the custodian instead of a deposit
		wantShares string
		wantNAV    math.Int
		wantPrice  string
	}
	for i, s := range []step{
		{who: alice, deposit: usd(1_000), wantShares: "1000000000", wantNAV: usd(1_000), wantPrice: "1.000000000000000000"},
		{who: bob, deposit: usd(500), wantShares: "500000000", wantNAV: usd(1_500), wantPrice: "1.000000000000000000"},
		// 30 USDai of yield, 1% admin fee: +29.7 USDai for the holders, shared
		// with the virtual 1 USDai: (1,529.7 + 1) / (1,500 + 1).
		{yield: usd(30), wantNAV: math.NewInt(1_529_700_000), wantPrice: "1.019786808794137241"},
		// carol pays the new price: fewer shares for the same USDai (rounded
		// down, so the price rises by a hair, in the vault's favour).
		{who: carol, deposit: usd(1_000), wantShares: "980597112", wantNAV: math.NewInt(2_529_700_000), wantPrice: "1.019786808971753832"},
	} {
		if s.yield.IsNil() {
			shares := f.deposit(s.who, s.deposit)
			require.Equal(t, s.wantShares, shares.String(), "step %d", i)
			require.Equal(t, s.wantShares, f.balance(s.who, susdai).String(), "step %d", i)
			evs := eventsOf[*types.EventDeposit](f.ctx)
			require.Equal(t, s.deposit.String(), evs[len(evs)-1].Assets.String())
		} else {
			_, err := f.msgs.SettleTreasury(f.ctx, &types.MsgSettleTreasury{Custodian: custodian.String(), Principal: math.ZeroInt(), Yield: s.yield})
			require.NoError(t, err)
		}
		v := f.view()
		require.Equal(t, s.wantNAV.String(), v.NAV.String(), "step %d", i)
		sum, err := v.Summary()
		require.NoError(t, err)
		require.Equal(t, s.wantPrice, sum.SharePrice.String(), "step %d", i)
		f.requireInvariants()
	}
	require.Equal(t, math.NewInt(2_529_700_000).String(), f.moduleBalance(types.ModuleName, usdai).String())
	require.Equal(t, math.NewInt(300_000).String(), f.moduleBalance("protocol_fees", usdai).String(), "1% of the 30 USDai yield")
}

func TestDepositBadInput(t *testing.T) {
	f := setup(t)
	for _, tc := range []struct {
		name   string
		amount sdk.Coin
		err    error
	}{
		{"non-USDai denom", sdk.NewCoin(usdc, usd(10)), types.ErrInvalidDenom},
		{"shares denom", sdk.NewCoin(susdai, usd(10)), types.ErrInvalidDenom},
		{"zero", sdk.NewCoin(usdai, math.ZeroInt()), types.ErrInvalidAmount},
		{"negative", sdk.Coin{Denom: usdai, Amount: math.NewInt(-5)}, types.ErrInvalidAmount},
		{"absurdly large", sdk.NewCoin(usdai, types.MaxAssets.AddRaw(1)), types.ErrOverflow},
		{"more than owned", sdk.NewCoin(usdai, usd(1_000_001)), sdkerrors.ErrInsufficientFunds},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.balance(alice, usdai)
			_, err := f.msgs.Deposit(f.ctx, &types.MsgDeposit{Depositor: alice.String(), Amount: tc.amount})
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, before.String(), f.balance(alice, usdai).String())
			require.True(t, f.bank.GetSupply(f.ctx, susdai).Amount.IsZero())
			require.True(t, f.view().Vault.Idle.IsZero())
		})
	}
	_, err := f.msgs.Deposit(f.ctx, &types.MsgDeposit{Depositor: "infra1bad", Amount: sdk.NewCoin(usdai, usd(1))})
	require.ErrorIs(t, err, sdkerrors.ErrInvalidAddress)
}

func TestDepositTooSmallForOneShare(t *testing.T) {
	f := setup(t)
	// Yield settled into a vault without shares makes a share worth more than 1 uusdai.
	_, err := f.msgs.SettleTreasury(f.ctx, &types.MsgSettleTreasury{Custodian: custodian.String(), Principal: math.ZeroInt(), Yield: usd(2)})
	require.NoError(t, err)
	_, err = f.msgs.Deposit(f.ctx, &types.MsgDeposit{Depositor: alice.String(), Amount: sdk.NewCoin(usdai, math.OneInt())})
	require.ErrorIs(t, err, types.ErrZeroShares)
	require.True(t, f.bank.GetSupply(f.ctx, susdai).Amount.IsZero())
	f.requireInvariants()
}

// TestDonationAttack: alice deposits 1 uusdai into the empty vault, then an
// accomplice custodian "donates" 100,000 USDai as T-bill yield before bob
// deposits 1,000 USDai. Alice loses all but 10^-6 of the donation to the
// 10^6 virtual shares and bob loses less than a share's worth.
func TestDonationAttack(t *testing.T) {
	f := setup(t)
	attackerShares := f.deposit(alice, math.OneInt())
	require.Equal(t, "1", attackerShares.String())
	donation := usd(100_000)
	_, err := f.msgs.SettleTreasury(f.ctx, &types.MsgSettleTreasury{Custodian: custodian.String(), Principal: math.ZeroInt(), Yield: donation})
	require.NoError(t, err)
	before, err := f.view().Summary()
	require.NoError(t, err)
	require.Equal(t, "99000.901000098999901000", before.SharePrice.String(), "(1 uusdai + 99,000 USDai after the fee + 1 virtual USDai) / (1 + 10^6 virtual shares)")
	victimShares := f.deposit(bob, usd(1_000))
	require.Equal(t, "10100", victimShares.String())

	v := f.view()
	worth := func(shares math.Int) math.Int {
		a, err := types.ConvertToAssets(shares, v.TotalShares, v.NAV)
		require.NoError(t, err)
		return a
	}
	attackerCost := donation.AddRaw(1)
	require.Equal(t, "99000", worth(attackerShares).String())
	require.True(t, worth(attackerShares).MulRaw(1_000_000).LT(attackerCost), "the attacker keeps less than 10^-6 of what it paid")
	victimLoss := usd(1_000).Sub(worth(victimShares))
	require.Equal(t, "89991", victimLoss.String(), "bob loses 0.089991 USDai of 1,000")
	require.True(t, victimLoss.LTE(before.SharePrice.Ceil().TruncateInt()), "bob loses less than the one share he paid for and did not get")
	require.True(t, victimLoss.MulRaw(1_000_000).LT(attackerCost), "the victim's loss is negligible next to the attacker's")
	f.requireInvariants()
}
