package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
)

// GetTitle returns a stored title (live or CASUALTY), or ErrTitleNotFound.
// Redeemed titles are deleted.
func (k Keeper) GetTitle(ctx context.Context, titleID uint64) (types.Title, error) {
	t, err := k.Titles.Get(ctx, titleID)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Title{}, errorsmod.Wrapf(types.ErrTitleNotFound, "title %d", titleID)
	}
	return t, err
}

// requireStatus returns ErrInvalidStatus unless the title is in one of the statuses.
func requireStatus(t types.Title, action string, allowed ...types.TitleStatus) error {
	for _, s := range allowed {
		if t.Status == s {
			return nil
		}
	}
	return errorsmod.Wrapf(types.ErrInvalidStatus, "cannot %s title %d in status %s", action, t.Id, t.Status)
}

// requireOwner returns ErrUnauthorized unless addr owns the title.
func requireOwner(t types.Title, addr sdk.AccAddress) error {
	if t.Owner != addr.String() {
		return errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "%s does not own title %d", addr, t.Id)
	}
	return nil
}

// requireCustodian returns ErrUnauthorized unless addr is the title's custodian
// and still an active CUSTODIAN party.
func (k Keeper) requireCustodian(ctx context.Context, t types.Title, addr sdk.AccAddress) error {
	if t.Custodian != addr.String() {
		return errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "%s is not the custodian of title %d (%s is)", addr, t.Id, t.Custodian)
	}
	return k.requireRole(ctx, addr, types.RoleCustodian)
}

// setStatus stores the title, as read, with a new status and emits
// EventTitleStatusChanged. Only its status index key moves: no caller changes
// another indexed field (the owner changes through changeOwner, class and
// custodian never), so the stored title is not read back as IndexedMap.Set
// would, nor are its owner, class and custodian keys rewritten (rewriting a
// key with its own value still costs IAVL a path copy).
// TitleIndexesInvariant checks the keys.
func (k Keeper) setStatus(ctx context.Context, t *types.Title, to types.TitleStatus) error {
	from := t.Status
	t.Status = to
	if from != to {
		status := k.Titles.Indexes.Status
		if err := status.Remove(ctx, collections.Join(int32(from), t.Id)); err != nil {
			return err
		}
		if err := status.Set(ctx, collections.Join(int32(to), t.Id)); err != nil {
			return err
		}
	}
	if err := k.titleValues.Set(ctx, t.Id, *t); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventTitleStatusChanged{TitleId: t.Id, From: from, To: to, Owner: t.Owner})
}

// insertTitle stores a new title (its id is fresh from NextTitleID) with the
// owner, class, status and custodian keys Titles' indexes derive from it,
// without IndexedMap.Set's lookup of a stored title that cannot exist.
func (k Keeper) insertTitle(ctx context.Context, t types.Title, owner, custodian sdk.AccAddress) error {
	idx := k.Titles.Indexes
	if err := idx.Owner.Set(ctx, collections.Join(owner, t.Id)); err != nil {
		return err
	}
	if err := idx.Class.Set(ctx, collections.Join(t.ClassId, t.Id)); err != nil {
		return err
	}
	if err := idx.Status.Set(ctx, collections.Join(int32(t.Status), t.Id)); err != nil {
		return err
	}
	if err := idx.Custodian.Set(ctx, collections.Join(custodian, t.Id)); err != nil {
		return err
	}
	return k.titleValues.Set(ctx, t.Id, t)
}

