package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/infrafi/infrafi/backtest/market"
)

// synthetic builds a run of n months whose numbers move enough to draw.
func synthetic(name string, n int, apr, loss float64) Result {
	r := Result{Params: Params{Name: name, MaxLTV: 0.6, DepreciationPerYear: 0.3, FirstLoss: 0.1, MinInsurance: 0.05, APR: 0.15}, Seed: 7}
	share := 1.0
	for i := 0; i < n; i++ {
		share *= 1 + apr/12
		m := Month{
			Month:      time.Date(2024, time.January+time.Month(i), 1, 0, 0, 0, 0, time.UTC),
			GPUPrice:   30000 - 500*float64(i),
			RentPrice:  2.5,
			TBillRate:  0.05,
			SharePrice: share, RealizedAPR: apr + 0.01*float64(i%3), ProjectedAPR: apr + 0.02,
			LoansActive: 3 + i, Originated: 2, Repaid: i % 2,
			LossBorrowerEquity: 1000 * float64(i), LossInsurance: 500 * float64(i), LossFirstLoss: 200 * float64(i),
			LossSenior:   loss * float64(i) / float64(n),
			BackingRatio: 1.0 + 0.001*float64(i),
			VaultIdle:    1e5, VaultTreasury: 4e5, VaultLoans: 5e5 + 1e4*float64(i),
			QueuedShares: 100 * float64(i), QueuedValue: 100 * float64(i) * share,
		}
		if i == 2 {
			m.Defaults, m.Auctions, m.AuctionRecoveries, m.AuctionAppraised = 1, 1, 6500, 10000
		}
		r.Months = append(r.Months, m)
	}
	r.APR, r.SeniorLoss, r.Originated, r.MinBacking, r.MaxQueueDays = apr, loss, 2*n, 1.0, 12
	if loss > 0 {
		r.Defaults = 1
	}
	return r
}

func point(name string, apr, loss float64) Result {
	r := Result{Params: Params{Name: name, MaxLTV: 0.5, DepreciationPerYear: 0.25, FirstLoss: 0.1, MinInsurance: 0.1, APR: 0.14}, APR: apr, SeniorLoss: loss}
	return r
}

func fixture(t *testing.T) ([]Result, Sweep, market.History) {
	t.Helper()
	hist, err := market.Load()
	if err != nil {
		t.Fatal(err)
	}
	base := []Result{synthetic("main", 6, 0.16, 0), synthetic(PresetRun, 6, 0.13, 0), synthetic(USDAIRun, 6, 0.11, 25000)}
	sweep := Sweep{Points: []Result{
		point("sweep-a", 0.19, 1200.5),
		point("sweep-b", 0.14, 0),
		point("sweep-c", 0.21, 50000),
		point("sweep-e", 0.17, 0.004), // conversion dust: counts as no loss
		point("sweep-d", 0.17, 0),
	}}
	return base, sweep, hist
}

func TestWriteRendersReportAndCharts(t *testing.T) {
	base, sweep, hist := fixture(t)
	dir := t.TempDir()
	answer := Answer{Text: "sUSDai would have paid 16.00% with no senior loss."}
	if err := Write(dir, base, sweep, hist, answer); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	text := string(md)
	for _, c := range charts(base, hist) {
		png, err := os.ReadFile(filepath.Join(dir, c.File))
		if err != nil {
			t.Fatalf("chart %s: %v", c.File, err)
		}
		if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 5000 {
			t.Errorf("chart %s is not a drawn PNG (%d bytes)", c.File, len(png))
		}
		if !strings.Contains(text, "]("+c.File+")") {
			t.Errorf("report does not embed %s", c.File)
		}
	}
	// Sweep rows in order: zero loss by APR (d and e tie at 17%: by name), then by loss.
	order := []string{"| sweep-d |", "| sweep-e |", "| sweep-b |", "| sweep-a |", "| sweep-c |"}
	last := -1
	for _, row := range order {
		i := strings.Index(text, row)
		if i < 0 || i < last {
			t.Fatalf("sweep row %q at %d, after %d: rows out of order\n%s", row, i, last, text)
		}
		last = i
	}
	wants := []string{
		"3 of 5 sets lost nothing senior: sweep-d (17.00%), sweep-e (17.00%), sweep-b (14.00%).",
		"**Best APR with zero senior loss: sweep-d, sUSDai APR 17.00%**",
		"preset (max LTV 60.00%",
		"usdai (max LTV 60.00%, depreciation 30.00%/yr, first loss 10.00%, min insurance 5.00%, loan APR 15.00%): sUSDai APR 11.00%, senior loss 25,000.00 USDai, defaults 1",
		"| sweep-a | 50.00% | 25.00% | 10.00% | 10.00% | 14.00% | 1,200.50 | 19.00% | 0/0 | 0.00 | 0.00 / 0.00 |",
		"## Answer\n\n" + answer.Text,
		"| main | 7 | 60.00% |",
		"| 2024-10 | 36,700* | 2.99 | 4.51% |", // anchored rent and T-bill, interpolated resale
		"**fred-tb3ms**",
		"Main run: \"main\", seed 7.",
	}
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("report lacks %q", w)
		}
	}
	if strings.Contains(text, "sweep-c (") || strings.Contains(text, "sweep-a (") {
		t.Error("a set with senior loss is listed as zero-loss")
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	base, sweep, hist := fixture(t)
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := Write(dir, base, sweep, hist, Answer{Text: "same"}); err != nil {
			t.Fatal(err)
		}
	}
	files, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(charts(base, hist))+1 {
		t.Fatalf("%d files written", len(files))
	}
	for _, f := range files {
		x, _ := os.ReadFile(filepath.Join(a, f.Name()))
		y, err := os.ReadFile(filepath.Join(b, f.Name()))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two renders of the same inputs", f.Name())
		}
	}
}

