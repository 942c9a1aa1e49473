package types

import (
	errorsmod "cosmossdk.io/errors"
)

// NewGenesisState returns a GenesisState with the given contents.
func NewGenesisState(params Params, feeds []Feed, feeders []Feeder, posts []Post, prices []Price) *GenesisState {
	return &GenesisState{Params: params, Feeds: feeds, Feeders: feeders, Posts: posts, Prices: prices}
}

// DefaultGenesis returns the default genesis: default params and no feeds.
func DefaultGenesis() *GenesisState {
	return NewGenesisState(DefaultParams(), []Feed{}, []Feeder{}, []Post{}, []Price{})
}

// Validate checks the genesis state: valid params and records, no duplicates,
// every feeder, post and price refers to a feed (and a post to a registered
// feeder), min_feeders and feeder counts within params.max_feeders_per_feed.
// max_value is not applied to posts: it is checked when posting and may have
// been lowered since.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}

	feeds := make(map[string]bool, len(gs.Feeds))
	voteExtFeeds := 0
	for _, f := range gs.Feeds {
		if err := f.Validate(); err != nil {
			return err
		}
		if feeds[f.Id] {
			return errorsmod.Wrapf(ErrFeedExists, "duplicate feed %s", f.Id)
		}
		if f.MinFeeders > gs.Params.MaxFeedersPerFeed {
			return errorsmod.Wrapf(ErrInvalidFeed, "%s: min_feeders %d exceeds max_feeders_per_feed %d", f.Id, f.MinFeeders, gs.Params.MaxFeedersPerFeed)
		}
		feeds[f.Id] = true
		if f.Source == FEED_SOURCE_VOTE_EXTENSIONS {
			voteExtFeeds++
		}
	}
	if voteExtFeeds > MaxVoteExtensionFeeds {
		return errorsmod.Wrapf(ErrTooManyVoteExtFeeds, "%d VOTE_EXTENSIONS feeds, at most %d", voteExtFeeds, MaxVoteExtensionFeeds)
	}

	type feederKey struct{ feed, addr string }
	feeders := make(map[feederKey]bool, len(gs.Feeders))
	perFeed := make(map[string]uint32, len(gs.Feeds))
	for _, f := range gs.Feeders {
		if err := f.Validate(); err != nil {
			return err
		}
		if !feeds[f.FeedId] {
			return errorsmod.Wrapf(ErrFeedNotFound, "feeder %s of unknown feed %s", f.Address, f.FeedId)
		}
		acc, _ := ValidateAddress("feeder", f.Address)
		key := feederKey{f.FeedId, acc.String()}
		if feeders[key] {
			return errorsmod.Wrapf(ErrFeederExists, "duplicate feeder %s of %s", f.Address, f.FeedId)
		}
		feeders[key] = true
		perFeed[f.FeedId]++
		if perFeed[f.FeedId] > gs.Params.MaxFeedersPerFeed {
			return errorsmod.Wrapf(ErrTooManyFeeders, "%s has more than %d feeders", f.FeedId, gs.Params.MaxFeedersPerFeed)
		}
	}

	posts := make(map[feederKey]bool, len(gs.Posts))
	for _, p := range gs.Posts {
		if err := p.Validate(); err != nil {
			return err
		}
		acc, _ := ValidateAddress("feeder", p.Feeder)
		key := feederKey{p.FeedId, acc.String()}
		if !feeders[key] {
			return errorsmod.Wrapf(ErrFeederNotFound, "post of %s to %s: not a registered feeder", p.Feeder, p.FeedId)
		}
		if posts[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate post of %s to %s", p.Feeder, p.FeedId)
		}
		posts[key] = true
	}

	prices := make(map[string]bool, len(gs.Prices))
	for _, p := range gs.Prices {
		if err := p.Validate(); err != nil {
			return err
		}
		if !feeds[p.FeedId] {
			return errorsmod.Wrapf(ErrFeedNotFound, "price of unknown feed %s", p.FeedId)
		}
		if prices[p.FeedId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate price of %s", p.FeedId)
		}
		prices[p.FeedId] = true
	}
	return nil
}
