package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/lending/keeper"
	"github.com/infrafi/infrafi/x/lending/types"
)

// Loans in these tests: 10,000 at 15% (senior 9,000, junior 1,000), the
// first period's interest 125 owed at default (90 senior / 35 junior after
// the 20% first-loss premium), liquidation fee 500 bps. A margin call opened
// at genesis defaults at genesis + cure, when the auction opens.
var auctionStart = genesisTime.Add(cure)

func uusdai(amt math.Int) sdk.Coin { return sdk.NewCoin(types.Denom, amt) }

// staleTitle1 opens a custody margin call on title 1 (its value unchanged).
func staleTitle1(t *testing.T, f *fixture) {
	f.caliber.stale[1] = true
	require.NoError(t, f.k.Hooks().AfterCustodyStale(f.ctx, 1, f.lienOf(1)))
}

// title1Falls opens an LTV margin call: title 1 revalued at 10,000.
func title1Falls(t *testing.T, f *fixture) { f.setValue(t, 1, usd(10_000)) }

// foreclose funds a 10,000 loan on titles, applies trigger at genesis and
// runs the block at the cure deadline: the loan is FORECLOSING with its
// auction open from auctionStart. The bidder gets 100,000 USDai.
func foreclose(t *testing.T, f *fixture, trigger func(*testing.T, *fixture), titles ...uint64) uint64 {
	t.Helper()
	id := f.fundLoan(t, usd(10_000), usd(1_000), titles...)
	trigger(t, f)
	require.Equal(t, types.LoanMarginCall, f.loan(t, id).Status)
	f.setTime(auctionStart)
	f.endBlock(t)
	require.Equal(t, types.LoanForeclosing, f.loan(t, id).Status)
	f.bank.set(bidder, usd(100_000))
	f.checkInvariants(t)
	return id
}

type wantWaterfall struct {
	sale, insurance, casualty, reserve               math.Int
	fee, seniorP, seniorI, juniorP, juniorI, surplus math.Int
	seniorLoss, juniorLoss                           math.Int
}

func requireWaterfall(t *testing.T, want wantWaterfall, got types.Waterfall) {
	t.Helper()
	for _, c := range []struct {
		name      string
		want, got math.Int
	}{
		{"sale_proceeds", want.sale, got.SaleProceeds},
		{"insurance", want.insurance, got.Insurance},
		{"casualty", want.casualty, got.Casualty},
		{"reserve", want.reserve, got.Reserve},
		{"liquidation_fee", want.fee, got.LiquidationFee},
		{"senior_principal", want.seniorP, got.SeniorPrincipal},
		{"senior_interest", want.seniorI, got.SeniorInterest},
		{"junior_principal", want.juniorP, got.JuniorPrincipal},
		{"junior_interest", want.juniorI, got.JuniorInterest},
		{"surplus", want.surplus, got.Surplus},
		{"senior_loss", want.seniorLoss, got.SeniorLoss},
		{"junior_loss", want.juniorLoss, got.JuniorLoss},
	} {
		w := c.want
		if w.IsNil() {
			w = math.ZeroInt()
		}
		eqInt(t, w, c.got, c.name)
	}
}

// requireLiquidated checks the closed loan and that nothing of it is left
// in the queues, indexes and title map.
func requireClosed(t *testing.T, f *fixture, id uint64, status types.LoanStatus) {
	t.Helper()
	l := f.loan(t, id)
	require.Equal(t, status, l.Status)
	require.True(t, l.Senior.Balance.IsZero())
	require.False(t, l.Senior.Impaired)
	require.True(t, l.JuniorPrincipal.IsZero())
	require.True(t, l.Dsr.IsZero())
	require.True(t, l.InterestDue.IsZero() && l.PrincipalDue.IsZero() && l.LateInterest.IsZero())
	require.Equal(t, f.ctx.BlockTime(), l.ClosedAt)
	require.True(t, l.Deadline.IsZero())
	require.Empty(t, f.deadlines(t))
	imp, err := f.k.Impaired.Has(f.ctx, id)
	require.NoError(t, err)
	require.False(t, imp)
	for _, tid := range l.TitleIds {
		require.Zero(t, f.caliber.titles[tid].LoanId, "title %d still holds a lien", tid)
	}
	for _, k := range []string{"senior", "junior", "dsr"} {
		v, err := f.k.Totals.Get(f.ctx, k)
		if err == nil {
			require.True(t, v.IsZero(), "total %s = %s", k, v)
		}
	}
}

