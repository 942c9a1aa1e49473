package types

import (
	"encoding/hex"
	"fmt"
	"slices"
	"unicode/utf8"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

// Bounds on user-supplied fields. They keep every record small and every
// product of amounts far inside LegacyDec's range.
const (
	MaxClassIDLength  = 64
	MaxNameLength     = 128
	MaxURILength      = 256
	MaxFieldLength    = 64 // manufacturer, model, facility, jurisdiction, spv_id
	MaxReasonLength   = 256
	MaxSerialLength   = 64
	MaxUnits          = 1_000_000
	MaxMinAppraisals  = 32
	MaxUptimeBps      = 10_000
	SHA256HexLength   = 64
	maxSerialsLimit   = 1024
	maxPerBlockLimit  = 10_000
	maxAttestationCap = 1000
)

// MaxAmount bounds every uusdai amount a message carries (10^24 uusdai = 10^18 USD).
var MaxAmount = math.NewIntWithDecimal(1, 24)

// ValidateAddress checks a bech32 account address with the chain's prefix.
func ValidateAddress(field, addr string) (sdk.AccAddress, error) {
	acc, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return nil, errorsmod.Wrapf(sdkerrors.ErrInvalidAddress, "%s %q: %s", field, addr, err)
	}
	return acc, nil
}

// checkText checks an optional free-text field: valid UTF-8 of at most max bytes.
func checkText(err *errorsmod.Error, field, s string, max int) error {
	if len(s) > max || !utf8.ValidString(s) {
		return errorsmod.Wrapf(err, "%s must be valid UTF-8 of at most %d bytes", field, max)
	}
	return nil
}

// ValidateAmount checks a uusdai amount: 0 < amount <= MaxAmount (or >= 0 when zero is allowed).
func ValidateAmount(field string, amt math.Int, allowZero bool) error {
	switch {
	case amt.IsNil():
		return errorsmod.Wrapf(ErrInvalidAmount, "%s is missing", field)
	case amt.IsNegative(), amt.IsZero() && !allowZero:
		return errorsmod.Wrapf(ErrInvalidAmount, "%s must be positive, got %s", field, amt)
	case amt.GT(MaxAmount):
		return errorsmod.Wrapf(ErrInvalidAmount, "%s %s exceeds the maximum %s", field, amt, MaxAmount)
	}
	return nil
}

// ValidateSHA256Hex checks a lowercase hex SHA-256 digest.
func ValidateSHA256Hex(field, s string) error {
	if len(s) != SHA256HexLength {
		return fmt.Errorf("%s must be %d lowercase hex characters, got %d characters", field, SHA256HexLength, len(s))
	}
	if _, err := hex.DecodeString(s); err != nil {
		return fmt.Errorf("%s is not hex: %w", field, err)
	}
	for _, c := range s {
		if c >= 'A' && c <= 'F' {
			return fmt.Errorf("%s must be lowercase hex", field)
		}
	}
	return nil
}

// ValidateClassID checks an asset class id such as "nvidia-h100-sxm5-80gb":
// 1 to 64 characters of [a-z0-9._-], starting with a letter or digit.
func ValidateClassID(id string) error {
	if id == "" || len(id) > MaxClassIDLength {
		return errorsmod.Wrapf(ErrInvalidAssetClass, "class id must be 1 to %d characters, got %d", MaxClassIDLength, len(id))
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		alnum := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
		if i == 0 && !alnum {
			return errorsmod.Wrapf(ErrInvalidAssetClass, "class id %q must start with a lowercase letter or digit", id)
		}
		if !alnum && c != '.' && c != '_' && c != '-' {
			return errorsmod.Wrapf(ErrInvalidAssetClass, "class id %q: character %q not in [a-z0-9._-]", id, c)
		}
	}
	return nil
}