// MintTitle mints a PENDING_CUSTODY title for msg.Owner. The issuer must be an
// active ISSUER, the custodian an active CUSTODIAN, the class eligible, and no
// serial may belong to a live title.
func (k Keeper) MintTitle(ctx context.Context, msg *types.MsgMintTitle) (types.Title, error) {
	if err := msg.ValidateBasic(); err != nil {
		return types.Title{}, err
	}
	issuer := sdk.MustAccAddressFromBech32(msg.Issuer)
	if err := k.requireRole(ctx, issuer, types.RoleIssuer); err != nil {
		return types.Title{}, err
	}
	class, err := k.GetAssetClass(ctx, msg.ClassId)
	if err != nil {
		return types.Title{}, err
	}
	if !class.Eligible {
		return types.Title{}, errorsmod.Wrapf(types.ErrAssetClassNotEligible, "class %s accepts no new titles", class.Id)
	}
	custodian := sdk.MustAccAddressFromBech32(msg.Custodian)
	if !k.HasRole(ctx, custodian, types.RoleCustodian) {
		return types.Title{}, errorsmod.Wrapf(types.ErrInvalidCustodian, "%s is not an active CUSTODIAN party", custodian)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.Title{}, err
	}
	if err := types.ValidateSerials(msg.Serials, params.MaxSerialsPerTitle); err != nil {
		return types.Title{}, err
	}
	for _, s := range msg.Serials {
		holder, err := k.Serials.Get(ctx, s)
		if err == nil {
			return types.Title{}, errorsmod.Wrapf(types.ErrSerialInUse, "serial %s belongs to live title %d", s, holder)
		}
		if !errors.Is(err, collections.ErrNotFound) {
			return types.Title{}, err
		}
	}

	id, err := k.NextTitleID.Next(ctx)
	if err != nil {
		return types.Title{}, err
	}
	owner := sdk.MustAccAddressFromBech32(msg.Owner)
	title := types.Title{
		Id:           id,
		ClassId:      class.Id,
		Owner:        owner.String(),
		Units:        msg.Units,
		Serials:      msg.Serials,
		Facility:     msg.Facility,
		Jurisdiction: msg.Jurisdiction,
		Custodian:    custodian.String(),
		Issuer:       issuer.String(),
		Legal:        msg.Legal,
		MetadataUri:  msg.MetadataUri,
		Status:       types.StatusPendingCustody,
		CreatedAt:    blockTime(ctx),
	}
	if err := k.insertTitle(ctx, title, owner, custodian); err != nil {
		return types.Title{}, err
	}
	for _, s := range title.Serials {
		if err := k.Serials.Set(ctx, s, id); err != nil {
			return types.Title{}, err
		}
	}
	return title, keeperutil.Emit(ctx, &types.EventTitleMinted{
		TitleId: id, ClassId: title.ClassId, Owner: title.Owner, Custodian: title.Custodian, Issuer: title.Issuer, Units: title.Units,
	})
}

// ConfirmCustody is the named custodian taking the hardware into custody: the
// title becomes ACTIVE and gets its first attestation (online, full uptime, at
// the minted facility).
func (k Keeper) ConfirmCustody(ctx context.Context, custodian sdk.AccAddress, titleID uint64) error {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return err
	}
	if err := k.requireCustodian(ctx, t, custodian); err != nil {
		return err
	}
	if err := requireStatus(t, "confirm custody of", types.StatusPendingCustody); err != nil {
		return err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if err := k.setStatus(ctx, &t, types.StatusActive); err != nil {
		return err
	}
	c, err := k.attest(ctx, t.Id, true, types.MaxUptimeBps, t.Facility, params.CustodyAttestationMaxAge)
	if err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventCustodyAttested{
		Custodian: t.Custodian, TitleIds: []uint64{t.Id}, Online: c.Online, UptimeBps: c.UptimeBps,
		Facility: c.Facility, ExpiresAt: c.ExpiresAt,
	})
}

// TransferTitle gives an ACTIVE title to recipient. The title's pending policy
// request (made by the old owner) is dropped; an issued policy stays with the title.
func (k Keeper) TransferTitle(ctx context.Context, owner sdk.AccAddress, titleID uint64, recipient sdk.AccAddress) error {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return err
	}
	if err := requireOwner(t, owner); err != nil {
		return err
	}
	if err := requireStatus(t, "transfer", types.StatusActive); err != nil {
		return err
	}
	if recipient.Equals(owner) {
		return errorsmod.Wrap(types.ErrInvalidRecipient, "recipient is the owner")
	}
	return k.changeOwner(ctx, &t, recipient)
}

