package types

import (
	"bytes"

	errorsmod "cosmossdk.io/errors"
)

const (
	// MaxVoteExtensionFeeds bounds the VOTE_EXTENSIONS feeds, and so the entries
	// of one vote extension: every validator's extension travels in every
	// precommit and again in the next proposal.
	MaxVoteExtensionFeeds = 64
	// MaxVoteExtensionBytes bounds an encoded extension: 64 entries of a
	// 128-character feed id and a 10^36 value with 18 decimals fit in ~12.5 KiB.
	MaxVoteExtensionBytes = 16 * 1024
)

// EncodeVoteExtension checks prices with ValidateBasic and encodes them. No
// prices encode to an empty extension.
func EncodeVoteExtension(prices []VoteExtensionPrice) ([]byte, error) {
	if len(prices) == 0 {
		return []byte{}, nil
	}
	ve := VoteExtension{Prices: prices}
	if err := ve.ValidateBasic(); err != nil {
		return nil, err
	}
	bz, err := ve.Marshal()
	if err != nil {
		return nil, errorsmod.Wrap(ErrInvalidVoteExtension, err.Error())
	}
	if len(bz) > MaxVoteExtensionBytes {
		return nil, errorsmod.Wrapf(ErrInvalidVoteExtension, "%d bytes, at most %d", len(bz), MaxVoteExtensionBytes)
	}
	return bz, nil
}

// DecodeVoteExtension decodes an extension and checks everything that does not
// depend on state: size, canonical encoding (re-encoding gives the same bytes, so
// no unknown fields or padding) and ValidateBasic. An empty extension is a
// validator with no prices.
func DecodeVoteExtension(bz []byte) (VoteExtension, error) {
	if len(bz) == 0 {
		return VoteExtension{}, nil
	}
	if len(bz) > MaxVoteExtensionBytes {
		return VoteExtension{}, errorsmod.Wrapf(ErrInvalidVoteExtension, "%d bytes, at most %d", len(bz), MaxVoteExtensionBytes)
	}
	var ve VoteExtension
	if err := ve.Unmarshal(bz); err != nil {
		return VoteExtension{}, errorsmod.Wrapf(ErrInvalidVoteExtension, "malformed: %s", err)
	}
	if err := ve.ValidateBasic(); err != nil {
		return VoteExtension{}, err
	}
	canonical, err := ve.Marshal()
	if err != nil || !bytes.Equal(canonical, bz) {
		return VoteExtension{}, errorsmod.Wrap(ErrInvalidVoteExtension, "not canonically encoded")
	}
	return ve, nil
}

// ValidateBasic checks an extension without state: at most MaxVoteExtensionFeeds
// entries in strictly ascending feed id order, valid feed ids, values in
// (0, MaxValueLimit]. Feeds and params.max_value are checked against state by the
// keeper.
func (ve VoteExtension) ValidateBasic() error {
	if len(ve.Prices) > MaxVoteExtensionFeeds {
		return errorsmod.Wrapf(ErrInvalidVoteExtension, "%d prices, at most %d", len(ve.Prices), MaxVoteExtensionFeeds)
	}
	for i, p := range ve.Prices {
		if err := ValidateFeedID(p.FeedId); err != nil {
			return errorsmod.Wrapf(ErrInvalidVoteExtension, "price %d: %s", i, err)
		}
		if i > 0 && p.FeedId <= ve.Prices[i-1].FeedId {
			return errorsmod.Wrapf(ErrInvalidVoteExtension, "feed %s after %s: ids must be strictly ascending", p.FeedId, ve.Prices[i-1].FeedId)
		}
		if p.Value.IsNil() || !p.Value.IsPositive() {
			return errorsmod.Wrapf(ErrInvalidVoteExtension, "feed %s: value must be positive", p.FeedId)
		}
		if p.Value.GT(MaxValueLimit) {
			return errorsmod.Wrapf(ErrInvalidVoteExtension, "feed %s: value above %s", p.FeedId, MaxValueLimit)
		}
	}
	return nil
}
