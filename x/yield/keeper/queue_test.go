package keeper_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/yield/keeper"
	"github.com/infrafi/infrafi/x/yield/types"
)

func queueIDs(t *testing.T, f *fixture) []uint64 {
	t.Helper()
	res, err := f.query.Queue(f.ctx, &types.QueryQueueRequest{})
	require.NoError(t, err)
	ids := make([]uint64, 0, len(res.Requests))
	for _, r := range res.Requests {
		ids = append(ids, r.Id)
	}
	return ids
}

// TestQueueMixedBidsShortLiquidity: 3,000 USDai in the vault, 1,500 lent out
// (conservative price exactly 1), 1,500 idle. Four requests: alice 1,000
// USDai of shares at 1%, bob 1,000 at 5%, carol 500 at 0% and 500 at 5%.
// The close serves bob, then carol's 5% (same bid, later), then alice
// partially; carol's 0% waits. 10% of each bid goes to the protocol.
func TestQueueMixedBidsShortLiquidity(t *testing.T) {
	f := setupWith(t, noTreasury)
	for _, who := range []sdk.AccAddress{alice, bob, carol} {
		f.deposit(who, usd(1_000))
	}
	_, err := f.k.FundSenior(f.ctx, lending, usd(1_500), dec("0.10"))
	require.NoError(t, err)

	idAlice := f.requestRedeem(alice, amt("1000000000"), 100)
	idBob := f.requestRedeem(bob, amt("1000000000"), 500)
	idCarol0 := f.requestRedeem(carol, amt("500000000"), 0)
	idCarol5 := f.requestRedeem(carol, amt("500000000"), 500)
	require.Equal(t, []uint64{idBob, idCarol5, idAlice, idCarol0}, queueIDs(t, f), "bid desc, then time")
	require.Equal(t, usd(1_500).String(), f.view().Reserved.String(), "the queue reserves all idle")
	require.True(t, f.view().Fundable.IsZero(), "nothing left for new loans")
	f.requireInvariants()

	before := map[string]math.Int{}
	for _, who := range []sdk.AccAddress{alice, bob, carol} {
		before[who.String()] = f.balance(who, usdai)
	}
	f.block(time.Hour) // the epoch closes and the queue is served

	served := eventsOf[*types.EventRedeemServed](f.ctx)
	require.Len(t, served, 3)
	for i, want := range []struct {
		id                               uint64
		shares, payout, bid, proto, left string
	}{
		{idBob, "1000000000", "950000000", "50000000", "5000000", "0"},
		{idCarol5, "500000000", "485682158", "25562219", "2556221", "0"},
		{idAlice, "55190055", "56704342", "572772", "57277", "944809945"},
	} {
		ev := served[i]
		require.Equal(t, want.id, ev.RequestId, "served #%d", i)
		require.Equal(t, want.shares, ev.Shares.String(), "served #%d", i)
		require.Equal(t, want.payout, ev.Payout.String(), "served #%d", i)
		require.Equal(t, want.bid, ev.BidAmount.String(), "served #%d", i)
		require.Equal(t, want.proto, ev.ProtocolShare.String(), "served #%d", i)
		require.Equal(t, want.left, ev.RemainingShares.String(), "served #%d", i)
	}
	finished := eventsOf[*types.EventRoundFinished](f.ctx)
	require.Len(t, finished, 1)
	require.True(t, finished[0].LiquidityExhausted)
	require.Equal(t, uint64(3), finished[0].Served)

	// USDai paid straight to the requesters; bid shares to the protocol.
	require.Equal(t, before[bob.String()].Add(amt("950000000")).String(), f.balance(bob, usdai).String())
	require.Equal(t, before[carol.String()].Add(amt("485682158")).String(), f.balance(carol, usdai).String())
	require.Equal(t, before[alice.String()].Add(amt("56704342")).String(), f.balance(alice, usdai).String())
	require.Equal(t, amt("7613498").String(), f.moduleBalance("protocol_fees", usdai).String())
	v := f.view()
	require.Equal(t, "2", v.Vault.Idle.String())
	require.Equal(t, "1444809945", v.TotalShares.String(), "served shares are burned")
	require.Equal(t, []uint64{idAlice, idCarol0}, queueIDs(t, f))
	rest, err := f.k.Requests.Get(f.ctx, idAlice)
	require.NoError(t, err)
	require.Equal(t, "944809945", rest.Shares.String())
	round, err := f.k.Round.Get(f.ctx)
	require.NoError(t, err)
	require.False(t, round.Active)
	f.requireInvariants()

	// The loan repays; at the next close the rest is served, the bids kept in
	// the vault now paying the remaining requesters.
	f.fundModule(lending, sdk.NewCoin(usdai, usd(1_500)))
	pos := positionOf(usd(1_500), "0.10", genesisTime)
	_, err = f.k.ReceiveSenior(f.ctx, lending, pos, usd(1_500), math.ZeroInt())
	require.NoError(t, err)
	f.block(time.Hour)
	served = eventsOf[*types.EventRedeemServed](f.ctx)
	require.Len(t, served, 2)
	require.Equal(t, idAlice, served[0].RequestId)
	require.Equal(t, "971066865", served[0].Payout.String())
	require.Equal(t, idCarol0, served[1].RequestId)
	require.Equal(t, "527896469", served[1].Payout.String())
	require.Empty(t, queueIDs(t, f))
	require.True(t, f.bank.GetSupply(f.ctx, susdai).Amount.IsZero())
	f.requireInvariants()
}

