package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeNode records every request it receives and answers with the path.
type fakeNode struct {
	mu   sync.Mutex
	seen []string
}

func (n *fakeNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n.mu.Lock()
	n.seen = append(n.seen, r.Method+" "+r.URL.RequestURI())
	n.mu.Unlock()
	if r.URL.Path == "/infrafi/lending/v1/loans/999" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"code":5,"message":"loan 999: not found"}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"path": r.URL.Path, "query": r.URL.RawQuery})
}

func (n *fakeNode) requests() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.seen...)
}

func newTestServer(t *testing.T, rest, rpc string, timeout time.Duration) *httptest.Server {
	t.Helper()
	s, err := newServer(rest, rpc, timeout)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

func do(t *testing.T, method, url string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	bz, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, string(bz)
}

func TestProxyAllowList(t *testing.T) {
	rest, rpc := &fakeNode{}, &fakeNode{}
	restSrv, rpcSrv := httptest.NewServer(rest), httptest.NewServer(rpc)
	defer restSrv.Close()
	defer rpcSrv.Close()
	ts := newTestServer(t, restSrv.URL, rpcSrv.URL, time.Second)

	for _, tc := range []struct {
		path     string
		status   int
		upstream string // the request the REST node must see, "" for none
	}{
		{"/infrafi/stable/v1/reserves", 200, "GET /infrafi/stable/v1/reserves"},
		{"/infrafi/lending/v1/loans?status=LOAN_STATUS_ACTIVE&pagination.limit=5", 200, "GET /infrafi/lending/v1/loans?status=LOAN_STATUS_ACTIVE&pagination.limit=5"},
		{"/infrafi/oracle/v1/price/gpu/nvidia-h100-sxm5-80gb", 200, "GET /infrafi/oracle/v1/price/gpu/nvidia-h100-sxm5-80gb"},
		{"/cosmos/bank/v1beta1/supply/by_denom?denom=uusdai", 200, "GET /cosmos/bank/v1beta1/supply/by_denom?denom=uusdai"},
		// The node's own 404 passes through, so a page can say "not found".
		{"/infrafi/lending/v1/loans/999", 404, "GET /infrafi/lending/v1/loans/999"},
		// Nothing outside the two prefixes reaches the node.
		{"/node_info", 404, ""},
		{"/cosmos", 404, ""},
		{"/rpc/broadcast_tx_commit?tx=0x00", 404, ""},
		{"/rpc/unsafe_flush_mempool", 404, ""},
		{"/infrafi/%2e%2e/node_info", 400, ""},
		{"/cosmos/./tx/v1beta1/txs", 400, ""},
	} {
		before := len(rest.requests())
		status, _, body := do(t, http.MethodGet, ts.URL+tc.path)
		if status != tc.status {
			t.Errorf("GET %s: status %d, want %d (%s)", tc.path, status, tc.status, body)
		}
		got := rest.requests()[before:]
		switch {
		case tc.upstream == "" && len(got) != 0:
			t.Errorf("GET %s reached the node as %v", tc.path, got)
		case tc.upstream != "" && (len(got) != 1 || got[0] != tc.upstream):
			t.Errorf("GET %s reached the node as %v, want %q", tc.path, got, tc.upstream)
		}
	}

	// An optional read of a missing record is an answer, not an error.
	req, err := http.NewRequest(http.MethodGet, ts.URL+"/infrafi/lending/v1/loans/999", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(optionalHeader, "1")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	bz, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(bz), `"not_found":true`) {
		t.Errorf("optional GET of a missing loan: %d %s, want 200 not_found", res.StatusCode, bz)
	}

	status, _, body := do(t, http.MethodGet, ts.URL+"/rpc/status")
	if status != 200 || !strings.Contains(body, `"path":"/status"`) {
		t.Errorf("GET /rpc/status: %d %s", status, body)
	}
	if got := rpc.requests(); len(got) != 1 || got[0] != "GET /status" {
		t.Errorf("the RPC node saw %v, want only GET /status", got)
	}
}

func TestMethodsOtherThanGetRefused(t *testing.T) {
	rest := &fakeNode{}
	restSrv := httptest.NewServer(rest)
	defer restSrv.Close()
	ts := newTestServer(t, restSrv.URL, restSrv.URL, time.Second)

	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions} {
		for _, path := range []string{"/cosmos/tx/v1beta1/txs", "/infrafi/lending/v1/loans", "/rpc/status", "/"} {
			status, h, body := do(t, method, ts.URL+path)
			if status != http.StatusMethodNotAllowed || h.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: %d Allow=%q %s, want 405", method, path, status, h.Get("Allow"), body)
			}
		}
	}
	if got := rest.requests(); len(got) != 0 {
		t.Errorf("refused requests reached the node: %v", got)
	}
}

func TestUpstreamDown(t *testing.T) {
	// A port that was just free: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	ts := newTestServer(t, dead, dead, time.Second)

	for _, path := range []string{"/infrafi/yield/v1/vault", "/rpc/status"} {
		status, h, body := do(t, http.MethodGet, ts.URL+path)
		if status != http.StatusBadGateway {
			t.Errorf("GET %s with the node down: %d, want 502", path, status)
		}
		var e struct {
			Message   string `json:"message"`
			Dashboard bool   `json:"dashboard"`
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil || !e.Dashboard || !strings.HasPrefix(e.Message, "node unreachable") {
			t.Errorf("GET %s with the node down: body %q (%v), want the dashboard's node unreachable error", path, body, err)
		}
		if h.Get("Content-Type") != "application/json" {
			t.Errorf("GET %s: content type %q", path, h.Get("Content-Type"))
		}
	}
}

func TestUpstreamSlow(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	ts := newTestServer(t, slow.URL, slow.URL, 200*time.Millisecond)

	status, _, body := do(t, http.MethodGet, ts.URL+"/infrafi/yield/v1/vault")
	if status != http.StatusGatewayTimeout || !strings.Contains(body, "node unreachable") {
		t.Errorf("slow node: %d %s, want 504 node unreachable", status, body)
	}
}

func TestStaticAssets(t *testing.T) {
	ts := newTestServer(t, "http://127.0.0.1:1", "http://127.0.0.1:1", time.Second)
	status, h, body := do(t, http.MethodGet, ts.URL+"/")
	if status != 200 || !strings.Contains(body, "<!doctype html>") || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Errorf("GET /: %d %q %.80s", status, h.Get("Content-Type"), body)
	}
	if h.Get("Content-Security-Policy") == "" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("GET /: missing security headers: %v", h)
	}
	status, _, _ = do(t, http.MethodGet, ts.URL+"/no-such-file.js")
	if status != http.StatusNotFound {
		t.Errorf("GET /no-such-file.js: %d, want 404", status)
	}
}

func TestUpstreamFlags(t *testing.T) {
	for _, bad := range []string{"", "127.0.0.1:1317", "ftp://host:1", "http://"} {
		if _, err := newServer(bad, "http://127.0.0.1:26657", time.Second); err == nil {
			t.Errorf("-rest %q accepted", bad)
		}
	}
	if _, err := newServer("http://127.0.0.1:1317", "http://127.0.0.1:26657", 0); err == nil {
		t.Error("a zero timeout accepted")
	}
}
