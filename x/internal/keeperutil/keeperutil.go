// Package keeperutil holds the small pieces every infrafi keeper shares.
package keeperutil

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

// CheckAuthority returns ErrUnauthorized unless signer is the authority address.
func CheckAuthority(authority sdk.AccAddress, signer string) error {
	addr, err := sdk.AccAddressFromBech32(signer)
	if err != nil || !addr.Equals(authority) {
		return errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "expected authority %s, got %s", authority, signer)
	}
	return nil
}

// Emit emits a typed event on the context's event manager. It is
// EventManager.EmitTypedEvent with the event built by TypedEvent, which gives
// the same event at a fraction of the cost.
func Emit(ctx context.Context, event proto.Message) error {
	ev, err := TypedEvent(event)
	if err != nil {
		return err
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(ev)
	return nil
}
