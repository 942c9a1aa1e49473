//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/testutil/localnet"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
)

// TestExport checks that a zero-height export of a localnet that has run is
// lossless: a new chain started from it with the same validator makes blocks
// and accepts transactions, and its own export right after its first block
// holds the same state as the export it started from, module by module,
// bank balances included.
//
// The new chain's genesis time is the block time of the exported height, so
// its first block runs at the moment the old chain stopped: block hooks see
// no time pass (no epoch, rebalance or accrual falls due between the two
// exports) and every time-keyed field compares equal. The only state block 1
// changes is mint's (see compareExports); a real relaunch picks a later
// genesis time, and the first block then does the work that time is due.
func TestExport(t *testing.T) {
	network := localnet.New(t, localnet.Options{Validators: 1})
	network.Start()
	node := network.Nodes[0]
	ctx := context.Background()
	exportTestState(t, network)

	// Export a height whose block time is known, then stop the node: export
	// needs the database to itself.
	height, err := node.Height(ctx)
	require.NoError(t, err)
	blockTime := blockTimeAt(t, node, height)
	require.NoError(t, node.Stop())
	dir := t.TempDir()
	exported := filepath.Join(dir, "exported.json")
	require.NoError(t, node.Export(exported, "--for-zero-height", "--height", strconv.FormatInt(height, 10)))
	t.Logf("exported height %d (block time %s) for zero height", height, blockTime.Format(time.RFC3339Nano))
	first, err := localnet.ReadGenesis(exported)
	require.NoError(t, err)
	require.Equal(t, network.ChainID, first.ChainID)
	require.Zero(t, first.InitialHeight, "a zero-height export starts a chain at its first height")
	require.Len(t, first.Consensus.Validators, 1)
	requireExportHoldsTestState(t, network, first)
	_, err = node.CLI("genesis", "validate", exported)
	require.NoError(t, err, "the export is a valid genesis")

	// A new chain from the export, run by the same validator key.
	require.NoError(t, localnet.SetGenesisTime(exported, blockTime))
	relaunch := localnet.NewFromGenesis(t, node, exported)
	relaunch.Start()
	t.Logf("new chain %q started from the export", relaunch.ChainID)
	newNode := relaunch.Nodes[0]
	require.NoError(t, newNode.WaitForHeight(3, time.Minute), "the new chain keeps making blocks")
	require.True(t, blockTimeAt(t, newNode, 1).Equal(blockTime), "block 1 runs at the genesis time")

	// Accounts, numbers and sequences carried over: a demo key still signs.
	sender, recipient := network.Key(t, "depositor"), network.Key(t, "custodian")
	before := balance(t, newNode, recipient.Address, "uinfra")
	res, err := newNode.Tx("bank", "send", sender.Name, recipient.Address, "777uinfra")
	require.NoError(t, err)
	require.Greater(t, res.Height, int64(1))
	require.Equal(t, before.AddRaw(777).String(), balance(t, newNode, recipient.Address, "uinfra").String())

	// The new chain's state after its first block, exported as is.
	require.NoError(t, newNode.Stop())
	again := filepath.Join(dir, "again.json")
	require.NoError(t, newNode.Export(again, "--height", "1"))
	second, err := localnet.ReadGenesis(again)
	require.NoError(t, err)
	require.EqualValues(t, 2, second.InitialHeight)
	compareExports(t, first, second)
	t.Logf("the new chain's export after block 1 matches in all %d modules", len(second.AppState))
}

