package backtest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/infrafi/infrafi/backtest/market"
	"github.com/infrafi/infrafi/backtest/report"
)

// Answer writes the report's answer to the seed's question from the runs'
// numbers: what sUSDai paid under the preset and USD.AI's terms, which
// swept sets kept the senior tranche whole, the best APR among them, and
// whether 15–25% was reachable.
func Answer(base, sweep []report.Result, hist market.History) string {
	var b strings.Builder
	months := hist.Months()
	if len(base) > 0 && len(base[0].Months) > 0 {
		months = months[:len(base[0].Months)]
	}
	tbill := 0.0
	for _, m := range months {
		tbill += m.TBillRate
	}
	tbill /= float64(len(months))
	first, last := months[0], months[len(months)-1]
	fmt.Fprintf(&b, "From %s to %s the H100's resale value went from $%.0f to $%.0f a GPU (%+.0f%%) and its rent from $%.2f to $%.2f an hour; T-bills paid %.2f%% on average.\n\n",
		first.Month.Format("2006-01"), last.Month.Format("2006-01"), first.GPUPrice, last.GPUPrice, 100*(last.GPUPrice/first.GPUPrice-1),
		first.RentPrice, last.RentPrice, 100*tbill)
	for _, r := range base {
		fmt.Fprintf(&b, "- **%s** (%s): sUSDai paid **%.2f%% a year**; %d of %d loans defaulted; losses: insurers $%.0f (against $%.0f of premiums), first loss $%.0f, senior $%.0f; USDai backing never below %.3f; the longest redemption wait was %.0f days.\n",
			r.Params.Name, describe(r.Params), 100*r.APR, r.Defaults, r.Originated,
			r.InsurerPaid, r.Premiums, r.JuniorLoss, r.SeniorLoss, r.MinBacking, r.MaxQueueDays)
	}
	if len(base) > 0 {
		fmt.Fprintf(&b, "\nWhy the %s run's loans defaulted (the chain's default reason): %s.\n", base[0].Params.Name, reasons(base[0].DefaultReasons))
	}
	if len(sweep) == 0 {
		return b.String()
	}
	safe := report.ZeroLoss(sweep)
	fmt.Fprintf(&b, "\nOf %d swept parameter sets, %d lost nothing in the senior tranche.", len(sweep), len(safe))
	if best, ok := report.BestZeroLoss(sweep); ok {
		fmt.Fprintf(&b, " The best APR among them is **%.2f%%** (%s).", 100*best.APR, describe(best.Params))
	}
	top := sweep[0]
	for _, r := range sweep[1:] {
		if r.APR > top.APR {
			top = r
		}
	}
	if best, ok := report.BestZeroLoss(sweep); !ok || best.Params.Name != top.Params.Name {
		fmt.Fprintf(&b, " The highest APR of any set is %.2f%% (%s), with a senior loss of $%.0f.", 100*top.APR, describe(top.Params), top.SeniorLoss)
	}
	b.WriteString("\n\n")
	reach := 0
	for _, r := range safe {
		if r.APR >= 0.15 {
			reach++
		}
	}
	premium := float64(FirstLossPremiumBps) / 1e4
	coverage := ""
	if len(base) > 0 {
		coverage = coverageNote(base[0].Params, months, hist.Borrower)
	}
	if reach > 0 {
		fmt.Fprintf(&b, "**15–25%% was reachable** without a senior loss by %d set(s).", reach)
	} else {
		fmt.Fprintf(&b, "**15–25%% was not reachable** by sUSDai without a senior loss under any swept set.")
	}
	fmt.Fprintf(&b, " The vault earns the senior rate — the loan APR less the curator's %.0f%% first-loss premium, less the 1%% admin fee on interest — on the part of its NAV that is lent, and T-bills on the rest. %s\n",
		100*premium, coverage)
	if len(base) > 0 {
		b.WriteString(insuranceNote(base[0], sweep))
	}
	return b.String()
}

