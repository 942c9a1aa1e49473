package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

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
	require.NoError(t, f.appraise(appraiser1, id, 220_000_000_000, year))
	require.Equal(t, []uint64{id, id, id}, f.hooks.valuation)

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