// exportTestState adds state beyond the localnet preset in most modules, so
// the export has something to lose: oracle prices, USDai minted against
// reserves, sUSDai deposits, a delegation (rewards to settle at zero height)
// and a CALIBER title in custody with an appraisal.
func exportTestState(t *testing.T, network *localnet.Network) {
	t.Helper()
	node := network.Nodes[0]
	borrower, depositor, custodian := network.Key(t, "borrower"), network.Key(t, "depositor"), network.Key(t, "custodian")
	tx := func(args ...string) *localnet.TxResult {
		t.Helper()
		res, err := node.Tx(args...)
		require.NoError(t, err)
		return res
	}

	requirePrice(t, network, node, gpuFeed, "30000000000")
	requirePrice(t, network, node, yieldRateFeed, "0.05")
	tx("stable", "mint", "1000000000"+usdcDenom, "--from", depositor.Name)
	tx("yield", "deposit", "400000000"+usdaiDenom, "--from", depositor.Name)
	tx("staking", "delegate", node.OperatorAddress, "5000000000uinfra", "--from", depositor.Name)

	serial := fmt.Sprintf("EXP%09d", time.Now().UnixNano()%1_000_000_000)
	res := tx("caliber", "mint-title", caliberH100Class, borrower.Address, custodian.Address, "8", serial, "--from", "issuer")
	require.Len(t, eventsOfType(res, "infrafi.caliber.v1.EventTitleMinted"), 1)
	var bySerial struct {
		Title struct {
			ID string `json:"id"`
		} `json:"title"`
	}
	require.NoError(t, node.RESTGet("/infrafi/caliber/v1/title_by_serial/"+serial, &bySerial))
	tx("caliber", "confirm-custody", bySerial.Title.ID, "--from", custodian.Name)
	validUntil := time.Now().UTC().Add(300 * 24 * time.Hour).Format(time.RFC3339)
	tx("caliber", "appraise", bySerial.Title.ID, "200000000000", validUntil, caliberReport, "--from", "appraiser")
	exportLoans(t, network, serial)
}

// exportLoans adds the lending state: a funded loan (senior position in the
// vault's book, DSR, due queue, exposures) and a PENDING one (the vault's
// commitment), on insured titles.
func exportLoans(t *testing.T, network *localnet.Network, serial string) {
	t.Helper()
	node := network.Nodes[0]
	chain := newChainTx(t, node, node)
	borrower, depositor, insurer, curator := network.Key(t, "borrower"), network.Key(t, "depositor"), network.Key(t, "insurer"), network.Key(t, "curator")
	for key, usdc := range map[localnet.Key]string{insurer: "250000000000", curator: "10000000000", borrower: "10000000000", depositor: "100000000000"} {
		chain("stable", "mint", usdc+usdcDenom, "--from", key.Name)
	}
	chain("caliber", "fund-insurance-pool", "240000000000", "--from", insurer.Name)
	funded := mintInsuredTitle(t, network, chain, node, borrower, serial+"F", 200_000_000_000, 100_000_000_000)
	pending := mintInsuredTitle(t, network, chain, node, borrower, serial+"P", 200_000_000_000, 100_000_000_000)
	id := lendingEvent[*lendingtypes.EventLoanRequested](t, chain("lending", "request-loan", funded, lendingProduct, "50000000000", "--from", borrower.Name)).LoanId
	chain("lending", "request-loan", pending, lendingProduct, "20000000000", "--from", borrower.Name)
	for attempt := 1; ; attempt++ {
		lendingAwaitRebalance(t, node)
		chain("yield", "deposit", "90000000000"+usdaiDenom, "--from", depositor.Name)
		_, err := node.Tx("lending", "underwrite", fmt.Sprint(id), "0.15", "5000000000", "--from", curator.Name)
		if err == nil {
			return
		}
		require.Less(t, attempt, 3, "underwriting: %v", err)
		t.Logf("underwriting raced a treasury rebalance; retrying: %v", err)
	}
}

