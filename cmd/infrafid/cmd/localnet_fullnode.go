package cmd

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	cmted25519 "github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/spf13/cobra"

	srvconfig "github.com/cosmos/cosmos-sdk/server/config"
)

const (
	flagAddNodeRPC         = "trust-rpc"
	flagAddNodeTrustHeight = "trust-height"
	flagAddNodeTrustHash   = "trust-hash"

	// localnetDiscoveryTime is how long a state-syncing node collects
	// snapshot offers before choosing one (CometBFT's default is 15s).
	localnetDiscoveryTime = 5 * time.Second
)

type addNodeOptions struct {
	OutputDir   string
	RPC         string
	TrustHeight int64
	TrustHash   string
}

func localnetAddNodeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add-node",
		Short: "Add a non-validator node that joins a running localnet through state sync",
		Long: `Write the home of a full (non-validator) node, full<j>, next to the validators of the localnet
in --output-dir. It gets the localnet's genesis, every validator as a persistent peer, the next
free ports (validators' base ports + (validators+j)*port-step) and state sync on: at its first
start it fetches a snapshot from the validators instead of replaying every block.

State sync trusts one block of the running chain, verified from then on by the light client.
Unless --trust-height and --trust-hash are given, the block 20 blocks (one snapshot interval)
below the tip is read from --trust-rpc (default: node0's RPC). A wrong trust hash makes the node refuse
to start with "expected header's hash".

The node is recorded under "full_nodes" in localnet.json.`,
		Example: `  infrafid localnet add-node --output-dir ./.localnet
  infrafid start --home ./.localnet/full0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var opts addNodeOptions
			var errs []error
			var err error
			f := cmd.Flags()
			opts.OutputDir, err = f.GetString(flagLocalnetOutputDir)
			errs = append(errs, err)
			opts.RPC, err = f.GetString(flagAddNodeRPC)
			errs = append(errs, err)
			opts.TrustHeight, err = f.GetInt64(flagAddNodeTrustHeight)
			errs = append(errs, err)
			opts.TrustHash, err = f.GetString(flagAddNodeTrustHash)
			errs = append(errs, err)
			if err := errors.Join(errs...); err != nil {
				return err
			}
			cmd.SilenceUsage = true
			node, trust, err := addLocalnetFullNode(cmd.Context(), opts)
			if err != nil {
				return err
			}
			printFullNodeSummary(cmd.OutOrStdout(), node, trust)
			return nil
		},
	}
	f := cmd.Flags()
	f.String(flagLocalnetOutputDir, defaultLocalnetOutputDir, "directory of the localnet (holds localnet.json)")
	f.String(flagAddNodeRPC, "", "CometBFT RPC to read the trusted block from (default: node0's)")
	f.Int64(flagAddNodeTrustHeight, 0, "height of the trusted block (0: one snapshot interval below the tip)")
	f.String(flagAddNodeTrustHash, "", "hash of the block at --trust-height, hex (empty: read from --trust-rpc)")
	return cmd
}

// trustPoint is the block state sync starts trusting.
type trustPoint struct {
	Height int64
	Hash   string
}

// addLocalnetFullNode writes full<j>'s home and records it in localnet.json.
func addLocalnetFullNode(ctx context.Context, opts addNodeOptions) (localnetNode, trustPoint, error) {
	var node localnetNode
	outDir, err := filepath.Abs(opts.OutputDir)
	if err != nil {
		return node, trustPoint{}, err
	}
	manifestPath := filepath.Join(outDir, localnetManifestFile)
	bz, err := os.ReadFile(manifestPath)
	if err != nil {
		return node, trustPoint{}, fmt.Errorf("no localnet in %s (run `infrafid localnet init` first): %w", outDir, err)
	}
	var m localnetManifest
	if err := json.Unmarshal(bz, &m); err != nil {
		return node, trustPoint{}, fmt.Errorf("parse %s: %w", manifestPath, err)
	}
	if len(m.Nodes) == 0 || m.PortStep < 1 {
		return node, trustPoint{}, fmt.Errorf("%s lists no validators or no port_step; re-create the localnet", manifestPath)
	}

	rpc := opts.RPC
	if rpc == "" {
		rpc = m.Nodes[0].RPC
	}
	trust, err := resolveTrustPoint(ctx, rpc, opts.TrustHeight, opts.TrustHash)
	if err != nil {
		return node, trust, err
	}

	j := len(m.FullNodes)
	name := fmt.Sprintf("full%d", j)
	home := filepath.Join(outDir, name)
	if _, err := os.Stat(home); err == nil {
		return node, trust, fmt.Errorf("%s already exists but localnet.json does not list it; remove it first", home)
	}
	base := localnetOptions{Base: m.Nodes[0].Ports, PortStep: m.PortStep}
	ports := base.nodePorts(len(m.Nodes) + j)
	node = localnetNode{
		Name:    name,
		Home:    home,
		Ports:   ports,
		RPC:     fmt.Sprintf("http://%s:%d", localnetLoopback, ports.RPC),
		REST:    fmt.Sprintf("http://%s:%d", localnetLoopback, ports.API),
		GRPC:    fmt.Sprintf("%s:%d", localnetLoopback, ports.GRPC),
		Metrics: localnetMetricsURL(ports),
	}

	cfg := localnetCometConfig(home, name, ports)
	peers := make([]string, 0, len(m.Nodes))
	rpcServers := make([]string, 0, 2)
	for _, v := range m.Nodes {
		peers = append(peers, v.P2P)
		if len(rpcServers) < 2 {
			rpcServers = append(rpcServers, v.RPC)
		}
	}
	// CometBFT wants two RPC servers to cross-check the light blocks; a
	// one-validator localnet can only offer the same one twice.
	if len(rpcServers) == 1 {
		rpcServers = append(rpcServers, rpcServers[0])
	}
	cfg.P2P.PersistentPeers = strings.Join(peers, ",")
	cfg.StateSync.Enable = true
	cfg.StateSync.RPCServers = rpcServers
	cfg.StateSync.TrustHeight = trust.Height
	cfg.StateSync.TrustHash = trust.Hash
	cfg.StateSync.DiscoveryTime = localnetDiscoveryTime
	if err := cfg.ValidateBasic(); err != nil {
		return node, trust, fmt.Errorf("config of %s: %w", name, err)
	}

	for _, dir := range []string{filepath.Join(home, "config"), filepath.Join(home, "data")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return node, trust, err
		}
	}
	genesis, err := os.ReadFile(filepath.Join(m.Nodes[0].Home, "config", "genesis.json"))
	if err != nil {
		return node, trust, err
	}
	if err := os.WriteFile(cfg.GenesisFile(), genesis, 0o644); err != nil {
		return node, trust, err
	}
	nodeKey := &p2p.NodeKey{PrivKey: cmted25519.GenPrivKeyFromSecret([]byte(localnetSeed + "/p2p/" + name))}
	if err := nodeKey.SaveAs(cfg.NodeKeyFile()); err != nil {
		return node, trust, err
	}
	node.NodeID = string(nodeKey.ID())
	node.P2P = fmt.Sprintf("%s@%s:%d", node.NodeID, localnetLoopback, ports.P2P)
	// CometBFT loads a validator key even on a full node; this one is in no
	// validator set.
	privval.LoadOrGenFilePV(cfg.PrivValidatorKeyFile(), cfg.PrivValidatorStateFile())

	cmtcfg.WriteConfigFile(filepath.Join(home, "config", "config.toml"), cfg)
	srvconfig.WriteConfigFile(filepath.Join(home, "config", "app.toml"), localnetAppConfig(m.ChainID, ports))
	if err := writeLocalnetClientConfig(filepath.Join(home, "config", "client.toml"), m.ChainID, ports); err != nil {
		return node, trust, err
	}

	m.FullNodes = append(m.FullNodes, node)
	bz, err = json.MarshalIndent(m, "", "  ")
	if err != nil {
		return node, trust, err
	}
	return node, trust, os.WriteFile(manifestPath, append(bz, '\n'), 0o644)
}

// resolveTrustPoint validates a given trust point or reads one from rpc.
func resolveTrustPoint(ctx context.Context, rpc string, height int64, hash string) (trustPoint, error) {
	switch {
	case height < 0:
		return trustPoint{}, fmt.Errorf("--%s must not be negative, got %d", flagAddNodeTrustHeight, height)
	case (height == 0) != (hash == ""):
		return trustPoint{}, fmt.Errorf("give both --%s and --%s, or neither", flagAddNodeTrustHeight, flagAddNodeTrustHash)
	case hash != "":
		bz, err := hex.DecodeString(hash)
		if err != nil || len(bz) != 32 {
			return trustPoint{}, fmt.Errorf("--%s must be a 32-byte hex block hash, got %q", flagAddNodeTrustHash, hash)
		}
		return trustPoint{Height: height, Hash: strings.ToUpper(hash)}, nil
	}

	client, err := rpchttp.New(strings.Replace(rpc, "http://", "tcp://", 1), "/websocket")
	if err != nil {
		return trustPoint{}, fmt.Errorf("rpc %s: %w", rpc, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	status, err := client.Status(ctx)
	if err != nil {
		return trustPoint{}, fmt.Errorf("read the tip from %s (is the localnet running?): %w", rpc, err)
	}
	height = max(1, status.SyncInfo.LatestBlockHeight-localnetSnapshotInterval)
	block, err := client.Block(ctx, &height)
	if err != nil {
		return trustPoint{}, fmt.Errorf("read block %d from %s: %w", height, rpc, err)
	}
	return trustPoint{Height: height, Hash: block.BlockID.Hash.String()}, nil
}

func printFullNodeSummary(w io.Writer, n localnetNode, trust trustPoint) {
	fmt.Fprintf(w, "%s  home %s  (full node, state sync from height %d, hash %s)\n", n.Name, n.Home, trust.Height, trust.Hash)
	fmt.Fprintf(w, "  RPC   %s\n  REST  %s\n  gRPC  %s\n  P2P   %s\n  metrics %s\n", n.RPC, n.REST, n.GRPC, n.P2P, n.Metrics)
	fmt.Fprintf(w, "\nStart it: infrafid start --home %s\n", n.Home)
}
