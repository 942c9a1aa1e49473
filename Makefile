# infrafi — build, run and test. `make localnet` and `make test` are all a new
# machine needs (Go and the package registries).

BINARY      := build/infrafid
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT      ?= $(shell git rev-parse HEAD 2>/dev/null)
VALIDATORS  ?= 4
TESTFLAGS   ?=
FUZZTIME    ?= 3s
FUZZ        ?= .
GO_TEST     := go test -p 2 -count=1
# Seeds whose SDK-drawn double-sign evidence rate is low (app/sim_test.go
# evidenceFraction): higher ones jail every validator and stop the run early.
SIM_SEEDS      ?= 2,18
SIM_BLOCKS     ?= 100
SIM_BLOCK_SIZE ?= 100
SIM_LONG_SEEDS ?= 2,13,15,18,20,31,36,49,54

ldflags := -X github.com/cosmos/cosmos-sdk/version.Name=infrafi \
	-X github.com/cosmos/cosmos-sdk/version.AppName=infrafid \
	-X github.com/cosmos/cosmos-sdk/version.Version=$(VERSION) \
	-X github.com/cosmos/cosmos-sdk/version.Commit=$(COMMIT)

.PHONY: all build install localnet localnet-start localnet-stop localnet-status localnet-reset localnet-add-node localnet-ibc localnet-ibc-stop demo backtest \
	test test-fuzz test-sim test-sim-long test-e2e bench proto-gen proto-check vet clean \
	dashboard test-dashboard dashboard-vendor ts-gen ts-check test-client

all: build

build:
	go build -ldflags '$(ldflags)' -o $(BINARY) ./cmd/infrafid

install:
	go install -ldflags '$(ldflags)' ./cmd/infrafid

## localnet: build, init a fresh single-validator chain in .localnet/ and run it in the foreground
localnet: build
	bash scripts/localnet.sh run

## localnet-start: run $(VALIDATORS) validators in the background (stop with make localnet-stop)
localnet-start: build
	bash scripts/localnet.sh start --validators $(VALIDATORS)

localnet-stop:
	bash scripts/localnet.sh stop

localnet-status:
	bash scripts/localnet.sh status

localnet-reset:
	bash scripts/localnet.sh reset

## localnet-add-node: add a full node that joins the running localnet through state sync
localnet-add-node: build
	bash scripts/localnet.sh add-node

## localnet-ibc: infrafi (.localnet, default ports) and an IBC counterparty chain
## (.localnet-counterparty, chain id infrafi-counterparty-1, ports +1000) in the
## background; relay between them with Hermes (docs/hermes.toml). Stop with make localnet-ibc-stop.
COUNTERPARTY := LOCALNET_DIR=$(CURDIR)/.localnet-counterparty bash scripts/localnet.sh
localnet-ibc: build
	bash scripts/localnet.sh start --validators 1
	$(COUNTERPARTY) start --validators 1 --chain-id infrafi-counterparty-1 --port-offset 1000

localnet-ibc-stop:
	bash scripts/localnet.sh stop
	$(COUNTERPARTY) stop

## backtest: drive the in-process chain over the recorded H100 market (2024-01..2026-06) for the
## localnet preset, USD.AI's terms and the parameter sweep; writes docs/backtest/report.md and
## its PNG charts (BACKTEST_FLAGS: --months N, --sweep=false, --seed S, --workers W, --out DIR)
BACKTEST_FLAGS ?=
backtest:
	go build -o build/infrafi-backtest ./cmd/infrafi-backtest
	./build/infrafi-backtest --out docs/backtest $(BACKTEST_FLAGS)

## demo: walk the whole protocol on the running localnet (or on one it starts in the background and stops)
demo: build
	go run ./cmd/infrafi-demo

## dashboard: serve the transparency dashboard on http://$(DASHBOARD_LISTEN) against a node
## (the localnet's node0 by default; DASHBOARD_REST / DASHBOARD_RPC point it elsewhere)
DASHBOARD_LISTEN ?= 127.0.0.1:8080
DASHBOARD_REST   ?= http://127.0.0.1:1317
DASHBOARD_RPC    ?= http://127.0.0.1:26657
dashboard:
	go run ./cmd/infrafi-dashboard -listen $(DASHBOARD_LISTEN) -rest $(DASHBOARD_REST) -rpc $(DASHBOARD_RPC)

