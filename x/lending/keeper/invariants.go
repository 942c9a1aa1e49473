package keeper

import (
	"fmt"
	"maps"
	"slices"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
	"github.com/infrafi/infrafi/x/lending/types"
)

// Invariants lists the module's invariants by name.
func Invariants(k *Keeper) map[string]sdk.Invariant {
	return map[string]sdk.Invariant{
		"pledged-titles": PledgedTitlesInvariant(k),
		"balances":       BalancesInvariant(k),
		"committed":      CommittedInvariant(k),
		"queues":         QueuesInvariant(k),
		"lockboxes":      LockboxesInvariant(k),
		"indexes":        IndexesInvariant(k),
	}
}

// PledgedTitlesInvariant: every title of a live loan is PLEDGED (FORECLOSING
// while the loan is) with that loan as its lien, and there are no other
// PLEDGED or FORECLOSING titles, so every lien names a live loan holding the
// title (x/caliber's liens invariant: only those titles hold a lien).
func PledgedTitlesInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var msg string
		broken := false
		count := 0
		err := k.Loans.Walk(ctx, nil, func(id uint64, l types.Loan) (bool, error) {
			if !types.Live(l.Status) {
				return false, nil
			}
			for _, t := range l.TitleIds {
				count++
				want := calibertypes.StatusPledged
				if l.Status == types.LoanForeclosing {
					want = calibertypes.StatusForeclosing
				}
				title, err := k.caliber.GetTitle(ctx, t)
				if err != nil || title.Status != want || title.LoanId != id {
					msg += fmt.Sprintf("title %d of live loan %d is %s with lien %d (%v)\n", t, id, title.Status, title.LoanId, err)
					broken = true
				}
			}
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		pledged, err := k.caliber.PledgedCount(ctx)
		if err != nil {
			return err.Error(), true
		}
		if pledged != uint64(count) {
			msg += fmt.Sprintf("%d titles PLEDGED or FORECLOSING, live loans hold %d\n", pledged, count)
			broken = true
		}
		return sdk.FormatInvariant(types.ModuleName, "pledged-titles", msg), broken
	}
}

// BalancesInvariant: the module account holds exactly the DSR of the funded
// loans plus the casualty claims held by open auctions (all other money
// passes through within a message), and the senior, junior and DSR totals
// equal their sums over loans.
func BalancesInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		senior, junior, dsr := math.ZeroInt(), math.ZeroInt(), math.ZeroInt()
		err := k.Loans.Walk(ctx, nil, func(_ uint64, l types.Loan) (bool, error) {
			if types.Funded(l.Status) {
				senior, junior, dsr = senior.Add(l.Senior.Balance), junior.Add(l.JuniorPrincipal), dsr.Add(l.Dsr)
			}
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		var msg string
		broken := false
		for _, c := range []struct {
			key  string
			want math.Int
		}{{totalSenior, senior}, {totalJunior, junior}, {totalDSR, dsr}} {
			got, err := k.total(ctx, c.key)
			if err != nil || !got.Equal(c.want) {
				msg += fmt.Sprintf("total %s is %s, loans sum to %s\n", c.key, got, c.want)
				broken = true
			}
		}
		casualty := math.ZeroInt()
		if err := k.Auctions.Walk(ctx, nil, func(_ uint64, a types.Auction) (bool, error) {
			if a.Status == types.AuctionOpen {
				casualty = casualty.Add(a.CasualtyProceeds)
			}
			return false, nil
		}); err != nil {
			return err.Error(), true
		}
		held := k.bank.GetBalance(ctx, k.account.GetModuleAddress(types.ModuleName), types.Denom).Amount
		if !held.Equal(dsr.Add(casualty)) {
			msg += fmt.Sprintf("module holds %s%s, loans' DSR is %s and open auctions hold %s\n", held, types.Denom, dsr, casualty)
			broken = true
		}
		return sdk.FormatInvariant(types.ModuleName, "balances", msg), broken
	}
}

