package localnet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
)

const (
	loopback = "127.0.0.1"

	// stopTimeout is how long a node gets to exit after SIGTERM before SIGKILL.
	stopTimeout = 20 * time.Second
	// rpcTimeout bounds one HTTP request to a node.
	rpcTimeout = 10 * time.Second
	// txTimeout bounds waiting for a broadcast tx to be committed.
	txTimeout = 60 * time.Second
)

// Node is one validator of a Network, run as its own infrafid process.
type Node struct {
	Index           int
	Name            string
	Home            string
	NodeID          string
	ValidatorKey    string
	OperatorAddress string
	Ports           Ports

	network *Network

	mu       sync.Mutex
	binary   string
	cmd      *exec.Cmd
	exited   chan struct{}
	exitErr  error
	logFile  *os.File
	grpcConn *grpc.ClientConn
}

// RPCURL is the node's CometBFT RPC endpoint.
func (n *Node) RPCURL() string { return fmt.Sprintf("http://%s:%d", loopback, n.Ports.RPC) }

// RESTURL is the node's REST (grpc-gateway) endpoint.
func (n *Node) RESTURL() string { return fmt.Sprintf("http://%s:%d", loopback, n.Ports.API) }

// GRPCAddr is the node's gRPC address.
func (n *Node) GRPCAddr() string { return fmt.Sprintf("%s:%d", loopback, n.Ports.GRPC) }

// MetricsURL is the node's Prometheus endpoint.
func (n *Node) MetricsURL() string {
	return fmt.Sprintf("http://%s:%d/metrics", loopback, n.Ports.Prometheus)
}

// LogPath is where the node's stdout and stderr go; restarts append.
func (n *Node) LogPath() string { return filepath.Join(n.Home, "node.log") }

// IsRunning reports whether the node's process is up.
func (n *Node) IsRunning() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.runningLocked()
}

func (n *Node) runningLocked() bool {
	if n.cmd == nil {
		return false
	}
	select {
	case <-n.exited:
		return false
	default:
		return true
	}
}

// Start launches `infrafid start` for this node in its own process group.
func (n *Node) Start() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.runningLocked() {
		return fmt.Errorf("%s is already running", n.Name)
	}
	logFile, err := os.OpenFile(n.LogPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(logFile, "==== %s start at %s ====\n", n.Name, time.Now().Format(time.RFC3339))
	cmd := exec.Command(n.binaryLocked(), "start", "--home", n.Home, "--log_no_color")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = nodeSysProcAttr()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("start %s: %w", n.Name, err)
	}
	exited := make(chan struct{})
	n.cmd, n.exited, n.exitErr, n.logFile = cmd, exited, nil, logFile
	go func() {
		err := cmd.Wait()
		n.mu.Lock()
		n.exitErr = err
		n.mu.Unlock()
		logFile.Close()
		close(exited)
	}()
	return nil
}

// Stop sends SIGTERM to the node's process, and SIGKILL if it has not exited
// after a timeout. Stopping a stopped node does nothing.
func (n *Node) Stop() error {
	n.mu.Lock()
	cmd, exited := n.cmd, n.exited
	running := n.runningLocked()
	n.mu.Unlock()
	if !running {
		return nil
	}
	pid := cmd.Process.Pid
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("SIGTERM %s (pid %d): %w", n.Name, pid, err)
	}
	select {
	case <-exited:
		return nil
	case <-time.After(stopTimeout):
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("SIGKILL %s (pid %d): %w", n.Name, pid, err)
	}
	<-exited
	return fmt.Errorf("%s (pid %d) ignored SIGTERM for %s and was killed", n.Name, pid, stopTimeout)
}

// Kill sends SIGKILL to the node's process, as a power cut or the OOM killer
// would, and waits until it is gone. Killing a stopped node does nothing.
func (n *Node) Kill() error {
	n.mu.Lock()
	cmd, exited := n.cmd, n.exited
	running := n.runningLocked()
	n.mu.Unlock()
	if !running {
		return nil
	}
	pid := cmd.Process.Pid
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("SIGKILL %s (pid %d): %w", n.Name, pid, err)
	}
	<-exited
	return nil
}

