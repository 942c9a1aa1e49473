package modtest

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

// Accounts is x/auth's account store as module-account code sees it:
// accounts by address, the registered module names, and new accounts
// numbered in order from Next. GetModuleAccount creates a registered
// module's missing account and, like x/auth, panics on a plain one.
type Accounts struct {
	Registered map[string]bool
	ByAddress  map[string]sdk.AccountI
	Next       uint64
}

// NewAccounts returns an empty store in which names are registered.
func NewAccounts(names ...string) *Accounts {
	a := &Accounts{Registered: map[string]bool{}, ByAddress: map[string]sdk.AccountI{}}
	for _, n := range names {
		a.Registered[n] = true
	}
	return a
}

// Set stores acc under its address.
func (a *Accounts) Set(acc sdk.AccountI) { a.ByAddress[acc.GetAddress().String()] = acc }

// Module is the account at a module's address, nil when there is none.
func (a *Accounts) Module(name string) sdk.AccountI {
	return a.ByAddress[authtypes.NewModuleAddress(name).String()]
}

// The methods below are x/auth's, as keeperutil.AccountReplacer and the
// modules' AccountKeeper interfaces name them.

func (a *Accounts) GetModuleAddress(name string) sdk.AccAddress {
	if !a.Registered[name] {
		return nil
	}
	return authtypes.NewModuleAddress(name)
}

func (a *Accounts) HasAccount(ctx context.Context, addr sdk.AccAddress) bool {
	return a.GetAccount(ctx, addr) != nil
}

func (a *Accounts) GetAccount(_ context.Context, addr sdk.AccAddress) sdk.AccountI {
	return a.ByAddress[addr.String()]
}

func (a *Accounts) RemoveAccount(_ context.Context, acc sdk.AccountI) {
	delete(a.ByAddress, acc.GetAddress().String())
}

func (a *Accounts) GetModuleAccount(_ context.Context, name string) sdk.ModuleAccountI {
	addr := a.GetModuleAddress(name)
	if addr == nil {
		return nil
	}
	if acc, ok := a.ByAddress[addr.String()]; ok {
		return acc.(sdk.ModuleAccountI)
	}
	acc := authtypes.NewModuleAccount(authtypes.NewBaseAccount(addr, nil, a.Next, 0), name)
	a.Next++
	a.Set(acc)
	return acc
}