// TestBidFullRecoveryWithSurplus: a two-title lot bought at 25% of the
// first round; the price is split between the titles' value claims by their
// values; the waterfall pays everyone and the surplus goes to the borrower.
func TestBidFullRecoveryWithSurplus(t *testing.T) {
	f := setup(t)
	f.noReserve(t)
	f.addTitle(5, borrower, h100, custodian, usd(10_000)) // insured 10,000, coverage 6,000
	id := foreclose(t, f, staleTitle1, 1, 5)

	a := f.auction(t, id)
	require.Equal(t, []uint64{1, 5}, a.TitleIds)
	require.Len(t, a.TitleValues, 2)
	eqInt(t, usd(20_000), a.TitleValues[0])
	eqInt(t, usd(10_000), a.TitleValues[1])
	eqInt(t, usd(30_000), a.ReferenceValue)
	eqInt(t, usd(33_000), a.TopPrice)
	require.Equal(t, auctionStart, a.StartedAt)

	// 25% of 48 h: 33,000 × 0.75.
	f.setTime(auctionStart.Add(12 * time.Hour))
	eqInt(t, usd(24_750), keeper.CurrentPrice(a, f.ctx.BlockTime()))

	// Shares 16,500 / 8,250: claims min(12,000, 20,000 − 16,500) = 3,500 and
	// min(6,000, 10,000 − 8,250) = 1,750. Proceeds 24,750 + 5,250 = 30,000:
	// fee 1,500, senior 9,000 + 90, junior 1,000 + 35, surplus 18,375.
	f.freshEvents()
	bal, interest := f.balances(), f.vault.interest
	price, titles, err := f.k.Bid(f.ctx, bidder, id, uusdai(usd(50_000)))
	require.NoError(t, err)
	eqInt(t, usd(24_750), price) // pays the price, not its max
	require.Equal(t, []uint64{1, 5}, titles)
	f.requireMoves(t, bal,
		move{bidder, usd(-24_750)},
		move{insurer, usd(-5_250)},
		move{feesAddr, usd(1_500)},
		move{yieldAddr, usd(9_090)},
		move{curator, usd(1_035)},
		move{borrower, usd(18_375)},
	)
	eqInt(t, usd(90), f.vault.interest.Sub(interest))
	require.True(t, f.vault.writtenOff.IsZero())

	want := wantWaterfall{
		sale: usd(24_750), insurance: usd(5_250),
		fee: usd(1_500), seniorP: usd(9_000), seniorI: usd(90), juniorP: usd(1_000), juniorI: usd(35), surplus: usd(18_375),
	}
	a = f.auction(t, id)
	require.Equal(t, types.AuctionSold, a.Status)
	require.Equal(t, bidder.String(), a.Buyer)
	eqInt(t, usd(24_750), a.PricePaid)
	require.Equal(t, f.ctx.BlockTime(), a.ClosedAt)
	requireWaterfall(t, want, a.Waterfall)

	requireClosed(t, f, id, types.LoanLiquidated)
	l := f.loan(t, id)
	eqInt(t, usd(10_000), l.PrincipalPaid)
	eqInt(t, usd(125), l.InterestPaid)
	for _, tid := range []uint64{1, 5} {
		require.Equal(t, bidder.String(), f.caliber.titles[tid].Owner)
		require.Equal(t, calibertypes.StatusActive, f.caliber.titles[tid].Status)
		_, insured := f.caliber.policies[tid]
		require.False(t, insured, "title %d's policy paid its claim", tid)
	}

	sold := eventsOf[types.EventAuctionSold](t, f)
	require.Len(t, sold, 1)
	eqInt(t, usd(24_750), sold[0].Price)
	require.Equal(t, bidder.String(), sold[0].Buyer)
	settled := eventsOf[types.EventLoanSettled](t, f)
	require.Len(t, settled, 1)
	require.Equal(t, types.LoanLiquidated, settled[0].Status)
	requireWaterfall(t, want, settled[0].Waterfall)
	f.checkInvariants(t)
}