// WaitExit waits until the node's process exits on its own and returns how
// it exited; an error if it is still running after timeout.
func (n *Node) WaitExit(timeout time.Duration) (exitErr error, err error) {
	n.mu.Lock()
	exited := n.exited
	n.mu.Unlock()
	if exited == nil {
		return nil, fmt.Errorf("%s was never started", n.Name)
	}
	select {
	case <-exited:
		return n.exitError(), nil
	case <-time.After(timeout):
		return nil, fmt.Errorf("%s still running after %s", n.Name, timeout)
	}
}

// Pid returns the process id of the running node, or 0.
func (n *Node) Pid() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.runningLocked() {
		return 0
	}
	return n.cmd.Process.Pid
}

// Binary is the infrafid this node starts with and runs CLI commands with:
// the network's unless SetBinary chose another.
func (n *Node) Binary() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.binaryLocked()
}

func (n *Node) binaryLocked() string {
	if n.binary != "" {
		return n.binary
	}
	return n.network.Binary
}

// SetBinary makes the node's next Start (and its CLI calls) use another
// infrafid, as a validator swaps binaries at an upgrade. The running process,
// if any, is left alone.
func (n *Node) SetBinary(path string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.binary = path
}

// RPC calls a CometBFT RPC GET endpoint (path with query, e.g.
// "/block?height=5") and decodes the JSON-RPC result into out.
func (n *Node) RPC(ctx context.Context, path string, out any) error {
	var resp struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Data    string `json:"data"`
		} `json:"error"`
	}
	if err := n.getJSON(ctx, n.RPCURL()+path, &resp); err != nil {
		return err
	}
	if resp.Error != nil {
		return fmt.Errorf("%s %s: rpc error %d: %s %s", n.Name, path, resp.Error.Code, resp.Error.Message, resp.Error.Data)
	}
	return json.Unmarshal(resp.Result, out)
}

// Status is the part of CometBFT's /status the harness uses.
type Status struct {
	NodeInfo struct {
		ID      string `json:"id"`
		Network string `json:"network"`
		Moniker string `json:"moniker"`
	} `json:"node_info"`
	SyncInfo struct {
		LatestBlockHeight   int64  `json:"latest_block_height,string"`
		LatestAppHash       string `json:"latest_app_hash"`
		EarliestBlockHeight int64  `json:"earliest_block_height,string"`
		CatchingUp          bool   `json:"catching_up"`
	} `json:"sync_info"`
	ValidatorInfo struct {
		Address     string `json:"address"`
		VotingPower int64  `json:"voting_power,string"`
	} `json:"validator_info"`
}

// Status returns the node's CometBFT /status.
func (n *Node) Status(ctx context.Context) (Status, error) {
	var s Status
	err := n.RPC(ctx, "/status", &s)
	return s, err
}

// Height returns the node's latest committed height.
//
// It is the application's last committed height (ABCI info), not the block
// store's: CometBFT stores a block before the app commits it, so /status can
// report a height whose state queries do not show yet.
func (n *Node) Height(ctx context.Context) (int64, error) {
	var info struct {
		Response struct {
			LastBlockHeight string `json:"last_block_height"`
		} `json:"response"`
	}
	if err := n.RPC(ctx, "/abci_info", &info); err != nil {
		return 0, err
	}
	if info.Response.LastBlockHeight == "" {
		return 0, nil
	}
	return strconv.ParseInt(info.Response.LastBlockHeight, 10, 64)
}

// AppInfo returns the application's last committed height and the app hash
// it computed for it (ABCI info): the node's own state, not a header it
// received.
func (n *Node) AppInfo(ctx context.Context) (height int64, appHash string, err error) {
	var info struct {
		Response struct {
			LastBlockHeight  string `json:"last_block_height"`
			LastBlockAppHash []byte `json:"last_block_app_hash"`
		} `json:"response"`
	}
	if err := n.RPC(ctx, "/abci_info", &info); err != nil {
		return 0, "", err
	}
	if height, err = strconv.ParseInt(info.Response.LastBlockHeight, 10, 64); err != nil {
		return 0, "", err
	}
	return height, fmt.Sprintf("%X", info.Response.LastBlockAppHash), nil
}

