package types

import (
	"strings"
	"unicode/utf8"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

const (
	// MaxFeedIDLength bounds a feed id (it is part of every key of the feed).
	MaxFeedIDLength = 128
	// MaxDescriptionLength bounds Feed.description.
	MaxDescriptionLength = 256
	// MaxUnitLength bounds Feed.unit.
	MaxUnitLength = 64
)

// ValidateFeedID checks a feed id such as "gpu/nvidia-h100-sxm5-80gb": 1 to 128
// characters of [a-z0-9/._-], starting with [a-z0-9], without "//" or a trailing "/".
func ValidateFeedID(id string) error {
	if id == "" {
		return errorsmod.Wrap(ErrInvalidFeedID, "empty")
	}
	if len(id) > MaxFeedIDLength {
		return errorsmod.Wrapf(ErrInvalidFeedID, "%d characters, at most %d allowed", len(id), MaxFeedIDLength)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		alnum := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
		if i == 0 && !alnum {
			return errorsmod.Wrapf(ErrInvalidFeedID, "%q must start with a lowercase letter or digit", id)
		}
		if !alnum && c != '/' && c != '.' && c != '_' && c != '-' {
			return errorsmod.Wrapf(ErrInvalidFeedID, "%q: character %q not in [a-z0-9/._-]", id, c)
		}
	}
	if strings.Contains(id, "//") {
		return errorsmod.Wrapf(ErrInvalidFeedID, "%q contains an empty path segment", id)
	}
	if strings.HasSuffix(id, "/") {
		return errorsmod.Wrapf(ErrInvalidFeedID, "%q ends with /", id)
	}
	return nil
}

// ValidateAddress checks a bech32 account address with the chain's prefix.
func ValidateAddress(field, addr string) (sdk.AccAddress, error) {
	acc, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return nil, errorsmod.Wrapf(sdkerrors.ErrInvalidAddress, "%s %q: %s", field, addr, err)
	}
	return acc, nil
}

// Validate checks a feed on its own; the keeper also checks min_feeders against
// params.max_feeders_per_feed.
func (f Feed) Validate() error {
	if err := ValidateFeedID(f.Id); err != nil {
		return err
	}
	if len(f.Description) > MaxDescriptionLength || !utf8.ValidString(f.Description) {
		return errorsmod.Wrapf(ErrInvalidFeed, "%s: description must be valid UTF-8 of at most %d bytes", f.Id, MaxDescriptionLength)
	}
	if len(f.Unit) > MaxUnitLength || !utf8.ValidString(f.Unit) {
		return errorsmod.Wrapf(ErrInvalidFeed, "%s: unit must be valid UTF-8 of at most %d bytes", f.Id, MaxUnitLength)
	}
	if f.MinFeeders == 0 {
		return errorsmod.Wrapf(ErrInvalidFeed, "%s: min_feeders must be at least 1", f.Id)
	}
	if f.MaxAge <= 0 {
		return errorsmod.Wrapf(ErrInvalidFeed, "%s: max_age must be positive, got %s", f.Id, f.MaxAge)
	}
	if _, known := FeedSource_name[int32(f.Source)]; !known {
		return errorsmod.Wrapf(ErrInvalidFeed, "%s: unknown source %d", f.Id, f.Source)
	}
	return nil
}

// Validate checks a feeder registration.
func (f Feeder) Validate() error {
	if err := ValidateFeedID(f.FeedId); err != nil {
		return err
	}
	_, err := ValidateAddress("feeder", f.Address)
	return err
}

// Validate checks a stored post on its own (max_value is checked when posting).
func (p Post) Validate() error {
	if err := ValidateFeedID(p.FeedId); err != nil {
		return err
	}
	if _, err := ValidateAddress("feeder", p.Feeder); err != nil {
		return err
	}
	if p.Value.IsNil() || !p.Value.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidValue, "post of %s to %s: value must be positive", p.Feeder, p.FeedId)
	}
	if !p.ExpiresAt.After(p.PostedAt) {
		return errorsmod.Wrapf(ErrInvalidExpiry, "post of %s to %s: expires_at must be after posted_at", p.Feeder, p.FeedId)
	}
	return nil
}

// Validate checks a stored price on its own.
func (p Price) Validate() error {
	if err := ValidateFeedID(p.FeedId); err != nil {
		return err
	}
	if p.Value.IsNil() || !p.Value.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidValue, "price of %s: value must be positive", p.FeedId)
	}
	if p.UpdatedAt.IsZero() {
		return errorsmod.Wrapf(ErrInvalidGenesis, "price of %s: updated_at is not set", p.FeedId)
	}
	return nil
}
