// Command infrafi-dashboard serves the read-only transparency dashboard: a
// few static pages (embedded) that show every reserve, vault figure, loan,
// title, auction, oracle feed, redemption and insurance pool of an infrafi
// chain, read from a node's REST API.
//
// The browser talks only to this server: it proxies GET requests under
// /cosmos/ and /infrafi/ to the node's REST address and /rpc/status to its
// CometBFT RPC, so the node needs no CORS and the page can reach nothing else.
//
//	make dashboard                        # against the localnet, on http://127.0.0.1:8080
//	go run ./cmd/infrafi-dashboard -rest http://node:1317 -rpc http://node:26657 -listen 127.0.0.1:8080
//
// It deliberately imports nothing from the app, so it builds in seconds.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8080", "address the dashboard listens on")
	rest := flag.String("rest", "http://127.0.0.1:1317", "the node's REST (API) address")
	rpc := flag.String("rpc", "http://127.0.0.1:26657", "the node's CometBFT RPC address")
	timeout := flag.Duration("timeout", 5*time.Second, "how long one upstream request may take")
	flag.Parse()

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	if err := run(ctx, *listen, *rest, *rpc, *timeout); err != nil {
		fmt.Fprintf(os.Stderr, "infrafi-dashboard: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, listen, rest, rpc string, timeout time.Duration) error {
	h, err := newServer(rest, rpc, timeout)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("infrafi dashboard on http://%s (node REST %s, RPC %s)", ln.Addr(), rest, rpc)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
