package keeper_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/caliber/types"
)

const staleEvent = "infrafi.caliber.v1.EventCustodyStale"

func (f *fixture) attest(ids ...uint64) error {
	_, err := f.msgs.AttestCustody(f.ctx, &types.MsgAttestCustody{
		Custodian: custodian.String(), TitleIds: ids, Online: true, UptimeBps: 9_990, Facility: "DAL-02",
	})
	return err
}

func (f *fixture) isStale(id uint64) bool {
	f.t.Helper()
	stale, err := f.k.IsStale(f.ctx, id)
	require.NoError(f.t, err)
	return stale
}

func (f *fixture) queueLen() int {
	f.t.Helper()
	n := 0
	require.NoError(f.t, f.k.CustodyExpiry.Walk(f.ctx, nil, func(collections.Pair[time.Time, uint64]) (bool, error) {
		n++
		return false, nil
	}))
	return n
}

func TestAttestCustodyRefreshesAndStalenessFiresOnce(t *testing.T) {
	f := setup(t)
	id := f.active()
	maxAge := types.DefaultCustodyAttestationMaxAge

	f.advance(maxAge - time.Second)
	require.False(t, f.isStale(id))
	require.Empty(t, typedEvents(f.endBlock(), staleEvent))

	f.advance(time.Second)
	require.True(t, f.isStale(id), "IsStale is true at expiry even before EndBlock")
	events := f.endBlock()
	require.Len(t, typedEvents(events, staleEvent), 1)
	require.Equal(t, []uint64{id}, f.hooks.stale)
	c, err := f.k.Custody.Get(f.ctx, id)
	require.NoError(t, err)
	require.True(t, c.Stale)
	require.Zero(t, f.queueLen(), "a stale title leaves the queue")

	// Once per lapse: later blocks do not fire again.
	f.advance(time.Hour)
	require.Empty(t, typedEvents(f.endBlock(), staleEvent))
	require.Equal(t, []uint64{id}, f.hooks.stale)

	// A new attestation clears it and re-queues it; a second lapse fires again.
	require.NoError(t, f.attest(id))
	require.False(t, f.isStale(id))
	c, err = f.k.Custody.Get(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, types.Custody{
		TitleId: id, LastAttestedAt: f.ctx.BlockTime(), ExpiresAt: f.ctx.BlockTime().Add(maxAge),
		Online: true, UptimeBps: 9_990, Facility: "DAL-02",
	}, c)
	require.Equal(t, 1, f.queueLen())
	require.NoError(t, f.k.Pledge(f.ctx, id, owner, lien))
	f.advance(maxAge)
	require.Len(t, typedEvents(f.endBlock(), staleEvent), 1)
	require.Equal(t, []uint64{id, id}, f.hooks.stale)
	require.Equal(t, []uint64{0, lien}, f.hooks.liens, "the hook gets the title's lien")

	// An attestation before expiry moves the queued entry instead of adding one.
	require.NoError(t, f.attest(id))
	f.advance(time.Minute)
	require.NoError(t, f.attest(id))
	require.Equal(t, 1, f.queueLen())
	f.requireInvariants()
}

func TestStalenessWalkIsBoundedPerBlock(t *testing.T) {
	f := setup(t)
	params, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	params.MaxStaleChecksPerBlock = 7
	require.NoError(t, f.k.SetParams(f.ctx, params))

	const n = 30
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = f.active(f.nextSerials(1)...)
		f.advance(time.Second) // distinct expiry times, in id order
	}
	// One fresh title whose expiry is far away must never be touched.
	f.advance(time.Hour)
	fresh := f.active(f.nextSerials(1)...)
	f.advance(types.DefaultCustodyAttestationMaxAge - time.Minute)
	require.False(t, f.isStale(fresh))

	var fired []uint64
	for block := 0; len(fired) < n; block++ {
		require.Less(t, block, 10, "the walk must finish in ceil(30/7) blocks")
		events := f.endBlock()
		got := len(typedEvents(events, staleEvent))
		require.LessOrEqual(t, got, 7, "bound respected")
		fired = f.hooks.stale
		f.advance(time.Second)
	}
	require.Equal(t, ids, fired, "oldest first, each once, the cursor continuing across blocks")
	require.Equal(t, 1, f.queueLen(), "only the fresh title is queued")
	require.False(t, f.isStale(fresh))
}

func TestStaleHookErrorIsLoggedNotFatal(t *testing.T) {
	f := setup(t)
	a, b := f.active(), f.active()
	f.hooks.fail = errHook
	f.hooks.onCall = func(ctx context.Context) {
		// A write the failed hook makes must be discarded.
		require.NoError(t, f.k.Serials.Set(ctx, "HOOK-WRITE", 1))
	}
	f.advance(types.DefaultCustodyAttestationMaxAge)
	events := f.endBlock()
	require.Len(t, typedEvents(events, staleEvent), 2, "both titles are marked despite the hook")
	require.Equal(t, []uint64{a, b}, f.hooks.stale)
	has, err := f.k.Serials.Has(f.ctx, "HOOK-WRITE")
	require.NoError(t, err)
	require.False(t, has)
	require.True(t, f.isStale(a))

	// A panicking hook is contained too.
	f.hooks.fail, f.hooks.panics = nil, true
	require.NoError(t, f.attest(a))
	f.advance(types.DefaultCustodyAttestationMaxAge)
	require.Len(t, typedEvents(f.endBlock(), staleEvent), 1)
}