// TestBidWaterfallShortfalls: title 1 fell to 10,000 (top 11,000); the
// policy and the bid time decide where the shortfall lands.
func TestBidWaterfallShortfalls(t *testing.T) {
	for _, tc := range []struct {
		name              string
		insured, coverage math.Int // nil: no policy
		elapsed           time.Duration
		price             math.Int
		want              wantWaterfall
	}{
		{
			// The sale (8,250) does not pay the debt (10,125); with the
			// claim min(6,000, 12,000 − 8,250) = 3,750 the proceeds do.
			name: "shortfall covered by insurance", insured: usd(12_000), coverage: usd(6_000),
			elapsed: 12 * time.Hour, price: usd(8_250),
			want: wantWaterfall{
				sale: usd(8_250), insurance: usd(3_750),
				fee: usd(600), seniorP: usd(9_000), seniorI: usd(90), juniorP: usd(1_000), juniorI: usd(35), surplus: usd(1_275),
			},
		},
		{
			// 8,250 + 1,500 = 9,750: fee 487.5, senior whole, junior 172.5.
			name: "shortfall past insurance into junior", insured: usd(10_000), coverage: usd(1_500),
			elapsed: 12 * time.Hour, price: usd(8_250),
			want: wantWaterfall{
				sale: usd(8_250), insurance: usd(1_500),
				fee: math.NewInt(487_500_000), seniorP: usd(9_000), seniorI: usd(90), juniorP: math.NewInt(172_500_000),
				juniorLoss: math.NewInt(827_500_000),
			},
		},
		{
			// 75% of the round: the floor binds, 5,500. 5,500 + 1,000 = 6,500:
			// fee 325, senior 6,175 of 9,000.
			name: "shortfall into senior", insured: usd(10_000), coverage: usd(1_000),
			elapsed: 36 * time.Hour, price: usd(5_500),
			want: wantWaterfall{
				sale: usd(5_500), insurance: usd(1_000),
				fee: usd(325), seniorP: usd(6_175),
				seniorLoss: usd(2_825), juniorLoss: usd(1_000),
			},
		},
		{
			name: "uninsured, last second of the round", elapsed: 48*time.Hour - time.Second, price: usd(5_500),
			want: wantWaterfall{
				sale: usd(5_500),
				fee:  usd(275), seniorP: usd(5_225),
				seniorLoss: usd(3_775), juniorLoss: usd(1_000),
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			f.noReserve(t)
			id := foreclose(t, f, title1Falls, 1)
			a := f.auction(t, id)
			eqInt(t, usd(11_000), a.TopPrice)
			if tc.insured.IsNil() {
				delete(f.caliber.policies, 1)
			} else {
				f.setPolicy(1, tc.insured, tc.coverage)
			}
			f.setTime(auctionStart.Add(tc.elapsed))
			eqInt(t, tc.price, keeper.CurrentPrice(a, f.ctx.BlockTime()))

			// One uusdai below the price is refused.
			before := f.snapshot(t)
			_, _, err := f.k.Bid(f.ctx, bidder, id, uusdai(tc.price.SubRaw(1)))
			require.ErrorIs(t, err, types.ErrBidTooLow)
			require.Equal(t, before, f.snapshot(t))

			bal, writtenOff, total := f.balances(), f.vault.writtenOff, f.bankTotal()
			price, _, err := f.k.Bid(f.ctx, bidder, id, uusdai(tc.price))
			require.NoError(t, err)
			eqInt(t, tc.price, price)
			w := tc.want
			zero := func(x math.Int) math.Int {
				if x.IsNil() {
					return math.ZeroInt()
				}
				return x
			}
			f.requireMoves(t, bal,
				move{bidder, tc.price.Neg()},
				move{insurer, zero(w.insurance).Neg()},
				move{feesAddr, zero(w.fee)},
				move{yieldAddr, zero(w.seniorP).Add(zero(w.seniorI))},
				move{curator, zero(w.juniorP).Add(zero(w.juniorI))},
				move{borrower, zero(w.surplus)},
			)
			eqInt(t, total, f.bankTotal())
			a = f.auction(t, id)
			requireWaterfall(t, w, a.Waterfall)
			// The vault writes off exactly the senior loss.
			eqInt(t, a.Waterfall.SeniorLoss, f.vault.writtenOff.Sub(writtenOff))
			eqInt(t, zero(w.seniorLoss), f.vault.writtenOff.Sub(writtenOff))
			require.Equal(t, types.AuctionSold, a.Status)
			requireClosed(t, f, id, types.LoanLiquidated)
			require.Equal(t, bidder.String(), f.caliber.titles[1].Owner)
			f.checkInvariants(t)
		})
	}
}

