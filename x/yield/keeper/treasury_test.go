package keeper_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	"github.com/infrafi/infrafi/x/yield/types"
)

func (f *fixture) treasury() types.TreasuryState {
	f.t.Helper()
	tr, err := f.k.Treasury.Get(f.ctx)
	require.NoError(f.t, err)
	return tr
}

func (f *fixture) setRate(value string, valid bool) {
	f.oracle.prices[rateFeed] = oracletypes.Price{FeedId: rateFeed, Value: dec(value), UpdatedAt: f.ctx.BlockTime(), Valid: valid, NumPosts: 1}
}

func (f *fixture) settle(principal, yield math.Int) (*types.MsgSettleTreasuryResponse, error) {
	return f.msgs.SettleTreasury(f.ctx, &types.MsgSettleTreasury{Custodian: custodian.String(), Principal: principal, Yield: yield})
}

// TestTreasuryAllocatesAboveBuffer: 1,000 USDai deposited; the first
// rebalance keeps the 10% buffer idle and allocates 900 to the custodian as
// USDC; NAV is unchanged. The next rebalance waits for the interval.
func TestTreasuryAllocatesAboveBuffer(t *testing.T) {
	f := setup(t)
	f.deposit(alice, usd(1_000))
	custodianUSDC := f.balance(custodian, usdc)
	f.endBlock()

	tr := f.treasury()
	require.Equal(t, usd(900).String(), tr.Principal.String())
	require.Equal(t, genesisTime, tr.LastRebalance)
	v := f.view()
	require.Equal(t, usd(100).String(), v.Vault.Idle.String())
	require.Equal(t, usd(1_000).String(), v.NAV.String())
	require.Equal(t, usd(1_000).String(), v.Conservative.String())
	require.Equal(t, custodianUSDC.Add(usd(900)).String(), f.balance(custodian, usdc).String())
	require.Equal(t, usd(900).String(), f.stable.outstanding.String())
	evs := eventsOf[*types.EventTreasuryAllocated](f.ctx)
	require.Len(t, evs, 1)
	require.Equal(t, usd(900).String(), evs[0].Amount.String())
	f.requireInvariants()

	// A deposit inside the interval stays idle until the next rebalance.
	f.deposit(bob, usd(1_000))
	f.block(30 * time.Minute)
	require.Equal(t, usd(900).String(), f.treasury().Principal.String())
	f.block(30 * time.Minute)
	// Accrued T-bill yield raised NAV and so the buffer a little: idle is exactly the buffer.
	v = f.view()
	require.Equal(t, v.Buffer.String(), v.Vault.Idle.String())
	require.Equal(t, "1799999491", f.treasury().Principal.String())
	require.Equal(t, 2, f.stable.calls)
	f.requireInvariants()
}

func TestTreasuryAllocationLimits(t *testing.T) {
	t.Run("capped by the reserve x/stable holds", func(t *testing.T) {
		f := setup(t)
		f.deposit(alice, usd(1_000_000))
		f.deposit(bob, usd(1_000_000))
		f.deposit(carol, usd(1_000_000))
		f.fund(alice, sdkCoin(usdai, usd(10_000_000)))
		f.deposit(alice, usd(10_000_000))
		f.endBlock()
		require.Equal(t, usd(10_000_000).String(), f.treasury().Principal.String(), "all of x/stable's 10M USDC")
		f.requireInvariants()
	})
	t.Run("custodian without the role", func(t *testing.T) {
		f := setup(t)
		delete(f.caliber.custodians, custodian.String())
		f.deposit(alice, usd(1_000))
		f.endBlock()
		require.True(t, f.treasury().Principal.IsZero())
		require.Equal(t, usd(1_000).String(), f.view().Vault.Idle.String())
		require.Equal(t, genesisTime, f.treasury().LastRebalance, "retried at the next interval, not every block")
	})
	t.Run("x/stable refuses", func(t *testing.T) {
		f := setup(t)
		f.stable.fail = errors.New("paused")
		f.deposit(alice, usd(1_000))
		f.endBlock()
		require.True(t, f.treasury().Principal.IsZero())
		require.Equal(t, usd(1_000).String(), f.view().Vault.Idle.String())
		f.requireInvariants()
	})
	t.Run("treasury off", func(t *testing.T) {
		f := setupWith(t, noTreasury)
		f.deposit(alice, usd(1_000))
		f.endBlock()
		require.True(t, f.treasury().Principal.IsZero())
		require.Zero(t, f.stable.calls)
	})
}

