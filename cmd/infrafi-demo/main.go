// Command infrafi-demo walks the whole infrafi protocol on a localnet, one
// step per line with its transaction and the resulting numbers: USDai from
// USDC, staking into sUSDai, an insured GPU title, a loan paid off, the
// treasury's T-bills, a second loan that defaults and is auctioned (insurance
// and the first-loss tranche absorbing the loss), and a QEV redemption.
//
// It uses the localnet of `make localnet` when one answers, and otherwise
// starts a one-validator localnet in the background and stops it (that
// process only) at the end. Each run mints new titles and reads every id from
// the chain, so it can run again on the same localnet.
//
//	make demo                     # build, then go run ./cmd/infrafi-demo
//	go run ./cmd/infrafi-demo -v  # also print each infrafid command
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	dir := flag.String("localnet-dir", envOr("LOCALNET_DIR", ".localnet"), "localnet directory (localnet.json, node homes)")
	bin := flag.String("binary", envOr("INFRAFID", "build/infrafid"), "the infrafid binary")
	verbose := flag.Bool("v", false, "print every infrafid command the demo runs")
	flag.Parse()

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	if err := run(ctx, *dir, *bin, *verbose); err != nil {
		fmt.Fprintf(os.Stderr, "\ndemo failed: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir, bin string, verbose bool) error {
	start := time.Now()
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("%s: %w (run make build first)", bin, err)
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return err
	}
	ln, err := openLocalnet(ctx, dir, bin, os.Stdout)
	if err != nil {
		return err
	}
	// Stop the node we started even when the walk fails or is interrupted.
	defer ln.stop(os.Stdout)

	c, err := dialChain(bin, ln.Home, ln.ChainID, ln.RPC, ln.GRPC)
	if err != nil {
		return err
	}
	defer c.close()
	if verbose {
		c.echo = os.Stdout
	}
	d, err := newDemo(ctx, c, ln, dir)
	if err != nil {
		return err
	}
	err = d.walk(ctx)
	if errors.Is(err, context.Canceled) {
		return errors.New("interrupted")
	}
	if err == nil {
		fmt.Printf("\nDone in %s.\n", time.Since(start).Round(time.Second))
	}
	return err
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
