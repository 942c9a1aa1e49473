package localnet

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRewritePorts(t *testing.T) {
	from := Ports{P2P: 21000, RPC: 21001, GRPC: 21002, API: 21003}
	to := Ports{P2P: 22100, RPC: 22101, GRPC: 22102, API: 22103}
	in := `laddr = "tcp://127.0.0.1:21001"
laddr = "tcp://127.0.0.1:21000"
persistent_peers = "abc@127.0.0.1:21010"
address = "tcp://127.0.0.1:21003"
address = "127.0.0.1:21002"
node = 'tcp://127.0.0.1:21001'
proxy_app = "tcp://127.0.0.1:210010"
`
	want := `laddr = "tcp://127.0.0.1:22101"
laddr = "tcp://127.0.0.1:22100"
persistent_peers = "abc@127.0.0.1:21010"
address = "tcp://127.0.0.1:22103"
address = "127.0.0.1:22102"
node = 'tcp://127.0.0.1:22101'
proxy_app = "tcp://127.0.0.1:210010"
`
	if got := rewritePorts(in, from, to); got != want {
		t.Fatalf("rewritePorts:\n%s\nwant:\n%s", got, want)
	}
	if !hasLoopbackPort(want, to.RPC) || hasLoopbackPort(want, from.RPC) {
		t.Fatal("hasLoopbackPort")
	}
}

func TestSetGenesisTimeKeepsTheRest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "genesis.json")
	in := `{"genesis_time":"2026-01-01T00:00:00Z","chain_id":"c-1","initial_height":0,"app_state":{"bank":{"x":1}},"consensus":{"validators":[]}}`
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 2, 3, 4, 5, 6, 7, time.UTC)
	if err := SetGenesisTime(path, at); err != nil {
		t.Fatal(err)
	}
	g, err := ReadGenesis(path)
	if err != nil {
		t.Fatal(err)
	}
	var bank bytes.Buffer
	if err := json.Compact(&bank, g.AppState["bank"]); err != nil {
		t.Fatal(err)
	}
	if !g.GenesisTime.Equal(at) || g.ChainID != "c-1" || bank.String() != `{"x":1}` {
		t.Fatalf("genesis after SetGenesisTime: %+v", g)
	}
	var raw map[string]json.RawMessage
	bz, _ := os.ReadFile(path)
	if err := json.Unmarshal(bz, &raw); err != nil || len(raw) != 5 {
		t.Fatalf("top-level fields after SetGenesisTime: %s (%v)", bz, err)
	}
}
