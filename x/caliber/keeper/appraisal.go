package keeper

import (
	"context"
	"errors"
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
	if err := k.Appraisals.Set(ctx, collections.Join(t.Id, appraiser), a); err != nil {
		return types.Appraisal{}, err
	}
	if err := keeperutil.Emit(ctx, &types.EventAppraised{Appraisal: a}); err != nil {
		return types.Appraisal{}, err
	}
	if k.hooks != nil {
		return a, k.hooks.AfterValuationChanged(ctx, t.Id)
	}
	return a, nil
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
	if !types.IsLive(t.Status) {
		return types.Valuation{}, errorsmod.Wrapf(types.ErrNoValuation, "title %d is %s", t.Id, t.Status)
	}
	class, err := k.GetAssetClass(ctx, t.ClassId)
	if err != nil {
		return types.Valuation{}, err
	}
	var appraisals []types.Appraisal
	err = k.Appraisals.Walk(ctx, collections.NewPrefixedPairRange[uint64, sdk.AccAddress](t.Id),
		func(key collections.Pair[uint64, sdk.AccAddress], a types.Appraisal) (bool, error) {
			if k.HasRole(ctx, key.K2(), types.RoleAppraiser) {
				appraisals = append(appraisals, a)
			}
			return false, nil
		})
	if err != nil {
		return types.Valuation{}, err
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