func TestAttestCustodyBadInput(t *testing.T) {
	f := setup(t)
	mine := f.active()
	pending := f.mint()
	other := f.mint()
	// other is held by custodian2.
	title := f.title(other)
	title.Custodian = custodian2.String()
	require.NoError(t, f.k.Titles.Set(f.ctx, other, title))
	_, err := f.msgs.ConfirmCustody(f.ctx, &types.MsgConfirmCustody{Custodian: custodian2.String(), TitleId: other})
	require.NoError(t, err)
	casualty := f.toStatus(types.StatusCasualty)
	before := f.state()

	tests := map[string]struct {
		msg *types.MsgAttestCustody
		err error
	}{
		"not a custodian":        {&types.MsgAttestCustody{Custodian: stranger.String(), TitleIds: []uint64{mine}}, sdkerrors.ErrUnauthorized},
		"someone else's title":   {&types.MsgAttestCustody{Custodian: custodian.String(), TitleIds: []uint64{mine, other}}, sdkerrors.ErrUnauthorized},
		"pending title":          {&types.MsgAttestCustody{Custodian: custodian.String(), TitleIds: []uint64{mine, pending}}, types.ErrInvalidStatus},
		"casualty title":         {&types.MsgAttestCustody{Custodian: custodian.String(), TitleIds: []uint64{casualty}}, types.ErrInvalidStatus},
		"unknown title":          {&types.MsgAttestCustody{Custodian: custodian.String(), TitleIds: []uint64{mine, 999}}, types.ErrTitleNotFound},
		"empty list":             {&types.MsgAttestCustody{Custodian: custodian.String()}, types.ErrInvalidAttestation},
		"duplicate id":           {&types.MsgAttestCustody{Custodian: custodian.String(), TitleIds: []uint64{mine, mine}}, types.ErrInvalidAttestation},
		"uptime above 10000":     {&types.MsgAttestCustody{Custodian: custodian.String(), TitleIds: []uint64{mine}, UptimeBps: 10_001}, types.ErrInvalidAttestation},
		"more than the param":    {&types.MsgAttestCustody{Custodian: custodian.String(), TitleIds: seq(101)}, types.ErrInvalidAttestation},
		"more than the hard cap": {&types.MsgAttestCustody{Custodian: custodian.String(), TitleIds: seq(1001)}, types.ErrInvalidAttestation},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := f.msgs.AttestCustody(f.ctx, tc.msg)
			f.requireUnchanged(before, err, tc.err)
		})
	}
}

func seq(n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = uint64(i + 1)
	}
	return out
}

func TestIsStaleUnknownTitle(t *testing.T) {
	f := setup(t)
	_, err := f.k.IsStale(f.ctx, 42)
	require.ErrorIs(t, err, types.ErrTitleNotFound)
}

// TestCollateralMatchesValuationAndIsStale: Collateral, which reads a title
// once, returns what GetValuation and IsStale return, errors included, for
// unknown, pending, appraised, unappraised and stale titles.
func TestCollateralMatchesValuationAndIsStale(t *testing.T) {
	f := setup(t)
	appraised, bare, pending := f.active(), f.active(), f.mint()
	require.NoError(t, f.appraise(appraiser1, appraised, 200_000_000_000, year))
	ids := []uint64{appraised, bare, pending, 999}
	check := func(when string) {
		for _, id := range ids {
			got := f.k.Collateral(f.ctx, id)
			v, verr := f.k.GetValuation(f.ctx, id)
			stale, serr := f.k.IsStale(f.ctx, id)
			require.Equal(t, v, got.Valuation, "%s: title %d", when, id)
			require.Equal(t, fmt.Sprint(verr), fmt.Sprint(got.ValuationErr), "%s: title %d", when, id)
			require.Equal(t, stale, got.Stale, "%s: title %d", when, id)
			require.Equal(t, fmt.Sprint(serr), fmt.Sprint(got.StaleErr), "%s: title %d", when, id)
		}
	}
	check("fresh")
	require.True(t, f.k.Collateral(f.ctx, appraised).Valuation.Value.IsPositive())
	require.ErrorIs(t, f.k.Collateral(f.ctx, 999).StaleErr, types.ErrTitleNotFound)
	f.advance(types.DefaultCustodyAttestationMaxAge)
	require.True(t, f.k.Collateral(f.ctx, appraised).Stale, "custody lapsed")
	check("stale")
}
