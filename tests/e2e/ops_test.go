//go:build e2e

package e2e

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/testutil/localnet"
)

// whole converts a micro-unit amount from REST to the float64 the gauges
// carry (whole tokens).
func whole(t *testing.T, amount string) float64 {
	t.Helper()
	d, err := sdkmath.LegacyNewDecFromStr(amount)
	require.NoError(t, err, amount)
	f, err := d.QuoInt64(1_000_000).Float64()
	require.NoError(t, err)
	return f
}

func decimal(t *testing.T, s string) float64 {
	t.Helper()
	d, err := sdkmath.LegacyNewDecFromStr(s)
	require.NoError(t, err, s)
	f, err := d.Float64()
	require.NoError(t, err)
	return f
}

// restFigures are the REST answers at one height that the gauges mirror.
type restFigures struct {
	Proof struct {
		UsdaiSupply string `json:"usdai_supply"`
		Reserves    []struct {
			Denom               string `json:"denom"`
			Held                string `json:"held"`
			TreasuryOutstanding string `json:"treasury_outstanding"`
		} `json:"reserves"`
		Ratio      string `json:"ratio"`
		TotalRatio string `json:"total_ratio"`
	}
	Vault struct {
		Vault struct {
			Nav             string `json:"nav"`
			ConservativeNav string `json:"conservative_nav"`
			TotalShares     string `json:"total_shares"`
			EscrowedShares  string `json:"escrowed_shares"`
			SharePrice      string `json:"share_price"`
			RedemptionPrice string `json:"redemption_price"`
			Idle            string `json:"idle"`
			Book            struct {
				WrittenOff string `json:"written_off"`
			} `json:"book"`
			Treasury struct {
				Principal string `json:"principal"`
			} `json:"treasury"`
		} `json:"vault"`
	}
	Book struct {
		SeniorPrincipal string `json:"senior_principal"`
		JuniorPrincipal string `json:"junior_principal"`
		DsrHeld         string `json:"dsr_held"`
		StatusCounts    []struct {
			Status string `json:"status"`
			Count  string `json:"count"`
		} `json:"status_counts"`
	}
	Prices struct {
		Prices []struct {
			FeedID    string    `json:"feed_id"`
			Value     string    `json:"value"`
			UpdatedAt time.Time `json:"updated_at"`
			Valid     bool      `json:"valid"`
		} `json:"prices"`
	}
	Pools struct {
		Pools []struct {
			Balance  string `json:"balance"`
			Reserved string `json:"reserved"`
		} `json:"pools"`
	}
}

func readFigures(t *testing.T, node *localnet.Node, height int64) restFigures {
	t.Helper()
	var f restFigures
	for path, out := range map[string]any{
		"/infrafi/stable/v1/proof_of_reserves": &f.Proof,
		"/infrafi/yield/v1/vault":              &f.Vault,
		"/infrafi/lending/v1/book":             &f.Book,
		"/infrafi/oracle/v1/prices":            &f.Prices,
		"/infrafi/caliber/v1/pools":            &f.Pools,
	} {
		require.NoError(t, node.RESTGetAt(path, height, out), path)
	}
	return f
}

// testMetrics: every node serves Prometheus text with CometBFT's metrics, the
// SDK's telemetry and the protocol gauges, and after the demo flows above
// (mint, deposit, loans, a default) the gauges equal REST at their height.
func testMetrics(t *testing.T, network *localnet.Network) {
	ctx := context.Background()
	require.NoError(t, network.WaitForHeight(2, time.Minute))
	for _, node := range network.Nodes {
		// The gauges of block H and REST at H; a block may land between
		// scrape and query, hence a few tries at matching heights.
		var mismatch string
		for try := 0; try < 5; try++ {
			m, err := node.Metrics(ctx)
			require.NoError(t, err, node.Name)
			if try == 0 {
				_, ok := m.Get("cometbft_consensus_height")
				require.True(t, ok, "%s: no CometBFT metrics", node.Name)
				require.True(t, hasPrefix(m, "infrafid_"), "%s: no SDK telemetry (infrafid_*)", node.Name)
			}
			h, ok := m.Get("infrafi_metrics_block_height")
			require.True(t, ok, "%s: no protocol gauges", node.Name)
			if mismatch = compareGauges(t, node, m, int64(h)); mismatch == "" {
				break
			}
		}
		require.Empty(t, mismatch, node.Name)
	}
}

