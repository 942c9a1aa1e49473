//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/testutil/localnet"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

const (
	susdaiDenom   = "ususdai"
	yieldRateFeed = "rate/tbill"
)

// TestYield drives x/yield on the localnet preset (60 s epochs with a 10 s
// cancel cutoff, 30 s rebalances, 10% buffer, the "treasury" key as
// TREASURY_CUSTODIAN in uusdc) through the CLI, REST and gRPC: deposit,
// allocation to the treasury, a yield settlement raising the share price,
// and two redemptions with different bids, the higher served first.
func TestYield(t *testing.T) {
	network := localnet.New(t, localnet.Options{Validators: 1})
	network.Start()
	testYield(t, network)
}

func testYield(t *testing.T, network *localnet.Network) {
	node := network.Nodes[0]
	depositor, borrower, treasury := network.Key(t, "depositor"), network.Key(t, "borrower"), network.Key(t, "treasury")

	requirePrice(t, network, node, yieldRateFeed, "0.05")
	for _, k := range []localnet.Key{depositor, borrower} {
		_, err := node.Tx("stable", "mint", "1000000000"+usdcDenom, "--from", k.Name)
		require.NoError(t, err)
	}

	// Deposit 500 USDai: 5 × 10^8 shares at the opening price (one per uusdai).
	sharesBefore := balance(t, node, depositor.Address, susdaiDenom)
	res, err := node.Tx("yield", "deposit", "500000000"+usdaiDenom, "--from", depositor.Name)
	require.NoError(t, err)
	require.Len(t, eventsOf(res, "infrafi.yield.v1.EventDeposit"), 1)
	require.Equal(t, sharesBefore.Add(sdkmath.NewInt(500_000_000)).String(), balance(t, node, depositor.Address, susdaiDenom).String())
	v := yieldVault(t, node)
	require.True(t, v.Nav.GTE(sdkmath.NewInt(500_000_000)), "nav %s", v.Nav)
	out, err := node.CLI("query", "yield", "vault", "--output", "json")
	require.NoError(t, err)
	require.Contains(t, string(out), `"share_price"`)

	// Within a rebalance interval (30 s) idle above the 10% buffer goes to the custodian.
	treasuryUSDC := balance(t, node, treasury.Address, usdcDenom)
	v = waitForVault(t, node, time.Minute, "treasury allocation", func(v yieldtypes.VaultSummary) bool {
		return v.Treasury.Principal.IsPositive()
	})
	require.True(t, v.Idle.LTE(v.Buffer.Add(v.Reserved)), "idle %s above buffer %s", v.Idle, v.Buffer)
	require.Equal(t, treasuryUSDC.Add(v.Treasury.Principal).String(), balance(t, node, treasury.Address, usdcDenom).String())
	requireFullyBacked(t, proofOfReserves(t, node))

	// The custodian settles 5 USDai of yield: the share price rises.
	priceBefore := yieldVault(t, node).SharePrice
	res, err = node.Tx("yield", "settle-treasury", "0", "5000000", "--from", treasury.Name)
	require.NoError(t, err)
	require.Len(t, eventsOf(res, "infrafi.yield.v1.EventTreasurySettled"), 1)
	v = yieldVault(t, node)
	require.True(t, v.SharePrice.GT(priceBefore), "price %s -> %s", priceBefore, v.SharePrice)
	// The same over gRPC.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	grpcVault, err := yieldtypes.NewQueryClient(node.GRPC()).Vault(ctx, &yieldtypes.QueryVaultRequest{})
	cancel()
	require.NoError(t, err)
	require.True(t, grpcVault.Vault.SharePrice.GTE(v.SharePrice))

	// A non-custodian cannot settle.
	res, err = node.Tx("yield", "settle-treasury", "0", "1", "--from", depositor.Name, "--gas", refusedTxGas)
	require.Error(t, err)
	require.NotNil(t, res)
	require.Contains(t, res.RawLog, "only the treasury custodian")

	// The borrower deposits too, at the higher price.
	_, err = node.Tx("yield", "deposit", "300000000"+usdaiDenom, "--from", borrower.Name)
	require.NoError(t, err)

	// Queue both in the same epoch, well before its cutoff: the borrower bids more.
	waitForEpochRoom(t, node, 25*time.Second)
	depositorShares := balance(t, node, depositor.Address, susdaiDenom)
	borrowerShares := balance(t, node, borrower.Address, susdaiDenom)
	first, err := node.Tx("yield", "request-redeem", depositorShares.String(), "50", "--from", depositor.Name)
	require.NoError(t, err)
	_, err = node.Tx("yield", "request-redeem", borrowerShares.String(), "300", "--from", borrower.Name)
	require.NoError(t, err)
	var queue struct {
		Requests []struct {
			Owner  string `json:"owner"`
			BidBps uint32 `json:"bid_bps"`
		} `json:"requests"`
	}
	require.NoError(t, node.RESTGet("/infrafi/yield/v1/queue", &queue))
	require.Len(t, queue.Requests, 2)
	require.Equal(t, borrower.Address, queue.Requests[0].Owner, "service order: bid desc")
	out, err = node.CLI("query", "yield", "requests", depositor.Address, "--output", "json")
	require.NoError(t, err)
	require.Contains(t, string(out), depositor.Address)

	// The next epoch close serves the borrower first.
	borrowerUSDai := balance(t, node, borrower.Address, usdaiDenom)
	served := waitForServed(t, node, first.Height, 2*time.Minute)
	require.NotEmpty(t, served)
	require.Equal(t, borrower.Address, served[0].owner, "the higher bid is served first")
	require.Equal(t, uint32(300), served[0].bid)
	require.Equal(t, borrowerUSDai.Add(served[0].payout).String(), balance(t, node, borrower.Address, usdaiDenom).String(),
		"USDai paid straight to the borrower")
	if len(served) > 1 {
		require.Equal(t, depositor.Address, served[1].owner)
	}

	var apr struct {
		Realized []struct {
			WindowDays uint32 `json:"window_days"`
		} `json:"realized"`
	}
	require.NoError(t, node.RESTGet("/infrafi/yield/v1/apr", &apr))
	require.Len(t, apr.Realized, 3)
	var history struct {
		Checkpoints []json.RawMessage `json:"checkpoints"`
	}
	require.NoError(t, node.RESTGet("/infrafi/yield/v1/price_history", &history))
	require.NotEmpty(t, history.Checkpoints)
}