// requireExportHoldsTestState spot-checks that the export has exportTestState's
// effects, so the comparison is not between two near-empty states.
func requireExportHoldsTestState(t *testing.T, network *localnet.Network, g localnet.Genesis) {
	t.Helper()
	depositor := network.Key(t, "depositor")
	coins := bankBalances(t, g)[depositor.Address]
	for _, denom := range []string{susdaiDenom, usdaiDenom} {
		require.Contains(t, coins, denom, "depositor's balance in the export")
		require.True(t, mustInt(t, coins[denom]).IsPositive(), "depositor's %s in the export: %v", denom, coins)
	}

	var staking struct {
		Delegations []struct {
			DelegatorAddress string `json:"delegator_address"`
		} `json:"delegations"`
	}
	require.NoError(t, json.Unmarshal(g.AppState["staking"], &staking))
	var delegators []string
	for _, d := range staking.Delegations {
		delegators = append(delegators, d.DelegatorAddress)
	}
	require.Contains(t, delegators, depositor.Address)

	var caliber struct {
		Titles []json.RawMessage `json:"titles"`
	}
	require.NoError(t, json.Unmarshal(g.AppState["caliber"], &caliber))
	require.NotEmpty(t, caliber.Titles)
	var oracle struct {
		Prices []struct {
			FeedID string `json:"feed_id"`
		} `json:"prices"`
	}
	require.NoError(t, json.Unmarshal(g.AppState["oracle"], &oracle))
	// The validators price every localnet feed, so each has a price to export.
	var priced []string
	for _, p := range oracle.Prices {
		priced = append(priced, p.FeedID)
	}
	require.ElementsMatch(t, []string{gpuFeed, yieldRateFeed, "fx/uusdc"}, priced)

	var lending struct {
		Loans []struct {
			Status string `json:"status"`
		} `json:"loans"`
	}
	require.NoError(t, json.Unmarshal(g.AppState["lending"], &lending))
	var statuses []string
	for _, l := range lending.Loans {
		statuses = append(statuses, l.Status)
	}
	require.Contains(t, statuses, "LOAN_STATUS_PENDING")
	require.Contains(t, statuses, "LOAN_STATUS_ACTIVE")
}

// compareExports requires the new chain's export after its first block to
// hold the same state as the export it started from. Every module compares
// equal as a whole, except for what that one block legitimately changes:
//
//   - mint: the minter's inflation and annual_provisions, which BeginBlock
//     recomputes every block from the bonded ratio (params are compared).
//   - bank: block 1's provision, minted into the fee collector (distribution
//     hands the fee collector's balance out from the second block on). The
//     fee collector's uinfra and the uinfra supply must grow by the same
//     amount; every other balance and supply, denom metadata, send-enabled
//     and params are compared.
//
// Outside app_state, the chain id and the validator set must match;
// genesis_time and initial_height differ by construction.
func compareExports(t *testing.T, first, second localnet.Genesis) {
	t.Helper()
	require.Equal(t, first.ChainID, second.ChainID)
	require.Equal(t, first.Consensus.Validators, second.Consensus.Validators)
	require.JSONEq(t, string(first.Consensus.Params), string(second.Consensus.Params))

	require.ElementsMatch(t, mapKeys(first.AppState), mapKeys(second.AppState), "exported modules")
	for module, want := range first.AppState {
		got := second.AppState[module]
		switch module {
		case "mint":
			require.JSONEq(t, string(withoutMinter(t, want)), string(withoutMinter(t, got)), "mint state besides the minter")
		case "bank":
			compareBank(t, first, second)
		default:
			require.JSONEq(t, string(want), string(got), "module %s", module)
		}
	}
}

func compareBank(t *testing.T, first, second localnet.Genesis) {
	t.Helper()
	feeCollector := moduleAccountAddress(t, first, "fee_collector")
	before, after := bankBalances(t, first), bankBalances(t, second)
	provision := amountOf(t, after[feeCollector], "uinfra").Sub(amountOf(t, before[feeCollector], "uinfra"))
	require.True(t, provision.IsPositive(), "block 1 minted no provision into the fee collector")

	delete(before, feeCollector)
	delete(after, feeCollector)
	require.Equal(t, before, after, "bank balances besides the fee collector's")

	supplyBefore, supplyAfter := coinMap(t, first, "supply"), coinMap(t, second, "supply")
	require.Equal(t, amountOf(t, supplyBefore, "uinfra").Add(provision).String(), supplyAfter["uinfra"], "uinfra supply grows by the provision alone")
	delete(supplyBefore, "uinfra")
	delete(supplyAfter, "uinfra")
	require.Equal(t, supplyBefore, supplyAfter, "supply of the other denoms")

	var rest [2]map[string]json.RawMessage
	for i, g := range []localnet.Genesis{first, second} {
		require.NoError(t, json.Unmarshal(g.AppState["bank"], &rest[i]))
		delete(rest[i], "balances")
		delete(rest[i], "supply")
	}
	require.Equal(t, mapKeys(rest[0]), mapKeys(rest[1]))
	for k := range rest[0] {
		require.JSONEq(t, string(rest[0][k]), string(rest[1][k]), "bank %s", k)
	}
}