## test-dashboard: the dashboard in headless Chromium (Debian's chromium, playwright-core) against
## the localnet in INFRAFI_LOCALNET_DIR, or one it starts and stops; screenshots in tests/dashboard/output/
test-dashboard: build
	bash tests/dashboard/run.sh

## dashboard-vendor: refresh the embedded uPlot from the pinned version in tests/dashboard/package-lock.json
dashboard-vendor:
	cd tests/dashboard && npm ci --no-audit --no-fund --loglevel=error
	cp tests/dashboard/node_modules/uplot/dist/uPlot.esm.js tests/dashboard/node_modules/uplot/dist/uPlot.min.css \
		tests/dashboard/node_modules/uplot/LICENSE cmd/infrafi-dashboard/web/vendor/uplot/

## test: unit and in-process integration tests
test:
	$(GO_TEST) $(TESTFLAGS) ./...

## test-fuzz: every Go fuzz target under x/ for $(FUZZTIME) each (FUZZ=<grep -E pattern> picks targets)
test-fuzz:
	FUZZTIME=$(FUZZTIME) bash scripts/fuzz.sh '$(FUZZ)'

## test-sim: randomized full-app simulation (every module's valid and invalid
## operations, all invariants after every block, import/export of the final
## state) for SIM_SEEDS × SIM_BLOCKS, and the first seed run twice for equal
## app hashes at every height. Reproduce one seed with SIM_SEEDS=<seed>.
test-sim:
	$(GO_TEST) -tags sims -timeout 60m -run 'TestAppSimulation|TestAppStateDeterminism' $(TESTFLAGS) ./app \
		-SimSeeds=$(SIM_SEEDS) -NumBlocks=$(SIM_BLOCKS) -BlockSize=$(SIM_BLOCK_SIZE)

## test-sim-long: the same over SIM_LONG_SEEDS × 500 blocks (local, long)
test-sim-long:
	$(MAKE) test-sim SIM_SEEDS=$(SIM_LONG_SEEDS) SIM_BLOCKS=500 SIM_BLOCK_SIZE=200 TESTFLAGS='$(TESTFLAGS) -timeout 600m'

## test-e2e: a 4-validator localnet driven through the real binary (CLI, REST, gRPC)
test-e2e:
	$(GO_TEST) -tags e2e -timeout 30m $(TESTFLAGS) ./tests/e2e/...

## bench: in-process benchmarks (app/bench_*_test.go): ns per transaction through
## FinalizeBlock+Commit as a multiple of a bank send, block-hook cost by book size,
## state bytes per record. BENCH_BOOKS=100,1000,10000,100000 adds the 10^5 book
## (minutes to write); BENCH selects benchmarks, BENCHTIME sets -benchtime;
## BENCH_DB=goleveldb runs the chain on goleveldb (infrafid's store) instead of memdb.
BENCH       ?= .
BENCHTIME   ?= 1s
BENCH_BOOKS ?= 100,1000,10000
BENCH_DB    ?= memdb
bench:
	INFRAFI_BENCH_BOOKS=$(BENCH_BOOKS) INFRAFI_BENCH_DB=$(BENCH_DB) go test -p 2 -count=1 -run '^$$' -bench '$(BENCH)' \
		-benchtime $(BENCHTIME) -timeout 120m ./app/

## proto-gen: regenerate *.pb.go and *.pb.gw.go from proto/
proto-gen:
	bash scripts/protocgen.sh

## proto-check: fail if the committed generated code differs from a regeneration
proto-check: proto-gen
	@if [ -n "$$(git status --porcelain -- proto x)" ]; then \
		echo "generated protobuf code is out of date; run make proto-gen and commit:"; \
		git status --porcelain -- proto x; exit 1; \
	fi

## ts-gen: regenerate the TypeScript client's generated code (clients/ts/src/generated) from proto/
ts-gen:
	bash scripts/tsgen.sh

## ts-check: fail if the committed TypeScript generated code differs from a regeneration
ts-check: ts-gen
	@if [ -n "$$(git status --porcelain -- clients/ts/src/generated)" ]; then \
		echo "generated TypeScript code is out of date; run make ts-gen and commit:"; \
		git status --porcelain -- clients/ts/src/generated; exit 1; \
	fi

## test-client: build clients/ts and run its tests against a localnet (INFRAFI_LOCALNET_DIR
## names a running one to share; otherwise the tests start and stop a 1-validator one)
test-client: build
	cd clients/ts && npm ci --no-audit --no-fund && npm run build && INFRAFID=$(abspath $(BINARY)) npm test

vet:
	go vet ./...

clean:
	rm -rf build