// TestBidProceedsIncludeReserve: the DSR still held at default enters the
// waterfall.
func TestBidProceedsIncludeReserve(t *testing.T) {
	f := setup(t)
	id := foreclose(t, f, title1Falls, 1)
	d := f.loan(t, id).Dsr
	require.True(t, d.IsPositive())
	f.setPolicy(1, usd(12_000), usd(6_000))
	f.setTime(auctionStart.Add(12 * time.Hour))
	bal := f.balances()
	_, _, err := f.k.Bid(f.ctx, bidder, id, uusdai(usd(8_250)))
	require.NoError(t, err)
	// Proceeds 8,250 + 3,750 + DSR.
	proceeds := usd(12_000).Add(d)
	fee := types.BpsOf(proceeds, 500)
	surplus := proceeds.Sub(fee).Sub(usd(10_125))
	f.requireMoves(t, bal,
		move{bidder, usd(-8_250)},
		move{insurer, usd(-3_750)},
		move{lendingAddr, d.Neg()},
		move{feesAddr, fee},
		move{yieldAddr, usd(9_090)},
		move{curator, usd(1_035)},
		move{borrower, surplus},
	)
	requireWaterfall(t, wantWaterfall{
		sale: usd(8_250), insurance: usd(3_750), reserve: d,
		fee: fee, seniorP: usd(9_000), seniorI: usd(90), juniorP: usd(1_000), juniorI: usd(35), surplus: surplus,
	}, f.auction(t, id).Waterfall)
	requireClosed(t, f, id, types.LoanLiquidated)
	f.checkInvariants(t)
}