// bankBalances maps address -> denom -> amount from a genesis' bank state.
func bankBalances(t *testing.T, g localnet.Genesis) map[string]map[string]string {
	t.Helper()
	var bank struct {
		Balances []struct {
			Address string     `json:"address"`
			Coins   []jsonCoin `json:"coins"`
		} `json:"balances"`
	}
	require.NoError(t, json.Unmarshal(g.AppState["bank"], &bank))
	out := make(map[string]map[string]string, len(bank.Balances))
	for _, b := range bank.Balances {
		require.NotContains(t, out, b.Address, "address listed twice in bank balances")
		out[b.Address] = coinsToMap(t, b.Coins)
	}
	return out
}

// coinMap maps denom -> amount of a coins field of the bank state.
func coinMap(t *testing.T, g localnet.Genesis, field string) map[string]string {
	t.Helper()
	var bank map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(g.AppState["bank"], &bank))
	var coins []jsonCoin
	require.NoError(t, json.Unmarshal(bank[field], &coins))
	return coinsToMap(t, coins)
}

type jsonCoin struct {
	Denom  string `json:"denom"`
	Amount string `json:"amount"`
}

func coinsToMap(t *testing.T, coins []jsonCoin) map[string]string {
	t.Helper()
	out := make(map[string]string, len(coins))
	for _, c := range coins {
		require.NotContains(t, out, c.Denom, "denom listed twice")
		out[c.Denom] = c.Amount
	}
	return out
}

// amountOf is a denom's amount in a coinsToMap map, zero if absent.
func amountOf(t *testing.T, coins map[string]string, denom string) sdkmath.Int {
	t.Helper()
	if amount, ok := coins[denom]; ok {
		return mustInt(t, amount)
	}
	return sdkmath.ZeroInt()
}

// moduleAccountAddress finds a module account's address in the auth state.
func moduleAccountAddress(t *testing.T, g localnet.Genesis, name string) string {
	t.Helper()
	var auth struct {
		Accounts []struct {
			Name        string `json:"name"`
			BaseAccount struct {
				Address string `json:"address"`
			} `json:"base_account"`
		} `json:"accounts"`
	}
	require.NoError(t, json.Unmarshal(g.AppState["auth"], &auth))
	for _, a := range auth.Accounts {
		if a.Name == name {
			return a.BaseAccount.Address
		}
	}
	t.Fatalf("no module account %q in the auth state", name)
	return ""
}

// withoutMinter drops the minter's per-block fields from a mint state.
func withoutMinter(t *testing.T, mint json.RawMessage) []byte {
	t.Helper()
	var state map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(mint, &state))
	var minter map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(state["minter"], &minter))
	require.Contains(t, minter, "inflation")
	require.Contains(t, minter, "annual_provisions")
	delete(minter, "inflation")
	delete(minter, "annual_provisions")
	bz, err := json.Marshal(minter)
	require.NoError(t, err)
	state["minter"] = bz
	bz, err = json.Marshal(state)
	require.NoError(t, err)
	return bz
}

func mapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// blockTimeAt is the header time of the block at height.
func blockTimeAt(t *testing.T, node *localnet.Node, height int64) time.Time {
	t.Helper()
	var block struct {
		Block struct {
			Header struct {
				Time time.Time `json:"time"`
			} `json:"header"`
		} `json:"block"`
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, node.RPC(ctx, "/block?height="+strconv.FormatInt(height, 10), &block))
	require.False(t, block.Block.Header.Time.IsZero())
	return block.Block.Header.Time
}
