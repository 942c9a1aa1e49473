package localnet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Harness ports sit below Linux's ephemeral range (32768+), so outgoing
// connections cannot take them, and away from the defaults of `make localnet`
// (26656/26657/9090/1317 + i*10).
const (
	portRangeStart = 21000
	portSlotSize   = 100
	portSlots      = 40
	portStep       = 10
	// portsPerNode: P2P, RPC, gRPC, REST, Prometheus.
	portsPerNode = 5
	// spareNodes is room, after the validators, for full nodes added by
	// AddFullNode.
	spareNodes = 2
)

// Options configures New.
type Options struct {
	// Validators is the number of validator nodes (default 1, at most 10).
	Validators int
	// BasePort is node0's P2P port; RPC, gRPC, REST and Prometheus use the
	// next four ports and node i adds i*10. Zero picks a free range.
	BasePort int
	// ChainID defaults to the binary's localnet default.
	ChainID string
	// Binary is a prebuilt infrafid; empty builds one with BuildBinary.
	Binary string
}

// Ports are one node's listen ports on 127.0.0.1.
type Ports struct {
	P2P  int `json:"p2p"`
	RPC  int `json:"rpc"`
	GRPC int `json:"grpc"`
	API  int `json:"api"`
	// Prometheus serves /metrics: CometBFT's, the SDK's telemetry and
	// infrafi's protocol gauges.
	Prometheus int `json:"prometheus"`
}

// Key is a demo key from localnet.json; every node's keyring holds it.
type Key struct {
	Name     string `json:"-"`
	Address  string `json:"address"`
	Mnemonic string `json:"mnemonic"`
}

// Network is a set of infrafi validator nodes running on loopback.
type Network struct {
	t       testing.TB
	Binary  string
	Dir     string
	ChainID string
	Nodes   []*Node
	// FullNodes are the non-validators AddFullNode added.
	FullNodes []*Node
	Keys      map[string]Key
}

// manifest mirrors localnet.json as written by `infrafid localnet init`.
type manifest struct {
	ChainID   string         `json:"chain_id"`
	Keys      map[string]Key `json:"keys"`
	Nodes     []manifestNode `json:"nodes"`
	FullNodes []manifestNode `json:"full_nodes"`
}

type manifestNode struct {
	Name            string `json:"name"`
	Home            string `json:"home"`
	NodeID          string `json:"node_id"`
	ValidatorKey    string `json:"validator_key"`
	OperatorAddress string `json:"operator_address"`
	Ports           Ports  `json:"ports"`
}

// New lays out a network with `infrafid localnet init` in a temporary
// directory. Nodes are not running until Start. Every node still running at
// the end of the test is stopped, and on failure the tail of each node's log
// is printed.
func New(t testing.TB, opts Options) *Network {
	t.Helper()
	if opts.Validators == 0 {
		opts.Validators = 1
	}
	bin := opts.Binary
	if bin == "" {
		bin = BuildBinary(t)
	}
	base := opts.BasePort
	if base == 0 {
		var err error
		if base, err = freePortRange(opts.Validators + spareNodes); err != nil {
			t.Fatal(err)
		}
	}

	dir := t.TempDir()
	out := filepath.Join(dir, "localnet")
	args := []string{
		"localnet", "init",
		"--output-dir", out,
		"--validators", strconv.Itoa(opts.Validators),
		"--p2p-port", strconv.Itoa(base),
		"--rpc-port", strconv.Itoa(base + 1),
		"--grpc-port", strconv.Itoa(base + 2),
		"--api-port", strconv.Itoa(base + 3),
		"--port-step", strconv.Itoa(portStep),
		// keeps the root command's config bootstrap away from ~/.infrafi
		"--home", filepath.Join(dir, "cli"),
	}
	if opts.ChainID != "" {
		args = append(args, "--chain-id", opts.ChainID)
	}
	// Binaries built before metrics existed (the upgrade test's old
	// release) have no Prometheus port flag and run without metrics.
	if binaryHasFlag(bin, "--prometheus-port", "localnet", "init") {
		args = append(args, "--prometheus-port", strconv.Itoa(base+4))
	}
	if bz, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("infrafid %s: %v\n%s", strings.Join(args, " "), err, bz)
	}

	m, err := readManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	n := &Network{t: t, Binary: bin, Dir: out, ChainID: m.ChainID, Keys: m.Keys}
	for name, k := range n.Keys {
		k.Name = name
		n.Keys[name] = k
	}
	for i, mn := range m.Nodes {
		n.Nodes = append(n.Nodes, &Node{
			Index:           i,
			Name:            mn.Name,
			Home:            mn.Home,
			NodeID:          mn.NodeID,
			ValidatorKey:    mn.ValidatorKey,
			OperatorAddress: mn.OperatorAddress,
			Ports:           mn.Ports,
			network:         n,
		})
	}
	if len(n.Nodes) != opts.Validators {
		t.Fatalf("localnet.json lists %d nodes, want %d", len(n.Nodes), opts.Validators)
	}
	t.Cleanup(n.cleanup)
	return n
}

// Start launches every node and waits until each has committed a block.
func (n *Network) Start() {
	n.t.Helper()
	for _, node := range n.Nodes {
		if err := node.Start(); err != nil {
			n.t.Fatal(err)
		}
	}
	if err := n.WaitForHeight(1, 2*time.Minute); err != nil {
		n.t.Fatal(err)
	}
}

