package keeperutil_test

import (
	"context"
	"errors"
	"testing"

	storetypes "cosmossdk.io/store/types"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
)

// TestBranches: Atomically keeps a failed operation's writes and events out of
// ctx and applies a successful one's; InTx writes straight into ctx, failed or
// not (the transaction around a msg server drops them).
func TestBranches(t *testing.T) {
	key := storetypes.NewKVStoreKey("branch_test")
	boom := errors.New("boom")
	op := func(fail bool) func(context.Context) error {
		return func(c context.Context) error {
			ctx := sdk.UnwrapSDKContext(c)
			ctx.KVStore(key).Set([]byte("k"), []byte("v"))
			ctx.EventManager().EmitEvent(sdk.NewEvent("written"))
			if fail {
				return boom
			}
			return nil
		}
	}
	for _, tc := range []struct {
		name    string
		branch  keeperutil.Branch
		fail    bool
		written bool
	}{
		{"atomically ok", keeperutil.Atomically, false, true},
		{"atomically failed", keeperutil.Atomically, true, false},
		{"in tx ok", keeperutil.InTx, false, true},
		{"in tx failed", keeperutil.InTx, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test")).Ctx.
				WithEventManager(sdk.NewEventManager())
			err := tc.branch(ctx, op(tc.fail))
			if tc.fail {
				require.ErrorIs(t, err, boom)
			} else {
				require.NoError(t, err)
			}
			require.Equal(t, tc.written, ctx.KVStore(key).Has([]byte("k")))
			require.Equal(t, tc.written, len(ctx.EventManager().Events()) == 1)
		})
	}
}
