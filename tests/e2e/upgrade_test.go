//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil/localnet"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
)

const (
	upgradeTestPlan = app.IBCUpgradeName
	// preIBCCommit is the last commit whose chain had no IBC stores: the
	// "old binary" of the v2-ibc upgrade.
	preIBCCommit = "1b9e5b9b170c0e7cc2e3656c7001e6e3b403ca44"
	// upgradeDeposit is the localnet preset's expedited minimum deposit.
	upgradeDeposit = "5000000uinfra"
	// upgradeLead is how far past the submission height the plan lies. The
	// expedited voting period of the localnet preset is 15 s and a localnet
	// block takes at least its 1 s timeout_commit, so the proposal passes
	// (and schedules the plan) within about 16 blocks; slower blocks only
	// add room.
	upgradeLead = 22
)

// TestUpgrade runs the v2-ibc software upgrade through x/gov on two
// validators: a chain started by the binary of the last commit without IBC,
// an expedited MsgSoftwareUpgrade proposal, both validators vote yes, the
// chain halts at the plan height ("UPGRADE ... NEEDED"), every node is
// stopped and restarted with this commit's binary, and the chain resumes past
// the plan height with the IBC core and transfer stores added and their
// params set by the handler.
//
// Two validators, not four: the halt and the binary swap happen per node, and
// two nodes already show that every validator halts at the same height and
// that blocks resume only once the validators holding more than 2/3 of the
// power (here both) run the new binary; more nodes would only add start-up
// time and CPU on a shared CI machine.
func TestUpgrade(t *testing.T) {
	oldBinary, err := localnet.BuildBinaryAtCommit(t.TempDir(), preIBCCommit)
	require.NoError(t, err)
	upgradedBinary := localnet.BuildBinary(t)

	network := localnet.New(t, localnet.Options{Validators: 2, Binary: oldBinary})
	network.Start()
	node0 := network.Nodes[0]
	ctx := context.Background()

	require.Zero(t, appliedUpgradeHeight(t, node0, upgradeTestPlan))
	// The old chain's genesis created neither protocol_fees' nor x/lending's
	// module account (a payment by address would have left a plain account
	// there); the upgrade's migrations create them.
	for _, m := range upgradeModuleAccounts {
		_, err := node0.CLI("query", "auth", "account", authtypes.NewModuleAddress(m).String(), "--output", "json")
		require.ErrorContains(t, err, "not found", "%s's account before the upgrade", m)
	}

	now, err := node0.Height(ctx)
	require.NoError(t, err)
	planHeight := now + upgradeLead
	id, err := node0.ProposeSoftwareUpgrade(node0.ValidatorKey, localnet.UpgradePlan{
		Name: upgradeTestPlan, Height: planHeight, Info: "add IBC",
	}, upgradeDeposit, true)
	require.NoError(t, err)
	t.Logf("proposal %d: upgrade %q at height %d (chain at %d)", id, upgradeTestPlan, planHeight, now)
	require.NoError(t, network.VoteYes(id))

	proposal, err := node0.WaitForProposal(id, time.Minute)
	require.NoError(t, err)
	require.Equal(t, localnet.ProposalStatusPassed, proposal.Status, "failed reason: %s", proposal.FailedReason)
	passedAt, err := node0.Height(ctx)
	require.NoError(t, err)
	require.Less(t, passedAt, planHeight, "the proposal passed after the plan height")
	t.Logf("proposal passed by height %d", passedAt)

	require.Equal(t, localnet.UpgradePlan{Name: upgradeTestPlan, Height: planHeight, Info: "add IBC"}, currentUpgradePlan(t, node0))

	// Every node halts at the plan height: its app commits planHeight-1 and
	// no more, logs the upgrade as needed and writes upgrade-info.json.
	haltTimeout := time.Duration(planHeight-passedAt)*5*time.Second + 30*time.Second
	for _, node := range network.Nodes {
		require.NoError(t, node.WaitForLog(localnet.UpgradeNeededLog(upgradeTestPlan, planHeight), haltTimeout))
		info, err := node.UpgradeInfo()
		require.NoError(t, err)
		require.Equal(t, localnet.UpgradeInfo{Name: upgradeTestPlan, Height: planHeight, Info: "add IBC"}, info, node.Name)
	}
	// Longer than a few block intervals: the halt is not a slow block.
	time.Sleep(4 * time.Second)
	for _, node := range network.Nodes {
		require.True(t, node.IsRunning(), "%s exited at the halt; the harness expects to stop it", node.Name)
		h, err := node.Height(ctx)
		require.NoError(t, err)
		require.Equal(t, planHeight-1, h, "%s's last committed height", node.Name)
	}

	t.Logf("every node halted at height %d", planHeight)

	// The operators' part: stop every node, swap the binary, start again.
	for _, node := range network.Nodes {
		require.NoError(t, node.Stop(), "stop %s (pid %d)", node.Name, node.Pid())
		node.SetBinary(upgradedBinary)
	}
	for _, node := range network.Nodes {
		require.NoError(t, node.Start())
	}
	require.NoError(t, network.WaitForHeight(planHeight+2, 2*time.Minute), "the chain resumes past the plan height")
	t.Logf("the chain resumed with %s", upgradedBinary)

	// The plan is applied at its height and cleared.
	for _, node := range network.Nodes {
		require.Equal(t, planHeight, appliedUpgradeHeight(t, node, upgradeTestPlan), node.Name)
		require.Equal(t, localnet.UpgradePlan{}, currentUpgradePlan(t, node), "%s still has a pending plan", node.Name)
	}

	// The handler ran exactly once, in the plan height's block, on every node.
	var results struct {
		Events []localnet.Event `json:"finalize_block_events"`
	}
	require.NoError(t, node0.RPC(ctx, "/block_results?height="+strconv.FormatInt(planHeight, 10), &results))
	var applied []localnet.Event
	for _, ev := range results.Events {
		if ev.Type == app.EventTypeUpgradeApplied {
			applied = append(applied, ev)
		}
	}
	require.Len(t, applied, 1, "upgrade events at the plan height")
	attrs := map[string]string{}
	for _, a := range applied[0].Attributes {
		attrs[a.Key] = a.Value
	}
	require.Equal(t, upgradeTestPlan, attrs[app.AttributeKeyUpgradeName])
	require.Equal(t, strconv.FormatInt(planHeight, 10), attrs[app.AttributeKeyHeight])
	for _, node := range network.Nodes {
		require.NoError(t, node.WaitForLog("upgrade handler done", 10*time.Second))
	}

	// Both validators agree on the state the upgrade produced.
	want, err := node0.AppHashAt(planHeight + 1)
	require.NoError(t, err)
	got, err := network.Nodes[1].AppHashAt(planHeight + 1)
	require.NoError(t, err)
	require.Equal(t, want, got, "app hash after the upgrade block")

	// The IBC stores exist with the handler's params: only 07-tendermint
	// clients, transfers enabled, and the outflow quotas still in x/stable.
	out, err := node0.CLI("query", "ibc", "client", "params", "--output", "json")
	require.NoError(t, err, "%s", out)
	var clientParams struct {
		AllowedClients []string `json:"allowed_clients"`
	}
	require.NoError(t, json.Unmarshal(out, &clientParams), "%s", out)
	require.Equal(t, app.AllowedIBCClients, clientParams.AllowedClients)
	out, err = node0.CLI("query", "ibc-transfer", "params", "--output", "json")
	require.NoError(t, err, "%s", out)
	var transferParams struct {
		SendEnabled bool `json:"send_enabled"`
	}
	require.NoError(t, json.Unmarshal(out, &transferParams), "%s", out)
	require.True(t, transferParams.SendEnabled)

	// x/oracle's 1->2 migration gave the old params a min_power.
	out, err = node0.CLI("query", "oracle", "params", "--output", "json")
	require.NoError(t, err, "%s", out)
	var oracleParams struct {
		Params struct {
			MinPower string `json:"min_power"`
		} `json:"params"`
	}
	require.NoError(t, json.Unmarshal(out, &oracleParams), "%s", out)
	require.Equal(t, oracletypes.DefaultMinPower.String(), oracleParams.Params.MinPower)

	// x/stable's 1->2 and x/lending's 4->5 migrations created their module
	// accounts.
	for _, m := range upgradeModuleAccounts {
		out, err := node0.CLI("query", "auth", "account", authtypes.NewModuleAddress(m).String(), "--output", "json")
		require.NoError(t, err, "%s", out)
		var acc struct {
			Account struct {
				Type  string `json:"type"`
				Value struct {
					Name string `json:"name"`
				} `json:"value"`
			} `json:"account"`
		}
		require.NoError(t, json.Unmarshal(out, &acc), "%s", out)
		require.Equal(t, "/cosmos.auth.v1beta1.ModuleAccount", acc.Account.Type, "%s", out)
		require.Equal(t, m, acc.Account.Value.Name)
	}
}

