package keeperutil_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/internal/modtest"
)

// fakeAuth knows the registered module names and which accounts exist;
// GetModuleAccount creates a registered module's account, as x/auth does.
type fakeAuth struct {
	registered map[string]bool
	exists     map[string]bool
	decoded    int // GetModuleAccount calls
}

func (a *fakeAuth) GetModuleAddress(name string) sdk.AccAddress {
	if !a.registered[name] {
		return nil
	}
	return authtypes.NewModuleAddress(name)
}

func (a *fakeAuth) HasAccount(_ context.Context, addr sdk.AccAddress) bool {
	return a.exists[addr.String()]
}

func (a *fakeAuth) GetModuleAccount(_ context.Context, name string) sdk.ModuleAccountI {
	a.decoded++
	if !a.registered[name] {
		return nil
	}
	a.exists[authtypes.NewModuleAddress(name).String()] = true
	return authtypes.NewEmptyModuleAccount(name)
}

type sent struct {
	from, to sdk.AccAddress
	amt      sdk.Coins
}

type fakeSender struct{ sends []sent }

func (s *fakeSender) SendCoins(_ context.Context, from, to sdk.AccAddress, amt sdk.Coins) error {
	s.sends = append(s.sends, sent{from, to, amt})
	return nil
}

// TestModuleAccounts: a transfer to a module goes to its address; its account
// is read only when missing, and then created first; an unregistered module
// on either side is an error that sends nothing.
func TestModuleAccounts(t *testing.T) {
	auth := &fakeAuth{registered: map[string]bool{"vault": true, "fees": true}, exists: map[string]bool{}}
	bank := &fakeSender{}
	m := keeperutil.NewModuleAccounts(auth, bank)
	alice := sdk.AccAddress("alice_______________")
	coins := sdk.NewCoins(sdk.NewInt64Coin("uusdai", 5))
	vault, fees := authtypes.NewModuleAddress("vault"), authtypes.NewModuleAddress("fees")

	// First transfer: the account is created, then paid.
	require.NoError(t, m.FromAccount(context.Background(), alice, "vault", coins))
	require.Equal(t, 1, auth.decoded)
	require.True(t, auth.exists[vault.String()])
	require.Equal(t, []sent{{alice, vault, coins}}, bank.sends)

	// Later transfers do not read the account again.
	require.NoError(t, m.FromAccount(context.Background(), alice, "vault", coins))
	require.Equal(t, 1, auth.decoded)

	require.NoError(t, m.FromModule(context.Background(), "vault", "fees", coins))
	require.Equal(t, 2, auth.decoded) // fees' account created
	require.Equal(t, sent{vault, fees, coins}, bank.sends[2])

	for _, tc := range []struct {
		name string
		send func() error
	}{
		{"unregistered recipient", func() error { return m.FromAccount(context.Background(), alice, "nobody", coins) }},
		{"unregistered sender", func() error { return m.FromModule(context.Background(), "nobody", "vault", coins) }},
	} {
		err := tc.send()
		require.ErrorIs(t, err, sdkerrors.ErrUnknownAddress, tc.name)
		require.Len(t, bank.sends, 3, tc.name)
	}
}

// TestEnsureModuleAccount: a missing module account is created, a plain
// account a transfer left at the address is replaced by the module account,
// a module account is left as it is; an account that signed or vests, and an
// unregistered module, are errors that change nothing.
func TestEnsureModuleAccount(t *testing.T) {
	ctx := context.Background()
	fees := authtypes.NewModuleAddress("fees")
	newStore := func(at sdk.AccountI) *modtest.Accounts {
		s := modtest.NewAccounts("fees")
		s.Next = 7
		if at != nil {
			s.Set(at)
		}
		return s
	}
	requireModule := func(t *testing.T, s *modtest.Accounts, number uint64) {
		t.Helper()
		macc, ok := s.Module("fees").(sdk.ModuleAccountI)
		require.True(t, ok, "%T", s.Module("fees"))
		require.Equal(t, "fees", macc.GetName())
		require.Equal(t, number, macc.GetAccountNumber())
	}

	t.Run("missing", func(t *testing.T) {
		s := newStore(nil)
		require.NoError(t, keeperutil.EnsureModuleAccount(ctx, s, "fees"))
		requireModule(t, s, 7)
	})
	t.Run("plain account left by a transfer", func(t *testing.T) {
		s := newStore(authtypes.NewBaseAccount(fees, nil, 3, 0))
		require.NoError(t, keeperutil.EnsureModuleAccount(ctx, s, "fees"))
		requireModule(t, s, 7)
	})
	t.Run("module account", func(t *testing.T) {
		s := newStore(authtypes.NewModuleAccount(authtypes.NewBaseAccount(fees, nil, 2, 0), "fees"))
		require.NoError(t, keeperutil.EnsureModuleAccount(ctx, s, "fees"))
		requireModule(t, s, 2)
		require.Equal(t, uint64(7), s.Next, "no account created")
	})
	signed := authtypes.NewBaseAccount(fees, nil, 3, 1)
	keyed := authtypes.NewBaseAccount(fees, nil, 3, 0)
	require.NoError(t, keyed.SetPubKey(secp256k1.GenPrivKey().PubKey()))
	for _, tc := range []struct {
		name string
		acc  sdk.AccountI
	}{{"signed", signed}, {"with a public key", keyed}} {
		t.Run(tc.name, func(t *testing.T) {
			acc := tc.acc
			s := newStore(acc)
			err := keeperutil.EnsureModuleAccount(ctx, s, "fees")
			require.ErrorIs(t, err, sdkerrors.ErrInvalidAddress)
			require.Same(t, acc, s.Module("fees"), "left as it was")
		})
	}
	t.Run("unregistered", func(t *testing.T) {
		s := newStore(nil)
		require.ErrorIs(t, keeperutil.EnsureModuleAccount(ctx, s, "nobody"), sdkerrors.ErrUnknownAddress)
		require.Empty(t, s.ByAddress)
	})
}
