package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// stopTimeout is how long the node the demo started gets to exit after SIGTERM.
const stopTimeout = 20 * time.Second

// localnet is the node the demo talks to: node0 of the localnet described by
// <dir>/localnet.json (written by `infrafid localnet init`).
type localnet struct {
	ChainID string
	Home    string
	// Homes are every node's home: each validator reads its own price files there.
	Homes []string
	RPC   string
	GRPC  string
	// Keys maps the demo key names to their addresses.
	Keys map[string]string
	// pid is the node process the demo started itself, 0 when it found one running.
	pid int
}

type manifest struct {
	ChainID string `json:"chain_id"`
	Nodes   []struct {
		Home string `json:"home"`
		RPC  string `json:"rpc"`
		GRPC string `json:"grpc"`
	} `json:"nodes"`
	Keys map[string]struct {
		Address string `json:"address"`
	} `json:"keys"`
}

// openLocalnet uses the localnet in dir when its node0 answers, and otherwise
// starts one validator in the background with scripts/localnet.sh (which
// creates the localnet first when there is none).
func openLocalnet(ctx context.Context, dir, bin string, log io.Writer) (*localnet, error) {
	if ln, err := readLocalnet(dir); err == nil && ln.answers(ctx) {
		return ln, nil
	}
	fmt.Fprintf(log, "No localnet answers in %s: starting one validator in the background (scripts/localnet.sh start --validators 1).\n", dir)
	cmd := exec.CommandContext(ctx, "bash", "scripts/localnet.sh", "start", "--validators", "1")
	// The script would rebuild the binary when any Go file is newer, this
	// demo's included; `make demo` has just built it.
	cmd.Env = append(os.Environ(), "LOCALNET_DIR="+dir, "INFRAFID="+bin)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("scripts/localnet.sh start: %w", err)
	}
	ln, err := readLocalnet(dir)
	if err != nil {
		return nil, err
	}
	bz, err := os.ReadFile(filepath.Join(ln.Home, "node.pid"))
	if err != nil {
		return nil, fmt.Errorf("the started node's pid: %w", err)
	}
	if ln.pid, err = strconv.Atoi(strings.TrimSpace(string(bz))); err != nil {
		return nil, fmt.Errorf("the started node's pid %q: %w", bz, err)
	}
	if !ln.answers(ctx) {
		ln.stop(log)
		return nil, fmt.Errorf("the started node does not answer at %s", ln.RPC)
	}
	return ln, nil
}

func readLocalnet(dir string) (*localnet, error) {
	bz, err := os.ReadFile(filepath.Join(dir, "localnet.json"))
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(bz, &m); err != nil {
		return nil, fmt.Errorf("%s/localnet.json: %w", dir, err)
	}
	if len(m.Nodes) == 0 {
		return nil, fmt.Errorf("%s/localnet.json lists no node", dir)
	}
	n := m.Nodes[0]
	keys := make(map[string]string, len(m.Keys))
	for name, k := range m.Keys {
		keys[name] = k.Address
	}
	homes := make([]string, len(m.Nodes))
	for i, node := range m.Nodes {
		homes[i] = node.Home
	}
	return &localnet{ChainID: m.ChainID, Home: n.Home, Homes: homes, RPC: n.RPC, GRPC: n.GRPC, Keys: keys}, nil
}

// answers reports whether node0 serves RPC and has committed a block.
func (l *localnet) answers(ctx context.Context) bool {
	c := &chain{rpc: l.RPC}
	h, err := c.height(ctx)
	return err == nil && h > 0
}

// stop ends the node the demo started, by its pid, and nothing else.
func (l *localnet) stop(log io.Writer) {
	if l.pid == 0 {
		return
	}
	pid := l.pid
	l.pid = 0
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		fmt.Fprintf(log, "could not stop the localnet node (pid %d): %v\n", pid, err)
		return
	}
	deadline := time.Now().Add(stopTimeout)
	for alive(pid) && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	if alive(pid) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	_ = os.Remove(filepath.Join(l.Home, "node.pid"))
	fmt.Fprintf(log, "Stopped the localnet node the demo started (pid %d).\n", pid)
}

// alive reports whether pid is a live process. The node is not the demo's
// child (the script started it), so a zombie counts as gone.
func alive(pid int) bool {
	bz, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	// The state follows the parenthesised command name.
	s := string(bz)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}