// TestResetWriteOffAndRecoverySale: unsold rounds reset at the floor twice,
// then the loan is written off (value claims as for a sale at zero, titles
// to the foreclosed-asset account); a later sale at the floor is a recovery.
func TestResetWriteOffAndRecoverySale(t *testing.T) {
	f := setup(t)
	f.noReserve(t)
	id := foreclose(t, f, staleTitle1, 1) // top 22,000, floor 11,000
	f.setPolicy(1, usd(20_000), usd(2_000))
	d := 48 * time.Hour

	f.setTime(auctionStart.Add(d - time.Second))
	f.endBlock(t)
	a := f.auction(t, id)
	require.Equal(t, uint32(0), a.Resets)
	eqInt(t, usd(11_000), keeper.CurrentPrice(a, f.ctx.BlockTime()))

	// The round has ended: bids are refused until EndBlock resets it.
	f.setTime(auctionStart.Add(d))
	before := f.snapshot(t)
	_, _, err := f.k.Bid(f.ctx, bidder, id, uusdai(usd(50_000)))
	require.ErrorIs(t, err, types.ErrAuctionClosed)
	require.Equal(t, before, f.snapshot(t))

	for reset := uint32(1); reset <= 2; reset++ {
		now := auctionStart.Add(time.Duration(reset) * d)
		f.setTime(now)
		f.freshEvents()
		bal := f.balances()
		f.endBlock(t)
		f.requireMoves(t, bal)
		a = f.auction(t, id)
		require.Equal(t, types.AuctionOpen, a.Status)
		require.Equal(t, reset, a.Resets)
		require.Equal(t, now, a.RoundStart)
		require.Equal(t, now.Add(d), a.EndsAt)
		require.Equal(t, now.Add(d), f.loan(t, id).Deadline)
		require.Equal(t, types.LoanForeclosing, f.loan(t, id).Status)
		// At the floor for the whole round.
		eqInt(t, usd(11_000), keeper.CurrentPrice(a, now))
		eqInt(t, usd(11_000), keeper.CurrentPrice(a, now.Add(d/2)))
		ev := eventsOf[types.EventAuctionReset](t, f)
		require.Len(t, ev, 1)
		require.Equal(t, reset, ev[0].Resets)
		eqInt(t, usd(11_000), ev[0].Price)
		require.Equal(t, now.Add(d), ev[0].EndsAt)
		f.checkInvariants(t)
	}

	// Third round over, no resets left: written off. Claim min(2,000,
	// 20,000 − 0) = 2,000: fee 100, senior 1,900; losses 7,100 and 1,000.
	writeOffAt := auctionStart.Add(3 * d)
	f.setTime(writeOffAt)
	f.freshEvents()
	bal, total := f.balances(), f.bankTotal()
	f.endBlock(t)
	f.requireMoves(t, bal,
		move{insurer, usd(-2_000)},
		move{feesAddr, usd(100)},
		move{yieldAddr, usd(1_900)},
	)
	eqInt(t, total, f.bankTotal())
	a = f.auction(t, id)
	require.Equal(t, types.AuctionUnsold, a.Status)
	require.Empty(t, a.Buyer)
	want := wantWaterfall{insurance: usd(2_000), fee: usd(100), seniorP: usd(1_900), seniorLoss: usd(7_100), juniorLoss: usd(1_000)}
	requireWaterfall(t, want, a.Waterfall)
	eqInt(t, usd(7_100), f.vault.writtenOff)
	requireClosed(t, f, id, types.LoanWrittenOff)
	require.Equal(t, f.k.ForeclosedAddress().String(), f.caliber.titles[1].Owner)
	require.Equal(t, calibertypes.StatusActive, f.caliber.titles[1].Status)
	settled := eventsOf[types.EventLoanSettled](t, f)
	require.Len(t, settled, 1)
	require.Equal(t, types.LoanWrittenOff, settled[0].Status)
	f.checkInvariants(t)

	// Later, the lot sells at the floor: 7,100 to the vault, 1,000 to the
	// curator, the remaining 2,900 to the borrower.
	f.setTime(writeOffAt.Add(30 * day))
	eqInt(t, usd(11_000), keeper.CurrentPrice(a, f.ctx.BlockTime()))
	before = f.snapshot(t)
	_, _, err = f.k.Bid(f.ctx, bidder, id, uusdai(usd(10_999)))
	require.ErrorIs(t, err, types.ErrBidTooLow)
	require.Equal(t, before, f.snapshot(t))

	f.freshEvents()
	bal = f.balances()
	price, titles, err := f.k.Bid(f.ctx, bidder, id, uusdai(usd(11_000)))
	require.NoError(t, err)
	eqInt(t, usd(11_000), price)
	require.Equal(t, []uint64{1}, titles)
	f.requireMoves(t, bal,
		move{bidder, usd(-11_000)},
		move{yieldAddr, usd(7_100)},
		move{curator, usd(1_000)},
		move{borrower, usd(2_900)},
	)
	eqInt(t, usd(7_100), f.vault.recovered)
	a = f.auction(t, id)
	require.Equal(t, types.AuctionRecovered, a.Status)
	eqInt(t, usd(11_000), a.Recovered)
	eqInt(t, usd(11_000), a.PricePaid)
	require.Equal(t, bidder.String(), a.Buyer)
	requireWaterfall(t, want, a.Waterfall) // the settlement is kept
	require.Equal(t, bidder.String(), f.caliber.titles[1].Owner)
	require.Equal(t, types.LoanWrittenOff, f.loan(t, id).Status)
	rec := eventsOf[types.EventRecovery](t, f)
	require.Len(t, rec, 1)
	eqInt(t, usd(7_100), rec[0].ToVault)
	eqInt(t, usd(1_000), rec[0].ToCurator)
	eqInt(t, usd(2_900), rec[0].ToBorrower)
	f.checkInvariants(t)

	// Sold out.
	before = f.snapshot(t)
	_, _, err = f.k.Bid(f.ctx, bidder, id, uusdai(usd(50_000)))
	require.ErrorIs(t, err, types.ErrAuctionClosed)
	require.Equal(t, before, f.snapshot(t))
}

