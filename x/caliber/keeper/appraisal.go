package keeper

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

// Appraise records appraiser's appraisal of a live title, replacing its earlier
// one, and calls AfterValuationChanged. valid_until must be after block time and
// at most block time + params.max_appraisal_validity.
func (k Keeper) Appraise(ctx context.Context, msg *types.MsgAppraise) (types.Appraisal, error) {
	if err := msg.ValidateBasic(); err != nil {
		return types.Appraisal{}, err
	}
	appraiser := sdk.MustAccAddressFromBech32(msg.Appraiser)
	if err := k.requireRole(ctx, appraiser, types.RoleAppraiser); err != nil {
		return types.Appraisal{}, err
	}
	t, err := k.GetTitle(ctx, msg.TitleId)
	if err != nil {
		return types.Appraisal{}, err
	}
	if !types.IsLive(t.Status) {
		return types.Appraisal{}, errorsmod.Wrapf(types.ErrInvalidStatus, "cannot appraise title %d in status %s", t.Id, t.Status)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.Appraisal{}, err
	}
	now := blockTime(ctx)
	validUntil := msg.ValidUntil.UTC()
	if !validUntil.After(now) {
		return types.Appraisal{}, errorsmod.Wrapf(types.ErrInvalidExpiry, "valid_until %s is not after block time %s",
			validUntil.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	if latest := now.Add(params.MaxAppraisalValidity); validUntil.After(latest) {
		return types.Appraisal{}, errorsmod.Wrapf(types.ErrInvalidExpiry, "valid_until %s is after block time + max_appraisal_validity (%s)",
			validUntil.Format(time.RFC3339), latest.Format(time.RFC3339))
	}
	a := types.Appraisal{
		TitleId:      t.Id,
		Appraiser:    appraiser.String(),
		Value:        msg.Value,
		AppraisedAt:  now,
		ValidUntil:   validUntil,
		ReportSha256: msg.ReportSha256,
	}
	if err := k.setAppraisal(ctx, a); err != nil {
		return types.Appraisal{}, err
	}
	if err := keeperutil.Emit(ctx, &types.EventAppraised{Appraisal: a}); err != nil {
		return types.Appraisal{}, err
	}
	if k.hooks != nil {
		return a, k.hooks.AfterValuationChanged(ctx, t.Id, t.LoanId)
	}
	return a, nil
}

// TitleAppraisals returns a title's appraisals, ordered by appraiser address
// text (none when it has none).
func (k Keeper) TitleAppraisals(ctx context.Context, titleID uint64) ([]types.Appraisal, error) {
	rec, err := k.Appraisals.Get(ctx, titleID)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, nil
	}
	return rec.Appraisals, err
}

// setAppraisal records an appraisal of its title, replacing its appraiser's
// earlier one and keeping the record ordered by appraiser address text (a
// canonical bech32 string, as Appraise and InitGenesis write it): ordering
// by text needs no address decoding.
func (k Keeper) setAppraisal(ctx context.Context, a types.Appraisal) error {
	list, err := k.TitleAppraisals(ctx, a.TitleId)
	if err != nil {
		return err
	}
	i, found := slices.BinarySearchFunc(list, a.Appraiser, func(e types.Appraisal, appraiser string) int {
		return strings.Compare(e.Appraiser, appraiser)
	})
	if found {
		list[i] = a
	} else {
		list = slices.Insert(list, i, a)
	}
	return k.Appraisals.Set(ctx, a.TitleId, types.TitleAppraisals{Appraisals: list})
}

// MigrateAppraisalsByTitle (state version 2 to 3) moves the appraisals from
// one record per (title, appraiser) to one record per title. The old records
// come in title order; each title's are sorted into address text order.
func (k Keeper) MigrateAppraisalsByTitle(ctx sdk.Context) error {
	var rec types.TitleAppraisals
	flush := func() error {
		if len(rec.Appraisals) == 0 {
			return nil
		}
		slices.SortFunc(rec.Appraisals, func(a, b types.Appraisal) int { return strings.Compare(a.Appraiser, b.Appraiser) })
		err := k.Appraisals.Set(ctx, rec.Appraisals[0].TitleId, rec)
		rec = types.TitleAppraisals{}
		return err
	}
	err := k.legacyAppraisals.Walk(ctx, nil, func(key collections.Pair[uint64, sdk.AccAddress], a types.Appraisal) (bool, error) {
		if len(rec.Appraisals) > 0 && rec.Appraisals[0].TitleId != key.K1() {
			if err := flush(); err != nil {
				return true, err
			}
		}
		a.TitleId, a.Appraiser = key.K1(), key.K2().String()
		rec.Appraisals = append(rec.Appraisals, a)
		return false, nil
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	return k.legacyAppraisals.Clear(ctx, nil)
}

// GetValuation values a live title at block time (see types.ComputeValuation):
// the depreciated median of the unexpired appraisals of currently active
// appraisers, capped by units × the class's market price when that oracle price
// is valid. ErrNoValuation when the title is not live or too few appraisals count.
func (k Keeper) GetValuation(ctx context.Context, titleID uint64) (types.Valuation, error) {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return types.Valuation{}, err
	}
	return k.valuation(ctx, t)
}

// Collateral reads what x/lending's covenant review needs of a title with
// one read of it: its valuation and custody staleness, each with the error
// GetValuation and IsStale would return.
func (k Keeper) Collateral(ctx context.Context, titleID uint64) types.CollateralView {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return types.CollateralView{ValuationErr: err, StaleErr: err}
	}
	var view types.CollateralView
	view.Valuation, view.ValuationErr = k.valuation(ctx, t)
	view.Stale, view.StaleErr = k.isStale(ctx, t)
	return view
}

// valuation is GetValuation of a title already read.
func (k Keeper) valuation(ctx context.Context, t types.Title) (types.Valuation, error) {
	if !types.IsLive(t.Status) {
		return types.Valuation{}, errorsmod.Wrapf(types.ErrNoValuation, "title %d is %s", t.Id, t.Status)
	}
	class, err := k.GetAssetClass(ctx, t.ClassId)
	if err != nil {
		return types.Valuation{}, err
	}
	recorded, err := k.TitleAppraisals(ctx, t.Id)
	if err != nil {
		return types.Valuation{}, err
	}
	appraisals := make([]types.Appraisal, 0, len(recorded))
	for _, a := range recorded {
		// Every write stores a valid address; one that is not holds no role.
		if addr, err := sdk.AccAddressFromBech32(a.Appraiser); err == nil && k.HasRole(ctx, addr, types.RoleAppraiser) {
			appraisals = append(appraisals, a)
		}
	}
	price, err := k.marketPrice(ctx, class)
	if err != nil {
		return types.Valuation{}, err
	}
	return types.ComputeValuation(types.ValuationInput{
		TitleID:     t.Id,
		Class:       class,
		Units:       t.Units,
		Appraisals:  appraisals,
		Now:         blockTime(ctx),
		MarketPrice: price,
	})
}

// marketPrice returns the class's market price per unit when it has a feed
// with a valid price, else nil.
func (k Keeper) marketPrice(ctx context.Context, class types.AssetClass) (*math.LegacyDec, error) {
	if class.MarketFeed == "" {
		return nil, nil
	}
	p, err := k.oracle.GetPrice(ctx, class.MarketFeed)
	if errors.Is(err, oracletypes.ErrPriceNotFound) || errors.Is(err, oracletypes.ErrFeedNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !p.Valid || p.Value.IsNil() || !p.Value.IsPositive() {
		return nil, nil
	}
	return &p.Value, nil
}
