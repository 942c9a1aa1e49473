package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

const (
	// rpcTimeout bounds one request to the node.
	rpcTimeout = 10 * time.Second
	// txTimeout bounds waiting for a broadcast transaction to be in a block.
	txTimeout = time.Minute
	// pollEvery is how often state is polled; the localnet makes about a block a second.
	pollEvery = 400 * time.Millisecond
)

// chain talks to one localnet node: transactions through the infrafid CLI
// (the same lines a user types), blocks and events over CometBFT RPC, state
// over gRPC.
type chain struct {
	bin     string
	home    string
	chainID string
	rpc     string
	grpc    *grpc.ClientConn
	// echo, when set, receives every CLI line the demo runs.
	echo io.Writer
}

func dialChain(bin, home, chainID, rpcURL, grpcAddr string) (*chain, error) {
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
	conn, err := grpc.NewClient(grpcAddr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(cdc.GRPCCodec())),
	)
	if err != nil {
		return nil, fmt.Errorf("gRPC client for %s: %w", grpcAddr, err)
	}
	return &chain{bin: bin, home: home, chainID: chainID, rpc: rpcURL, grpc: conn}, nil
}

func (c *chain) close() { _ = c.grpc.Close() }

// txResult is a committed transaction.
type txResult struct {
	Hash   string
	Height int64
	Events []abci.Event
}

// tx runs `infrafid tx <args...>` signed from the node's test keyring (args
// carry --from), broadcasts it and waits until it is in a block.
func (c *chain) tx(ctx context.Context, args ...string) (*txResult, error) {
	full := append([]string{"tx"}, args...)
	full = append(full,
		"--home", c.home, "--keyring-backend", "test", "--chain-id", c.chainID,
		"--node", tendermintAddr(c.rpc),
		"--gas", "auto", "--gas-adjustment", "1.5",
		"--broadcast-mode", "sync", "--output", "json", "--yes",
	)
	if c.echo != nil {
		fmt.Fprintf(c.echo, "      $ infrafid %s\n", strings.Join(args, " "))
	}
	cmd := exec.CommandContext(ctx, c.bin, full...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		// Simulation (--gas auto) refuses what the chain would refuse.
		return nil, fmt.Errorf("infrafid tx %s: %s", strings.Join(args, " "), lastLine(stderr.String(), stdout.String(), err.Error()))
	}
	var res struct {
		TxHash string `json:"txhash"`
		Code   uint32 `json:"code"`
		RawLog string `json:"raw_log"`
	}
	if err := json.Unmarshal(lastJSON(stdout.Bytes()), &res); err != nil {
		return nil, fmt.Errorf("infrafid tx %s: decode %q: %w", strings.Join(args, " "), stdout.String(), err)
	}
	if res.Code != 0 {
		return nil, fmt.Errorf("infrafid tx %s: refused: code %d: %s", strings.Join(args, " "), res.Code, res.RawLog)
	}
	return c.waitTx(ctx, res.TxHash)
}

// waitTx polls CometBFT's tx index until the transaction is in a block.
func (c *chain) waitTx(ctx context.Context, hash string) (*txResult, error) {
	deadline := time.Now().Add(txTimeout)
	for {
		var res struct {
			Height   int64 `json:"height,string"`
			TxResult struct {
				Code   uint32       `json:"code"`
				Log    string       `json:"log"`
				Events []abci.Event `json:"events"`
			} `json:"tx_result"`
		}
		err := c.rpcGet(ctx, "/tx?hash=0x"+hash, &res)
		if err == nil {
			if res.TxResult.Code != 0 {
				return nil, fmt.Errorf("tx %s failed in block %d: code %d: %s", hash, res.Height, res.TxResult.Code, res.TxResult.Log)
			}
			return &txResult{Hash: hash, Height: res.Height, Events: res.TxResult.Events}, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("tx %s not in a block within %s: %w", hash, txTimeout, err)
		}
		if err := sleep(ctx, pollEvery); err != nil {
			return nil, err
		}
	}
}

// height is the application's last committed height: state queries see it.
func (c *chain) height(ctx context.Context) (int64, error) {
	var info struct {
		Response struct {
			LastBlockHeight string `json:"last_block_height"`
		} `json:"response"`
	}
	if err := c.rpcGet(ctx, "/abci_info", &info); err != nil {
		return 0, err
	}
	if info.Response.LastBlockHeight == "" {
		return 0, nil
	}
	return strconv.ParseInt(info.Response.LastBlockHeight, 10, 64)
}

// blockTime is the time of the latest block: the chain's clock.
func (c *chain) blockTime(ctx context.Context) (time.Time, error) {
	var b struct {
		Block struct {
			Header struct {
				Time time.Time `json:"time"`
			} `json:"header"`
		} `json:"block"`
	}
	err := c.rpcGet(ctx, "/block", &b)
	return b.Block.Header.Time, err
}