// Key returns a demo key by name and fails t for an unknown name.
func (n *Network) Key(t testing.TB, name string) Key {
	t.Helper()
	k, ok := n.Keys[name]
	if !ok {
		t.Fatalf("no localnet key %q", name)
	}
	return k
}

// Running returns the nodes whose process is up.
func (n *Network) Running() []*Node {
	var out []*Node
	for _, node := range n.Nodes {
		if node.IsRunning() {
			out = append(out, node)
		}
	}
	return out
}

// WaitForHeight waits until every running node reports at least height h.
func (n *Network) WaitForHeight(h int64, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for _, node := range n.Running() {
		if err := node.WaitForHeight(h, time.Until(deadline)); err != nil {
			return err
		}
	}
	return nil
}

// LatestHeight returns the lowest latest height over the running nodes.
func (n *Network) LatestHeight(ctx context.Context) (int64, error) {
	var lowest int64 = -1
	for _, node := range n.Running() {
		h, err := node.Height(ctx)
		if err != nil {
			return 0, err
		}
		if lowest < 0 || h < lowest {
			lowest = h
		}
	}
	if lowest < 0 {
		return 0, errors.New("no node is running")
	}
	return lowest, nil
}

func readManifest(dir string) (manifest, error) {
	var m manifest
	bz, err := os.ReadFile(filepath.Join(dir, "localnet.json"))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(bz, &m); err != nil {
		return m, fmt.Errorf("parse localnet.json: %w", err)
	}
	return m, nil
}

// AddFullNode writes a non-validator node's home with `infrafid localnet
// add-node` (state sync on, every validator a peer) and returns it, not yet
// started. With trustHeight 0 and trustHash "" the command reads a trusted
// block from node0's RPC, so node0 must be running.
func (n *Network) AddFullNode(trustHeight int64, trustHash string) (*Node, error) {
	args := []string{"localnet", "add-node", "--output-dir", n.Dir, "--home", filepath.Join(n.Dir, "..", "cli")}
	if trustHeight != 0 || trustHash != "" {
		args = append(args, "--trust-height", strconv.FormatInt(trustHeight, 10), "--trust-hash", trustHash)
	}
	if bz, err := exec.Command(n.Binary, args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("infrafid %s: %w\n%s", strings.Join(args, " "), err, bz)
	}
	m, err := readManifest(n.Dir)
	if err != nil {
		return nil, err
	}
	if len(m.FullNodes) != len(n.FullNodes)+1 {
		return nil, fmt.Errorf("localnet.json lists %d full nodes, want %d", len(m.FullNodes), len(n.FullNodes)+1)
	}
	mn := m.FullNodes[len(m.FullNodes)-1]
	node := &Node{Index: len(n.Nodes) + len(n.FullNodes), Name: mn.Name, Home: mn.Home, NodeID: mn.NodeID, Ports: mn.Ports, network: n}
	n.FullNodes = append(n.FullNodes, node)
	return node, nil
}

func (n *Network) cleanup() {
	var errs []error
	for _, node := range append(append([]*Node(nil), n.Nodes...), n.FullNodes...) {
		errs = append(errs, node.Stop())
		node.closeGRPC()
	}
	if err := errors.Join(errs...); err != nil {
		n.t.Errorf("stop localnet: %v", err)
	}
	if n.t.Failed() {
		for _, node := range append(append([]*Node(nil), n.Nodes...), n.FullNodes...) {
			n.t.Logf("---- last lines of %s ----\n%s", node.LogPath(), tail(node.LogPath(), 40))
		}
	}
}

var (
	portsMu  sync.Mutex
	reserved = map[int]bool{}
)

// freePortRange returns a base port whose whole range for `nodes` nodes
// is free on 127.0.0.1 and not handed out earlier in this process. The first
// slot tried depends on the pid so parallel test binaries spread out.
func freePortRange(nodes int) (int, error) {
	portsMu.Lock()
	defer portsMu.Unlock()
	first := os.Getpid() % portSlots
	for s := 0; s < portSlots; s++ {
		base := portRangeStart + ((first+s)%portSlots)*portSlotSize
		if reserved[base] || !rangeFree(base, nodes) {
			continue
		}
		reserved[base] = true
		return base, nil
	}
	return 0, fmt.Errorf("no free port range for %d nodes in %d..%d", nodes, portRangeStart, portRangeStart+portSlots*portSlotSize)
}

func rangeFree(base, nodes int) bool {
	for i := 0; i < nodes; i++ {
		for off := 0; off < portsPerNode; off++ {
			l, err := net.Listen("tcp", net.JoinHostPort(loopback, strconv.Itoa(base+i*portStep+off)))
			if err != nil {
				return false
			}
			_ = l.Close()
		}
	}
	return true
}

// tail returns the last n lines of a file, or why it cannot.
func tail(path string, n int) string {
	bz, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := bytes.Split(bytes.TrimRight(bz, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// binaryHasFlag reports whether `bin <cmd...> --help` lists flag.
func binaryHasFlag(bin, flag string, cmd ...string) bool {
	bz, err := exec.Command(bin, append(cmd, "--help")...).CombinedOutput()
	return err == nil && strings.Contains(string(bz), flag+" ")
}
