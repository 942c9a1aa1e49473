package localnet

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Export runs `infrafid export` on the node's home and writes the genesis it
// prints to out. The node must be stopped: export opens its database. extra
// adds export flags, e.g. "--for-zero-height" or "--height", "12".
func (n *Node) Export(out string, extra ...string) error {
	if n.IsRunning() {
		return fmt.Errorf("%s is running; stop it before exporting", n.Name)
	}
	args := append([]string{"export", "--output-document", out}, extra...)
	_, err := n.CLI(args...)
	return err
}

// Genesis is the part of a genesis file the harness reads.
type Genesis struct {
	ChainID       string                     `json:"chain_id"`
	GenesisTime   time.Time                  `json:"genesis_time"`
	InitialHeight int64                      `json:"initial_height"`
	AppState      map[string]json.RawMessage `json:"app_state"`
	Consensus     struct {
		Validators []GenesisValidator `json:"validators"`
		Params     json.RawMessage    `json:"params"`
	} `json:"consensus"`
}

// GenesisValidator is a validator of a genesis' consensus section.
type GenesisValidator struct {
	Address string          `json:"address"`
	PubKey  json.RawMessage `json:"pub_key"`
	Power   int64           `json:"power,string"`
	Name    string          `json:"name"`
}

// ReadGenesis reads a genesis file such as Export writes.
func ReadGenesis(path string) (Genesis, error) {
	var g Genesis
	bz, err := os.ReadFile(path)
	if err != nil {
		return g, err
	}
	if err := json.Unmarshal(bz, &g); err != nil {
		return g, fmt.Errorf("parse genesis %s: %w", path, err)
	}
	return g, nil
}

// SetGenesisTime rewrites the genesis_time of a genesis file and leaves the
// rest as it is. CometBFT gives a chain's first block the genesis time.
func SetGenesisTime(path string, t time.Time) error {
	bz, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(bz, &doc); err != nil {
		return fmt.Errorf("parse genesis %s: %w", path, err)
	}
	if doc["genesis_time"], err = json.Marshal(t.UTC()); err != nil {
		return err
	}
	if bz, err = json.MarshalIndent(doc, "", " "); err != nil {
		return err
	}
	return os.WriteFile(path, bz, 0o644)
}

// nodeConfigFiles are what a node home keeps from its source in
// NewFromGenesis: settings, the node's P2P identity and its validator key.
var nodeConfigFiles = []string{"config.toml", "app.toml", "client.toml", "node_key.json", "priv_validator_key.json"}

// emptyPrivValState is a validator signing state that has signed nothing.
const emptyPrivValState = `{"height":"0","round":0,"step":0}`

var persistentPeersLine = regexp.MustCompile(`(?m)^persistent_peers = ".*"$`)

// NewFromGenesis lays out a new single-node network that starts a chain from
// genesis (e.g. a file Export wrote) with src's validator and node keys,
// settings and keyring, fresh data (empty block store and signing state) and
// ports of its own, with no peers. The chain id is the genesis'. The node is
// not running until Start and is stopped at the end of the test.
//
// The exported validator set must be src's validator alone for the node to
// make blocks by itself.
func NewFromGenesis(t testing.TB, src *Node, genesis string) *Network {
	t.Helper()
	g, err := ReadGenesis(genesis)
	if err != nil {
		t.Fatal(err)
	}
	base, err := freePortRange(1)
	if err != nil {
		t.Fatal(err)
	}
	ports := Ports{P2P: base, RPC: base + 1, GRPC: base + 2, API: base + 3}

	dir := t.TempDir()
	home := filepath.Join(dir, src.Name)
	for _, sub := range []string{"config", "data"} {
		if err := os.MkdirAll(filepath.Join(home, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range nodeConfigFiles {
		bz, err := os.ReadFile(filepath.Join(src.Home, "config", name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".toml") {
			bz = []byte(rewritePorts(string(bz), src.Ports, ports))
			if port := movedPort[name](ports); !hasLoopbackPort(string(bz), port) {
				t.Fatalf("%s of %s does not use port %d after moving its ports", name, src.Name, port)
			}
		}
		if name == "config.toml" {
			bz = persistentPeersLine.ReplaceAll(bz, []byte(`persistent_peers = ""`))
		}
		if err := os.WriteFile(filepath.Join(home, "config", name), bz, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.CopyFS(filepath.Join(home, "keyring-test"), os.DirFS(filepath.Join(src.Home, "keyring-test"))); err != nil {
		t.Fatal(err)
	}
	bz, err := os.ReadFile(genesis)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "config", "genesis.json"), bz, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "data", "priv_validator_state.json"), []byte(emptyPrivValState), 0o600); err != nil {
		t.Fatal(err)
	}

	n := &Network{t: t, Binary: src.Binary(), Dir: dir, ChainID: g.ChainID, Keys: src.network.Keys}
	n.Nodes = []*Node{{
		Index:           0,
		Name:            src.Name,
		Home:            home,
		NodeID:          src.NodeID,
		ValidatorKey:    src.ValidatorKey,
		OperatorAddress: src.OperatorAddress,
		Ports:           ports,
		network:         n,
	}}
	t.Cleanup(n.cleanup)
	return n
}

// movedPort names, per config file, a port it must use once its ports are
// rewritten, to catch a config layout rewritePorts does not know.
var movedPort = map[string]func(Ports) int{
	"config.toml": func(p Ports) int { return p.P2P },
	"app.toml":    func(p Ports) int { return p.GRPC },
	"client.toml": func(p Ports) int { return p.RPC },
}

// rewritePorts moves every 127.0.0.1 listen and dial address in a config file
// (TOML strings, in either quote) from one node's ports to another's.
func rewritePorts(config string, from, to Ports) string {
	var pairs []string
	for _, p := range [][2]int{{from.P2P, to.P2P}, {from.RPC, to.RPC}, {from.GRPC, to.GRPC}, {from.API, to.API}} {
		for _, quote := range []string{`"`, `'`} {
			pairs = append(pairs,
				loopback+":"+strconv.Itoa(p[0])+quote,
				loopback+":"+strconv.Itoa(p[1])+quote)
		}
	}
	return strings.NewReplacer(pairs...).Replace(config)
}

func hasLoopbackPort(config string, port int) bool {
	addr := loopback + ":" + strconv.Itoa(port)
	return strings.Contains(config, addr+`"`) || strings.Contains(config, addr+`'`)
}