// blockEvents returns every event of the block at h: its transactions' and
// the begin/end-block ones.
func (c *chain) blockEvents(ctx context.Context, h int64) ([]abci.Event, error) {
	var res struct {
		TxsResults []struct {
			Events []abci.Event `json:"events"`
		} `json:"txs_results"`
		FinalizeBlockEvents []abci.Event `json:"finalize_block_events"`
	}
	if err := c.rpcGet(ctx, "/block_results?height="+strconv.FormatInt(h, 10), &res); err != nil {
		return nil, err
	}
	var out []abci.Event
	for _, tx := range res.TxsResults {
		out = append(out, tx.Events...)
	}
	return append(out, res.FinalizeBlockEvents...), nil
}

// waitEvent scans blocks from height `from` on, as they are committed, for
// the first typed event T that match accepts, and returns it with its height.
func waitEvent[T proto.Message](ctx context.Context, c *chain, from int64, timeout time.Duration, match func(T) bool) (T, int64, error) {
	var zero T
	deadline := time.Now().Add(timeout)
	for h := from; ; {
		latest, err := c.height(ctx)
		if err != nil {
			return zero, 0, err
		}
		for ; h <= latest; h++ {
			evs, err := c.blockEvents(ctx, h)
			if err != nil {
				return zero, 0, err
			}
			for _, ev := range typedEvents[T](evs) {
				if match(ev) {
					return ev, h, nil
				}
			}
		}
		if time.Now().After(deadline) {
			return zero, 0, fmt.Errorf("no %s within %s (scanned blocks %d..%d)", proto.MessageName(zero), timeout, from, h-1)
		}
		if err := sleep(ctx, pollEvery); err != nil {
			return zero, 0, err
		}
	}
}

// typedEvents decodes the events of type T. CometBFT adds "mode" and
// "msg_index" attributes that are not fields of the typed event ("mode" is
// not even JSON), so they are dropped first.
func typedEvents[T proto.Message](evs []abci.Event) []T {
	var out []T
	for _, ev := range evs {
		attrs := make([]abci.EventAttribute, 0, len(ev.Attributes))
		for _, a := range ev.Attributes {
			if a.Key != "mode" && a.Key != "msg_index" {
				attrs = append(attrs, a)
			}
		}
		msg, err := sdk.ParseTypedEvent(abci.Event{Type: ev.Type, Attributes: attrs})
		if err != nil {
			continue
		}
		if m, ok := msg.(T); ok {
			out = append(out, m)
		}
	}
	return out
}

// event returns the one event of type T a transaction emitted.
func event[T proto.Message](res *txResult) (T, error) {
	evs := typedEvents[T](res.Events)
	if len(evs) != 1 {
		var zero T
		return zero, fmt.Errorf("tx %s emitted %d %s events, want 1", res.Hash, len(evs), proto.MessageName(zero))
	}
	return evs[0], nil
}

// query runs one gRPC query with a timeout.
func query[Req, Res any](ctx context.Context, call func(context.Context, Req, ...grpc.CallOption) (Res, error), req Req) (Res, error) {
	ctx, cancel := context.WithTimeout(ctx, rpcTimeout)
	defer cancel()
	return call(ctx, req)
}

// rpcGet calls a CometBFT RPC GET endpoint and decodes its JSON-RPC result.
func (c *chain) rpcGet(ctx context.Context, path string, out any) error {
	ctx, cancel := context.WithTimeout(ctx, rpcTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.rpc+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var rpcResp struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Message string `json:"message"`
			Data    string `json:"data"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &rpcResp); err != nil {
		return fmt.Errorf("GET %s: %s: %w", path, resp.Status, err)
	}
	if rpcResp.Error != nil {
		return fmt.Errorf("GET %s: %s %s", path, rpcResp.Error.Message, rpcResp.Error.Data)
	}
	return json.Unmarshal(rpcResp.Result, out)
}

// tendermintAddr turns http://host:port into the tcp://host:port the CLI's --node takes.
func tendermintAddr(rpcURL string) string {
	return "tcp://" + strings.TrimPrefix(strings.TrimPrefix(rpcURL, "http://"), "https://")
}

// lastJSON skips anything a command printed before its JSON result.
func lastJSON(out []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	for i := len(lines) - 1; i >= 0; i-- {
		if bytes.HasPrefix(bytes.TrimSpace(lines[i]), []byte("{")) {
			return bytes.Join(lines[i:], []byte("\n"))
		}
	}
	return out
}

// lastLine returns the last non-empty line of the first text that has one:
// the CLI prints its error last (after e.g. a gas estimate).
func lastLine(texts ...string) string {
	for _, t := range texts {
		lines := strings.Split(strings.TrimSpace(t), "\n")
		if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
			return l
		}
	}
	return ""
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
