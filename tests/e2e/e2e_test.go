//go:build e2e

// Package e2e runs the built infrafid as a 4-validator network on 127.0.0.1
// and checks it end to end through CometBFT RPC, REST, gRPC and the CLI.
//
//	go test -tags e2e -count=1 -timeout 20m ./tests/e2e/...
package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/testutil/localnet"
)

const (
	numValidators = 4
	gpuFeed       = "gpu/nvidia-h100-sxm5-80gb"
)

func TestMain(m *testing.M) {
	code := m.Run()
	localnet.RemoveBinary()
	os.Exit(code)
}

// TestLocalnet shares one network between its subtests to keep the suite
// short; the subtests that stop or kill validators run last.
func TestLocalnet(t *testing.T) {
	network := localnet.New(t, localnet.Options{Validators: numValidators})
	network.Start()

	t.Run("AllValidatorsMakeBlocks", func(t *testing.T) { testAllValidatorsMakeBlocks(t, network) })
	t.Run("OracleVoteExtensions", func(t *testing.T) { testOracleVoteExtensions(t, network) })
	t.Run("BankSend", func(t *testing.T) { testBankSend(t, network) })
	t.Run("Stable", func(t *testing.T) { testStable(t, network) })
	t.Run("Caliber", func(t *testing.T) { testCaliber(t, network) })
	t.Run("Lending", func(t *testing.T) { testLending(t, network) })
	t.Run("DefaultAndMarginCall", func(t *testing.T) { testDefault(t, network) })
	t.Run("Lockbox", func(t *testing.T) { testLockbox(t, network) })
	t.Run("ProtocolMetrics", func(t *testing.T) { testMetrics(t, network) })
	t.Run("StateSyncNode", func(t *testing.T) { testStateSync(t, network) })
	t.Run("StopAndRestartValidator", func(t *testing.T) { testStopAndRestart(t, network) })
	t.Run("KillValidatorWhileTxsFlow", func(t *testing.T) { testKillValidator(t, network) })
	t.Run("KillAllValidators", func(t *testing.T) { testKillAllValidators(t, network) })
}

func testAllValidatorsMakeBlocks(t *testing.T, network *localnet.Network) {
	ctx := context.Background()
	start, err := network.LatestHeight(ctx)
	require.NoError(t, err)
	require.NoError(t, network.WaitForHeight(start+3, time.Minute), "every node advances")

	node0 := network.Nodes[0]
	vals, err := node0.Validators(ctx, start+1)
	require.NoError(t, err)
	require.Len(t, vals, numValidators)
	inSet := make(map[string]bool, len(vals))
	for _, v := range vals {
		require.Positive(t, v.VotingPower)
		inSet[v.Address] = true
	}

	for _, node := range network.Nodes {
		status, err := node.Status(ctx)
		require.NoError(t, err)
		require.Equal(t, network.ChainID, status.NodeInfo.Network)
		require.False(t, status.SyncInfo.CatchingUp, "%s is catching up", node.Name)
		require.True(t, inSet[status.ValidatorInfo.Address], "%s's key %s is not in the validator set", node.Name, status.ValidatorInfo.Address)
	}

	// Equal power means proposers rotate; within a few rounds every validator
	// proposes and every validator's precommit lands in a commit.
	proposed, signed := watchBlocks(t, node0, start+1, 20, func(p, s map[string]bool) bool {
		return len(p) == numValidators && len(s) == numValidators
	})
	for addr := range inSet {
		require.True(t, proposed[addr], "validator %s proposed no block", addr)
		require.True(t, signed[addr], "validator %s signed no commit", addr)
	}
}

// watchBlocks reads blocks from `from` on, up to `max` of them, until done
// says the proposers and commit signers seen so far suffice.
func watchBlocks(t *testing.T, node *localnet.Node, from int64, max int, done func(proposed, signed map[string]bool) bool) (proposed, signed map[string]bool) {
	t.Helper()
	proposed, signed = map[string]bool{}, map[string]bool{}
	for h := from; h < from+int64(max); h++ {
		require.NoError(t, node.WaitForHeight(h, 30*time.Second))
		b, err := node.Block(context.Background(), h)
		require.NoError(t, err)
		proposed[b.Block.Header.ProposerAddress] = true
		for _, sig := range b.Block.LastCommit.Signatures {
			if sig.BlockIDFlag == localnet.BlockIDFlagCommit {
				signed[sig.ValidatorAddress] = true
			}
		}
		if done(proposed, signed) {
			break
		}
	}
	return proposed, signed
}

