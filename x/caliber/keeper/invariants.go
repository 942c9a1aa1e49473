package keeper

import (
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
)

// Invariants returns the module's invariants by name. v0.53's crisis module no
// longer runs them; tests and simulation do.
func Invariants(k *Keeper) map[string]sdk.Invariant {
	return map[string]sdk.Invariant{
		"appraisals":      AppraisalsInvariant(k),
		"insurance-pools": InsuranceInvariant(k),
		"liens":           LiensInvariant(k),
		"serials":         SerialsInvariant(k),
		"title-indexes":   TitleIndexesInvariant(k),
	}
}

// InsuranceInvariant: every pool has reserved <= balance and reserved equal to
// the coverage of its policies, and the module account holds exactly the sum
// of the pool balances in uusdai.
func InsuranceInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		coverage := map[string]math.Int{}
		err := k.Policies.Walk(ctx, nil, func(_ uint64, p types.Policy) (bool, error) {
			sum, ok := coverage[p.Insurer]
			if !ok {
				sum = math.ZeroInt()
			}
			coverage[p.Insurer] = sum.Add(p.Coverage)
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		var (
			msg      string
			broken   bool
			total    = math.ZeroInt()
			reserved = math.ZeroInt()
		)
		err = k.Pools.Walk(ctx, nil, func(_ sdk.AccAddress, p types.InsurancePool) (bool, error) {
			total = total.Add(p.Balance)
			reserved = reserved.Add(p.Reserved)
			if p.Reserved.GT(p.Balance) {
				msg += fmt.Sprintf("pool of %s reserves %s above its balance %s\n", p.Insurer, p.Reserved, p.Balance)
				broken = true
			}
			want, ok := coverage[p.Insurer]
			if !ok {
				want = math.ZeroInt()
			}
			if !p.Reserved.Equal(want) {
				msg += fmt.Sprintf("pool of %s reserves %s, its policies cover %s\n", p.Insurer, p.Reserved, want)
				broken = true
			}
			delete(coverage, p.Insurer)
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		if len(coverage) > 0 {
			msg += fmt.Sprintf("%d insurers have policies but no pool\n", len(coverage))
			broken = true
		}
		if got, err := k.TotalReserved(ctx); err != nil || !got.Equal(reserved) {
			msg += fmt.Sprintf("total reserved coverage is %s (%v), pools reserve %s\n", got, err, reserved)
			broken = true
		}
		held := k.bank.GetBalance(ctx, k.account.GetModuleAddress(types.ModuleName), types.InsuranceDenom).Amount
		if !held.Equal(total) {
			msg += fmt.Sprintf("module account holds %s%s, pools hold %s\n", held, types.InsuranceDenom, total)
			broken = true
		}
		return sdk.FormatInvariant(types.ModuleName, "insurance-pools", msg), broken
	}
}

// AppraisalsInvariant: each title's appraisal record is non-empty, belongs to
// an existing title, holds only that title's appraisals and is strictly ordered by
// appraiser address text (one appraisal per appraiser), as setAppraisal and
// the query's paging rely on; each appraiser is a canonical address.
func AppraisalsInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var msg string
		err := k.Appraisals.Walk(ctx, nil, func(id uint64, rec types.TitleAppraisals) (bool, error) {
			if len(rec.Appraisals) == 0 {
				msg += fmt.Sprintf("title %d has an empty appraisal record\n", id)
			}
			if has, err := k.Titles.Has(ctx, id); err != nil || !has {
				msg += fmt.Sprintf("title %d has appraisals but does not exist\n", id)
			}
			for i, a := range rec.Appraisals {
				addr, err := sdk.AccAddressFromBech32(a.Appraiser)
				switch {
				case a.TitleId != id:
					msg += fmt.Sprintf("title %d's record holds an appraisal of title %d\n", id, a.TitleId)
				case err != nil || addr.String() != a.Appraiser:
					msg += fmt.Sprintf("title %d: appraiser %q is not a canonical address\n", id, a.Appraiser)
				case i > 0 && rec.Appraisals[i-1].Appraiser >= a.Appraiser:
					msg += fmt.Sprintf("title %d: appraiser %s is out of order\n", id, a.Appraiser)
				}
			}
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		return sdk.FormatInvariant(types.ModuleName, "appraisals", msg), msg != ""
	}
}

// LiensInvariant: a PLEDGED or FORECLOSING title holds a lien (loan_id), no
// other title does. x/lending's pledged-titles invariant checks each lien
// names the live loan holding the title.
func LiensInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var msg string
		err := k.Titles.Walk(ctx, nil, func(id uint64, t types.Title) (bool, error) {
			if types.HoldsLien(t.Status) != (t.LoanId != 0) {
				msg += fmt.Sprintf("title %d is %s with loan_id %d\n", id, t.Status, t.LoanId)
			}
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		return sdk.FormatInvariant(types.ModuleName, "liens", msg), msg != ""
	}
}

// SerialsInvariant: the serial index holds exactly the serials of live titles,
// each pointing at its title.
func SerialsInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var (
			msg    string
			broken bool
			count  int
		)
		err := k.Titles.Walk(ctx, nil, func(id uint64, t types.Title) (bool, error) {
			if !types.IsLive(t.Status) {
				return false, nil
			}
			for _, s := range t.Serials {
				count++
				holder, err := k.Serials.Get(ctx, s)
				if err != nil || holder != id {
					msg += fmt.Sprintf("serial %s of live title %d is not indexed to it\n", s, id)
					broken = true
				}
			}
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		indexed := 0
		err = k.Serials.Walk(ctx, nil, func(string, uint64) (bool, error) {
			indexed++
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		if indexed != count {
			msg += fmt.Sprintf("%d serials indexed, live titles hold %d\n", indexed, count)
			broken = true
		}
		return sdk.FormatInvariant(types.ModuleName, "serials", msg), broken
	}
}

// TitleIndexesInvariant: each title has exactly its owner, class, status and
// custodian index keys. insertTitle and setStatus write index keys without
// IndexedMap.Set; this checks they wrote the ones the indexes derive.
func TitleIndexesInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var msg string
		titles := uint64(0)
		idx := k.Titles.Indexes
		err := k.Titles.Walk(ctx, nil, func(id uint64, t types.Title) (bool, error) {
			titles++
			owner, err := sdk.AccAddressFromBech32(t.Owner)
			if err != nil {
				return true, err
			}
			custodian, err := sdk.AccAddressFromBech32(t.Custodian)
			if err != nil {
				return true, err
			}
			msg += keeperutil.MissingKeys(fmt.Sprintf("title %d (%s)", id, t.Status),
				keeperutil.KeyIn(ctx, "owner", idx.Owner.KeySet, collections.Join(owner, id)),
				keeperutil.KeyIn(ctx, "class", idx.Class.KeySet, collections.Join(t.ClassId, id)),
				keeperutil.KeyIn(ctx, "status", idx.Status.KeySet, collections.Join(int32(t.Status), id)),
				keeperutil.KeyIn(ctx, "custodian", idx.Custodian.KeySet, collections.Join(custodian, id)))
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		sizes, err := keeperutil.SizeMismatches(titles, "titles",
			keeperutil.SizeOf(ctx, "owner", idx.Owner.KeySet),
			keeperutil.SizeOf(ctx, "class", idx.Class.KeySet),
			keeperutil.SizeOf(ctx, "status", idx.Status.KeySet),
			keeperutil.SizeOf(ctx, "custodian", idx.Custodian.KeySet))
		if err != nil {
			return err.Error(), true
		}
		msg += sizes
		return sdk.FormatInvariant(types.ModuleName, "title-indexes", msg), msg != ""
	}
}