func TestBestZeroLoss(t *testing.T) {
	cases := []struct {
		name   string
		points []Result
		want   string
		ok     bool
	}{
		{"none zero", []Result{point("a", 0.2, 10), point("b", 0.3, 1)}, "", false},
		{"highest APR wins", []Result{point("a", 0.12, 0), point("b", 0.18, 0), point("c", 0.30, 5)}, "b", true},
		{"tie broken by name", []Result{point("z", 0.18, 0), point("y", 0.18, 0)}, "y", true},
		{"dust counts as zero", []Result{point("a", 0.12, 0), point("b", 0.15, ZeroLossTolerance)}, "b", true},
		{"empty", nil, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := BestZeroLoss(c.points)
			if ok != c.ok || got.Params.Name != c.want {
				t.Fatalf("got %q %v, want %q %v", got.Params.Name, ok, c.want, c.ok)
			}
		})
	}
}

func TestWriteNeedsMainRun(t *testing.T) {
	_, sweep, hist := fixture(t)
	dir := filepath.Join(t.TempDir(), "out")
	if err := Write(dir, nil, sweep, hist, Answer{}); err == nil {
		t.Fatal("no base run accepted")
	}
	if err := Write(dir, []Result{{Params: Params{Name: "empty"}}}, sweep, hist, Answer{}); err == nil {
		t.Fatal("a main run without months accepted")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("rejected input left %s behind: %v", dir, err)
	}
}

func TestFormatting(t *testing.T) {
	cases := []struct{ got, want string }{
		{usd(0), "0.00"},
		{usd(-0.001), "0.00"},
		{usd(1234567.891), "1,234,567.89"},
		{usd(-2500), "-2,500.00"},
		{thousands(999), "999"},
		{thousands(1000), "1,000"},
		{thousands(36700), "36,700"},
		{pct(0.1234), "12.34%"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// The CI short version runs a few months and one sweep point: the report
// must still render.
func TestWriteShortRun(t *testing.T) {
	_, _, hist := fixture(t)
	base := []Result{synthetic("main", 2, 0.12, 0)}
	only := point("only", 0.12, 300)
	only.Defaults, only.Originated, only.JuniorLoss, only.InsurerPaid, only.InsurerToLenders = 2, 9, 40, 1000, 250
	sweep := Sweep{Points: []Result{only}}
	dir := t.TempDir()
	if err := Write(dir, base, sweep, hist, Answer{Text: "short"}); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"2024-01 to 2024-02",
		"No parameter set in the sweep kept the senior tranche whole.",
		"preset: not run; usdai: not run.",
		"| only | 50.00% | 25.00% | 10.00% | 10.00% | 14.00% | 300.00 | 12.00% | 2/9 | 40.00 | 1,000.00 / 250.00 |",
	} {
		if !strings.Contains(string(md), w) {
			t.Errorf("short report lacks %q", w)
		}
	}
}

func TestTickDecimals(t *testing.T) {
	for _, tc := range []struct {
		values []float64
		want   int
	}{
		{[]float64{0, 10, 20}, 0},
		{[]float64{1.05, 1.2, 1.35}, 2},
		{[]float64{1.0, 1.1, 1.2}, 1},
		{[]float64{1.000, 1.002, 1.004}, 3},
		{[]float64{0.1 + 0.2, 0.6}, 1}, // 0.30000000000000004 prints as 0.3
		{[]float64{5}, 0},
		{nil, 0},
	} {
		if got := tickDecimals(tc.values); got != tc.want {
			t.Errorf("tickDecimals(%v) = %d, want %d", tc.values, got, tc.want)
		}
	}
}