// TestRecoverySaleBelowSeniorLoss: a recovery smaller than the senior loss
// all goes to the vault.
func TestRecoverySaleBelowSeniorLoss(t *testing.T) {
	f := setup(t)
	f.noReserve(t)
	id := foreclose(t, f, title1Falls, 1) // top 11,000, floor 5,500
	delete(f.caliber.policies, 1)
	for i := 1; i <= 3; i++ {
		f.setTime(auctionStart.Add(time.Duration(i) * 48 * time.Hour))
		f.endBlock(t)
	}
	a := f.auction(t, id)
	require.Equal(t, types.AuctionUnsold, a.Status)
	// Nothing recovered at the write-off: the whole senior principal is lost.
	requireWaterfall(t, wantWaterfall{seniorLoss: usd(9_000), juniorLoss: usd(1_000)}, a.Waterfall)
	eqInt(t, usd(9_000), f.vault.writtenOff)
	bal := f.balances()
	_, _, err := f.k.Bid(f.ctx, bidder, id, uusdai(usd(5_500)))
	require.NoError(t, err)
	f.requireMoves(t, bal, move{bidder, usd(-5_500)}, move{yieldAddr, usd(5_500)})
	eqInt(t, usd(5_500), f.vault.recovered)
	f.checkInvariants(t)
}

// TestBidBadInput: every refused bid returns its registered error and
// changes nothing.
func TestBidBadInput(t *testing.T) {
	f := setup(t)
	f.noReserve(t)
	id := foreclose(t, f, staleTitle1, 1)
	performing := f.fundLoan(t, usd(10_000), usd(1_000), 2) // no auction
	f.setTime(auctionStart.Add(12 * time.Hour))             // price 16,500
	for _, tc := range []struct {
		name    string
		bidder  sdk.AccAddress
		auction uint64
		max     sdk.Coin
		at      time.Time
		want    error
	}{
		{"wrong denom", bidder, id, sdk.NewCoin("uatom", usd(50_000)), time.Time{}, types.ErrInvalidDenom},
		{"unknown auction", bidder, 99, uusdai(usd(50_000)), time.Time{}, types.ErrAuctionNotFound},
		{"loan without auction", bidder, performing, uusdai(usd(50_000)), time.Time{}, types.ErrAuctionNotFound},
		{"max below the price", bidder, id, uusdai(math.NewInt(16_499_999_999)), time.Time{}, types.ErrBidTooLow},
		{"bidder without funds", other, id, uusdai(usd(50_000)), time.Time{}, sdkerrors.ErrInsufficientFunds},
		{"round ended", bidder, id, uusdai(usd(50_000)), auctionStart.Add(48 * time.Hour), types.ErrAuctionClosed},
		{"long after the round", bidder, id, uusdai(usd(50_000)), auctionStart.Add(60 * time.Hour), types.ErrAuctionClosed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := f.ctx
			if !tc.at.IsZero() {
				f.setTime(tc.at)
			}
			before := f.snapshot(t)
			_, _, err := f.k.Bid(f.ctx, tc.bidder, tc.auction, tc.max)
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, before, f.snapshot(t))
			require.Equal(t, calibertypes.StatusForeclosing, f.caliber.titles[1].Status)
			f.ctx = ctx
		})
	}

	// A bidder with part of the price.
	f.bank.set(other, usd(16_000))
	before := f.snapshot(t)
	_, _, err := f.k.Bid(f.ctx, other, id, uusdai(usd(50_000)))
	require.ErrorIs(t, err, sdkerrors.ErrInsufficientFunds)
	require.Equal(t, before, f.snapshot(t))

	// Sold: closed to further bids.
	_, _, err = f.k.Bid(f.ctx, bidder, id, uusdai(usd(16_500)))
	require.NoError(t, err)
	before = f.snapshot(t)
	_, _, err = f.k.Bid(f.ctx, other, id, uusdai(usd(16_000)))
	require.ErrorIs(t, err, types.ErrAuctionClosed)
	require.Equal(t, before, f.snapshot(t))
	f.checkInvariants(t)

	// Message checks.
	for _, tc := range []struct {
		msg  types.MsgBid
		want error
	}{
		{types.MsgBid{Bidder: "x", AuctionId: 1, MaxPrice: uusdai(usd(1))}, sdkerrors.ErrInvalidAddress},
		{types.MsgBid{Bidder: bidder.String(), AuctionId: 0, MaxPrice: uusdai(usd(1))}, types.ErrAuctionNotFound},
		{types.MsgBid{Bidder: bidder.String(), AuctionId: 1, MaxPrice: sdk.NewCoin("uatom", usd(1))}, types.ErrInvalidDenom},
		{types.MsgBid{Bidder: bidder.String(), AuctionId: 1, MaxPrice: uusdai(math.ZeroInt())}, types.ErrInvalidAmount},
		{types.MsgBid{Bidder: bidder.String(), AuctionId: 1, MaxPrice: sdk.Coin{Denom: types.Denom}}, types.ErrInvalidAmount},
	} {
		require.ErrorIs(t, tc.msg.ValidateBasic(), tc.want, "%v", tc.msg)
	}
	require.NoError(t, (&types.MsgBid{Bidder: bidder.String(), AuctionId: 1, MaxPrice: uusdai(usd(1))}).ValidateBasic())
}

