package localnet

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// upgradeNameVar is the app variable that registers a build-time upgrade.
const upgradeNameVar = "github.com/infrafi/infrafi/app.UpgradeName"

// BuildUpgradeBinary builds infrafid into dir with app.UpgradeName set to
// name: the code BuildBinary builds plus a handler for an upgrade plan called
// name, i.e. the "new binary" of a software upgrade. Only the link step runs
// again when BuildBinary's packages are in the build cache. It returns an
// error instead of failing a test so that it can run in a goroutine while a
// network is up.
func BuildUpgradeBinary(dir, name string) (string, error) {
	out := filepath.Join(dir, "infrafid-"+name)
	return out, buildTo(out, "-ldflags", fmt.Sprintf("-X %s=%s", upgradeNameVar, name))
}

// UpgradePlan is the plan of a MsgSoftwareUpgrade.
type UpgradePlan struct {
	Name   string `json:"name"`
	Height int64  `json:"height,string"`
	Info   string `json:"info"`
}

// ProposeSoftwareUpgrade submits through this node a governance proposal
// whose only message is MsgSoftwareUpgrade with the gov module as authority,
// signed by the key `from`, which pays deposit (e.g. "5000000uinfra"). It
// returns the proposal id.
func (n *Node) ProposeSoftwareUpgrade(from string, plan UpgradePlan, deposit string, expedited bool) (uint64, error) {
	out, err := n.CLI("query", "upgrade", "authority", "--output", "json")
	if err != nil {
		return 0, err
	}
	var authority struct {
		Address string `json:"address"`
	}
	if err := json.Unmarshal(lastJSONLine(out), &authority); err != nil || authority.Address == "" {
		return 0, fmt.Errorf("decode upgrade authority %q: %v", out, err)
	}

	proposal := map[string]any{
		"messages": []any{map[string]any{
			"@type":     "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade",
			"authority": authority.Address,
			"plan":      plan,
		}},
		"deposit":   deposit,
		"title":     "Software upgrade " + plan.Name,
		"summary":   fmt.Sprintf("Halt at height %d and switch to the binary that handles %q.", plan.Height, plan.Name),
		"metadata":  "",
		"expedited": expedited,
	}
	bz, err := json.MarshalIndent(proposal, "", "  ")
	if err != nil {
		return 0, err
	}
	file, err := os.CreateTemp(n.network.Dir, "proposal-*.json")
	if err != nil {
		return 0, err
	}
	defer os.Remove(file.Name())
	if _, err := file.Write(bz); err != nil {
		file.Close()
		return 0, err
	}
	if err := file.Close(); err != nil {
		return 0, err
	}

	res, err := n.Tx("gov", "submit-proposal", file.Name(), "--from", from)
	if err != nil {
		return 0, err
	}
	for _, ev := range res.Events {
		if ev.Type != "submit_proposal" {
			continue
		}
		for _, attr := range ev.Attributes {
			if attr.Key == "proposal_id" {
				return strconv.ParseUint(attr.Value, 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("tx %s has no submit_proposal event with a proposal_id", res.TxHash)
}

// VoteYes has every node's validator vote yes on a proposal, each through
// its own node, concurrently.
func (n *Network) VoteYes(proposalID uint64) error {
	errs := make([]error, len(n.Nodes))
	var wg sync.WaitGroup
	for i, node := range n.Nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = node.Tx("gov", "vote", strconv.FormatUint(proposalID, 10), "yes", "--from", node.ValidatorKey)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Proposal is the part of a gov v1 proposal the harness reads.
type Proposal struct {
	ID            string    `json:"id"`
	Status        string    `json:"status"`
	FailedReason  string    `json:"failed_reason"`
	VotingEndTime time.Time `json:"voting_end_time"`
}

// Proposal status names as REST reports them.
const (
	ProposalStatusPassed   = "PROPOSAL_STATUS_PASSED"
	ProposalStatusRejected = "PROPOSAL_STATUS_REJECTED"
	ProposalStatusFailed   = "PROPOSAL_STATUS_FAILED"
)

// Proposal reads a gov v1 proposal over REST.
func (n *Node) Proposal(id uint64) (Proposal, error) {
	var res struct {
		Proposal Proposal `json:"proposal"`
	}
	err := n.RESTGet(fmt.Sprintf("/cosmos/gov/v1/proposals/%d", id), &res)
	return res.Proposal, err
}

// WaitForProposal waits until the proposal has left the voting period and
// returns it; passed, rejected and failed all end the wait.
func (n *Node) WaitForProposal(id uint64, timeout time.Duration) (Proposal, error) {
	deadline := time.Now().Add(timeout)
	for {
		p, err := n.Proposal(id)
		if err == nil {
			switch p.Status {
			case ProposalStatusPassed, ProposalStatusRejected, ProposalStatusFailed:
				return p, nil
			}
		}
		if time.Now().After(deadline) {
			return p, fmt.Errorf("proposal %d still %q after %s (last error: %v)", id, p.Status, timeout, err)
		}
		time.Sleep(time.Second)
	}
}

// UpgradeInfo is data/upgrade-info.json, which x/upgrade writes when a node
// reaches a plan's height without a handler for it.
type UpgradeInfo struct {
	Name   string `json:"name"`
	Height int64  `json:"height"`
	Info   string `json:"info"`
}

// UpgradeInfo reads the node's data/upgrade-info.json.
func (n *Node) UpgradeInfo() (UpgradeInfo, error) {
	var info UpgradeInfo
	bz, err := os.ReadFile(filepath.Join(n.Home, "data", "upgrade-info.json"))
	if err != nil {
		return info, err
	}
	return info, json.Unmarshal(bz, &info)
}

// UpgradeNeededLog is the line x/upgrade logs when a node halts at a plan's
// height because its binary has no handler for the plan.
func UpgradeNeededLog(name string, height int64) string {
	return fmt.Sprintf("UPGRADE %q NEEDED at height: %d", name, height)
}

// WaitForLog waits until the node's log (all runs of it) contains s.
func (n *Node) WaitForLog(s string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		bz, err := os.ReadFile(n.LogPath())
		if err == nil && bytes.Contains(bz, []byte(s)) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: %q not in %s within %s (read error: %v)", n.Name, s, n.LogPath(), timeout, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