// TestQueueServingIsBoundedAndResumes: five requests, three served per block;
// the round continues from its cursor next block. A request made during the
// round is not part of it even with the highest bid, and requests of the
// round cannot be changed until it ends.
func TestQueueServingIsBoundedAndResumes(t *testing.T) {
	f := setupWith(t, noTreasury)
	for _, who := range []sdk.AccAddress{alice, bob, carol} {
		f.deposit(who, usd(1_000))
	}
	share := amt("200000000")
	ids := []uint64{
		f.requestRedeem(alice, share, 0),
		f.requestRedeem(bob, share, 300),
		f.requestRedeem(carol, share, 100),
		f.requestRedeem(alice, share, 300),
		f.requestRedeem(bob, share, 50),
	}
	require.Equal(t, []uint64{ids[1], ids[3], ids[2], ids[4], ids[0]}, queueIDs(t, f))

	f.block(time.Hour)
	served := eventsOf[*types.EventRedeemServed](f.ctx)
	require.Len(t, served, 3)
	require.Equal(t, []uint64{ids[1], ids[3], ids[2]}, []uint64{served[0].RequestId, served[1].RequestId, served[2].RequestId})
	require.Equal(t, "194000000", served[0].Payout.String())
	require.Equal(t, "194374008", served[1].Payout.String())
	require.Equal(t, "198793585", served[2].Payout.String())
	round, err := f.k.Round.Get(f.ctx)
	require.NoError(t, err)
	require.True(t, round.Active)
	require.True(t, round.HasCursor)
	require.Equal(t, ids[2], round.CursorId)
	require.Equal(t, types.QueueBidKey(100), round.CursorBidKey)
	require.Empty(t, eventsOf[*types.EventRoundFinished](f.ctx))

	// During the round: a new top bid waits for the next epoch; round members are frozen.
	late := f.requestRedeem(carol, share, 10_000)
	_, err = f.msgs.UpdateBid(f.ctx, &types.MsgUpdateBid{Owner: alice.String(), RequestId: ids[0], BidBps: 400})
	require.ErrorIs(t, err, types.ErrRoundInProgress)
	_, err = f.msgs.CancelRedeem(f.ctx, &types.MsgCancelRedeem{Owner: bob.String(), RequestId: ids[4]})
	require.ErrorIs(t, err, types.ErrRoundInProgress)
	_, err = f.msgs.UpdateBid(f.ctx, &types.MsgUpdateBid{Owner: carol.String(), RequestId: late, BidBps: 10_000})
	require.ErrorIs(t, err, types.ErrInvalidBid, "a bid at the maximum cannot be raised")

	f.block(5 * time.Second)
	served = eventsOf[*types.EventRedeemServed](f.ctx)
	require.Len(t, served, 2)
	require.Equal(t, []uint64{ids[4], ids[0]}, []uint64{served[0].RequestId, served[1].RequestId})
	require.Equal(t, "199947379", served[0].Payout.String())
	require.Equal(t, "201034311", served[1].Payout.String())
	finished := eventsOf[*types.EventRoundFinished](f.ctx)
	require.Len(t, finished, 1)
	require.False(t, finished[0].LiquidityExhausted)
	require.Equal(t, uint64(5), finished[0].Served)
	require.Equal(t, []uint64{late}, queueIDs(t, f))
	round, err = f.k.Round.Get(f.ctx)
	require.NoError(t, err)
	require.False(t, round.Active)
	f.requireInvariants()
}

