package keeper_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/infrafi/infrafi/x/caliber/keeper"
	"github.com/infrafi/infrafi/x/caliber/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

const year = 365 * 24 * time.Hour

func TestAppraiseKeepsLatestPerAppraiserAndCallsHook(t *testing.T) {
	f := setup(t)
	id := f.active()
	require.NoError(t, f.appraise(appraiser1, id, 200_000_000_000, year))
	require.NoError(t, f.appraise(appraiser2, id, 240_000_000_000, year))
	f.advance(time.Hour)
	require.NoError(t, f.k.Pledge(f.ctx, id, owner, lien))
	require.NoError(t, f.appraise(appraiser1, id, 220_000_000_000, year))
	require.Equal(t, []uint64{id, id, id}, f.hooks.valuation)
	require.Equal(t, []uint64{0, 0, lien}, f.hooks.liens, "the hook gets the title's lien")

	res, err := f.query.Appraisals(f.ctx, &types.QueryAppraisalsRequest{TitleId: id})
	require.NoError(t, err)
	require.Len(t, res.Appraisals, 2, "one per appraiser")
	byAppraiser := map[string]types.Appraisal{}
	for _, a := range res.Appraisals {
		byAppraiser[a.Appraiser] = a
	}
	require.Equal(t, math.NewInt(220_000_000_000), byAppraiser[appraiser1.String()].Value)
	require.Equal(t, genesisTime.Add(time.Hour), byAppraiser[appraiser1.String()].AppraisedAt)

	// A pending title may be appraised (before custody is confirmed).
	require.NoError(t, f.appraise(appraiser1, f.mint(), 1, time.Hour))

	// A hook error fails the appraisal.
	f.hooks.fail = errHook
	require.ErrorIs(t, f.appraise(appraiser2, id, 1, time.Hour), errHook)
}

func TestAppraiseBadInput(t *testing.T) {
	f := setup(t)
	id := f.active()
	casualty := f.toStatus(types.StatusCasualty)
	before := f.state()
	now := f.ctx.BlockTime()

	tests := map[string]struct {
		mutate func(m *types.MsgAppraise)
		err    error
	}{
		"non-appraiser":             {func(m *types.MsgAppraise) { m.Appraiser = issuer.String() }, sdkerrors.ErrUnauthorized},
		"stranger":                  {func(m *types.MsgAppraise) { m.Appraiser = stranger.String() }, sdkerrors.ErrUnauthorized},
		"zero value":                {func(m *types.MsgAppraise) { m.Value = math.ZeroInt() }, types.ErrInvalidAppraisal},
		"negative value":            {func(m *types.MsgAppraise) { m.Value = math.NewInt(-5) }, types.ErrInvalidAppraisal},
		"absurd value":              {func(m *types.MsgAppraise) { m.Value = types.MaxAmount.AddRaw(1) }, types.ErrInvalidAppraisal},
		"valid_until in the past":   {func(m *types.MsgAppraise) { m.ValidUntil = now.Add(-time.Second) }, types.ErrInvalidExpiry},
		"valid_until at block time": {func(m *types.MsgAppraise) { m.ValidUntil = now }, types.ErrInvalidExpiry},
		"valid_until too far":       {func(m *types.MsgAppraise) { m.ValidUntil = now.Add(year + time.Second) }, types.ErrInvalidExpiry},
		"unset valid_until":         {func(m *types.MsgAppraise) { m.ValidUntil = time.Time{} }, types.ErrInvalidExpiry},
		"bad report hash":           {func(m *types.MsgAppraise) { m.ReportSha256 = "XYZ" }, types.ErrInvalidAppraisal},
		"uppercase report hash": {func(m *types.MsgAppraise) {
			m.ReportSha256 = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
		}, types.ErrInvalidAppraisal},
		"unknown title":  {func(m *types.MsgAppraise) { m.TitleId = 999 }, types.ErrTitleNotFound},
		"casualty title": {func(m *types.MsgAppraise) { m.TitleId = casualty }, types.ErrInvalidStatus},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			msg := &types.MsgAppraise{
				Appraiser: appraiser1.String(), TitleId: id, Value: math.NewInt(100),
				ValidUntil: now.Add(time.Hour), ReportSha256: reportA,
			}
			tc.mutate(msg)
			_, err := f.msgs.Appraise(f.ctx, msg)
			f.requireUnchanged(before, err, tc.err)
			require.Empty(t, f.hooks.valuation)
		})
	}
}

