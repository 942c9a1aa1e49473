package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/yield/types"
)

const halfYear = time.Duration(types.SecondsPerYear/2) * time.Second

// TestSeniorBookNAV walks one loan through the book API and checks NAV and
// conservative NAV at each step: 1,000 USDai deposited, 800 lent at 10%.
func TestSeniorBookNAV(t *testing.T) {
	f := setupWith(t, noTreasury)
	f.deposit(alice, usd(1_000))
	require.Equal(t, usd(900).String(), f.view().Fundable.String(), "idle − 10% buffer")

	pos, err := f.k.FundSenior(f.ctx, lending, usd(800), dec("0.10"))
	require.NoError(t, err)
	require.Equal(t, usd(800).String(), f.moduleBalance(lending, usdai).String())
	require.Equal(t, genesisTime, pos.Since)

	type want struct {
		nav, conservative, accrued, idle string
	}
	check := func(step string, w want) {
		t.Helper()
		v := f.view()
		require.Equal(t, w.nav, v.NAV.String(), step)
		require.Equal(t, w.conservative, v.Conservative.String(), step)
		require.Equal(t, w.accrued, v.AccruedInterest.String(), step)
		require.Equal(t, w.idle, v.Vault.Idle.String(), step)
		f.requireInvariants()
	}
	check("funded", want{"1000000000", "1000000000", "0", "200000000"})

	// Half a year: 40 USDai accrued, counted net of the 1% fee in NAV only.
	f.advance(halfYear)
	check("half a year", want{"1039600000", "1000000000", "40000000", "200000000"})
	sum, err := f.view().Summary()
	require.NoError(t, err)
	require.Equal(t, "1.039560439560439560", sum.SharePrice.String(), "(1,039.6 + 1) / (1,000 + 1)")
	require.Equal(t, "1.000000000000000000", sum.RedemptionPrice.String())

	// The borrower pays the interest and 200 of principal: 0.4 USDai fee.
	f.fundModule(lending, sdkCoin(usdai, usd(40)))
	pos, err = f.k.ReceiveSenior(f.ctx, lending, pos, usd(200), usd(40))
	require.NoError(t, err)
	require.Equal(t, usd(600).String(), pos.Balance.String())
	require.Equal(t, f.ctx.BlockTime(), pos.Since)
	require.Equal(t, "400000", f.moduleBalance("protocol_fees", usdai).String())
	check("paid", want{"1039600000", "1039600000", "0", "439600000"})

	// Delinquent: impaired with a 100 USDai write-down; accrual stops.
	f.advance(halfYear)
	check("half a year on 600", want{"1069300000", "1039600000", "30000000", "439600000"})
	pos, err = f.k.Impair(f.ctx, pos, usd(100))
	require.NoError(t, err)
	require.True(t, pos.Impaired)
	check("impaired", want{"939600000", "939600000", "0", "439600000"})
	f.advance(halfYear)
	check("impaired positions accrue nothing", want{"939600000", "939600000", "0", "439600000"})
	pos, err = f.k.Impair(f.ctx, pos, usd(250))
	require.NoError(t, err)
	check("write-down raised", want{"789600000", "789600000", "0", "439600000"})

	// Cured: back to performing from now.
	pos, err = f.k.Reinstate(f.ctx, pos)
	require.NoError(t, err)
	require.False(t, pos.Impaired)
	check("reinstated", want{"1039600000", "1039600000", "0", "439600000"})

	// Defaults again: a partial recovery, then the rest written off, then a late recovery.
	pos, err = f.k.Impair(f.ctx, pos, usd(400))
	require.NoError(t, err)
	f.fundModule(lending, sdkCoin(usdai, usd(100)))
	pos, err = f.k.ReceiveSenior(f.ctx, lending, pos, usd(300), math.ZeroInt())
	require.NoError(t, err)
	require.Equal(t, usd(300).String(), pos.Balance.String())
	require.Equal(t, usd(300).String(), pos.WriteDown.String(), "write-down capped at the balance")
	check("recovered 300", want{"739600000", "739600000", "0", "739600000"})
	loss, err := f.k.WriteOff(f.ctx, pos)
	require.NoError(t, err)
	require.Equal(t, usd(300).String(), loss.String())
	check("written off", want{"739600000", "739600000", "0", "739600000"})
	require.NoError(t, f.k.Recover(f.ctx, lending, usd(50)))
	check("late recovery", want{"789600000", "789600000", "0", "789600000"})

	book := f.view().Book
	require.Zero(t, book.Positions)
	require.True(t, book.Principal.IsZero() && book.RateSum.IsZero() && book.RateTimeSum.IsZero(), "aggregates back to zero: %v", book)
	require.True(t, book.ImpairedPrincipal.IsZero() && book.Impairment.IsZero())
	require.Equal(t, usd(300).String(), book.WrittenOff.String())
	require.Equal(t, usd(50).String(), book.Recovered.String())
}