func TestRequestRedeemBadInput(t *testing.T) {
	f := setup(t)
	shares := f.deposit(alice, usd(100))
	for _, tc := range []struct {
		name   string
		owner  string
		shares math.Int
		bid    uint32
		err    error
	}{
		{"more shares than owned", alice.String(), shares.AddRaw(1), 0, types.ErrInsufficientShares},
		{"shares of someone else", bob.String(), shares, 0, types.ErrInsufficientShares},
		{"zero shares", alice.String(), math.ZeroInt(), 0, types.ErrInvalidAmount},
		{"negative shares", alice.String(), math.NewInt(-1), 0, types.ErrInvalidAmount},
		{"absurd shares", alice.String(), types.MaxShares.AddRaw(1), 0, types.ErrOverflow},
		{"bid above 10000", alice.String(), shares, 10_001, types.ErrInvalidBid},
		{"bad owner", "infra1xyz", shares, 0, sdkerrors.ErrInvalidAddress},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.msgs.RequestRedeem(f.ctx, &types.MsgRequestRedeem{Owner: tc.owner, Shares: tc.shares, BidBps: tc.bid})
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, shares.String(), f.balance(alice, susdai).String())
			require.Empty(t, queueIDs(t, f))
			require.True(t, f.view().Vault.EscrowedShares.IsZero())
		})
	}
	// A full bid is allowed (it gives the whole payout to the vault).
	f.requestRedeem(alice, shares, 10_000)
	f.requireInvariants()
}

func TestUpdateBid(t *testing.T) {
	f := setup(t)
	f.deposit(alice, usd(100))
	f.deposit(bob, usd(100))
	a := f.requestRedeem(alice, usd(10), 100)
	b := f.requestRedeem(bob, usd(10), 200)
	require.Equal(t, []uint64{b, a}, queueIDs(t, f))

	for _, tc := range []struct {
		name  string
		owner sdk.AccAddress
		id    uint64
		bid   uint32
		err   error
	}{
		{"lowering", alice, a, 50, types.ErrInvalidBid},
		{"same bid", alice, a, 100, types.ErrInvalidBid},
		{"above 10000", alice, a, 10_001, types.ErrInvalidBid},
		{"another's request", bob, a, 300, sdkerrors.ErrUnauthorized},
		{"unknown request", alice, 99, 300, types.ErrRequestNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.msgs.UpdateBid(f.ctx, &types.MsgUpdateBid{Owner: tc.owner.String(), RequestId: tc.id, BidBps: tc.bid})
			require.ErrorIs(t, err, tc.err)
			r, err := f.k.Requests.Get(f.ctx, a)
			require.NoError(t, err)
			require.Equal(t, uint32(100), r.BidBps)
		})
	}

	_, err := f.msgs.UpdateBid(f.ctx, &types.MsgUpdateBid{Owner: alice.String(), RequestId: a, BidBps: 300})
	require.NoError(t, err)
	require.Equal(t, []uint64{a, b}, queueIDs(t, f), "the raised bid moves ahead")
	evs := eventsOf[*types.EventBidUpdated](f.ctx)
	require.Len(t, evs, 1)
	require.Equal(t, uint32(100), evs[0].OldBidBps)
	require.Equal(t, uint32(300), evs[0].NewBidBps)
	// Raising to bob's bid keeps bob first: time breaks the tie.
	_, err = f.msgs.UpdateBid(f.ctx, &types.MsgUpdateBid{Owner: bob.String(), RequestId: b, BidBps: 300})
	require.NoError(t, err)
	require.Equal(t, []uint64{a, b}, queueIDs(t, f))
	f.requireInvariants()
}

