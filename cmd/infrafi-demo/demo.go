package main

import (
	"context"
	"fmt"
	"os"
	"time"

	sdkmath "cosmossdk.io/math"

	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// The localnet preset's names (cmd/infrafid/cmd/localnet*.go).
const (
	h100Class = "nvidia-h100-sxm5-80gb"
	h100Feed  = "gpu/" + h100Class
	tbillFeed = "rate/tbill"
	product   = "gpu-senior"
	// revenueProduct is gpu-senior with a debt-service-coverage covenant
	// (min_dscr 1.25 over two periods): the first loan's rent pays it.
	revenueProduct = "gpu-revenue"
	usdcDenom      = "uusdc"
	usdaiDenom     = "uusdai"
	shareDenom     = "ususdai"
	gpusPerBox     = 8
	// reportHash stands for the SHA-256 of an appraisal report.
	reportHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
)

// The story's numbers (in whole USDai unless named per GPU or in bps).
var (
	gpuPrice      = units(30_000) // per GPU: an 8-GPU title is worth 240,000 on the market
	crashPrice    = units(3_500)  // per GPU: the title is then worth 28,000
	appraisal     = units(200_000)
	coverage      = units(100_000) // of an insured value of `appraisal`
	premium       = units(1_000)
	maxPremium    = units(1_500)
	poolFunding   = units(200_000) // covers both titles' policies
	firstLoan     = units(100_000) // paid off
	firstJunior   = units(10_000)
	secondLoan    = units(138_000) // defaults: 69% of the title's value
	secondJunior  = units(13_800)
	maxBid        = units(32_000)
	depositorRedo = units(5_000) // sUSDai the depositor redeems at the end
	apr           = "0.15"
	tbillRate     = "0.05"
)

// Redemption bids (bps of the payout given up for priority).
const (
	insurerBidBps   = 300
	depositorBidBps = 50
)

// demo walks the protocol on one localnet. The ids of what it creates are
// read from the chain as it goes.
type demo struct {
	c    *chain
	r    *report
	addr map[string]string
	// run makes this run's hardware serials unique on a reused localnet.
	run string

	titles [2]uint64 // the first loan's title, the second loan's title
	loans  [2]uint64
	// Heights to scan from for what the chain does by itself afterwards.
	stakedAt, requestedAt int64
	// policyExpiry and appraisalExpiry outlast the 36-minute loans.
	policyExpiry, appraisalExpiry time.Time

	// homes are the localnet's node homes, where the validators' price files are.
	homes []string

	bank    banktypes.QueryClient
	oracle  oracletypes.QueryClient
	caliber calibertypes.QueryClient
	lending lendingtypes.QueryClient
	stable  stabletypes.QueryClient
	yield   yieldtypes.QueryClient
}

func newDemo(ctx context.Context, c *chain, ln *localnet, dir string) (*demo, error) {
	for _, name := range []string{"borrower", "depositor", "issuer", "custodian", "appraiser", "insurer", "curator", "treasury"} {
		if ln.Keys[name] == "" {
			return nil, fmt.Errorf("%s/localnet.json has no %q key: not an infrafi localnet preset", dir, name)
		}
	}
	h, err := c.height(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	d := &demo{
		c: c, r: &report{out: os.Stdout}, addr: ln.Keys, homes: ln.Homes,
		run:             fmt.Sprintf("DEMO%d", now.Unix()),
		policyExpiry:    now.Add(30 * 24 * time.Hour).Truncate(time.Second),
		appraisalExpiry: now.Add(90 * 24 * time.Hour).Truncate(time.Second),
		bank:            banktypes.NewQueryClient(c.grpc),
		oracle:          oracletypes.NewQueryClient(c.grpc),
		caliber:         calibertypes.NewQueryClient(c.grpc),
		lending:         lendingtypes.NewQueryClient(c.grpc),
		stable:          stabletypes.NewQueryClient(c.grpc),
		yield:           yieldtypes.NewQueryClient(c.grpc),
	}
	fmt.Printf("infrafi walkthrough on %s at height %d (RPC %s, gRPC %s, keys in %s)\n", ln.ChainID, h, ln.RPC, ln.GRPC, ln.Home)
	fmt.Println("Amounts are in USDai (uusdai / 10^6) unless named; [tx …] is the transaction, [block …] a step the chain took by itself.")
	return d, nil
}

// walk runs the story in order; each part leaves what the next one needs.
func (d *demo) walk(ctx context.Context) error {
	for _, part := range []func(context.Context) error{
		d.marketData,
		d.mintUSDai,
		d.stake,
		d.insuredTitles,
		d.treasuryAllocation,
		d.requestLoans,
		d.treasuryRecall,
		d.firstLoanLife,
		d.secondLoanDefaults,
		d.redemptions,
		d.finalFigures,
	} {
		if err := part(ctx); err != nil {
			return err
		}
	}
	return nil
}

// vault reads the sUSDai vault summary.
func (d *demo) vault(ctx context.Context) (yieldtypes.VaultSummary, error) {
	res, err := query(ctx, d.yield.Vault, &yieldtypes.QueryVaultRequest{})
	if err != nil {
		return yieldtypes.VaultSummary{}, err
	}
	return res.Vault, nil
}

// loan reads a loan with its payoff.
func (d *demo) loan(ctx context.Context, id uint64) (*lendingtypes.QueryLoanResponse, error) {
	return query(ctx, d.lending.Loan, &lendingtypes.QueryLoanRequest{Id: id})
}

func (d *demo) balance(ctx context.Context, key, denom string) (sdkmath.Int, error) {
	res, err := query(ctx, d.bank.Balance, &banktypes.QueryBalanceRequest{Address: d.addr[key], Denom: denom})
	if err != nil {
		return sdkmath.Int{}, err
	}
	return res.Balance.Amount, nil
}

// coin writes an amount of denom as the CLI takes it.
func coin(amount sdkmath.Int, denom string) string { return amount.String() + denom }