// changeOwner stores the title under a new owner, drops its pending policy
// request and emits EventTitleTransferred.
func (k Keeper) changeOwner(ctx context.Context, t *types.Title, to sdk.AccAddress) error {
	from := t.Owner
	t.Owner = to.String()
	if err := k.Titles.Set(ctx, t.Id, *t); err != nil {
		return err
	}
	if err := k.dropPolicyRequest(ctx, t.Id, "title changed owner"); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventTitleTransferred{TitleId: t.Id, From: from, To: t.Owner})
}

// RequestRedemption asks the custodian to release an ACTIVE title's hardware.
func (k Keeper) RequestRedemption(ctx context.Context, owner sdk.AccAddress, titleID uint64) error {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return err
	}
	if err := requireOwner(t, owner); err != nil {
		return err
	}
	if err := requireStatus(t, "redeem", types.StatusActive); err != nil {
		return err
	}
	return k.setStatus(ctx, &t, types.StatusRedemptionRequested)
}

// CancelRedemption returns a REDEMPTION_REQUESTED title to ACTIVE.
func (k Keeper) CancelRedemption(ctx context.Context, owner sdk.AccAddress, titleID uint64) error {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return err
	}
	if err := requireOwner(t, owner); err != nil {
		return err
	}
	if err := requireStatus(t, "cancel the redemption of", types.StatusRedemptionRequested); err != nil {
		return err
	}
	return k.setStatus(ctx, &t, types.StatusActive)
}

// ConfirmRedemption burns a REDEMPTION_REQUESTED title: the custodian released
// the hardware to the owner. The title, its serials, custody record, appraisals
// and pending policy request are deleted; an issued policy is closed and its
// coverage released (no premium refund). EventTitleRedeemed carries the last state.
func (k Keeper) ConfirmRedemption(ctx context.Context, custodian sdk.AccAddress, titleID uint64) error {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return err
	}
	if err := k.requireCustodian(ctx, t, custodian); err != nil {
		return err
	}
	if err := requireStatus(t, "confirm the redemption of", types.StatusRedemptionRequested); err != nil {
		return err
	}
	if err := k.freeSerials(ctx, t); err != nil {
		return err
	}
	if err := k.stopCustody(ctx, t.Id); err != nil {
		return err
	}
	if err := k.Appraisals.Remove(ctx, t.Id); err != nil {
		return err
	}
	if err := k.dropPolicyRequest(ctx, t.Id, "title redeemed"); err != nil {
		return err
	}
	policy, err := k.Policies.Get(ctx, t.Id)
	switch {
	case err == nil:
		if err := k.closePolicy(ctx, policy, "title redeemed"); err != nil {
			return err
		}
	case !errors.Is(err, collections.ErrNotFound):
		return err
	}
	if err := k.Titles.Remove(ctx, t.Id); err != nil {
		return err
	}
	from := t.Status
	t.Status = types.StatusRedeemed
	if err := keeperutil.Emit(ctx, &types.EventTitleStatusChanged{TitleId: t.Id, From: from, To: t.Status, Owner: t.Owner}); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventTitleRedeemed{Title: t})
}

// ReportCasualty marks a live title's hardware destroyed or lost. Its serials
// are freed, custody tracking stops and its lien is cleared; the title, its
// appraisals and its policy stay so x/lending can claim (PayCasualtyClaim).
// Calls AfterCasualty with the lien the title held.
func (k Keeper) ReportCasualty(ctx context.Context, custodian sdk.AccAddress, titleID uint64, reason string) error {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return err
	}
	if err := k.requireCustodian(ctx, t, custodian); err != nil {
		return err
	}
	if !types.IsLive(t.Status) {
		return errorsmod.Wrapf(types.ErrInvalidStatus, "title %d is %s", t.Id, t.Status)
	}
	if err := k.freeSerials(ctx, t); err != nil {
		return err
	}
	if err := k.stopCustody(ctx, t.Id); err != nil {
		return err
	}
	if err := k.dropPolicyRequest(ctx, t.Id, "casualty"); err != nil {
		return err
	}
	loanID := t.LoanId
	t.LoanId = 0
	if err := k.setStatus(ctx, &t, types.StatusCasualty); err != nil {
		return err
	}
	if err := keeperutil.Emit(ctx, &types.EventCasualtyReported{TitleId: t.Id, Custodian: t.Custodian, Reason: reason}); err != nil {
		return err
	}
	if k.hooks != nil {
		return k.hooks.AfterCasualty(ctx, t.Id, loanID)
	}
	return nil
}

