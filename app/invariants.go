package app

import (
	"fmt"
	"sort"

	sdk "github.com/cosmos/cosmos-sdk/types"

	caliberkeeper "github.com/infrafi/infrafi/x/caliber/keeper"
	lendingkeeper "github.com/infrafi/infrafi/x/lending/keeper"
	stablekeeper "github.com/infrafi/infrafi/x/stable/keeper"
	yieldkeeper "github.com/infrafi/infrafi/x/yield/keeper"
)

// NamedInvariant is one module invariant with its route name.
type NamedInvariant struct {
	Name  string
	Check sdk.Invariant
}

// Invariants lists every module invariant in a fixed order. v0.53's crisis
// registration is a no-op, so tests, the stress test and the simulation call
// these directly.
func (app *App) Invariants() []NamedInvariant {
	invs := []NamedInvariant{
		{"stable/all", stablekeeper.AllInvariants(app.StableKeeper)},
		{"yield/all", yieldkeeper.AllInvariants(app.YieldKeeper)},
	}
	invs = appendSorted(invs, "caliber", caliberkeeper.Invariants(app.CaliberKeeper))
	return appendSorted(invs, "lending", lendingkeeper.Invariants(app.LendingKeeper))
}

func appendSorted(invs []NamedInvariant, module string, m map[string]sdk.Invariant) []NamedInvariant {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		invs = append(invs, NamedInvariant{module + "/" + name, m[name]})
	}
	return invs
}

// CheckInvariants runs every invariant on ctx and reports the first broken one.
func (app *App) CheckInvariants(ctx sdk.Context) error {
	for _, inv := range app.Invariants() {
		if msg, broken := inv.Check(ctx); broken {
			return fmt.Errorf("invariant %s broken at height %d: %s", inv.Name, ctx.BlockHeight(), msg)
		}
	}
	return nil
}