// LockboxesInvariant: every funded live loan's lockbox holds at least its
// baseline (the baseline only falls when the module takes coins out, and a
// lockbox only loses coins that way; the sum runs over every coin held, so a
// reserve x/stable de-lists still counts), its cash-flow record is within
// bounds with non-negative entries, and a repaid loan's baseline is zero (its
// lockbox was emptied to the borrower).
func LockboxesInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var msg string
		err := k.Loans.Walk(ctx, nil, func(id uint64, l types.Loan) (bool, error) {
			baseline := intOr0(l.LockboxBaseline)
			switch {
			case types.Funded(l.Status):
				held := math.ZeroInt()
				for _, c := range k.bank.GetAllBalances(ctx, types.LockboxAddress(id)) {
					held = held.Add(c.Amount)
				}
				if held.LT(baseline) {
					msg += fmt.Sprintf("loan %d: lockbox holds %s in all, below its baseline %s\n", id, held, baseline)
				}
			case l.Status == types.LoanRepaid && !baseline.IsZero():
				msg += fmt.Sprintf("loan %d: repaid with lockbox baseline %s\n", id, baseline)
			}
			if len(l.CashFlow) > types.MaxCashFlowPeriods || int(l.CashFlowNext) > len(l.CashFlow) {
				msg += fmt.Sprintf("loan %d: cash-flow record of %d periods, cursor %d\n", id, len(l.CashFlow), l.CashFlowNext)
			}
			for _, p := range l.CashFlow {
				if p.Revenue.IsNegative() || p.DebtService.IsNegative() {
					msg += fmt.Sprintf("loan %d: negative cash-flow record %s / %s\n", id, p.Revenue, p.DebtService)
				}
			}
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		return sdk.FormatInvariant(types.ModuleName, "lockboxes", msg), msg != ""
	}
}

// CommittedInvariant: the vault's committed liquidity equals the principal of
// the PENDING loans.
func CommittedInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		pending := math.ZeroInt()
		err := k.Loans.Walk(ctx, nil, func(_ uint64, l types.Loan) (bool, error) {
			if l.Status == types.LoanPending {
				pending = pending.Add(l.Principal)
			}
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		committed, err := k.yield.GetCommitted(ctx)
		if err != nil {
			return err.Error(), true
		}
		var msg string
		broken := !committed.Equal(pending)
		if broken {
			msg = fmt.Sprintf("vault committed %s, PENDING loans' principal is %s\n", committed, pending)
		}
		return sdk.FormatInvariant(types.ModuleName, "committed", msg), broken
	}
}

// QueuesInvariant: the pending queue holds exactly the PENDING loans, each at
// its pending_expires_at (the Loans query lists PENDING loans from it); every
// ACTIVE or MARGIN_CALL loan is in the due queue at its next due time, every
// loan with a deadline is in the deadline queue,
// every FORECLOSING loan has an OPEN auction, and the impaired set holds
// exactly the loans whose vault claim is impaired.
func QueuesInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var msg string
		pending := uint64(0)
		err := k.Loans.Walk(ctx, nil, func(id uint64, l types.Loan) (bool, error) {
			if l.Status == types.LoanPending {
				pending++
				if ok, err := k.PendingQueue.Has(ctx, collections.Join(l.PendingExpiresAt, id)); err != nil || !ok {
					msg += fmt.Sprintf("PENDING loan %d not in the pending queue at %s\n", id, l.PendingExpiresAt)
				}
			}
			if l.Status == types.LoanActive || l.Status == types.LoanMarginCall {
				if ok, err := k.DueQueue.Has(ctx, collections.Join(l.NextDueTime, id)); err != nil || !ok {
					msg += fmt.Sprintf("loan %d (%s) not in the due queue at %s\n", id, l.Status, l.NextDueTime)
				}
			}
			if !l.Deadline.IsZero() {
				if ok, err := k.DeadlineQueue.Has(ctx, collections.Join(l.Deadline, id)); err != nil || !ok {
					msg += fmt.Sprintf("loan %d not in the deadline queue at %s\n", id, l.Deadline)
				}
			}
			if l.Status == types.LoanForeclosing {
				if a, err := k.Auctions.Get(ctx, id); err != nil || a.Status != types.AuctionOpen {
					msg += fmt.Sprintf("foreclosing loan %d has no open auction\n", id)
				}
			}
			impaired, err := k.Impaired.Has(ctx, id)
			if err != nil {
				return true, err
			}
			if want := types.Funded(l.Status) && l.Senior.Impaired; impaired != want {
				msg += fmt.Sprintf("loan %d impaired set %v, vault claim impaired %v\n", id, impaired, want)
			}
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		sizes, err := keeperutil.SizeMismatches(pending, "PENDING loans", keeperutil.SizeOf(ctx, "pending queue", k.PendingQueue))
		if err != nil {
			return err.Error(), true
		}
		msg += sizes
		return sdk.FormatInvariant(types.ModuleName, "queues", msg), msg != ""
	}
}