func hasPrefix(m localnet.Metrics, prefix string) bool {
	for _, s := range m {
		if strings.HasPrefix(s.Name, prefix) {
			return true
		}
	}
	return false
}

// compareGauges returns what differs between the scrape and REST at height
// (empty when everything matches).
func compareGauges(t *testing.T, node *localnet.Node, m localnet.Metrics, height int64) string {
	t.Helper()
	rest := readFigures(t, node, height)
	blockTime, err := blockTimeOf(node, height)
	require.NoError(t, err)

	var diffs []string
	check := func(want float64, name string, labels ...string) {
		got, ok := m.Get(name, labels...)
		if !ok || got != want {
			diffs = append(diffs, fmt.Sprintf("%s%v = %v (present %v), REST at %d says %v", name, labels, got, ok, height, want))
		}
	}
	check(whole(t, rest.Proof.UsdaiSupply), "infrafi_stable_usdai_supply")
	require.NotEmpty(t, rest.Proof.Reserves)
	for _, r := range rest.Proof.Reserves {
		check(whole(t, r.Held), "infrafi_stable_reserve_held", "denom", r.Denom)
		check(whole(t, r.TreasuryOutstanding), "infrafi_stable_reserve_treasury_outstanding", "denom", r.Denom)
	}
	check(decimal(t, rest.Proof.Ratio), "infrafi_stable_backing_ratio")
	check(decimal(t, rest.Proof.TotalRatio), "infrafi_stable_backing_ratio_total")

	v := rest.Vault.Vault
	check(whole(t, v.Nav), "infrafi_vault_nav")
	check(whole(t, v.ConservativeNav), "infrafi_vault_conservative_nav")
	check(decimal(t, v.SharePrice), "infrafi_vault_share_price")
	check(decimal(t, v.RedemptionPrice), "infrafi_vault_redemption_price")
	check(whole(t, v.Idle), "infrafi_vault_idle")
	check(whole(t, v.Treasury.Principal), "infrafi_vault_tbill_principal")
	check(whole(t, v.EscrowedShares), "infrafi_vault_queued_shares")
	check(whole(t, v.TotalShares), "infrafi_vault_total_shares")
	check(whole(t, v.Book.WrittenOff), "infrafi_vault_written_off")

	b := rest.Book
	check(whole(t, b.SeniorPrincipal), "infrafi_lending_senior_book")
	check(whole(t, b.JuniorPrincipal), "infrafi_lending_junior_book")
	check(whole(t, b.DsrHeld), "infrafi_lending_dsr_held")
	counted := map[string]bool{}
	var foreclosing float64
	for _, c := range b.StatusCounts {
		status := strings.ToLower(strings.TrimPrefix(c.Status, "LOAN_STATUS_"))
		counted[status] = true
		n := decimal(t, c.Count)
		if status == "foreclosing" {
			foreclosing = n
		}
		check(n, "infrafi_lending_loans", "status", status)
	}
	require.NotEmpty(t, counted, "the demo flows made loans")
	for _, s := range m.Find("infrafi_lending_loans") {
		if !counted[s.Labels["status"]] && s.Value != 0 {
			diffs = append(diffs, fmt.Sprintf("loans{status=%s} = %v, REST counts none", s.Labels["status"], s.Value))
		}
	}
	check(foreclosing, "infrafi_lending_open_auctions")

	require.NotEmpty(t, rest.Prices.Prices)
	for _, p := range rest.Prices.Prices {
		age := blockTime.Sub(p.UpdatedAt).Seconds()
		check(age, "infrafi_oracle_price_age_seconds", "feed", p.FeedID)
		if p.Valid {
			check(1, "infrafi_oracle_price_valid", "feed", p.FeedID)
			check(decimal(t, p.Value), "infrafi_oracle_price", "feed", p.FeedID)
		} else {
			check(0, "infrafi_oracle_price_valid", "feed", p.FeedID)
			if _, shown := m.Get("infrafi_oracle_price", "feed", p.FeedID); shown {
				diffs = append(diffs, "invalid price of "+p.FeedID+" exported as a price")
			}
		}
	}

	balance, reserved := sdkmath.ZeroInt(), sdkmath.ZeroInt()
	for _, p := range rest.Pools.Pools {
		bal, ok := sdkmath.NewIntFromString(p.Balance)
		require.True(t, ok)
		res, ok := sdkmath.NewIntFromString(p.Reserved)
		require.True(t, ok)
		balance, reserved = balance.Add(bal), reserved.Add(res)
	}
	require.True(t, reserved.IsPositive(), "the demo flows insured titles")
	check(whole(t, balance.String()), "infrafi_insurance_pool_balance")
	check(whole(t, reserved.String()), "infrafi_insurance_reserved")
	check(whole(t, balance.Sub(reserved).String()), "infrafi_insurance_free_capacity")
	return strings.Join(diffs, "\n")
}