// ValidateSerial checks one hardware serial: 1 to 64 characters of
// [A-Z0-9._-], starting with a letter or digit. Lowercase is refused so that
// one serial cannot be written two ways to dodge the uniqueness index.
func ValidateSerial(serial string) error {
	if serial == "" || len(serial) > MaxSerialLength {
		return errorsmod.Wrapf(ErrInvalidSerial, "serial must be 1 to %d characters, got %d", MaxSerialLength, len(serial))
	}
	for i := 0; i < len(serial); i++ {
		c := serial[i]
		alnum := (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		if i == 0 && !alnum {
			return errorsmod.Wrapf(ErrInvalidSerial, "serial %q must start with an uppercase letter or digit", serial)
		}
		if !alnum && c != '.' && c != '_' && c != '-' {
			return errorsmod.Wrapf(ErrInvalidSerial, "serial %q: character %q not in [A-Z0-9._-]", serial, c)
		}
	}
	return nil
}

// ValidateSerials checks a title's serial list: 1 to max serials, each valid,
// none repeated.
func ValidateSerials(serials []string, max uint32) error {
	if len(serials) == 0 {
		return errorsmod.Wrap(ErrInvalidSerial, "a title needs at least one serial")
	}
	if uint64(len(serials)) > uint64(max) {
		return errorsmod.Wrapf(ErrInvalidSerial, "%d serials, at most %d allowed", len(serials), max)
	}
	seen := make(map[string]bool, len(serials))
	for _, s := range serials {
		if err := ValidateSerial(s); err != nil {
			return err
		}
		if seen[s] {
			return errorsmod.Wrapf(ErrSerialInUse, "serial %s appears twice in the title", s)
		}
		seen[s] = true
	}
	return nil
}

// ValidateRoles checks a party's role list: at least one, all known, no repeats.
func ValidateRoles(roles []Role) error {
	if len(roles) == 0 {
		return errorsmod.Wrap(ErrInvalidParty, "a party needs at least one role")
	}
	for i, r := range roles {
		if _, known := Role_name[int32(r)]; !known || r == RoleUnspecified {
			return errorsmod.Wrapf(ErrInvalidParty, "unknown role %d", r)
		}
		if slices.Contains(roles[:i], r) {
			return errorsmod.Wrapf(ErrInvalidParty, "role %s listed twice", r)
		}
	}
	return nil
}

// Validate checks a party on its own.
func (p Party) Validate() error {
	if _, err := ValidateAddress("party address", p.Address); err != nil {
		return err
	}
	if err := ValidateRoles(p.Roles); err != nil {
		return err
	}
	if err := checkText(ErrInvalidParty, "name", p.Name, MaxNameLength); err != nil {
		return err
	}
	return checkText(ErrInvalidParty, "metadata_uri", p.MetadataUri, MaxURILength)
}

// HasRole reports whether the party lists role (active or not).
func (p Party) HasRole(role Role) bool {
	return slices.Contains(p.Roles, role)
}

// unitInterval reports whether 0 <= d <= 1 (or 0 < d <= 1 with positive).
func unitInterval(d math.LegacyDec, positive bool) bool {
	if d.IsNil() || d.IsNegative() || d.GT(math.LegacyOneDec()) {
		return false
	}
	return !positive || d.IsPositive()
}

// Validate checks an asset class on its own.
func (c AssetClass) Validate() error {
	if err := ValidateClassID(c.Id); err != nil {
		return err
	}
	if _, known := AssetKind_name[int32(c.Kind)]; !known || c.Kind == AssetKindUnspecified {
		return errorsmod.Wrapf(ErrInvalidAssetClass, "%s: kind must be GPU, STORAGE, NETWORK or POWER", c.Id)
	}
	if err := checkText(ErrInvalidAssetClass, "manufacturer", c.Manufacturer, MaxFieldLength); err != nil {
		return err
	}
	if err := checkText(ErrInvalidAssetClass, "model", c.Model, MaxFieldLength); err != nil {
		return err
	}
	if !unitInterval(c.MaxLtv, true) {
		return errorsmod.Wrapf(ErrInvalidAssetClass, "%s: max_ltv must be in (0, 1]", c.Id)
	}
	if !unitInterval(c.DepreciationPerYear, false) {
		return errorsmod.Wrapf(ErrInvalidAssetClass, "%s: depreciation_per_year must be in [0, 1]", c.Id)
	}
	if !unitInterval(c.ResidualRatio, false) {
		return errorsmod.Wrapf(ErrInvalidAssetClass, "%s: residual_ratio must be in [0, 1]", c.Id)
	}
	if c.MinAppraisals == 0 || c.MinAppraisals > MaxMinAppraisals {
		return errorsmod.Wrapf(ErrInvalidAssetClass, "%s: min_appraisals must be in [1, %d], got %d", c.Id, MaxMinAppraisals, c.MinAppraisals)
	}
	if c.MarketFeed != "" {
		if err := oracletypes.ValidateFeedID(c.MarketFeed); err != nil {
			return errorsmod.Wrapf(ErrInvalidAssetClass, "%s: market_feed: %s", c.Id, err)
		}
	}
	return nil
}

// Validate checks the legal wrapper fields; all are optional.
func (l LegalInfo) Validate() error {
	if err := checkText(ErrInvalidTitle, "legal.spv_id", l.SpvId, MaxFieldLength); err != nil {
		return err
	}
	if l.DocumentSha256 != "" {
		if err := ValidateSHA256Hex("legal.document_sha256", l.DocumentSha256); err != nil {
			return errorsmod.Wrap(ErrInvalidTitle, err.Error())
		}
	}
	return checkText(ErrInvalidTitle, "legal.uri", l.Uri, MaxURILength)
}

// HoldsLien reports whether a title in status s is collateral of a loan and
// so holds a lien (Title.loan_id): PLEDGED or FORECLOSING.
func HoldsLien(s TitleStatus) bool {
	return s == StatusPledged || s == StatusForeclosing
}

// IsLive reports whether a status belongs to a title that still exists as
// hardware under the standard: its serials are reserved.
func IsLive(s TitleStatus) bool {
	switch s {
	case StatusPendingCustody, StatusActive, StatusPledged, StatusForeclosing, StatusRedemptionRequested:
		return true
	}
	return false
}

// InCustody reports whether a status belongs to a title whose custody was
// confirmed and is tracked by attestations.
func InCustody(s TitleStatus) bool {
	return IsLive(s) && s != StatusPendingCustody
}

// validateTitleFields checks the fields a title shares with MsgMintTitle.
func validateTitleFields(classID string, units uint64, facility, jurisdiction string, legal LegalInfo, metadataURI string) error {
	if err := ValidateClassID(classID); err != nil {
		return err
	}
	if units == 0 || units > MaxUnits {
		return errorsmod.Wrapf(ErrInvalidTitle, "units must be in [1, %d], got %d", MaxUnits, units)
	}
	if err := checkText(ErrInvalidTitle, "facility", facility, MaxFieldLength); err != nil {
		return err
	}
	if err := checkText(ErrInvalidTitle, "jurisdiction", jurisdiction, MaxFieldLength); err != nil {
		return err
	}
	if err := legal.Validate(); err != nil {
		return err
	}
	return checkText(ErrInvalidTitle, "metadata_uri", metadataURI, MaxURILength)
}

// Validate checks a stored title on its own; maxSerials is params.max_serials_per_title.
func (t Title) Validate(maxSerials uint32) error {
	if t.Id == 0 {
		return errorsmod.Wrap(ErrInvalidTitle, "title id must be positive")
	}
	for _, f := range []struct{ field, addr string }{{"owner", t.Owner}, {"custodian", t.Custodian}, {"issuer", t.Issuer}} {
		if _, err := ValidateAddress(fmt.Sprintf("title %d %s", t.Id, f.field), f.addr); err != nil {
			return err
		}
	}
	if err := validateTitleFields(t.ClassId, t.Units, t.Facility, t.Jurisdiction, t.Legal, t.MetadataUri); err != nil {
		return errorsmod.Wrapf(err, "title %d", t.Id)
	}
	if err := ValidateSerials(t.Serials, maxSerials); err != nil {
		return errorsmod.Wrapf(err, "title %d", t.Id)
	}
	if !IsLive(t.Status) && t.Status != StatusCasualty {
		return errorsmod.Wrapf(ErrInvalidTitle, "title %d: status %s cannot be stored", t.Id, t.Status)
	}
	if t.CreatedAt.IsZero() {
		return errorsmod.Wrapf(ErrInvalidTitle, "title %d: created_at is not set", t.Id)
	}
	if HoldsLien(t.Status) != (t.LoanId != 0) {
		return errorsmod.Wrapf(ErrInvalidLien, "title %d is %s with loan_id %d: a PLEDGED or FORECLOSING title holds a lien, no other does", t.Id, t.Status, t.LoanId)
	}
	return nil
}

// Validate checks a custody record on its own.
func (c Custody) Validate() error {
	if c.TitleId == 0 {
		return errorsmod.Wrap(ErrInvalidAttestation, "custody of title 0")
	}
	if c.UptimeBps > MaxUptimeBps {
		return errorsmod.Wrapf(ErrInvalidAttestation, "title %d: uptime_bps %d above %d", c.TitleId, c.UptimeBps, MaxUptimeBps)
	}
	if c.LastAttestedAt.IsZero() || !c.ExpiresAt.After(c.LastAttestedAt) {
		return errorsmod.Wrapf(ErrInvalidAttestation, "title %d: expires_at must be after last_attested_at", c.TitleId)
	}
	return checkText(ErrInvalidAttestation, "facility", c.Facility, MaxFieldLength)
}

// Validate checks a stored appraisal on its own.
func (a Appraisal) Validate() error {
	if a.TitleId == 0 {
		return errorsmod.Wrap(ErrInvalidAppraisal, "appraisal of title 0")
	}
	if _, err := ValidateAddress("appraiser", a.Appraiser); err != nil {
		return err
	}
	if err := ValidateAmount("appraisal value", a.Value, false); err != nil {
		return errorsmod.Wrap(ErrInvalidAppraisal, err.Error())
	}
	if a.AppraisedAt.IsZero() || !a.ValidUntil.After(a.AppraisedAt) {
		return errorsmod.Wrapf(ErrInvalidAppraisal, "title %d: valid_until must be after appraised_at", a.TitleId)
	}
	if err := ValidateSHA256Hex("report_sha256", a.ReportSha256); err != nil {
		return errorsmod.Wrap(ErrInvalidAppraisal, err.Error())
	}
	return nil
}

// Free is the pool's unreserved balance.
func (p InsurancePool) Free() math.Int {
	return p.Balance.Sub(p.Reserved)
}

// Validate checks a pool on its own: 0 <= reserved <= balance.
func (p InsurancePool) Validate() error {
	if _, err := ValidateAddress("insurer", p.Insurer); err != nil {
		return err
	}
	if p.Balance.IsNil() || p.Reserved.IsNil() || p.Balance.IsNegative() || p.Reserved.IsNegative() {
		return errorsmod.Wrapf(ErrInvalidAmount, "pool of %s: balance and reserved must be non-negative", p.Insurer)
	}
	if p.Reserved.GT(p.Balance) {
		return errorsmod.Wrapf(ErrInsufficientCapacity, "pool of %s: reserved %s exceeds balance %s", p.Insurer, p.Reserved, p.Balance)
	}
	return nil
}

// validatePolicyTerms checks insured value, coverage and premium bounds.
func validatePolicyTerms(insured, coverage math.Int) error {
	if err := ValidateAmount("insured_value", insured, false); err != nil {
		return err
	}
	if err := ValidateAmount("coverage", coverage, false); err != nil {
		return err
	}
	if coverage.GT(insured) {
		return errorsmod.Wrapf(ErrInvalidPolicy, "coverage %s exceeds insured_value %s", coverage, insured)
	}
	return nil
}

// Validate checks a stored policy request on its own.
func (r PolicyRequest) Validate() error {
	if r.Id == 0 || r.TitleId == 0 {
		return errorsmod.Wrap(ErrInvalidPolicy, "request and title ids must be positive")
	}
	if _, err := ValidateAddress("owner", r.Owner); err != nil {
		return err
	}
	if _, err := ValidateAddress("insurer", r.Insurer); err != nil {
		return err
	}
	if err := validatePolicyTerms(r.InsuredValue, r.Coverage); err != nil {
		return err
	}
	if err := ValidateAmount("max_premium", r.MaxPremium, true); err != nil {
		return err
	}
	if r.CreatedAt.IsZero() || !r.ExpiresAt.After(r.CreatedAt) {
		return errorsmod.Wrapf(ErrInvalidExpiry, "request %d: expires_at must be after created_at", r.Id)
	}
	return nil
}

// Validate checks a stored policy on its own.
func (p Policy) Validate() error {
	if p.TitleId == 0 {
		return errorsmod.Wrap(ErrInvalidPolicy, "policy of title 0")
	}
	if _, err := ValidateAddress("insurer", p.Insurer); err != nil {
		return err
	}
	if _, err := ValidateAddress("owner", p.Owner); err != nil {
		return err
	}
	if err := validatePolicyTerms(p.InsuredValue, p.Coverage); err != nil {
		return err
	}
	if err := ValidateAmount("premium", p.Premium, true); err != nil {
		return err
	}
	if p.StartsAt.IsZero() || !p.ExpiresAt.After(p.StartsAt) {
		return errorsmod.Wrapf(ErrInvalidExpiry, "policy of title %d: expires_at must be after starts_at", p.TitleId)
	}
	return nil
}