// WaitForHeight polls the node until it reports at least height h.
func (n *Node) WaitForHeight(h int64, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var (
		last    int64
		lastErr error
	)
	for {
		if !n.IsRunning() {
			return fmt.Errorf("%s exited while waiting for height %d: %v", n.Name, h, n.exitError())
		}
		ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
		last, lastErr = n.Height(ctx)
		cancel()
		if lastErr == nil && last >= h {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not reach height %d within %s (at %d, last error: %v)", n.Name, h, timeout, last, lastErr)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func (n *Node) exitError() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.exitErr
}

// BlockInfo is the part of CometBFT's /block the harness uses.
type BlockInfo struct {
	Block struct {
		Header struct {
			Height          int64  `json:"height,string"`
			AppHash         string `json:"app_hash"`
			ProposerAddress string `json:"proposer_address"`
		} `json:"header"`
		LastCommit struct {
			Height     int64 `json:"height,string"`
			Signatures []struct {
				BlockIDFlag      int    `json:"block_id_flag"`
				ValidatorAddress string `json:"validator_address"`
			} `json:"signatures"`
		} `json:"last_commit"`
	} `json:"block"`
}

// BlockIDFlagCommit marks a commit signature for the block (CometBFT's BlockIDFlagCommit).
const BlockIDFlagCommit = 2

// Block returns the block at height.
func (n *Node) Block(ctx context.Context, height int64) (BlockInfo, error) {
	var b BlockInfo
	err := n.RPC(ctx, "/block?height="+strconv.FormatInt(height, 10), &b)
	return b, err
}

// AppHashAt returns the app hash in the header of the block at height (the
// state after height-1).
func (n *Node) AppHashAt(height int64) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	b, err := n.Block(ctx, height)
	if err != nil {
		return "", err
	}
	return b.Block.Header.AppHash, nil
}

// Validator is an entry of CometBFT's /validators.
type Validator struct {
	Address     string `json:"address"`
	VotingPower int64  `json:"voting_power,string"`
}

// Validators returns the CometBFT validator set at height (up to 100).
func (n *Node) Validators(ctx context.Context, height int64) ([]Validator, error) {
	var res struct {
		Validators []Validator `json:"validators"`
	}
	err := n.RPC(ctx, fmt.Sprintf("/validators?height=%d&per_page=100", height), &res)
	return res.Validators, err
}

// RESTGet GETs path from the node's REST server and decodes the JSON body
// into out; a non-200 status is an error carrying the body.
func (n *Node) RESTGet(path string, out any) error {
	return n.RESTGetAt(path, 0, out)
}

// RESTGetAt is RESTGet on the state committed at height (0: the latest).
func (n *Node) RESTGetAt(path string, height int64, out any) error {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	return n.getJSONAt(ctx, n.RESTURL()+path, height, out)
}

func (n *Node) getJSON(ctx context.Context, url string, out any) error {
	return n.getJSONAt(ctx, url, 0, out)
}

func (n *Node) getJSONAt(ctx context.Context, url string, height int64, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if height > 0 {
		// The SDK's gateway runs the query on the state of this height.
		req.Header.Set("x-cosmos-block-height", strconv.FormatInt(height, 10))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s: GET %s: %w", n.Name, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: GET %s: %s: %s", n.Name, url, resp.Status, bytes.TrimSpace(body))
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s: GET %s: decode: %w", n.Name, url, err)
	}
	return nil
}

// GRPC returns a connection to the node's gRPC server, opened on first use
// and closed when the test ends. It speaks gogoproto, as the SDK's clients do.
func (n *Node) GRPC() *grpc.ClientConn {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.grpcConn == nil {
		cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
		conn, err := grpc.NewClient(n.GRPCAddr(),
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithDefaultCallOptions(grpc.ForceCodec(cdc.GRPCCodec())),
		)
		if err != nil {
			// NewClient fails only on a malformed target or options.
			panic(fmt.Sprintf("%s: grpc client for %s: %v", n.Name, n.GRPCAddr(), err))
		}
		n.grpcConn = conn
	}
	return n.grpcConn
}

func (n *Node) closeGRPC() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.grpcConn != nil {
		_ = n.grpcConn.Close()
		n.grpcConn = nil
	}
}