func blockTimeOf(node *localnet.Node, height int64) (time.Time, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var res struct {
		Block struct {
			Header struct {
				Time time.Time `json:"time"`
			} `json:"header"`
		} `json:"block"`
	}
	err := node.RPC(ctx, fmt.Sprintf("/block?height=%d", height), &res)
	return res.Block.Header.Time, err
}

// requireOwnAppHash checks the state node computed itself: its app hash at
// its last height equals the one the validators put in the next header.
func requireOwnAppHash(t *testing.T, node, reference *localnet.Node) {
	t.Helper()
	ctx := context.Background()
	h, hash, err := node.AppInfo(ctx)
	require.NoError(t, err)
	require.NoError(t, reference.WaitForHeight(h+1, time.Minute))
	want, err := reference.AppHashAt(h + 1)
	require.NoError(t, err)
	require.Equal(t, want, hash, "app hash of %s at height %d", node.Name, h)
}

// testStateSync adds a full node to the running network through state sync:
// with a wrong trust hash it refuses to start; with the trusted block read
// from node0 it restores a snapshot, reaches the tip and computes the same
// app hashes as the validators.
func testStateSync(t *testing.T, network *localnet.Network) {
	ctx := context.Background()
	node0 := network.Nodes[0]
	// Snapshots are taken every 20 blocks: let two exist (a no-op after the
	// flows above).
	require.NoError(t, network.WaitForHeight(45, 3*time.Minute))
	tip, err := node0.Height(ctx)
	require.NoError(t, err)

	t.Run("WrongTrustHashRefused", func(t *testing.T) {
		// A real block hash, of another height than the trusted one.
		wrong, err := blockHash(node0, tip-1)
		require.NoError(t, err)
		require.NotEmpty(t, wrong)
		bad, err := network.AddFullNode(tip-2, wrong)
		require.NoError(t, err)
		require.NoError(t, bad.Start())
		exitErr, err := bad.WaitExit(2 * time.Minute)
		require.NoError(t, err, "a node with a wrong trust hash must not run")
		require.Error(t, exitErr, "it exits with an error")
		log, err := os.ReadFile(bad.LogPath())
		require.NoError(t, err)
		require.Contains(t, string(log), "expected header's hash")
		_, err = bad.Height(ctx)
		require.Error(t, err, "it serves nothing")
	})

	t.Run("JoinsAndMatches", func(t *testing.T) {
		full, err := network.AddFullNode(0, "")
		require.NoError(t, err)
		require.NoError(t, full.Start())
		defer func() { require.NoError(t, full.Stop()) }()
		target, err := node0.Height(ctx)
		require.NoError(t, err)
		require.NoError(t, full.WaitForHeight(target, 3*time.Minute), "the state-synced node reaches the tip")
		require.Eventually(t, func() bool {
			s, err := full.Status(ctx)
			return err == nil && !s.SyncInfo.CatchingUp
		}, time.Minute, 500*time.Millisecond, "it leaves catch-up mode")
		status, err := full.Status(ctx)
		require.NoError(t, err)
		require.Greater(t, status.SyncInfo.EarliestBlockHeight, int64(1), "it restored a snapshot instead of replaying from genesis")
		require.Zero(t, status.ValidatorInfo.VotingPower, "it is not a validator")

		requireOwnAppHash(t, full, node0)
		// A figure queried at the same height on both.
		h, err := full.Height(ctx)
		require.NoError(t, err)
		var a, b struct {
			UsdaiSupply string `json:"usdai_supply"`
		}
		require.NoError(t, full.RESTGetAt("/infrafi/stable/v1/proof_of_reserves", h, &a))
		require.NoError(t, node0.RESTGetAt("/infrafi/stable/v1/proof_of_reserves", h, &b))
		require.NotEmpty(t, a.UsdaiSupply)
		require.Equal(t, b.UsdaiSupply, a.UsdaiSupply)
		m, err := full.Metrics(ctx)
		require.NoError(t, err)
		_, ok := m.Get("infrafi_stable_usdai_supply")
		require.True(t, ok, "the full node exports the protocol gauges too")
	})
}

