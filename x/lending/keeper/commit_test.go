package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/lending/types"
)

func (f *fixture) committed(t *testing.T) math.Int {
	t.Helper()
	c, err := f.vault.GetCommitted(f.ctx)
	require.NoError(t, err)
	return c
}

// TestPendingLoansCommitFunding: a request commits its principal; cancel,
// expiry and underwriting release it; underwriting may not use another
// PENDING loan's commitment, and a refused underwriting keeps its own.
func TestPendingLoansCommitFunding(t *testing.T) {
	f := setup(t)
	// The vault has 20,000 for loans.
	f.vault.reserved = usd(1_000_000 - 20_000)
	a := f.request(t, usd(10_000), 1)
	require.Equal(t, usd(10_000), f.committed(t))
	fundable, err := f.vault.Fundable(f.ctx)
	require.NoError(t, err)
	require.Equal(t, usd(10_000), fundable)
	b := f.request(t, usd(12_000), 2)
	require.Equal(t, usd(22_000), f.committed(t))
	f.checkInvariants(t)

	// b's senior part is 10,800; without b's own commitment the vault has
	// 20,000 − 10,000 (a's commitment): refused, nothing changes.
	before := f.snapshot(t)
	_, err = f.k.UnderwriteLoan(f.ctx, curator, b, apr15, usd(1_200))
	require.ErrorIs(t, err, types.ErrInsufficientLiquidity)
	require.Equal(t, before, f.snapshot(t))
	require.Equal(t, usd(22_000), f.committed(t))
	require.Equal(t, types.LoanPending, f.loan(t, b).Status)

	// Cancelling a releases its commitment; b is funded and releases its own.
	require.NoError(t, f.k.CancelLoanRequest(f.ctx, borrower, a))
	require.Equal(t, usd(12_000), f.committed(t))
	f.checkInvariants(t)
	_, err = f.k.UnderwriteLoan(f.ctx, curator, b, apr15, usd(1_200))
	require.NoError(t, err)
	require.Equal(t, types.LoanActive, f.loan(t, b).Status)
	require.True(t, f.committed(t).IsZero())
	f.checkInvariants(t)

	// Underwriting a loan that is not PENDING releases nothing.
	before = f.snapshot(t)
	_, err = f.k.UnderwriteLoan(f.ctx, curator, b, apr15, usd(1_200))
	require.ErrorIs(t, err, types.ErrInvalidLoanStatus)
	require.Equal(t, before, f.snapshot(t))

	// Expiry releases the commitment.
	c := f.request(t, usd(5_000), 3)
	require.Equal(t, usd(5_000), f.committed(t))
	params, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	f.ctx = f.ctx.WithBlockTime(f.loan(t, c).PendingExpiresAt.Add(params.MaxPendingAge))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, types.LoanExpired, f.loan(t, c).Status)
	require.True(t, f.committed(t).IsZero())
	f.checkInvariants(t)
}
