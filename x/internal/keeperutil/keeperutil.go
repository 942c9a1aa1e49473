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

// Branch runs fn, the writes of a keeper operation, on ctx or on a branch of it.
// Operations that a msg server and other callers share take one, so each
// caller pays only for the atomicity it needs. fn gets a context.Context, not
// an sdk.Context: an sdk.Context (856 bytes) passed where a context.Context is
// expected is copied to the heap at every call, and fn's keeper and bank calls
// would each pay that; fn unwraps it only to read what the interface lacks.
type Branch func(ctx context.Context, fn func(ctx context.Context) error) error

// Atomically runs fn in a cache branch and writes the branch back (state and
// events) only when fn succeeds, so a failed operation leaves no trace even for
// callers that go on after the error: block hooks and other keepers.
func Atomically(ctx context.Context, fn func(ctx context.Context) error) error {
	cacheCtx, write := sdk.UnwrapSDKContext(ctx).CacheContext()
	if err := fn(context.Context(cacheCtx)); err != nil {
		return err
	}
	write()
	return nil
}

// InTx runs fn on ctx itself. Only msg servers use it: whatever runs a
// message (a transaction, authz's MsgExec inside one, gov's proposal
// execution) branches the state and drops the branch, events included, when
// the message fails, so a branch of the operation's own would only cost (a
// cache store for every module's store, written back on success).
func InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return fn(ctx)
}