// upgradeModuleAccounts are the module accounts infrafi pays by address,
// which the old chain's genesis did not create.
var upgradeModuleAccounts = []string{stabletypes.ProtocolFeeCollector, lendingtypes.ModuleName}

// appliedUpgradeHeight is `query upgrade applied <name>`: the height the
// named upgrade was applied at, zero if never.
func appliedUpgradeHeight(t *testing.T, node *localnet.Node, name string) int64 {
	t.Helper()
	out, err := node.CLI("query", "upgrade", "applied", name, "--output", "json")
	require.NoError(t, err)
	var applied struct {
		Height int64 `json:"height,string"`
	}
	require.NoError(t, json.Unmarshal(out, &applied), "%s", out)
	return applied.Height
}

// currentUpgradePlan is `query upgrade plan`: the pending plan, zero if none.
func currentUpgradePlan(t *testing.T, node *localnet.Node) localnet.UpgradePlan {
	t.Helper()
	out, err := node.CLI("query", "upgrade", "plan", "--output", "json")
	require.NoError(t, err)
	var res struct {
		Plan *localnet.UpgradePlan `json:"plan"`
	}
	require.NoError(t, json.Unmarshal(out, &res), "%s", out)
	if res.Plan == nil {
		return localnet.UpgradePlan{}
	}
	return *res.Plan
}
