package keeper

import (
	"context"
	"errors"
	"fmt"
	stdmath "math"
	"slices"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/oracle/types"
)

// VoteExtensionFeeds returns the VOTE_EXTENSIONS feeds in id order (at most
// MaxVoteExtensionFeeds). It walks all feeds: it serves ExtendVote, outside the
// state machine, and feeds are few and governance-made.
func (k Keeper) VoteExtensionFeeds(ctx context.Context) ([]types.Feed, error) {
	var feeds []types.Feed
	err := k.Feeds.Walk(ctx, nil, func(_ string, f types.Feed) (bool, error) {
		if f.Source == types.FEED_SOURCE_VOTE_EXTENSIONS {
			feeds = append(feeds, f)
		}
		return false, nil
	})
	return feeds, err
}

// voteExtensionFeed returns a feed that exists and is VOTE_EXTENSIONS.
func (k Keeper) voteExtensionFeed(ctx context.Context, feedID string) (types.Feed, error) {
	feed, err := k.GetFeed(ctx, feedID)
	if err != nil {
		return types.Feed{}, err
	}
	if feed.Source != types.FEED_SOURCE_VOTE_EXTENSIONS {
		return types.Feed{}, errorsmod.Wrapf(types.ErrWrongSource, "%s is priced by feeders", feedID)
	}
	return feed, nil
}

// VerifyVoteExtension checks another validator's extension: DecodeVoteExtension's
// stateless checks, then every feed known and VOTE_EXTENSIONS and every value at
// most params.max_value. Deterministic given the state, as CometBFT requires.
func (k Keeper) VerifyVoteExtension(ctx context.Context, bz []byte) error {
	ve, err := types.DecodeVoteExtension(bz)
	if err != nil {
		return err
	}
	if len(ve.Prices) == 0 {
		return nil
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	for _, p := range ve.Prices {
		if _, err := k.voteExtensionFeed(ctx, p.FeedId); err != nil {
			return err
		}
		if p.Value.GT(params.MaxValue) {
			return errorsmod.Wrapf(types.ErrInvalidValue, "%s: value %s exceeds max_value %s", p.FeedId, p.Value, params.MaxValue)
		}
	}
	return nil
}

// feedReport is one validator's value for one feed, as collected by ApplyVoteExtensions.
type feedReport struct {
	feedID string
	report types.WeightedValue
}

// ApplyVoteExtensions is the PreBlocker's oracle step. votes is the extended
// commit of the previous height (already signature-checked by ProcessProposal).
// For each VOTE_EXTENSIONS feed that validators with at least params.min_power of
// the set's total power reported, it stores the stake-weighted median of their
// values with today's rules (valid when at least min_feeders validators
// reported; staleness through max_age), emits EventPriceAggregated and calls
// AfterFeedUpdated. Feeds are processed in id order, each in its own cache
// context: a bad extension, an unknown or FEEDERS feed, or an error or panic in
// one feed (hooks included) is logged and skipped without failing the block. It
// returns an error only when the params cannot be read.
//
// Cost: O(validators × VOTE_EXTENSIONS feeds), both bounded.
func (k Keeper) ApplyVoteExtensions(ctx context.Context, votes []abci.ExtendedVoteInfo) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	var (
		total   int64
		reports []feedReport
	)
	for _, vote := range votes {
		if vote.Validator.Power <= 0 || total > stdmath.MaxInt64-vote.Validator.Power {
			k.logger.Error("vote extensions skipped: bad validator power", "validator", fmt.Sprintf("%X", vote.Validator.Address), "power", vote.Validator.Power)
			return nil
		}
		total += vote.Validator.Power
		if vote.BlockIdFlag != cmtproto.BlockIDFlagCommit || len(vote.VoteExtension) == 0 {
			continue
		}
		ve, err := types.DecodeVoteExtension(vote.VoteExtension)
		if err != nil {
			k.logger.Error("vote extension ignored", "validator", fmt.Sprintf("%X", vote.Validator.Address), "error", err)
			continue
		}
		for _, p := range ve.Prices {
			reports = append(reports, feedReport{feedID: p.FeedId, report: types.WeightedValue{Value: p.Value, Power: vote.Validator.Power}})
		}
	}
	if len(reports) == 0 {
		return nil
	}
	// Group by feed without a map: sort by feed id, keeping vote order within a feed.
	slices.SortStableFunc(reports, func(a, b feedReport) int { return strings.Compare(a.feedID, b.feedID) })

	sdkCtx := sdk.UnwrapSDKContext(ctx)
	for start := 0; start < len(reports); {
		end := start + 1
		for end < len(reports) && reports[end].feedID == reports[start].feedID {
			end++
		}
		feedID := reports[start].feedID
		group := make([]types.WeightedValue, 0, end-start)
		for _, r := range reports[start:end] {
			group = append(group, r.report)
		}
		start = end

		cacheCtx, write := sdkCtx.CacheContext()
		if err := k.applyFeedReportsSafely(cacheCtx, feedID, group, total, params); err != nil {
			k.logger.Error("vote extension prices skipped for feed", "feed_id", feedID, "error", err)
			continue
		}
		write()
	}
	return nil
}

// errBelowMinPower marks a feed reported by too little power: not an error of
// the chain, just no update this block.
var errBelowMinPower = errors.New("reported power below min_power")

// applyFeedReportsSafely turns a panic in applyFeedReports (e.g. in a hook) into an error.
func (k Keeper) applyFeedReportsSafely(ctx sdk.Context, feedID string, group []types.WeightedValue, total int64, params types.Params) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	err = k.applyFeedReports(ctx, feedID, group, total, params)
	if errors.Is(err, errBelowMinPower) {
		k.logger.Debug("feed not updated", "feed_id", feedID, "reason", err)
		return nil
	}
	return err
}

func (k Keeper) applyFeedReports(ctx sdk.Context, feedID string, group []types.WeightedValue, total int64, params types.Params) error {
	feed, err := k.voteExtensionFeed(ctx, feedID)
	if err != nil {
		return err
	}
	var (
		valid    []types.WeightedValue
		reported int64
	)
	for _, r := range group {
		// A value above a lowered max_value drops only that report.
		if r.Value.GT(params.MaxValue) {
			continue
		}
		valid = append(valid, r)
		reported += r.Power
	}
	if len(valid) == 0 || math.LegacyNewDec(reported).LT(params.MinPower.MulInt64(total)) {
		return errorsmod.Wrapf(errBelowMinPower, "%d of %d", reported, total)
	}
	median, err := types.WeightedMedian(valid)
	if err != nil {
		return err
	}
	return k.storePrice(ctx, feed, median, uint32(len(valid)))
}