// yieldVault reads the vault over REST.
func yieldVault(t *testing.T, node *localnet.Node) yieldtypes.VaultSummary {
	t.Helper()
	var res struct {
		Vault json.RawMessage `json:"vault"`
	}
	require.NoError(t, node.RESTGet("/infrafi/yield/v1/vault", &res))
	var v yieldtypes.VaultSummary
	require.NoError(t, yieldJSON(res.Vault, &v))
	return v
}

// yieldJSON decodes the REST form of a vault summary (the fields the test reads).
func yieldJSON(bz []byte, v *yieldtypes.VaultSummary) error {
	var raw struct {
		Nav        sdkmath.Int       `json:"nav"`
		SharePrice sdkmath.LegacyDec `json:"share_price"`
		Idle       sdkmath.Int       `json:"idle"`
		Reserved   sdkmath.Int       `json:"reserved"`
		Buffer     sdkmath.Int       `json:"buffer"`
		Treasury   struct {
			Principal sdkmath.Int `json:"principal"`
		} `json:"treasury"`
	}
	if err := json.Unmarshal(bz, &raw); err != nil {
		return err
	}
	v.Nav, v.SharePrice, v.Idle, v.Reserved, v.Buffer = raw.Nav, raw.SharePrice, raw.Idle, raw.Reserved, raw.Buffer
	v.Treasury.Principal = raw.Treasury.Principal
	return nil
}

func waitForVault(t *testing.T, node *localnet.Node, timeout time.Duration, what string, done func(yieldtypes.VaultSummary) bool) yieldtypes.VaultSummary {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		v := yieldVault(t, node)
		if done(v) {
			return v
		}
		require.True(t, time.Now().Before(deadline), "no %s within %s", what, timeout)
		time.Sleep(time.Second)
	}
}

// waitForEpochRoom returns once the current epoch's cancel cutoff is at least
// room away from the latest block time, waiting for the next epoch if needed.
func waitForEpochRoom(t *testing.T, node *localnet.Node, room time.Duration) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		var epoch struct {
			CancelCutoff time.Time `json:"cancel_cutoff"`
		}
		require.NoError(t, node.RESTGet("/infrafi/yield/v1/epoch", &epoch))
		var block struct {
			Block struct {
				Header struct {
					Time time.Time `json:"time"`
				} `json:"header"`
			} `json:"block"`
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		require.NoError(t, node.RPC(ctx, "/block", &block))
		cancel()
		if epoch.CancelCutoff.Sub(block.Block.Header.Time) >= room {
			return
		}
		time.Sleep(time.Second)
	}
	t.Fatal("no epoch with room for the requests")
}

type servedRedemption struct {
	owner  string
	bid    uint32
	payout sdkmath.Int
}

// waitForServed scans block results from height `from` until a serving round
// finishes and returns the EventRedeemServed of that round, in order.
func waitForServed(t *testing.T, node *localnet.Node, from int64, timeout time.Duration) []servedRedemption {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var served []servedRedemption
	for h := from; time.Now().Before(deadline); h++ {
		// Results of h are stored for certain once h+1 is committed; /status
		// can report h a moment before its results are queryable.
		require.NoError(t, node.WaitForHeight(h+1, time.Minute))
		var results struct {
			Events []localnet.Event `json:"finalize_block_events"`
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		require.NoError(t, node.RPC(ctx, "/block_results?height="+strconv.FormatInt(h, 10), &results))
		cancel()
		for _, ev := range results.Events {
			switch ev.Type {
			case "infrafi.yield.v1.EventRedeemServed":
				s := servedRedemption{payout: sdkmath.ZeroInt()}
				for _, a := range ev.Attributes {
					switch a.Key {
					case "owner":
						require.NoError(t, json.Unmarshal([]byte(a.Value), &s.owner))
					case "bid_bps":
						var bid string
						if json.Unmarshal([]byte(a.Value), &bid) != nil {
							bid = a.Value
						}
						n, err := strconv.ParseUint(bid, 10, 32)
						require.NoError(t, err, "bid_bps %q", a.Value)
						s.bid = uint32(n)
					case "payout":
						var p string
						require.NoError(t, json.Unmarshal([]byte(a.Value), &p))
						var ok bool
						s.payout, ok = sdkmath.NewIntFromString(p)
						require.True(t, ok, fmt.Sprintf("payout %q", p))
					}
				}
				served = append(served, s)
			case "infrafi.yield.v1.EventRoundFinished":
				return served
			}
		}
	}
	t.Fatalf("no serving round finished within %s", timeout)
	return nil
}