// IndexesInvariant: each loan has exactly its borrower key, its status key
// unless it is PENDING (the pending queue lists those; QueuesInvariant checks
// it) and, once funded (it has a curator), its curator key; the status counts
// are the number of loans in each status.
// setLoan moves index keys from the status a loan was stored with, without
// reading it back; this checks it moved the right ones.
func IndexesInvariant(k *Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var msg string
		loans, statused, curated, counts := uint64(0), uint64(0), uint64(0), map[int32]uint64{}
		idx := k.Loans.Indexes
		err := k.Loans.Walk(ctx, nil, func(id uint64, l types.Loan) (bool, error) {
			loans++
			counts[int32(l.Status)]++
			borrower, err := sdk.AccAddressFromBech32(l.Borrower)
			if err != nil {
				return true, err
			}
			keys := []keeperutil.IndexKey{
				keeperutil.KeyIn(ctx, "borrower", idx.Borrower.KeySet, collections.Join(borrower, id)),
			}
			if idx.Status.Indexed(l) {
				statused++
				keys = append(keys, keeperutil.KeyIn(ctx, "status", idx.Status.KeySet, collections.Join(int32(l.Status), id)))
			}
			if idx.Curator.Indexed(l) {
				curated++
				keys = append(keys, keeperutil.KeyIn(ctx, "curator", idx.Curator.KeySet, collections.Join(l.Curator, id)))
			}
			msg += keeperutil.MissingKeys(fmt.Sprintf("loan %d (%s)", id, l.Status), keys...)
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		sizes, err := keeperutil.SizeMismatches(loans, "loans",
			keeperutil.SizeOf(ctx, "borrower", idx.Borrower.KeySet))
		if err != nil {
			return err.Error(), true
		}
		msg += sizes
		if sizes, err = keeperutil.SizeMismatches(statused, "loans not PENDING",
			keeperutil.SizeOf(ctx, "status", idx.Status.KeySet)); err != nil {
			return err.Error(), true
		}
		msg += sizes
		if sizes, err = keeperutil.SizeMismatches(curated, "loans with a curator",
			keeperutil.SizeOf(ctx, "curator", idx.Curator.KeySet)); err != nil {
			return err.Error(), true
		}
		msg += sizes
		err = k.StatusCounts.Walk(ctx, nil, func(status int32, n uint64) (bool, error) {
			if counts[status] != n {
				msg += fmt.Sprintf("status %s counted %d, %d loans hold it\n", types.LoanStatus(status), n, counts[status])
			}
			delete(counts, status)
			return false, nil
		})
		if err != nil {
			return err.Error(), true
		}
		for _, status := range slices.Sorted(maps.Keys(counts)) {
			msg += fmt.Sprintf("status %s not counted, %d loans hold it\n", types.LoanStatus(status), counts[status])
		}
		return sdk.FormatInvariant(types.ModuleName, "indexes", msg), msg != ""
	}
}
