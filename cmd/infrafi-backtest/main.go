// Command infrafi-backtest answers whether GPU-backed credit could have paid
// what it promises: it drives the in-process infrafi app month by month over
// the recorded H100 market from 2024-01 to 2026-06 (backtest/market), for the
// localnet preset, USD.AI's published terms and a parameter sweep, and writes
// a markdown report with PNG charts.
//
//	infrafi-backtest                       # everything into docs/backtest (make backtest)
//	infrafi-backtest --months 4 --sweep=false --out /tmp/bt   # a quick look
//
// Each parameter set runs in its own process (--workers at a time): one
// in-process chain per process, nothing shared between runs.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/infrafi/infrafi/backtest"
	"github.com/infrafi/infrafi/backtest/market"
	"github.com/infrafi/infrafi/backtest/report"
)

// job is what a worker process runs: one parameter set.
type job struct {
	Params report.Params
	Seed   int64
	Months int
}

func main() {
	out := flag.String("out", "docs/backtest", "directory the report and charts are written to")
	seed := flag.Int64("seed", 1, "seed of the borrowers' draws (same seed, same report)")
	months := flag.Int("months", 0, "months of history to run from 2024-01 (0 = all)")
	sweep := flag.Bool("sweep", true, "run the parameter sweep")
	workers := flag.Int("workers", 2, "parameter sets run at once, one process each")
	worker := flag.Bool("worker", false, "internal: run the job on stdin, print its result")
	flag.Parse()

	if *worker {
		if err := runWorker(); err != nil {
			fmt.Fprintln(os.Stderr, "infrafi-backtest worker:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*out, *seed, *months, *sweep, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "infrafi-backtest:", err)
		os.Exit(1)
	}
}

func run(out string, seed int64, months int, sweep bool, workers int) error {
	hist, err := market.Load()
	if err != nil {
		return err
	}
	if months < 0 || months > len(hist.Months()) {
		return fmt.Errorf("--months must be in [0, %d]", len(hist.Months()))
	}
	if workers < 1 {
		return fmt.Errorf("--workers must be at least 1")
	}
	base := []report.Params{backtest.Preset(), backtest.USDAI()}
	var points []report.Params
	if sweep {
		points = backtest.SweepPoints()
	}
	jobs := append(append([]report.Params{}, base...), points...)
	fmt.Printf("infrafi backtest: %d parameter sets × %d months, seed %d, %d workers\n", len(jobs), monthsOf(hist, months), seed, workers)
	results, err := runAll(jobs, seed, months, workers)
	if err != nil {
		return err
	}
	baseRes, sweepRes := results[:len(base)], results[len(base):]
	for i := range sweepRes {
		sweepRes[i].Months = nil // the report draws the base runs only
	}
	answer := backtest.Answer(baseRes, sweepRes, hist)
	if err := report.Write(out, baseRes, report.Sweep{Points: sweepRes}, hist, report.Answer{Text: answer}); err != nil {
		return err
	}
	fmt.Printf("report: %s/report.md\n\n%s\n", out, answer)
	return nil
}

func monthsOf(h market.History, n int) int {
	if n == 0 {
		return len(h.Months())
	}
	return n
}

// runAll runs every job in a worker process, workers at a time, and prints
// each result as it arrives. Results keep the jobs' order.
func runAll(jobs []report.Params, seed int64, months, workers int) ([]report.Result, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	results := make([]report.Result, len(jobs))
	errs := make([]error, len(jobs))
	next := make(chan int)
	var mu sync.Mutex
	done := 0
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				t0 := time.Now()
				results[i], errs[i] = runJob(self, job{Params: jobs[i], Seed: seed, Months: months})
				mu.Lock()
				done++
				p := jobs[i]
				status := "error: " + fmt.Sprint(errs[i])
				if errs[i] == nil {
					status = fmt.Sprintf("sUSDai APR %5.2f%%  senior loss %12.0f  defaults %3d/%3d", 100*results[i].APR, results[i].SeniorLoss, results[i].Defaults, results[i].Originated)
				}
				fmt.Printf("[%2d/%d] %-6s ltv %.2f dep %.3f first-loss %.2f insured %.2f apr %.2f  %s  (%.0f s, %.0f s elapsed)\n",
					done, len(jobs), p.Name, p.MaxLTV, p.DepreciationPerYear, p.FirstLoss, p.MinInsurance, p.APR, status,
					time.Since(t0).Seconds(), time.Since(start).Seconds())
				mu.Unlock()
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", jobs[i].Name, err)
		}
	}
	return results, nil
}

// runJob runs one job in a child process of this binary.
func runJob(self string, j job) (report.Result, error) {
	in, err := json.Marshal(j)
	if err != nil {
		return report.Result{}, err
	}
	cmd := exec.Command(self, "--worker")
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return report.Result{}, fmt.Errorf("%w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	var res report.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return report.Result{}, fmt.Errorf("worker output: %w", err)
	}
	return res, nil
}

// runWorker runs the job on stdin and prints its result as JSON.
func runWorker() error {
	var j job
	if err := json.NewDecoder(os.Stdin).Decode(&j); err != nil {
		return err
	}
	hist, err := market.Load()
	if err != nil {
		return err
	}
	cfg, err := backtest.DefaultConfig(j.Params, hist)
	if err != nil {
		return err
	}
	cfg.Seed = j.Seed
	if j.Months > 0 {
		cfg.History = cfg.History[:j.Months]
	}
	tb, release := backtest.Harness()
	defer release()
	res, err := backtest.Run(tb, cfg)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}