// TestSeniorAggregatesManyPositions: S and C over several positions give the
// sum of the positions' own interest, and return to zero when all repay.
func TestSeniorAggregatesManyPositions(t *testing.T) {
	f := setupWith(t, noTreasury)
	f.deposit(alice, usd(1_000_000))
	var positions []types.SeniorPosition
	for i, p := range []struct {
		amount int64
		rate   string
	}{{100_000, "0.08"}, {200_000, "0.12"}, {50_000, "0.15"}} {
		pos, err := f.k.FundSenior(f.ctx, lending, usd(p.amount), dec(p.rate))
		require.NoError(t, err, "position %d", i)
		positions = append(positions, pos)
		f.advance(halfYear)
	}
	// Interest: 100k×8%×1.5y + 200k×12%×1y + 50k×15%×0.5y = 12,000 + 24,000 + 3,750.
	require.Equal(t, usd(39_750).String(), f.view().AccruedInterest.String())
	for _, pos := range positions {
		f.fundModule(lending, sdkCoin(usdai, usd(40_000)))
		_, err := f.k.ReceiveSenior(f.ctx, lending, pos, pos.Balance, usd(1))
		require.NoError(t, err)
	}
	book := f.view().Book
	require.Zero(t, book.Positions)
	require.True(t, book.Principal.IsZero() && book.RateSum.IsZero() && book.RateTimeSum.IsZero())
	f.requireInvariants()
}

func TestSeniorBookBadInput(t *testing.T) {
	f := setupWith(t, noTreasury)
	f.deposit(alice, usd(1_000))
	pos, err := f.k.FundSenior(f.ctx, lending, usd(500), dec("0.10"))
	require.NoError(t, err)
	f.fundModule(lending, sdkCoin(usdai, usd(100)))

	_, err = f.k.FundSenior(f.ctx, lending, usd(401), dec("0.10"))
	require.ErrorIs(t, err, types.ErrInsufficientLiquidity, "fundable is 500 − 100 buffer")
	_, err = f.k.FundSenior(f.ctx, "nobody", usd(1), dec("0.10"))
	require.ErrorIs(t, err, types.ErrUnknownModule)
	_, err = f.k.FundSenior(f.ctx, types.ModuleName, usd(1), dec("0.10"))
	require.ErrorIs(t, err, types.ErrUnknownModule)
	_, err = f.k.FundSenior(f.ctx, lending, math.ZeroInt(), dec("0.10"))
	require.ErrorIs(t, err, types.ErrInvalidAmount)
	_, err = f.k.FundSenior(f.ctx, lending, usd(1), dec("10.01"))
	require.ErrorIs(t, err, types.ErrInvalidPosition)
	_, err = f.k.FundSenior(f.ctx, lending, types.MaxAssets.AddRaw(1), dec("0.1"))
	require.ErrorIs(t, err, types.ErrOverflow)

	foreign := pos
	foreign.Balance = usd(600)
	_, err = f.k.ReceiveSenior(f.ctx, lending, foreign, usd(1), math.ZeroInt())
	require.ErrorIs(t, err, types.ErrInvalidPosition, "balance above the book")
	foreign = pos
	foreign.Rate = dec("0.2")
	_, err = f.k.ReceiveSenior(f.ctx, lending, foreign, usd(1), math.ZeroInt())
	require.ErrorIs(t, err, types.ErrInvalidPosition, "weights not in the book")
	_, err = f.k.ReceiveSenior(f.ctx, lending, pos, usd(501), math.ZeroInt())
	require.ErrorIs(t, err, types.ErrInvalidAmount)
	_, err = f.k.ReceiveSenior(f.ctx, lending, pos, math.ZeroInt(), math.ZeroInt())
	require.ErrorIs(t, err, types.ErrInvalidAmount)
	_, err = f.k.Impair(f.ctx, pos, usd(501))
	require.ErrorIs(t, err, types.ErrInvalidAmount)
	_, err = f.k.Reinstate(f.ctx, pos)
	require.ErrorIs(t, err, types.ErrInvalidPosition)
	require.ErrorIs(t, f.k.Recover(f.ctx, lending, math.ZeroInt()), types.ErrInvalidAmount)

	book := f.view().Book
	require.Equal(t, usd(500).String(), book.Principal.String())
	require.Equal(t, uint64(1), book.Positions)
	f.requireInvariants()
}

// TestRedemptionsReservedAheadOfLoans: queued shares hold back idle USDai
// from new loans.
func TestRedemptionsReservedAheadOfLoans(t *testing.T) {
	f := setupWith(t, noTreasury)
	shares := f.deposit(alice, usd(1_000))
	f.requestRedeem(alice, shares.QuoRaw(2), 0)
	v := f.view()
	require.Equal(t, usd(500).String(), v.Reserved.String())
	require.Equal(t, usd(400).String(), v.Fundable.String(), "1,000 − 500 reserved − 100 buffer")
	_, err := f.k.FundSenior(f.ctx, lending, usd(401), dec("0.1"))
	require.ErrorIs(t, err, types.ErrInsufficientLiquidity)
	_, err = f.k.FundSenior(f.ctx, lending, usd(400), dec("0.1"))
	require.NoError(t, err)
	fundable, err := f.k.Fundable(f.ctx)
	require.NoError(t, err)
	require.True(t, fundable.IsZero())
}