// TestTreasuryAccrualOverAYear: 900 USDai in T-bills at 5% for 365 daily
// blocks accrue 45 USDai within rounding; NAV counts it net of the 1% fee,
// the conservative NAV does not.
func TestTreasuryAccrualOverAYear(t *testing.T) {
	f := setup(t)
	f.deposit(alice, usd(1_000))
	f.endBlock()
	for day := 0; day < 365; day++ {
		f.advance(24 * time.Hour)
		f.beginBlock()
	}
	tr := f.treasury()
	accrued := tr.AccruedYield.TruncateInt()
	require.True(t, usd(45).Sub(accrued).LTE(math.OneInt()) && !accrued.GT(usd(45)), "accrued %s", accrued)
	require.True(t, tr.RateValid)
	require.Equal(t, "0.050000000000000000", tr.Rate.String())
	v := f.view()
	fee := types.BpsOfCeil(accrued, 100)
	require.Equal(t, usd(1_000).Add(accrued).Sub(fee).String(), v.NAV.String())
	require.Equal(t, usd(1_000).String(), v.Conservative.String())
	sum, err := v.Summary()
	require.NoError(t, err)
	require.True(t, sum.SharePrice.GT(sum.RedemptionPrice))
}

func TestTreasuryAccrualPausesWhileTheFeedIsStale(t *testing.T) {
	f := setup(t)
	f.deposit(alice, usd(1_000))
	f.endBlock() // 900 allocated
	f.advance(time.Duration(types.SecondsPerYear/2) * time.Second)
	f.beginBlock()
	half := f.treasury().AccruedYield.TruncateInt()
	require.Equal(t, "22500000", half.String(), "5% of 900 for half a year")

	f.setRate("0.05", false)
	f.advance(time.Duration(types.SecondsPerYear/4) * time.Second)
	f.beginBlock()
	require.Equal(t, half.String(), f.treasury().AccruedYield.TruncateInt().String(), "no accrual on a stale feed")
	require.False(t, f.treasury().RateValid)

	// Valid again at 8%: accrual resumes from now, the stale period is not caught up.
	f.setRate("0.08", true)
	f.advance(time.Duration(types.SecondsPerYear/4) * time.Second)
	f.beginBlock()
	require.Equal(t, "40500000", f.treasury().AccruedYield.TruncateInt().String(), "22.5 + 8% of 900 for a quarter")

	// A missing feed pauses too.
	delete(f.oracle.prices, rateFeed)
	f.advance(24 * time.Hour)
	f.beginBlock()
	require.Equal(t, "40500000", f.treasury().AccruedYield.TruncateInt().String())
}

// TestTreasurySettlement: the custodian settles yield (price rises, 1% fee),
// then yield below what accrued (the rest is a loss), then principal against
// a recall order set by a redemption request.
func TestTreasurySettlement(t *testing.T) {
	f := setup(t)
	f.deposit(alice, usd(1_000))
	f.endBlock() // 900 allocated, 100 idle
	f.advance(time.Duration(types.SecondsPerYear/2) * time.Second)
	f.beginBlock() // 22.5 accrued
	before := f.view()
	beforeSum, err := before.Summary()
	require.NoError(t, err)

	res, err := f.settle(math.ZeroInt(), usd(25))
	require.NoError(t, err)
	require.True(t, res.Loss.IsZero())
	require.Equal(t, math.NewInt(250_000).String(), res.Fee.String())
	v := f.view()
	require.Equal(t, math.NewInt(124_750_000).String(), v.Vault.Idle.String(), "100 + 25 − 0.25 fee")
	require.Equal(t, math.NewInt(1_024_750_000).String(), v.NAV.String())
	require.Equal(t, v.NAV.String(), v.Conservative.String(), "nothing accrued any more")
	sum, err := v.Summary()
	require.NoError(t, err)
	require.True(t, sum.SharePrice.GT(beforeSum.SharePrice), "settled yield raises the price")
	require.True(t, sum.RedemptionPrice.GT(beforeSum.RedemptionPrice))
	require.Equal(t, math.NewInt(250_000).String(), f.moduleBalance("protocol_fees", usdai).String())
	tr := f.treasury()
	require.True(t, tr.AccruedYield.IsZero())
	require.Equal(t, usd(25).String(), tr.RealizedYield.String())
	f.requireInvariants()

	// Half a year later only 20 of the 22.5 accrued is paid: 2.5 is a loss.
	f.advance(time.Duration(types.SecondsPerYear/2) * time.Second)
	f.beginBlock()
	res, err = f.settle(math.ZeroInt(), usd(20))
	require.NoError(t, err)
	require.Equal(t, math.NewInt(2_500_000).String(), res.Loss.String())
	require.Equal(t, math.NewInt(2_500_000).String(), f.treasury().Losses.String())
	evs := eventsOf[*types.EventTreasurySettled](f.ctx)
	require.Equal(t, math.NewInt(22_500_000).String(), evs[len(evs)-1].AccruedYield.String())

	// alice queues half her shares: the next rebalance recalls the shortfall.
	f.requestRedeem(alice, f.balance(alice, susdai).QuoRaw(2), 0)
	f.advance(time.Hour)
	f.endBlock()
	v = f.view()
	need, err := v.QueueNeed()
	require.NoError(t, err)
	recall := v.Buffer.Add(need).Sub(v.Vault.Idle)
	require.Equal(t, recall.String(), f.treasury().Recall.String())
	require.Len(t, eventsOf[*types.EventTreasuryRecall](f.ctx), 1)

	_, err = f.settle(recall.AddRaw(1), math.ZeroInt())
	require.ErrorIs(t, err, types.ErrExceedsRecall)
	_, err = f.settle(recall, math.ZeroInt())
	require.NoError(t, err)
	tr = f.treasury()
	require.True(t, tr.Recall.IsZero())
	require.Equal(t, usd(900).Sub(recall).String(), tr.Principal.String())
	require.Equal(t, tr.Principal.String(), f.stable.outstanding.String())
	f.requireInvariants()
}

