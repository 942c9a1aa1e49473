package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/yield/types"
)

func (f *fixture) committed() math.Int {
	f.t.Helper()
	c, err := f.k.GetCommitted(f.ctx)
	require.NoError(f.t, err)
	return c
}

// TestCommitAndReleaseFunding: commitments leave Fundable, refuse a funding
// that would use them and are released at most up to the committed total.
func TestCommitAndReleaseFunding(t *testing.T) {
	f := setupWith(t, noTreasury)
	f.deposit(alice, usd(1_000))
	require.True(t, f.committed().IsZero())
	require.Equal(t, usd(900).String(), f.view().Fundable.String())

	require.NoError(t, f.k.CommitFunding(f.ctx, usd(300)))
	evs := eventsOf[*types.EventFundingCommitted](f.ctx)
	require.Len(t, evs, 1)
	require.Equal(t, usd(300).String(), evs[0].Committed.String())
	v := f.view()
	require.Equal(t, usd(300).String(), v.Committed.String())
	require.Equal(t, usd(600).String(), v.Fundable.String(), "1,000 − 100 buffer − 300 committed")
	sum, err := v.Summary()
	require.NoError(t, err)
	require.Equal(t, usd(300).String(), sum.Committed.String())
	fundable, err := f.k.Fundable(f.ctx)
	require.NoError(t, err)
	require.Equal(t, usd(600).String(), fundable.String())
	_, err = f.k.FundSenior(f.ctx, lending, usd(601), dec("0.1"))
	require.ErrorIs(t, err, types.ErrInsufficientLiquidity)

	// Commitments may exceed idle: Fundable floors at zero.
	require.NoError(t, f.k.CommitFunding(f.ctx, usd(1_000)))
	require.True(t, f.view().Fundable.IsZero())

	// Bad amounts and releasing more than committed are refused, changing nothing.
	require.ErrorIs(t, f.k.CommitFunding(f.ctx, math.ZeroInt()), types.ErrInvalidAmount)
	require.ErrorIs(t, f.k.CommitFunding(f.ctx, math.NewInt(-1)), types.ErrInvalidAmount)
	require.ErrorIs(t, f.k.CommitFunding(f.ctx, types.MaxAssets), types.ErrOverflow)
	require.ErrorIs(t, f.k.ReleaseFunding(f.ctx, math.ZeroInt()), types.ErrInvalidAmount)
	require.ErrorIs(t, f.k.ReleaseFunding(f.ctx, usd(1_301)), types.ErrInvalidAmount)
	require.Equal(t, usd(1_300).String(), f.committed().String())

	require.NoError(t, f.k.ReleaseFunding(f.ctx, usd(1_000)))
	rel := eventsOf[*types.EventFundingReleased](f.ctx)
	require.Len(t, rel, 1)
	require.Equal(t, usd(300).String(), rel[0].Committed.String())
	require.Equal(t, usd(600).String(), f.view().Fundable.String())
	require.NoError(t, f.k.ReleaseFunding(f.ctx, usd(300)))
	require.True(t, f.committed().IsZero())
	_, err = f.k.FundSenior(f.ctx, lending, usd(900), dec("0.1"))
	require.NoError(t, err)
	f.requireInvariants()
}

// TestRebalanceKeepsCommittedIdle: the rebalance keeps buffer + committed
// idle, and recalls from the treasury when a new commitment finds idle short.
func TestRebalanceKeepsCommittedIdle(t *testing.T) {
	f := setup(t)
	f.deposit(alice, usd(1_000))
	require.NoError(t, f.k.CommitFunding(f.ctx, usd(300)))
	f.endBlock()
	require.Equal(t, usd(600).String(), f.treasury().Principal.String(), "1,000 − 100 buffer − 300 committed")
	v := f.view()
	require.Equal(t, usd(400).String(), v.Vault.Idle.String())
	require.True(t, v.Fundable.IsZero())
	require.True(t, f.treasury().Recall.IsZero())

	// A further commitment of 200: the next rebalance recalls what is short.
	require.NoError(t, f.k.CommitFunding(f.ctx, usd(200)))
	f.block(time.Hour)
	v = f.view()
	tr := f.treasury()
	want := v.Buffer.Add(usd(500)).Sub(v.Vault.Idle)
	require.Equal(t, want.String(), tr.Recall.String())
	require.True(t, tr.Recall.GTE(usd(200)), "recall %s", tr.Recall)
	require.Equal(t, usd(600).String(), tr.Principal.String(), "nothing more allocated")
	recalls := eventsOf[*types.EventTreasuryRecall](f.ctx)
	require.Len(t, recalls, 1)
	require.Equal(t, tr.Recall.String(), recalls[0].Recall.String())

	// The custodian settles; the committed liquidity is idle and stays there.
	_, err := f.settle(tr.Recall, math.ZeroInt())
	require.NoError(t, err)
	v = f.view()
	require.True(t, v.Vault.Idle.GTE(v.Buffer.Add(usd(500))))
	f.block(time.Hour)
	require.True(t, f.view().Vault.Idle.GTE(f.view().Buffer.Add(usd(500))), "the next rebalance does not re-allocate the commitment")

	// Released, the commitment is fundable; funded, it leaves idle.
	require.NoError(t, f.k.ReleaseFunding(f.ctx, usd(500)))
	fundable, err := f.k.Fundable(f.ctx)
	require.NoError(t, err)
	require.True(t, fundable.GTE(usd(500)), "fundable %s", fundable)
	_, err = f.k.FundSenior(f.ctx, lending, usd(500), dec("0.1"))
	require.NoError(t, err)
	f.requireInvariants()
}