func blockHash(node *localnet.Node, height int64) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var res struct {
		BlockID struct {
			Hash string `json:"hash"`
		} `json:"block_id"`
	}
	err := node.RPC(ctx, fmt.Sprintf("/block?height=%d", height), &res)
	return res.BlockID.Hash, err
}

// txFlow sends 1uinfra bank sends from one key through one node, one after
// another, until stopped; it records each tx the node reported committed and
// when.
type txFlow struct {
	mu        sync.Mutex
	committed []committedTx
	stop      chan struct{}
	done      chan struct{}
}

type committedTx struct {
	hash   string
	height int64
	at     time.Time
}

func startTxFlow(t *testing.T, network *localnet.Network, via *localnet.Node, from, to string) *txFlow {
	f := &txFlow{stop: make(chan struct{}), done: make(chan struct{})}
	recipient := network.Key(t, to).Address
	go func() {
		defer close(f.done)
		for {
			select {
			case <-f.stop:
				return
			default:
			}
			// --gas skips simulation: one round trip less per tx. A short
			// wait: after a kill the flow should notice soon.
			res, err := via.TxWithin(20*time.Second, "bank", "send", from, recipient, "1uinfra", "--gas", "200000")
			if err != nil {
				// The node was killed under the CLI: wait for the stop.
				select {
				case <-f.stop:
					return
				case <-time.After(time.Second):
					continue
				}
			}
			f.mu.Lock()
			f.committed = append(f.committed, committedTx{hash: res.TxHash, height: res.Height, at: time.Now()})
			f.mu.Unlock()
		}
	}()
	return f
}

func (f *txFlow) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.committed)
}

// stopBefore stops the flow and returns the txs reported committed before t0.
func (f *txFlow) stopBefore(t0 time.Time) []committedTx {
	close(f.stop)
	<-f.done
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []committedTx
	for _, c := range f.committed {
		if c.at.Before(t0) {
			out = append(out, c)
		}
	}
	return out
}

func (f *txFlow) waitFor(t *testing.T, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return f.count() >= n }, 2*time.Minute, 200*time.Millisecond, "%d txs committed", n)
}

// requireTxsKept queries every tx on the node that reported it committed:
// its index still has it, in the same block.
func requireTxsKept(t *testing.T, node *localnet.Node, txs []committedTx) {
	t.Helper()
	for _, c := range txs {
		res, err := node.WaitForTx(c.hash, 10*time.Second)
		require.NoError(t, err, "%s lost tx %s committed at height %d", node.Name, c.hash, c.height)
		require.Equal(t, c.height, res.Height, "tx %s height on %s", c.hash, node.Name)
	}
}