// insuranceNote says how much of the protection came from insurers: what
// they paid against the premiums in the main run and how much of it the
// lenders needed, and what the uninsured swept sets lost in the first-loss
// and senior tranches.
func insuranceNote(main report.Result, sweep []report.Result) string {
	var b strings.Builder
	paid := main.InsurerPaid
	if paid <= 0 {
		return ""
	}
	fmt.Fprintf(&b, "\nInsurers paid $%.0f of claims in the %s run", paid, main.Params.Name)
	if main.Premiums > 0 {
		fmt.Fprintf(&b, " against $%.0f of premiums (%.1f×)", main.Premiums, paid/main.Premiums)
	}
	fmt.Fprintf(&b, ", but a value claim pays the owner's loss on the title, not only the debt's: $%.0f of it paid what the lenders were owed", main.InsurerToLenders)
	if main.Premiums > 0 {
		fmt.Fprintf(&b, " (%.1f× the premiums)", main.InsurerToLenders/main.Premiums)
	}
	b.WriteString(" and the rest reached the borrowers as surplus.")
	var bare, hit, whole []string
	for _, r := range sweep {
		if r.Params.MinInsurance != 0 {
			continue
		}
		bare = append(bare, fmt.Sprintf("%s (first loss %.0f%%): first loss lost $%.0f, senior $%.0f, sUSDai APR %.2f%%",
			r.Params.Name, 100*r.Params.FirstLoss, r.JuniorLoss, r.SeniorLoss, 100*r.APR))
		if r.SeniorLoss > report.ZeroLossTolerance {
			hit = append(hit, fmt.Sprintf("%.0f%%", 100*r.Params.FirstLoss))
		} else {
			whole = append(whole, fmt.Sprintf("%.0f%%", 100*r.Params.FirstLoss))
		}
	}
	if len(bare) == 0 {
		b.WriteString("\n")
		return b.String()
	}
	fmt.Fprintf(&b, " Without insurance: %s.", strings.Join(bare, "; "))
	switch {
	case len(hit) == 0:
		b.WriteString(" The first-loss tranche alone would have kept the senior tranche whole.")
	case len(whole) == 0:
		b.WriteString(" Without insurance the senior tranche lost money in every uninsured set: its zero loss rests on insurance.")
	default:
		fmt.Fprintf(&b, " Uninsured, a first-loss tranche of %s kept the senior tranche whole and one of %s did not: insurance or a thicker first loss is what protects it.",
			strings.Join(whole, " or "), strings.Join(hit, " or "))
	}
	b.WriteString("\n")
	return b.String()
}

func describe(p report.Params) string {
	return fmt.Sprintf("max LTV %.0f%%, depreciation %.1f%%/year, first loss %.0f%%, insured %.0f%%, loan APR %.0f%%",
		100*p.MaxLTV, 100*p.DepreciationPerYear, 100*p.FirstLoss, 100*p.MinInsurance, 100*p.APR)
}

// reasons lists default reasons by count, most first (ties by name).
func reasons(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// coverageNote compares a typical operator's income with its installment:
// a loan of max LTV on 8 GPUs at the first month's price, against the
// income of an operator at the middle of every distribution at the highest
// and the lowest rent of the history.
func coverageNote(p report.Params, months []market.Point, m market.BorrowerModel) string {
	principal := p.MaxLTV * months[0].GPUPrice * float64(m.GPUsPerTitle)
	pay := Installment(principal, p.APR, Periods)
	mid := Borrower{
		Utilization: (m.UtilizationMin + m.UtilizationMax) / 2,
		Opex:        (m.OpexMin + m.OpexMax) / 2,
		PriceFactor: (m.PriceFactorMin + m.PriceFactorMax) / 2,
	}
	lo, hi := months[0], months[0]
	for _, x := range months {
		if x.RentPrice < lo.RentPrice {
			lo = x
		}
		if x.RentPrice > hi.RentPrice {
			hi = x
		}
	}
	return fmt.Sprintf("Under the %s terms a loan on 8 GPUs at %s's price is $%.0f, paid $%.0f a month over %d months; the median operator earned $%.0f a month at the highest rent ($%.2f, %s) and $%.0f at the lowest ($%.2f, %s): a debt-service cover of %.2f to %.2f, so a higher APR buys more yield only until the rent stops covering it.",
		p.Name, months[0].Month.Format("2006-01"), principal, pay, Periods,
		MonthlyIncome(m, mid, hi.RentPrice, 0), hi.RentPrice, hi.Month.Format("2006-01"),
		MonthlyIncome(m, mid, lo.RentPrice, 0), lo.RentPrice, lo.Month.Format("2006-01"),
		MonthlyIncome(m, mid, lo.RentPrice, 0)/pay, MonthlyIncome(m, mid, hi.RentPrice, 0)/pay)
}