func testBankSend(t *testing.T, network *localnet.Network) {
	const denom = "uinfra"
	amount := sdkmath.NewInt(1_234_567)
	sender := network.Key(t, "treasury")
	recipient := network.Key(t, "custodian")
	// Balances are read from another node than the one the tx goes to.
	sendVia, readVia := network.Nodes[0], network.Nodes[2]

	senderBefore := balance(t, readVia, sender.Address, denom)
	recipientBefore := balance(t, readVia, recipient.Address, denom)

	res, err := sendVia.Tx("bank", "send", sender.Name, recipient.Address, amount.String()+denom)
	require.NoError(t, err)
	require.NoError(t, readVia.WaitForHeight(res.Height, time.Minute))

	fee := txFee(t, res).AmountOf(denom)
	require.Equal(t, recipientBefore.Add(amount).String(), balance(t, readVia, recipient.Address, denom).String(), "recipient gains exactly the amount")
	require.Equal(t, senderBefore.Sub(amount).Sub(fee).String(), balance(t, readVia, sender.Address, denom).String(), "sender pays amount plus fee %s", fee)
}

func balance(t *testing.T, node *localnet.Node, addr, denom string) sdkmath.Int {
	t.Helper()
	var res struct {
		Balance struct {
			Amount string `json:"amount"`
		} `json:"balance"`
	}
	require.NoError(t, node.RESTGet(fmt.Sprintf("/cosmos/bank/v1beta1/balances/%s/by_denom?denom=%s", addr, denom), &res))
	amt, ok := sdkmath.NewIntFromString(res.Balance.Amount)
	require.True(t, ok, "balance %q of %s", res.Balance.Amount, addr)
	return amt
}

// txFee reads the fee the ante handler charged from the tx's "tx" event.
func txFee(t *testing.T, res *localnet.TxResult) sdk.Coins {
	t.Helper()
	for _, ev := range res.Events {
		if ev.Type != "tx" {
			continue
		}
		for _, attr := range ev.Attributes {
			if attr.Key == "fee" {
				fee, err := sdk.ParseCoinsNormalized(strings.TrimSpace(attr.Value))
				require.NoError(t, err)
				return fee
			}
		}
	}
	return sdk.NewCoins()
}

func testStopAndRestart(t *testing.T, network *localnet.Network) {
	ctx := context.Background()
	victim := network.Nodes[numValidators-1]
	victimStatus, err := victim.Status(ctx)
	require.NoError(t, err)
	victimAddr := victimStatus.ValidatorInfo.Address

	require.NoError(t, victim.Stop())
	require.False(t, victim.IsRunning())
	stoppedAt, err := network.LatestHeight(ctx)
	require.NoError(t, err)

	// Three of four equal validators hold more than 2/3 of the power.
	require.NoError(t, network.WaitForHeight(stoppedAt+5, 2*time.Minute), "the other validators keep making blocks")
	testOraclePriceWhileStopped(t, network, victim)
	t.Cleanup(func() { requirePrice(t, network, network.Nodes[0], gpuFeed, "30000000000") })
	_, err = victim.Height(ctx)
	require.Error(t, err, "stopped node still answers RPC")

	require.NoError(t, victim.Start())
	caughtUpTo, err := network.Nodes[0].Height(ctx)
	require.NoError(t, err)
	require.NoError(t, victim.WaitForHeight(caughtUpTo+1, 2*time.Minute), "restarted node catches up")
	require.Eventually(t, func() bool {
		s, err := victim.Status(ctx)
		return err == nil && !s.SyncInfo.CatchingUp
	}, time.Minute, 500*time.Millisecond, "restarted node leaves catch-up mode")

	// Same state at a height made while the node was down and at a recent one.
	for _, h := range []int64{stoppedAt + 3, caughtUpTo} {
		want, err := network.Nodes[0].AppHashAt(h)
		require.NoError(t, err)
		require.NotEmpty(t, want)
		for _, node := range network.Nodes[1:] {
			got, err := node.AppHashAt(h)
			require.NoError(t, err)
			require.Equal(t, want, got, "app hash of %s at height %d", node.Name, h)
		}
	}

	// Back in consensus: its precommits land in commits again.
	_, signed := watchBlocks(t, network.Nodes[0], caughtUpTo+1, 20, func(_, s map[string]bool) bool { return s[victimAddr] })
	require.True(t, signed[victimAddr], "restarted validator %s signs again", victimAddr)
}
