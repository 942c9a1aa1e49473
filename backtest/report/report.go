package report

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/infrafi/infrafi/backtest/market"
)

// ZeroLossTolerance is the largest senior loss, in USDai, the report still
// counts as none: conversions from the chain's integer amounts can leave
// dust below a cent.
const ZeroLossTolerance = 0.01

// Names of the base runs the report compares the sweep with.
const (
	PresetRun = "preset" // the localnet preset's parameters
	USDAIRun  = "usdai"  // USD.AI's published terms
)

// Answer is the paragraph that answers the seed's question; the caller
// writes it from the results.
type Answer struct{ Text string }

// ReportFile is the markdown file Write creates in its directory.
const ReportFile = "report.md"

// Write renders the backtest into dir: report.md and one PNG per chart.
// base[0] is the main run (its months drive the charts' axes); the other
// base runs (e.g. "preset", "usdai") are drawn beside it. sweep's points
// need only their summaries. The output depends only on the arguments, so
// the same inputs give byte-identical files.
func Write(dir string, base []Result, sweep Sweep, hist market.History, answer Answer) error {
	if len(base) == 0 || len(base[0].Months) == 0 {
		return errors.New("report: the main run (base[0]) has no months")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	list := charts(base, hist)
	if err := writeCharts(dir, list); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	md := Markdown(base, sweep, hist, answer, list)
	if err := os.WriteFile(filepath.Join(dir, ReportFile), []byte(md), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// SortedSweep orders the sweep's points safest first: by senior loss, then
// by APR (highest first), then by name, so ties print in a fixed order.
func SortedSweep(points []Result) []Result {
	out := append([]Result(nil), points...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if la, lb := zeroed(a.SeniorLoss), zeroed(b.SeniorLoss); la != lb {
			return la < lb
		}
		if a.APR != b.APR {
			return a.APR > b.APR
		}
		return a.Params.Name < b.Params.Name
	})
	return out
}

// zeroed folds losses within the tolerance to 0 so they sort as equal.
func zeroed(loss float64) float64 {
	if loss <= ZeroLossTolerance {
		return 0
	}
	return loss
}

// ZeroLoss returns the points with no senior loss, best APR first.
func ZeroLoss(points []Result) []Result {
	var out []Result
	for _, r := range SortedSweep(points) {
		if r.SeniorLoss <= ZeroLossTolerance {
			out = append(out, r)
		}
	}
	return out
}

// BestZeroLoss is the zero-senior-loss point with the highest APR.
func BestZeroLoss(points []Result) (Result, bool) {
	z := ZeroLoss(points)
	if len(z) == 0 {
		return Result{}, false
	}
	return z[0], true
}

// Find returns the named run from base or the sweep.
func Find(name string, base []Result, sweep Sweep) (Result, bool) {
	for _, r := range append(append([]Result(nil), base...), sweep.Points...) {
		if r.Params.Name == name {
			return r, true
		}
	}
	return Result{}, false
}

// Markdown is report.md's text.
func Markdown(base []Result, sweep Sweep, hist market.History, answer Answer, list []Chart) string {
	var b strings.Builder
	main := base[0]
	first, last := main.Months[0].Month.Format("2006-01"), main.Months[len(main.Months)-1].Month.Format("2006-01")
	fmt.Fprintf(&b, "# Backtest: sUSDai lending against H100s, %s to %s\n\n", first, last)
	fmt.Fprintf(&b, "The in-process chain driven month by month over the recorded H100 market (%d months). ", len(main.Months))
	fmt.Fprintf(&b, "Main run: %q, seed %d.\n\n", main.Params.Name, main.Seed)

	b.WriteString("## Run parameters\n\n")
	b.WriteString("| Run | Seed | Max LTV | Depreciation / year | First loss | Min insurance | Loan APR |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range base {
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s |\n", r.Params.Name, r.Seed,
			pct(r.Params.MaxLTV), pct(r.Params.DepreciationPerYear), pct(r.Params.FirstLoss), pct(r.Params.MinInsurance), pct(r.Params.APR))
	}
	b.WriteString("\n")

	writeMarketTable(&b, hist)

	b.WriteString("## Charts\n\n")
	for _, c := range list {
		fmt.Fprintf(&b, "![%s](%s)\n\n*%s*\n\n", strings.TrimSuffix(c.File, ".png"), c.File, c.Caption)
	}

	b.WriteString("## Base runs\n\n")
	b.WriteString("| Run | sUSDai APR | Senior loss (USDai) | Defaults | Originated | Min backing | Max queue days |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range base {
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %d | %.4f | %.1f |\n", r.Params.Name, pct(r.APR), usd(r.SeniorLoss), r.Defaults, r.Originated, r.MinBacking, r.MaxQueueDays)
	}
	b.WriteString("\n")

	writeSweep(&b, base, sweep)

	b.WriteString("## Answer\n\n")
	b.WriteString(strings.TrimSpace(answer.Text))
	b.WriteString("\n\n")

	writeSources(&b, hist)
	return b.String()
}

func writeMarketTable(b *strings.Builder, hist market.History) {
	b.WriteString("## Market inputs\n\n")
	b.WriteString("| Month | H100 resale (USD/GPU) | H100 rental (USD/GPU-hour) | 3-month T-bill |\n")
	b.WriteString("|---|---:|---:|---:|\n")
	mark := func(p market.Point, s market.Series) string {
		if p.Interpolated[s] {
			return "*"
		}
		return ""
	}
	for _, p := range hist.Months() {
		fmt.Fprintf(b, "| %s | %s%s | %.2f%s | %.2f%%%s |\n", p.Month.Format("2006-01"),
			thousands(p.GPUPrice), mark(p, market.GPUPrice),
			p.RentPrice, mark(p, market.RentPrice),
			100*p.TBillRate, mark(p, market.TBillRate))
	}
	b.WriteString("\n\\* interpolated between the neighbouring sourced anchors, or the last anchor held; every other cell is a sourced figure (see Sources).\n\n")
	fmt.Fprintf(b, "Constants: value by age (years 0–%d) %s; recovery by speed of sale %s; break-even rental $%.2f/GPU-hour.\n\n",
		len(hist.ValueByAge)-1, joinFloats(hist.ValueByAge), recoveryText(hist.Recovery), hist.BreakEvenRent)
}

func writeSweep(b *strings.Builder, base []Result, sweep Sweep) {
	b.WriteString("## Parameter sweep\n\n")
	if len(sweep.Points) == 0 {
		b.WriteString("No sweep points were run.\n\n")
	} else {
		b.WriteString("Sorted by senior loss (lowest first), then by sUSDai APR (highest first).\n\n")
		b.WriteString("| Set | Max LTV | Depreciation / year | First loss | Min insurance | Loan APR | Senior loss (USDai) | sUSDai APR | Defaults | First-loss loss (USDai) | Insurers paid / to lenders (USDai) |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, r := range SortedSweep(sweep.Points) {
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %d/%d | %s | %s / %s |\n", r.Params.Name,
				pct(r.Params.MaxLTV), pct(r.Params.DepreciationPerYear), pct(r.Params.FirstLoss), pct(r.Params.MinInsurance), pct(r.Params.APR),
				usd(r.SeniorLoss), pct(r.APR), r.Defaults, r.Originated, usd(r.JuniorLoss), usd(r.InsurerPaid), usd(r.InsurerToLenders))
		}
		b.WriteString("\n")
	}

	b.WriteString("### Zero senior loss\n\n")
	zero := ZeroLoss(sweep.Points)
	if len(zero) == 0 {
		b.WriteString("No parameter set in the sweep kept the senior tranche whole.\n\n")
	} else {
		names := make([]string, len(zero))
		for i, r := range zero {
			names[i] = fmt.Sprintf("%s (%s)", r.Params.Name, pct(r.APR))
		}
		fmt.Fprintf(b, "%d of %d sets lost nothing senior: %s.\n\n", len(zero), len(sweep.Points), strings.Join(names, ", "))
		best := zero[0]
		fmt.Fprintf(b, "**Best APR with zero senior loss: %s, sUSDai APR %s** (%s).\n\n", best.Params.Name, pct(best.APR), paramsText(best.Params))
	}

	b.WriteString("### Against the preset and USD.AI's terms\n\n")
	var parts []string
	for _, name := range []string{PresetRun, USDAIRun} {
		r, ok := Find(name, base, sweep)
		if !ok {
			parts = append(parts, fmt.Sprintf("%s: not run", name))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s (%s): sUSDai APR %s, senior loss %s USDai, defaults %d", name, paramsText(r.Params), pct(r.APR), usd(r.SeniorLoss), r.Defaults))
	}
	if best, ok := BestZeroLoss(sweep.Points); ok {
		parts = append(parts, fmt.Sprintf("best zero-loss set %s: sUSDai APR %s", best.Params.Name, pct(best.APR)))
	}
	b.WriteString(strings.Join(parts, "; "))
	b.WriteString(".\n\n")
}

func writeSources(b *strings.Builder, hist market.History) {
	b.WriteString("## Sources\n\n")
	for _, s := range hist.Sources() {
		fmt.Fprintf(b, "- **%s**: %s (%s).", s.ID, s.Title, s.Date)
		if s.URL != "" {
			fmt.Fprintf(b, " <%s>", s.URL)
		}
		fmt.Fprintf(b, " States: %s.\n", strings.TrimSuffix(s.States, "."))
	}
}

func paramsText(p Params) string {
	return fmt.Sprintf("max LTV %s, depreciation %s/yr, first loss %s, min insurance %s, loan APR %s",
		pct(p.MaxLTV), pct(p.DepreciationPerYear), pct(p.FirstLoss), pct(p.MinInsurance), pct(p.APR))
}

func recoveryText(tiers []market.RecoveryTier) string {
	parts := make([]string, len(tiers))
	for i, t := range tiers {
		parts[i] = fmt.Sprintf("%s %dd %.2f", t.Name, t.Days, t.Factor)
	}
	return strings.Join(parts, ", ")
}

func joinFloats(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.2f", x)
	}
	return strings.Join(parts, "/")
}

// pct prints a fraction as a percent with two decimals ("12.50%").
func pct(x float64) string { return fmt.Sprintf("%.2f%%", 100*x) }

// usd prints an amount with thousands separators and two decimals.
func usd(x float64) string {
	cents := int64(math.Round(math.Abs(x) * 100))
	neg := x < 0 && cents > 0
	s := thousands(float64(cents/100)) + fmt.Sprintf(".%02d", cents%100)
	if neg {
		return "-" + s
	}
	return s
}

// thousands prints a whole amount with comma separators ("32,500").
func thousands(x float64) string {
	s := fmt.Sprintf("%.0f", math.Abs(x))
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if x < 0 && s != "0" {
		return "-" + string(out)
	}
	return string(out)
}
