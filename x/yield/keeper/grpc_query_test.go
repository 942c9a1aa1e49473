package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/math"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/infrafi/infrafi/x/yield/types"
)

func TestQueries(t *testing.T) {
	f := setupWith(t, noTreasury)
	f.deposit(alice, usd(1_000))
	f.deposit(bob, usd(1_000))
	ids := []uint64{
		f.requestRedeem(alice, usd(100), 0),
		f.requestRedeem(bob, usd(100), 200),
		f.requestRedeem(alice, usd(100), 100),
	}

	params, err := f.query.Params(f.ctx, &types.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, uint32(3), params.Params.MaxRedemptionsPerBlock)

	vault, err := f.query.Vault(f.ctx, &types.QueryVaultRequest{})
	require.NoError(t, err)
	require.Equal(t, usd(2_000).String(), vault.Vault.Nav.String())
	require.Equal(t, usd(2_000).String(), vault.Vault.Idle.String())
	require.Equal(t, "2000000000", vault.Vault.TotalShares.String())
	require.Equal(t, usd(300).String(), vault.Vault.EscrowedShares.String())
	require.Equal(t, "1.000000000000000000", vault.Vault.SharePrice.String())
	require.Equal(t, usd(300).String(), vault.Vault.Reserved.String(), "300 × 10^6 shares are worth 300 USDai at price 1")
	require.Equal(t, usd(200).String(), vault.Vault.Buffer.String())

	// Queue: service order, paginated.
	page1, err := f.query.Queue(f.ctx, &types.QueryQueueRequest{Pagination: &query.PageRequest{Limit: 2, CountTotal: true}})
	require.NoError(t, err)
	require.Len(t, page1.Requests, 2)
	require.Equal(t, []uint64{ids[1], ids[2]}, []uint64{page1.Requests[0].Id, page1.Requests[1].Id})
	require.Equal(t, uint64(3), page1.Pagination.Total)
	page2, err := f.query.Queue(f.ctx, &types.QueryQueueRequest{Pagination: &query.PageRequest{Key: page1.Pagination.NextKey}})
	require.NoError(t, err)
	require.Len(t, page2.Requests, 1)
	require.Equal(t, ids[0], page2.Requests[0].Id)

	// By owner.
	mine, err := f.query.RedeemRequests(f.ctx, &types.QueryRedeemRequestsRequest{Owner: alice.String()})
	require.NoError(t, err)
	require.Len(t, mine.Requests, 2)
	require.Equal(t, []uint64{ids[0], ids[2]}, []uint64{mine.Requests[0].Id, mine.Requests[1].Id})
	for _, r := range mine.Requests {
		require.Equal(t, alice.String(), r.Owner)
	}
	none, err := f.query.RedeemRequests(f.ctx, &types.QueryRedeemRequestsRequest{Owner: carol.String()})
	require.NoError(t, err)
	require.Empty(t, none.Requests)
	_, err = f.query.RedeemRequests(f.ctx, &types.QueryRedeemRequestsRequest{Owner: "nope"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))

	one, err := f.query.RedeemRequest(f.ctx, &types.QueryRedeemRequestRequest{Id: ids[1]})
	require.NoError(t, err)
	require.Equal(t, uint32(200), one.Request.BidBps)
	require.Equal(t, genesisTime, one.Request.RequestedAt)
	require.Equal(t, uint64(1), one.Request.Epoch)
	_, err = f.query.RedeemRequest(f.ctx, &types.QueryRedeemRequestRequest{Id: 99})
	require.Equal(t, codes.NotFound, status.Code(err))

	epoch, err := f.query.Epoch(f.ctx, &types.QueryEpochRequest{})
	require.NoError(t, err)
	require.Equal(t, uint64(1), epoch.Epoch.Number)
	require.Equal(t, genesisTime, epoch.Epoch.Start)
	require.Equal(t, genesisTime.Add(time.Hour), epoch.Epoch.End)
	require.True(t, epoch.Cancellable)
	require.False(t, epoch.Round.Active)
	require.Equal(t, usd(300).String(), epoch.QueuedShares.String())

	apr, err := f.query.APR(f.ctx, &types.QueryAPRRequest{})
	require.NoError(t, err)
	require.Len(t, apr.Realized, 3)
	require.True(t, apr.Projected.IsZero(), "idle only earns nothing")

	// Nil requests.
	_, err = f.query.Params(f.ctx, nil)
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	_, err = f.query.Vault(f.ctx, nil)
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	_, err = f.query.Queue(f.ctx, nil)
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	_, err = f.query.Epoch(f.ctx, nil)
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}

// TestEpochs: epochs follow a fixed grid; a long halt skips to the next
// boundary; closing while a round is unfinished restarts the round.
func TestEpochs(t *testing.T) {
	f := setupWith(t, noTreasury)
	f.block(59 * time.Minute)
	require.Empty(t, eventsOf[*types.EventEpochClosed](f.ctx))
	f.block(time.Minute)
	closed := eventsOf[*types.EventEpochClosed](f.ctx)
	require.Len(t, closed, 1)
	require.Equal(t, uint64(1), closed[0].Epoch)
	require.Equal(t, genesisTime.Add(2*time.Hour), closed[0].NextEnd)

	f.block(3*time.Hour + 30*time.Minute) // chain halted for hours
	epoch, err := f.k.Epoch.Get(f.ctx)
	require.NoError(t, err)
	require.Equal(t, uint64(3), epoch.Number)
	require.Equal(t, genesisTime.Add(2*time.Hour), epoch.Start)
	require.Equal(t, genesisTime.Add(5*time.Hour), epoch.End)
}

func TestUpdateParams(t *testing.T) {
	f := setup(t)
	p := testParams()
	p.EpochLength = 2 * time.Hour

	_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: stranger.String(), Params: p})
	require.ErrorIs(t, err, sdkerrors.ErrUnauthorized)
	bad := p
	bad.AdminFeeBps = 10_001
	_, err = f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority.String(), Params: bad})
	require.ErrorIs(t, err, types.ErrInvalidParams)
	got, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	require.Equal(t, time.Hour, got.EpochLength)

	_, err = f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority.String(), Params: p})
	require.NoError(t, err)
	got, err = f.k.GetParams(f.ctx)
	require.NoError(t, err)
	require.Equal(t, p, got)
	require.Len(t, eventsOf[*types.EventParamsUpdated](f.ctx), 1)
	// The current epoch keeps its end; the new length applies from the next one.
	f.block(time.Hour)
	epoch, err := f.k.Epoch.Get(f.ctx)
	require.NoError(t, err)
	require.Equal(t, genesisTime.Add(3*time.Hour), epoch.End)

	// Without a treasury position the custodian may change.
	p.TreasuryCustodian = stranger.String()
	_, err = f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority.String(), Params: p})
	require.NoError(t, err)
	require.True(t, math.ZeroInt().Equal(f.treasury().Principal))
}