// TestCasualtyDuringForeclosure: titles destroyed during the auction leave
// the lot; their casualty claims wait in the module account and join the
// proceeds at the sale.
func TestCasualtyDuringForeclosure(t *testing.T) {
	f := setup(t)
	f.noReserve(t)
	id := foreclose(t, f, staleTitle1, 1, 2, 3)
	a := f.auction(t, id)
	eqInt(t, usd(66_000), a.TopPrice)

	f.setTime(auctionStart.Add(time.Hour))
	f.freshEvents()
	bal := f.balances()
	f.reportCasualty(t, 2)
	f.requireMoves(t, bal, move{insurer, usd(-12_000)}, move{lendingAddr, usd(12_000)})
	a = f.auction(t, id)
	require.Equal(t, types.AuctionOpen, a.Status)
	require.Equal(t, []uint64{1, 3}, a.TitleIds)
	require.Len(t, a.TitleValues, 2)
	eqInt(t, usd(12_000), a.CasualtyProceeds)
	require.Equal(t, []uint64{1, 3}, f.loan(t, id).TitleIds)
	require.Zero(t, f.caliber.titles[2].LoanId)
	claims := eventsOf[types.EventCasualtyClaim](t, f)
	require.Len(t, claims, 1)
	eqInt(t, usd(12_000), claims[0].Claim)
	require.Equal(t, uint64(2), claims[0].TitleId)
	f.checkInvariants(t) // the module holds the claim for the open auction

	// A second casualty adds to the first.
	f.reportCasualty(t, 3)
	a = f.auction(t, id)
	require.Equal(t, []uint64{1}, a.TitleIds)
	require.Len(t, a.TitleValues, 1)
	eqInt(t, usd(20_000), a.TitleValues[0])
	eqInt(t, usd(24_000), a.CasualtyProceeds)
	eqInt(t, usd(24_000), f.bank.get(lendingAddr))
	// The lot is now title 1 alone: top price 1.1 × 20,000.
	eqInt(t, usd(20_000), a.ReferenceValue)
	eqInt(t, usd(22_000), a.TopPrice)
	f.checkInvariants(t)

	// Sale at 50%: 11,000 for title 1, whose value insurance pays min(12,000,
	// 20,000 − 11,000) = 9,000. Proceeds 11,000 + 9,000 + 24,000 casualty =
	// 44,000: fee 2,200, senior 9,090, junior 1,035, surplus 31,675.
	f.setTime(auctionStart.Add(24 * time.Hour))
	bal = f.balances()
	price, titles, err := f.k.Bid(f.ctx, bidder, id, uusdai(usd(11_000)))
	require.NoError(t, err)
	eqInt(t, usd(11_000), price)
	require.Equal(t, []uint64{1}, titles)
	f.requireMoves(t, bal,
		move{bidder, usd(-11_000)},
		move{insurer, usd(-9_000)},
		move{lendingAddr, usd(-24_000)},
		move{feesAddr, usd(2_200)},
		move{yieldAddr, usd(9_090)},
		move{curator, usd(1_035)},
		move{borrower, usd(31_675)},
	)
	a = f.auction(t, id)
	requireWaterfall(t, wantWaterfall{
		sale: usd(11_000), insurance: usd(9_000), casualty: usd(24_000),
		fee: usd(2_200), seniorP: usd(9_000), seniorI: usd(90), juniorP: usd(1_000), juniorI: usd(35), surplus: usd(31_675),
	}, a.Waterfall)
	require.True(t, a.CasualtyProceeds.IsZero())
	requireClosed(t, f, id, types.LoanLiquidated)
	f.checkInvariants(t)
}