func TestCancelRedeem(t *testing.T) {
	f := setup(t)
	shares := f.deposit(alice, usd(100))
	id := f.requestRedeem(alice, shares, 0)
	require.True(t, f.balance(alice, susdai).IsZero())

	_, err := f.msgs.CancelRedeem(f.ctx, &types.MsgCancelRedeem{Owner: bob.String(), RequestId: id})
	require.ErrorIs(t, err, sdkerrors.ErrUnauthorized)
	_, err = f.msgs.CancelRedeem(f.ctx, &types.MsgCancelRedeem{Owner: alice.String(), RequestId: 42})
	require.ErrorIs(t, err, types.ErrRequestNotFound)

	res, err := f.msgs.CancelRedeem(f.ctx, &types.MsgCancelRedeem{Owner: alice.String(), RequestId: id})
	require.NoError(t, err)
	require.Equal(t, shares.String(), res.Shares.String())
	require.Equal(t, shares.String(), f.balance(alice, susdai).String())
	require.Empty(t, queueIDs(t, f))
	f.requireInvariants()

	// After the cutoff (epoch end − 10 min) the queue is frozen until the close.
	id = f.requestRedeem(alice, shares, 0)
	f.advance(50 * time.Minute)
	_, err = f.msgs.CancelRedeem(f.ctx, &types.MsgCancelRedeem{Owner: alice.String(), RequestId: id})
	require.ErrorIs(t, err, types.ErrCancelClosed)
	require.True(t, f.balance(alice, susdai).IsZero())
	epoch, err := f.query.Epoch(f.ctx, &types.QueryEpochRequest{})
	require.NoError(t, err)
	require.False(t, epoch.Cancellable)
	require.Equal(t, genesisTime.Add(50*time.Minute), epoch.CancelCutoff)
	f.requireInvariants()
}

// positionOf rebuilds the position FundSenior returned (x/lending keeps it).
func positionOf(balance math.Int, rate string, since time.Time) types.SeniorPosition {
	return types.SeniorPosition{Balance: balance, Rate: dec(rate), Since: since, WriteDown: math.ZeroInt()}
}

// TestRequestIndexKeys: a new request gets exactly the owner and queue keys
// Requests' indexes derive (insertRequest writes them without
// IndexedMap.Set), a raised bid moves its queue key, and
// RequestIndexesInvariant catches a missing or a stale key.
func TestRequestIndexKeys(t *testing.T) {
	f := setup(t)
	f.deposit(alice, usd(1_000))
	f.deposit(bob, usd(1_000))
	a := f.requestRedeem(alice, usd(100), 100)
	b := f.requestRedeem(bob, usd(200), 0)
	f.requireInvariants()

	idx := f.k.Requests.Indexes
	has := func(ok bool, err error) bool { require.NoError(t, err); return ok }
	require.True(t, has(idx.Owner.Has(f.ctx, collections.Join(alice, a))))
	require.True(t, has(idx.Owner.Has(f.ctx, collections.Join(bob, b))))
	require.False(t, has(idx.Owner.Has(f.ctx, collections.Join(alice, b))))
	require.True(t, has(idx.Queue.Has(f.ctx, collections.Join(types.QueueBidKey(100), a))))
	require.True(t, has(idx.Queue.Has(f.ctx, collections.Join(types.QueueBidKey(0), b))))
	// The owner query pages through the owner index.
	res, err := f.query.RedeemRequests(f.ctx, &types.QueryRedeemRequestsRequest{Owner: alice.String()})
	require.NoError(t, err)
	require.Len(t, res.Requests, 1)
	require.Equal(t, a, res.Requests[0].Id)
	require.Equal(t, []uint64{a, b}, queueIDs(t, f))

	_, err = f.k.UpdateBid(f.ctx, bob, b, 500)
	require.NoError(t, err)
	require.False(t, has(idx.Queue.Has(f.ctx, collections.Join(types.QueueBidKey(0), b))))
	require.Equal(t, []uint64{b, a}, queueIDs(t, f))
	f.requireInvariants()

	inv := keeper.RequestIndexesInvariant(f.k)
	for _, c := range []struct {
		name    string
		corrupt func(ctx sdk.Context) error
		want    string
	}{
		{"missing owner key", func(ctx sdk.Context) error {
			return idx.Owner.Remove(ctx, collections.Join(alice, a))
		}, fmt.Sprintf("request %d (bid 100 bps) has no owner index key", a)},
		{"missing queue key", func(ctx sdk.Context) error {
			return idx.Queue.Remove(ctx, collections.Join(types.QueueBidKey(500), b))
		}, fmt.Sprintf("request %d (bid 500 bps) has no queue index key", b)},
		{"stale queue key", func(ctx sdk.Context) error {
			return idx.Queue.Set(ctx, collections.Join(types.QueueBidKey(0), b))
		}, "queue index holds 3 keys for 2 requests"},
	} {
		ctx, _ := f.ctx.CacheContext()
		require.NoError(t, c.corrupt(ctx), c.name)
		msg, broken := inv(ctx)
		require.True(t, broken, c.name)
		require.Contains(t, msg, c.want, c.name)
	}
}
