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

// GetParty returns a party, or ErrPartyNotFound.
func (k Keeper) GetParty(ctx context.Context, addr sdk.AccAddress) (types.Party, error) {
	p, err := k.Parties.Get(ctx, addr)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Party{}, errorsmod.Wrap(types.ErrPartyNotFound, addr.String())
	}
	return p, err
}

// HasRole reports whether addr is an active party holding role. Other modules
// gate their role messages with it (x/lending: CURATOR; x/yield and x/stable:
// TREASURY_CUSTODIAN). A store error reads as false.
func (k Keeper) HasRole(ctx context.Context, addr sdk.AccAddress, role types.Role) bool {
	p, err := k.Parties.Get(ctx, addr)
	return err == nil && p.Active && p.HasRole(role)
}

// requireRole returns ErrUnauthorized unless addr is an active party holding role.
func (k Keeper) requireRole(ctx context.Context, addr sdk.AccAddress, role types.Role) error {
	if !k.HasRole(ctx, addr, role) {
		return errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "%s is not an active %s party", addr, role)
	}
	return nil
}

// RegisterParty stores a new party and indexes its roles.
func (k Keeper) RegisterParty(ctx context.Context, party types.Party) (types.Party, error) {
	if err := party.Validate(); err != nil {
		return types.Party{}, err
	}
	addr := sdk.MustAccAddressFromBech32(party.Address)
	party.Address = addr.String()
	exists, err := k.Parties.Has(ctx, addr)
	if err != nil {
		return types.Party{}, err
	}
	if exists {
		return types.Party{}, errorsmod.Wrap(types.ErrPartyExists, party.Address)
	}
	if err := k.setParty(ctx, addr, party); err != nil {
		return types.Party{}, err
	}
	return party, keeperutil.Emit(ctx, &types.EventPartyRegistered{Party: party})
}

// UpdateParty replaces an existing party's roles, name, active flag and metadata.
func (k Keeper) UpdateParty(ctx context.Context, party types.Party) (types.Party, error) {
	if err := party.Validate(); err != nil {
		return types.Party{}, err
	}
	addr := sdk.MustAccAddressFromBech32(party.Address)
	party.Address = addr.String()
	old, err := k.GetParty(ctx, addr)
	if err != nil {
		return types.Party{}, err
	}
	for _, r := range old.Roles {
		if err := k.PartiesByRole.Remove(ctx, collections.Join(int32(r), addr)); err != nil {
			return types.Party{}, err
		}
	}
	if err := k.setParty(ctx, addr, party); err != nil {
		return types.Party{}, err
	}
	return party, keeperutil.Emit(ctx, &types.EventPartyUpdated{Party: party})
}

// SetPartyActive activates or deactivates an existing party. An inactive party
// keeps its record but HasRole is false for it, and its appraisals stop counting.
func (k Keeper) SetPartyActive(ctx context.Context, addr sdk.AccAddress, active bool) (types.Party, error) {
	party, err := k.GetParty(ctx, addr)
	if err != nil {
		return types.Party{}, err
	}
	party.Active = active
	if err := k.Parties.Set(ctx, addr, party); err != nil {
		return types.Party{}, err
	}
	return party, keeperutil.Emit(ctx, &types.EventPartyUpdated{Party: party})
}

func (k Keeper) setParty(ctx context.Context, addr sdk.AccAddress, party types.Party) error {
	for _, r := range party.Roles {
		if err := k.PartiesByRole.Set(ctx, collections.Join(int32(r), addr)); err != nil {
			return err
		}
	}
	return k.Parties.Set(ctx, addr, party)
}