// freeSerials removes a title's serials from the serial index.
func (k Keeper) freeSerials(ctx context.Context, t types.Title) error {
	for _, s := range t.Serials {
		if err := k.Serials.Remove(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// Pledge locks an ACTIVE title owned by owner as collateral of loan loanID
// (x/lending): the title becomes PLEDGED with that loan as its lien.
func (k Keeper) Pledge(ctx context.Context, titleID uint64, owner sdk.AccAddress, loanID uint64) error {
	if loanID == 0 {
		return errorsmod.Wrap(types.ErrInvalidLien, "loan id must be >= 1")
	}
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return err
	}
	if err := requireOwner(t, owner); err != nil {
		return err
	}
	if err := requireStatus(t, "pledge", types.StatusActive); err != nil {
		return err
	}
	t.LoanId = loanID
	return k.setStatus(ctx, &t, types.StatusPledged)
}

// Release returns a PLEDGED title to ACTIVE and clears its lien (x/lending:
// loan repaid or cancelled).
func (k Keeper) Release(ctx context.Context, titleID uint64) error {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return err
	}
	if err := requireStatus(t, "release", types.StatusPledged); err != nil {
		return err
	}
	t.LoanId = 0
	return k.setStatus(ctx, &t, types.StatusActive)
}

// SetLien sets a title's lien to loanID, or clears it with 0, without a
// status change: x/lending's state migration moves its old title -> loan map
// here. Only a PLEDGED or FORECLOSING title holds a lien, and it always does.
func (k Keeper) SetLien(ctx context.Context, titleID, loanID uint64) error {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return err
	}
	if types.HoldsLien(t.Status) != (loanID != 0) {
		return errorsmod.Wrapf(types.ErrInvalidLien, "title %d is %s: cannot set its lien to loan %d", t.Id, t.Status, loanID)
	}
	if t.LoanId == loanID {
		return nil
	}
	t.LoanId = loanID
	return k.titleValues.Set(ctx, t.Id, t)
}

// PledgedCount is the number of titles holding a lien (PLEDGED or
// FORECLOSING), read from the status index: x/lending's invariant matches it
// against the titles its live loans hold.
func (k Keeper) PledgedCount(ctx context.Context) (uint64, error) {
	var n uint64
	for _, s := range []types.TitleStatus{types.StatusPledged, types.StatusForeclosing} {
		c, err := keeperutil.CountRange(ctx, k.Titles.Indexes.Status.KeySet, collections.NewPrefixedPairRange[int32, uint64](int32(s)))
		if err != nil {
			return 0, err
		}
		n += c
	}
	return n, nil
}

// StartForeclosure moves a PLEDGED title to FORECLOSING (x/lending: default).
func (k Keeper) StartForeclosure(ctx context.Context, titleID uint64) error {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return err
	}
	if err := requireStatus(t, "foreclose", types.StatusPledged); err != nil {
		return err
	}
	return k.setStatus(ctx, &t, types.StatusForeclosing)
}

// TransferForeclosed gives a FORECLOSING title to newOwner as ACTIVE, its
// lien cleared (x/lending: auction sale or write-off). Pay a value claim before this call.
func (k Keeper) TransferForeclosed(ctx context.Context, titleID uint64, newOwner sdk.AccAddress) error {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return err
	}
	if err := requireStatus(t, "transfer the foreclosed", types.StatusForeclosing); err != nil {
		return err
	}
	if len(newOwner) == 0 {
		return errorsmod.Wrap(types.ErrInvalidRecipient, "empty new owner")
	}
	t.LoanId = 0
	if err := k.setStatus(ctx, &t, types.StatusActive); err != nil {
		return err
	}
	if t.Owner == newOwner.String() {
		return nil
	}
	return k.changeOwner(ctx, &t, newOwner)
}
