package main

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

//go:embed web
var webFS embed.FS

// restPrefixes are the only node REST paths the dashboard forwards: the
// SDK's and infrafi's read-only queries (the gateway serves no writes under
// them, and only GET is forwarded anyway).
var restPrefixes = []string{"/cosmos/", "/infrafi/"}

// rpcStatusPath is the one CometBFT RPC route the pages use: the latest height
// and block time, polled to refresh on every block.
const rpcStatusPath = "/rpc/status"

// optionalHeader marks a read of a record that may be absent: the node's 404
// is then answered as 200 {"not_found": true}.
const optionalHeader = "X-Dashboard-Optional"

// maxUpstreamBody bounds what one proxied answer may be, so a misbehaving
// node cannot make the server buffer without limit.
const maxUpstreamBody = 32 << 20

type server struct {
	rest, rpc *url.URL
	client    *http.Client
	static    http.Handler
}

func newServer(rest, rpc string, timeout time.Duration) (*server, error) {
	restURL, err := upstreamURL("rest", rest)
	if err != nil {
		return nil, err
	}
	rpcURL, err := upstreamURL("rpc", rpc)
	if err != nil {
		return nil, err
	}
	if timeout <= 0 {
		return nil, fmt.Errorf("timeout must be positive, got %s", timeout)
	}
	web, err := fs.Sub(webFS, "web")
	if err != nil {
		return nil, err
	}
	return &server{
		rest: restURL,
		rpc:  rpcURL,
		client: &http.Client{
			Timeout: timeout,
			// A redirect could lead outside the allow-list: pass it on as it is.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		static: http.FileServer(http.FS(web)),
	}, nil
}

func upstreamURL(name, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("-%s %q: %w", name, raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("-%s %q: want http(s)://host:port", name, raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "read-only: only GET and HEAD are served")
		return
	}
	p := r.URL.Path
	switch {
	case p == rpcStatusPath:
		s.proxy(w, r, s.rpc, "/status", "")
	case hasRESTPrefix(p):
		if !cleanPath(p) {
			writeError(w, http.StatusBadRequest, "path not allowed")
			return
		}
		s.proxy(w, r, s.rest, r.URL.EscapedPath(), r.URL.RawQuery)
	case strings.HasPrefix(p, "/rpc/"):
		writeError(w, http.StatusNotFound, "only /rpc/status is proxied")
	default:
		s.static.ServeHTTP(w, r)
	}
}

func hasRESTPrefix(p string) bool {
	for _, prefix := range restPrefixes {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// cleanPath refuses dot segments, so "/infrafi/../x" cannot step out of the
// allowed prefixes on the node's side.
func cleanPath(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// proxy forwards a GET to base+path and copies the status, content type and
// body back; a node that does not answer becomes 502, one that is too slow 504.
func (s *server) proxy(w http.ResponseWriter, r *http.Request, base *url.URL, path, query string) {
	target := *base
	target.RawPath = base.EscapedPath() + path
	unescaped, err := url.PathUnescape(target.RawPath)
	if err != nil {
		writeError(w, http.StatusBadRequest, "malformed path")
		return
	}
	target.Path = unescaped
	target.RawQuery = query
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, target.String(), nil)
	if err != nil {
		writeError(w, http.StatusBadRequest, "malformed request")
		return
	}
	req.Header.Set("Accept", "application/json")
	res, err := s.client.Do(req)
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) || isTimeout(err) {
			writeError(w, http.StatusGatewayTimeout, "node unreachable: "+base.Host+" did not answer in time")
			return
		}
		writeError(w, http.StatusBadGateway, "node unreachable: no answer from "+base.Host)
		return
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusNotFound && r.Header.Get(optionalHeader) != "" {
		// The page asked for a record that may not exist (a title's policy):
		// an answer rather than an error keeps the browser console clean.
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(map[string]any{"not_found": true, "dashboard": true})
		return
	}
	if ct := res.Header.Get("Content-Type"); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(res.StatusCode)
	if r.Method == http.MethodHead {
		return
	}
	_, _ = io.Copy(w, io.LimitReader(res.Body, maxUpstreamBody))
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// writeError answers in JSON, as the node's gateway does, so the pages read
// every failure the same way.
func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": status, "message": msg, "dashboard": true})
}