// TestCasualtyOfTheWholeLot: when the last title of the lot is destroyed the
// loan settles at once on the casualty claim.
func TestCasualtyOfTheWholeLot(t *testing.T) {
	f := setup(t)
	f.noReserve(t)
	id := foreclose(t, f, staleTitle1, 1)
	f.setTime(auctionStart.Add(time.Hour))
	bal := f.balances()
	f.reportCasualty(t, 1)
	// Claim 12,000: fee 600, senior 9,090, junior 1,035, surplus 1,275.
	f.requireMoves(t, bal,
		move{insurer, usd(-12_000)},
		move{feesAddr, usd(600)},
		move{yieldAddr, usd(9_090)},
		move{curator, usd(1_035)},
		move{borrower, usd(1_275)},
	)
	a := f.auction(t, id)
	require.Equal(t, types.AuctionSold, a.Status)
	require.Empty(t, a.Buyer)
	require.Empty(t, a.TitleIds)
	requireWaterfall(t, wantWaterfall{
		casualty: usd(12_000),
		fee:      usd(600), seniorP: usd(9_000), seniorI: usd(90), juniorP: usd(1_000), juniorI: usd(35), surplus: usd(1_275),
	}, a.Waterfall)
	requireClosed(t, f, id, types.LoanLiquidated)
	f.checkInvariants(t)

	before := f.snapshot(t)
	_, _, err := f.k.Bid(f.ctx, bidder, id, uusdai(usd(50_000)))
	require.ErrorIs(t, err, types.ErrAuctionClosed)
	require.Equal(t, before, f.snapshot(t))
}

// TestAuctionOfUnvaluedLot: a lot without valuations is priced on the debt
// (outstanding + interest due + late interest) × start_multiplier.
func TestAuctionOfUnvaluedLot(t *testing.T) {
	f := setup(t)
	f.noReserve(t)
	id := foreclose(t, f, func(t *testing.T, f *fixture) {
		delete(f.caliber.values, 1)
		require.NoError(t, f.k.Hooks().AfterValuationChanged(f.ctx, 1, f.lienOf(1)))
	}, 1)
	l := f.loan(t, id)
	require.Equal(t, "margin_call:unvalued", l.DefaultReason)
	a := f.auction(t, id)
	require.Len(t, a.TitleValues, 1)
	require.True(t, a.TitleValues[0].IsZero())
	eqInt(t, usd(10_125), a.ReferenceValue)
	eqInt(t, math.NewInt(11_137_500_000), a.TopPrice) // 10,125 × 1.1

	// Bought at the start: the whole price is the title's share; claim
	// min(12,000, 20,000 − 11,137.5) = 8,862.5; proceeds 20,000.
	bal := f.balances()
	_, _, err := f.k.Bid(f.ctx, bidder, id, uusdai(math.NewInt(11_137_500_000)))
	require.NoError(t, err)
	f.requireMoves(t, bal,
		move{bidder, math.NewInt(-11_137_500_000)},
		move{insurer, math.NewInt(-8_862_500_000)},
		move{feesAddr, usd(1_000)},
		move{yieldAddr, usd(9_090)},
		move{curator, usd(1_035)},
		move{borrower, usd(8_875)},
	)
	requireClosed(t, f, id, types.LoanLiquidated)
	f.checkInvariants(t)
}