func TestGetValuationThroughState(t *testing.T) {
	f := setup(t)
	id := f.active() // 8 units of h100: depreciation 0.2/yr, residual 0.2, min 1 appraisal

	_, err := f.k.GetValuation(f.ctx, id)
	require.ErrorIs(t, err, types.ErrNoValuation, "no appraisal")
	_, err = f.k.GetValuation(f.ctx, 999)
	require.ErrorIs(t, err, types.ErrTitleNotFound)

	require.NoError(t, f.appraise(appraiser1, id, 200_000_000_000, year))
	require.NoError(t, f.appraise(appraiser2, id, 240_000_000_000, year))
	require.NoError(t, f.appraise(appraiser3, id, 300_000_000_000, year))
	f.advance(year / 2) // factor 0.9

	v, err := f.k.GetValuation(f.ctx, id)
	require.NoError(t, err)
	require.Len(t, v.Appraisals, 3)
	for _, a := range v.Appraisals {
		require.Equal(t, dec("0.9"), a.Factor)
	}
	require.Equal(t, math.NewInt(216_000_000_000), v.AppraisedValue, "median of 180, 216, 270 (×10^9)")
	require.False(t, v.HasMarketValue)
	require.Equal(t, v.AppraisedValue, v.Value)
	require.Equal(t, types.BoundByAppraisal, v.BoundBy)

	// A valid market price below the appraisal caps the value: 8 × 25,000 USDai.
	f.oracle.prices[h100Feed] = oracletypes.Price{FeedId: h100Feed, Value: dec("25000000000"), Valid: true}
	v, err = f.k.GetValuation(f.ctx, id)
	require.NoError(t, err)
	require.True(t, v.HasMarketValue)
	require.Equal(t, math.NewInt(200_000_000_000), v.MarketValue)
	require.Equal(t, math.NewInt(200_000_000_000), v.Value)
	require.Equal(t, types.BoundByMarket, v.BoundBy)

	// An invalid (stale) price is ignored.
	f.oracle.prices[h100Feed] = oracletypes.Price{FeedId: h100Feed, Value: dec("1"), Valid: false}
	v, err = f.k.GetValuation(f.ctx, id)
	require.NoError(t, err)
	require.False(t, v.HasMarketValue)
	require.Equal(t, math.NewInt(216_000_000_000), v.Value)

	// A deactivated appraiser's appraisal stops counting: median of 180 and 270 = 225.
	_, err = f.k.SetPartyActive(f.ctx, appraiser2, false)
	require.NoError(t, err)
	v, err = f.k.GetValuation(f.ctx, id)
	require.NoError(t, err)
	require.Len(t, v.Appraisals, 2)
	require.Equal(t, math.NewInt(225_000_000_000), v.Value)

	// The query serves the same valuation.
	res, err := f.query.Valuation(f.ctx, &types.QueryValuationRequest{TitleId: id})
	require.NoError(t, err)
	require.Equal(t, v, res.Valuation)

	// Once every appraisal has expired there is no value.
	f.advance(year)
	_, err = f.k.GetValuation(f.ctx, id)
	require.ErrorIs(t, err, types.ErrNoValuation)
}

func TestValuationNeedsClassMinAppraisals(t *testing.T) {
	f := setup(t)
	msg := f.mintMsg(storage, f.nextSerials(2)...)
	res, err := f.msgs.MintTitle(f.ctx, msg)
	require.NoError(t, err)
	require.NoError(t, f.appraise(appraiser1, res.TitleId, 1_000_000, year))
	_, err = f.k.GetValuation(f.ctx, res.TitleId)
	require.ErrorIs(t, err, types.ErrNoValuation, "storage needs 2 appraisals")
	require.NoError(t, f.appraise(appraiser2, res.TitleId, 2_000_000, year))
	v, err := f.k.GetValuation(f.ctx, res.TitleId)
	require.NoError(t, err)
	require.Equal(t, math.NewInt(1_500_000), v.Value, "even count: mean of the middle two")
}

// TestTitleAppraisalsOrderAndPaging: a title's appraisals live in one record
// ordered by appraiser address text, whatever order they arrive in; the
// query pages them by that order.
func TestTitleAppraisalsOrderAndPaging(t *testing.T) {
	f := setup(t)
	id := f.active()
	for i, a := range []sdk.AccAddress{appraiser3, appraiser1, appraiser2} {
		require.NoError(t, f.appraise(a, id, int64(100+i), year))
	}
	require.NoError(t, f.appraise(appraiser1, id, 500, year), "a second appraisal replaces the first")
	appraisers := func(as []types.Appraisal) (out []string) {
		for _, a := range as {
			out = append(out, fmt.Sprintf("%s=%s", a.Appraiser, a.Value))
		}
		return out
	}
	all, err := f.k.TitleAppraisals(f.ctx, id)
	require.NoError(t, err)
	want := []string{appraiser1.String() + "=500", appraiser2.String() + "=102", appraiser3.String() + "=100"}
	slices.Sort(want)
	require.NotEqual(t, want[0], appraiser3.String()+"=100", "the first to arrive is not first")
	require.Equal(t, want, appraisers(all))
	third, _, _ := strings.Cut(want[2], "=")

	page1, err := f.query.Appraisals(f.ctx, &types.QueryAppraisalsRequest{TitleId: id, Pagination: &query.PageRequest{Limit: 2, CountTotal: true}})
	require.NoError(t, err)
	require.Equal(t, want[:2], appraisers(page1.Appraisals))
	require.Equal(t, uint64(3), page1.Pagination.Total)
	require.Equal(t, []byte(third), page1.Pagination.NextKey)
	page2, err := f.query.Appraisals(f.ctx, &types.QueryAppraisalsRequest{TitleId: id, Pagination: &query.PageRequest{Key: page1.Pagination.NextKey}})
	require.NoError(t, err)
	require.Equal(t, want[2:], appraisers(page2.Appraisals))
	require.Nil(t, page2.Pagination.NextKey)
	_, err = f.query.Appraisals(f.ctx, &types.QueryAppraisalsRequest{TitleId: id, Pagination: &query.PageRequest{Key: []byte{1}, Offset: 1}})
	require.Equal(t, codes.InvalidArgument, status.Code(err))

	none, err := f.query.Appraisals(f.ctx, &types.QueryAppraisalsRequest{TitleId: f.active()})
	require.NoError(t, err)
	require.Empty(t, none.Appraisals, "a title nobody appraised")
	f.requireInvariants()
}