// CLI runs infrafid with args and --home set to this node's home, whose
// client.toml points at this node's RPC. It returns stdout; a failure's
// error carries stderr.
func (n *Node) CLI(args ...string) ([]byte, error) {
	args = append(args, "--home", n.Home)
	cmd := exec.Command(n.Binary(), args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("infrafid %v: %w\nstdout: %s\nstderr: %s", args, err, bytes.TrimSpace(stdout.Bytes()), bytes.TrimSpace(stderr.Bytes()))
	}
	return stdout.Bytes(), nil
}

// TxResult is a committed transaction as `query tx` reports it.
type TxResult struct {
	Height    int64   `json:"height,string"`
	TxHash    string  `json:"txhash"`
	Codespace string  `json:"codespace"`
	Code      uint32  `json:"code"`
	RawLog    string  `json:"raw_log"`
	GasWanted int64   `json:"gas_wanted,string"`
	GasUsed   int64   `json:"gas_used,string"`
	Events    []Event `json:"events"`
}

// Event is an ABCI event of a transaction.
type Event struct {
	Type       string `json:"type"`
	Attributes []struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	} `json:"attributes"`
}

// Tx runs `infrafid tx <args...>` against this node (args start after "tx",
// e.g. "bank", "send", "validator", addr, "10uinfra"), signing from the test
// keyring, broadcasts in sync mode and waits until the tx is in a block. A
// non-zero code at check or delivery is returned as an error with the result.
// Gas is estimated unless args set --gas.
func (n *Node) Tx(args ...string) (*TxResult, error) {
	return n.TxWithin(txTimeout, args...)
}

// TxWithin is Tx waiting at most timeout for the tx to be committed.
func (n *Node) TxWithin(timeout time.Duration, args ...string) (*TxResult, error) {
	full := append([]string{"tx"}, args...)
	full = append(full,
		"--keyring-backend", "test",
		"--chain-id", n.network.ChainID,
		"--node", fmt.Sprintf("tcp://%s:%d", loopback, n.Ports.RPC),
		"--broadcast-mode", "sync",
		"--output", "json",
		"--yes",
	)
	if !hasFlag(args, "--gas") {
		full = append(full, "--gas", "auto", "--gas-adjustment", "1.5")
	}
	out, err := n.CLI(full...)
	if err != nil {
		return nil, err
	}
	var res TxResult
	if err := json.Unmarshal(lastJSONLine(out), &res); err != nil {
		return nil, fmt.Errorf("decode broadcast result %q: %w", out, err)
	}
	if res.Code != 0 {
		return &res, fmt.Errorf("tx %s rejected at check: code %d (%s): %s", res.TxHash, res.Code, res.Codespace, res.RawLog)
	}
	return n.WaitForTx(res.TxHash, timeout)
}

// WaitForTx polls `query tx` until the tx is in a block and returns it; a
// non-zero code is returned as an error with the result.
func (n *Node) WaitForTx(hash string, timeout time.Duration) (*TxResult, error) {
	deadline := time.Now().Add(timeout)
	for {
		out, err := n.CLI("query", "tx", hash, "--output", "json",
			"--node", fmt.Sprintf("tcp://%s:%d", loopback, n.Ports.RPC))
		if err == nil {
			var res TxResult
			if err := json.Unmarshal(lastJSONLine(out), &res); err != nil {
				return nil, fmt.Errorf("decode tx %s: %w", hash, err)
			}
			if res.Code != 0 {
				return &res, fmt.Errorf("tx %s failed in block %d: code %d (%s): %s", hash, res.Height, res.Code, res.Codespace, res.RawLog)
			}
			return &res, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("tx %s not committed within %s: %w", hash, timeout, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func hasFlag(args []string, flag string) bool {
	for _, a := range args {
		if a == flag || len(a) > len(flag) && a[:len(flag)+1] == flag+"=" {
			return true
		}
	}
	return false
}

// lastJSONLine skips anything a command printed before its JSON result.
func lastJSONLine(out []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	for i := len(lines) - 1; i >= 0; i-- {
		if bytes.HasPrefix(bytes.TrimSpace(lines[i]), []byte("{")) {
			return bytes.Join(lines[i:], []byte("\n"))
		}
	}
	return out
}