// requireTxsInBlocks checks every tx is in the node's block at its height
// (the chain itself, whatever the node's tx index caught before a kill).
func requireTxsInBlocks(t *testing.T, node *localnet.Node, txs []committedTx) {
	t.Helper()
	for _, c := range txs {
		require.NoError(t, node.WaitForHeight(c.height, time.Minute))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		var res struct {
			Block struct {
				Data struct {
					Txs [][]byte `json:"txs"`
				} `json:"data"`
			} `json:"block"`
		}
		err := node.RPC(ctx, fmt.Sprintf("/block?height=%d", c.height), &res)
		cancel()
		require.NoError(t, err)
		found := false
		for _, tx := range res.Block.Data.Txs {
			found = found || strings.EqualFold(fmt.Sprintf("%X", sha256.Sum256(tx)), c.hash)
		}
		require.True(t, found, "%s: block %d lacks tx %s", node.Name, c.height, c.hash)
	}
}

// testKillValidator: SIGKILL one validator while txs flow through it,
// restart it: every tx it reported committed is still there, it catches up
// and computes the same app hash.
func testKillValidator(t *testing.T, network *localnet.Network) {
	ctx := context.Background()
	victim := network.Nodes[1]
	flow := startTxFlow(t, network, victim, "treasury", "custodian")
	flow.waitFor(t, 3)
	killedAt := time.Now()
	require.NoError(t, victim.Kill())
	require.False(t, victim.IsRunning())
	committed := flow.stopBefore(killedAt)
	require.GreaterOrEqual(t, len(committed), 3)

	// The chain goes on without it, with transactions it will have to catch up on.
	during := startTxFlow(t, network, network.Nodes[0], "custodian", "treasury")
	during.waitFor(t, 2)
	whileDown := during.stopBefore(time.Now())

	require.NoError(t, victim.Start())
	tip, err := network.Nodes[0].Height(ctx)
	require.NoError(t, err)
	require.NoError(t, victim.WaitForHeight(tip, 2*time.Minute), "restarted node catches up")
	requireTxsKept(t, victim, committed)
	requireTxsInBlocks(t, victim, whileDown)
	requireTxsInBlocks(t, network.Nodes[2], committed)
	requireOwnAppHash(t, victim, network.Nodes[0])
}

// testKillAllValidators: SIGKILL all four at once while txs flow, restart
// them: the chain resumes from its last commit and no committed tx is lost.
func testKillAllValidators(t *testing.T, network *localnet.Network) {
	ctx := context.Background()
	flow := startTxFlow(t, network, network.Nodes[0], "treasury", "custodian")
	flow.waitFor(t, 3)
	before, err := network.Nodes[0].Height(ctx)
	require.NoError(t, err)

	killedAt := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(network.Nodes))
	for i, node := range network.Nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = node.Kill()
		}()
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, network.Nodes[i].Name)
	}
	require.Empty(t, network.Running())
	committed := flow.stopBefore(killedAt)
	require.GreaterOrEqual(t, len(committed), 3)

	for _, node := range network.Nodes {
		require.NoError(t, node.Start())
	}
	require.NoError(t, network.WaitForHeight(before+3, 3*time.Minute), "the chain resumes")
	requireTxsKept(t, network.Nodes[0], committed)
	for _, node := range network.Nodes {
		requireTxsInBlocks(t, node, committed)
	}
	// New transactions are committed again.
	after := startTxFlow(t, network, network.Nodes[2], "custodian", "treasury")
	after.waitFor(t, 1)
	requireTxsInBlocks(t, network.Nodes[3], after.stopBefore(time.Now()))
	for _, node := range network.Nodes[1:] {
		requireOwnAppHash(t, node, network.Nodes[0])
	}
}