func TestSettleTreasuryBadInput(t *testing.T) {
	f := setup(t)
	f.deposit(alice, usd(1_000))
	f.endBlock()
	for _, tc := range []struct {
		name             string
		signer           string
		principal, yield math.Int
		err              error
	}{
		{"non-custodian", stranger.String(), math.ZeroInt(), usd(1), sdkerrors.ErrUnauthorized},
		{"principal above the recall (none)", custodian.String(), usd(1), math.ZeroInt(), types.ErrExceedsRecall},
		{"nothing", custodian.String(), math.ZeroInt(), math.ZeroInt(), types.ErrInvalidAmount},
		{"negative yield", custodian.String(), math.ZeroInt(), math.NewInt(-1), types.ErrInvalidAmount},
		{"absurd yield", custodian.String(), math.ZeroInt(), types.MaxAssets.AddRaw(1), types.ErrOverflow},
		{"bad address", "infra1nope", math.ZeroInt(), usd(1), sdkerrors.ErrInvalidAddress},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.msgs.SettleTreasury(f.ctx, &types.MsgSettleTreasury{Custodian: tc.signer, Principal: tc.principal, Yield: tc.yield})
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, usd(900).String(), f.treasury().Principal.String())
			require.Equal(t, usd(100).String(), f.view().Vault.Idle.String())
		})
	}

	t.Run("custodian that lost the role", func(t *testing.T) {
		delete(f.caliber.custodians, custodian.String())
		_, err := f.settle(math.ZeroInt(), usd(1))
		require.ErrorIs(t, err, sdkerrors.ErrUnauthorized)
		f.caliber.custodians[custodian.String()] = true
	})
	t.Run("treasury disabled", func(t *testing.T) {
		g := setupWith(t, noTreasury)
		_, err := g.settle(math.ZeroInt(), usd(1))
		require.ErrorIs(t, err, types.ErrTreasuryDisabled)
	})
	t.Run("custodian cannot change while a position is open", func(t *testing.T) {
		p := testParams()
		p.TreasuryCustodian = stranger.String()
		_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority.String(), Params: p})
		require.ErrorIs(t, err, types.ErrInvalidParams)
	})
	f.requireInvariants()
}

func TestTreasuryCustodian(t *testing.T) {
	f := setup(t)
	got, err := f.k.TreasuryCustodian(f.ctx)
	require.NoError(t, err)
	require.Equal(t, custodian, got)

	// Without the TREASURY_CUSTODIAN role the custodian may not settle.
	f.caliber.custodians = map[string]bool{}
	_, err = f.k.TreasuryCustodian(f.ctx)
	require.ErrorIs(t, err, sdkerrors.ErrUnauthorized)

	off := setupWith(t, noTreasury)
	_, err = off.k.TreasuryCustodian(off.ctx)
	require.ErrorIs(t, err, types.ErrTreasuryDisabled)
}