// TestMigrateAppraisalsByTitle: records in the state-version-2 layout (one
// per title and appraiser, in address byte order) become one record per
// title in address text order, and the old layout is cleared; valuations
// read the moved appraisals.
func TestMigrateAppraisalsByTitle(t *testing.T) {
	f := setup(t)
	a, b, unappraised := f.active(), f.active(), f.active()
	legacy := collections.NewMap(collections.NewSchemaBuilder(f.storeService), types.LegacyAppraisalsKey, "legacy_appraisals",
		collections.PairKeyCodec(collections.Uint64Key, sdk.AccAddressKey), codec.CollValue[types.Appraisal](f.encCfg.Codec))
	write := func(id uint64, appraiser sdk.AccAddress, value int64) types.Appraisal {
		ap := types.Appraisal{
			TitleId: id, Appraiser: appraiser.String(), Value: math.NewInt(value), AppraisedAt: f.ctx.BlockTime(),
			ValidUntil: f.ctx.BlockTime().Add(year), ReportSha256: reportA,
		}
		require.NoError(t, legacy.Set(f.ctx, collections.Join(id, appraiser), ap))
		return ap
	}
	b3, a2, b1, a1 := write(b, appraiser3, 30), write(a, appraiser2, 20), write(b, appraiser1, 10), write(a, appraiser1, 40)

	require.NoError(t, f.k.MigrateAppraisalsByTitle(f.ctx))
	byText := func(as ...types.Appraisal) []types.Appraisal {
		slices.SortFunc(as, func(x, y types.Appraisal) int { return strings.Compare(x.Appraiser, y.Appraiser) })
		return as
	}
	for id, want := range map[uint64][]types.Appraisal{a: byText(a1, a2), b: byText(b1, b3), unappraised: nil} {
		got, err := f.k.TitleAppraisals(f.ctx, id)
		require.NoError(t, err)
		require.Equal(t, want, got, "title %d", id)
	}
	it, err := legacy.Iterate(f.ctx, nil)
	require.NoError(t, err)
	require.False(t, it.Valid(), "the old layout is cleared")
	it.Close()

	v, err := f.k.GetValuation(f.ctx, a)
	require.NoError(t, err)
	require.Len(t, v.Appraisals, 2, "both moved appraisals count")
	f.requireInvariants()
}

// TestAppraisalsInvariant catches records setAppraisal never writes.
func TestAppraisalsInvariant(t *testing.T) {
	f := setup(t)
	id := f.active()
	require.NoError(t, f.appraise(appraiser1, id, 100, year))
	require.NoError(t, f.appraise(appraiser2, id, 200, year))
	good, err := f.k.Appraisals.Get(f.ctx, id)
	require.NoError(t, err)
	inv := keeper.AppraisalsInvariant(f.k)
	_, broken := inv(f.ctx)
	require.False(t, broken)

	swapped := types.TitleAppraisals{Appraisals: []types.Appraisal{good.Appraisals[1], good.Appraisals[0]}}
	foreign := types.TitleAppraisals{Appraisals: []types.Appraisal{good.Appraisals[0]}}
	foreign.Appraisals[0].TitleId = id + 1
	upper := types.TitleAppraisals{Appraisals: []types.Appraisal{good.Appraisals[0]}}
	upper.Appraisals[0].Appraiser = strings.ToUpper(upper.Appraisals[0].Appraiser)
	for name, tc := range map[string]struct {
		key  uint64
		rec  types.TitleAppraisals
		want string
	}{
		"out of order":  {id, swapped, "out of order"},
		"empty":         {id, types.TitleAppraisals{}, "empty appraisal record"},
		"foreign":       {id, foreign, fmt.Sprintf("holds an appraisal of title %d", id+1)},
		"not canonical": {id, upper, "is not a canonical address"},
		"unknown title": {999, good, "title 999 has appraisals but does not exist"},
	} {
		t.Run(name, func(t *testing.T) {
			ctx, _ := f.ctx.CacheContext()
			require.NoError(t, f.k.Appraisals.Set(ctx, tc.key, tc.rec))
			msg, broken := inv(ctx)
			require.True(t, broken)
			require.Contains(t, msg, tc.want)
		})
	}
}
