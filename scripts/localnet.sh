#!/usr/bin/env bash
# Run an infrafi localnet on 127.0.0.1.
#
#   scripts/localnet.sh run                   fresh 1-validator chain in the foreground (make localnet)
#   scripts/localnet.sh start [--validators N] start N nodes in the background (init if needed)
#   scripts/localnet.sh add-node              add a full node that joins the running localnet by state sync
#   scripts/localnet.sh stop                  stop the nodes this script started
#   scripts/localnet.sh status                height and catching_up of every node
#   scripts/localnet.sh reset                 stop and delete the localnet directory
#
# Options for a fresh init: --chain-id ID (default infrafi-localnet-1) and
# --port-offset K, which adds K to every default port (a second chain beside the
# first, e.g. the IBC counterparty of `make localnet-ibc`).
#
# Environment: LOCALNET_DIR (default <repo>/.localnet), INFRAFID (default <repo>/build/infrafid).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${INFRAFID:-$ROOT/build/infrafid}"
OUT="${LOCALNET_DIR:-$ROOT/.localnet}"
MANIFEST="$OUT/localnet.json"
STOP_TIMEOUT=20
START_TIMEOUT=90

usage() {
	sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

CHAIN_ID=""
PORT_OFFSET=0

die() {
	echo "localnet: $*" >&2
	exit 1
}

# build rebuilds the binary when it is missing or older than any Go source.
build() {
	if [[ -n "${INFRAFID:-}" ]]; then
		[[ -x "$BIN" ]] || die "INFRAFID=$BIN is not an executable"
		return
	fi
	if [[ -x "$BIN" ]] && [[ -z "$(find "$ROOT" \( -path "$ROOT/.git" -o -path "$ROOT/build" -o -path "$OUT" \) -prune -o \
		\( -name '*.go' -o -name go.mod -o -name go.sum \) -newer "$BIN" -print -quit)" ]]; then
		return
	fi
	echo "building $BIN"
	(cd "$ROOT" && go build -o "$BIN" ./cmd/infrafid)
}

# node_homes lists node0..nodeN-1 in order.
node_homes() {
	local i=0
	while [[ -d "$OUT/node$i" ]]; do
		echo "$OUT/node$i"
		i=$((i + 1))
	done
}

node_count() {
	node_homes | wc -l | tr -d ' '
}

# all_homes lists the validators' homes, then full0..fullM-1 (add-node).
all_homes() {
	local j=0
	node_homes
	while [[ -d "$OUT/full$j" ]]; do
		echo "$OUT/full$j"
		j=$((j + 1))
	done
}

# manifest_field NAME prints the values of "NAME" in localnet.json in node order.
manifest_field() {
	grep -o "\"$1\": *\"[^\"]*\"" "$MANIFEST" | sed 's/.*: *"\(.*\)"/\1/'
}

# pid_of HOME prints the recorded pid when that process is still our node.
pid_of() {
	local home="$1" pid
	[[ -f "$home/node.pid" ]] || return 1
	pid="$(cat "$home/node.pid")"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "start --home $home" || return 1
	echo "$pid"
}

any_running() {
	local home
	for home in $(all_homes); do
		pid_of "$home" >/dev/null && return 0
	done
	return 1
}

init_localnet() {
	local n="$1" cli_home rc=0
	# A throwaway --home keeps the CLI's config bootstrap out of ~/.infrafi.
	cli_home="$(mktemp -d)"
	local extra=()
	[[ -n "$CHAIN_ID" ]] && extra+=(--chain-id "$CHAIN_ID")
	if ((PORT_OFFSET)); then
		extra+=(--p2p-port $((26656 + PORT_OFFSET)) --rpc-port $((26657 + PORT_OFFSET))
			--grpc-port $((9090 + PORT_OFFSET)) --api-port $((1317 + PORT_OFFSET))
			--prometheus-port $((26660 + PORT_OFFSET)))
	fi
	"$BIN" localnet init --overwrite --validators "$n" --output-dir "$OUT" --home "$cli_home" "${extra[@]}" || rc=$?
	rm -rf "$cli_home"
	return "$rc"
}

rpc_status() {
	curl -fsS --max-time 2 "$1/status" 2>/dev/null || true
}

height_of() {
	sed -n 's/.*"latest_block_height": *"\([0-9]*\)".*/\1/p' <<<"$1"
}

# print_endpoints [--no-logs] lists each node's endpoints and the key names.
print_endpoints() {
	local names rpcs rests grpcs i logs=1
	[[ "${1:-}" == --no-logs ]] && logs=0
	mapfile -t names < <(manifest_field name)
	mapfile -t rpcs < <(manifest_field rpc)
	mapfile -t rests < <(manifest_field rest)
	mapfile -t grpcs < <(manifest_field grpc)
	echo "chain-id $(manifest_field chain_id)"
	for i in "${!names[@]}"; do
		echo "${names[$i]}  RPC ${rpcs[$i]}  REST ${rests[$i]}  gRPC ${grpcs[$i]}$( ((logs)) && echo "  log $OUT/${names[$i]}/node.log")"
	done
	echo "keys (--keyring-backend test --home $OUT/node0): $(sed -n 's/^    "\([a-z0-9]*\)": {$/\1/p' "$MANIFEST" | tr '\n' ' ')"
}

cmd_run() {
	local n="$1"
	[[ "$n" == 1 ]] || die "run starts one validator in the foreground; use 'start --validators $n' for more"
	any_running && die "a localnet is running in $OUT; run '$0 stop' first"
	build
	init_localnet 1
	echo
	print_endpoints --no-logs
	echo
	exec "$BIN" start --home "$OUT/node0"
}

cmd_start() {
	local n="$1" home pid rpcs deadline h i
	build
	if [[ -z "$n" ]]; then
		n="$(node_count)"
		[[ "$n" -gt 0 ]] || n=1
	fi
	if [[ ! -f "$MANIFEST" || "$(node_count)" != "$n" ]]; then
		any_running && die "nodes are running with a different layout; run '$0 stop' first"
		init_localnet "$n"
	fi

	for home in $(node_homes); do
		if pid="$(pid_of "$home")"; then
			echo "$(basename "$home") already running (pid $pid)"
			continue
		fi
		nohup "$BIN" start --home "$home" --log_no_color >>"$home/node.log" 2>&1 </dev/null &
		echo $! >"$home/node.pid"
		echo "$(basename "$home") started (pid $!, log $home/node.log)"
	done

	mapfile -t rpcs < <(manifest_field rpc | head -n "$(node_count)")
	deadline=$((SECONDS + START_TIMEOUT))
	for i in "${!rpcs[@]}"; do
		home="$OUT/node$i"
		while :; do
			pid_of "$home" >/dev/null || {
				tail -n 30 "$home/node.log" >&2
				die "node$i exited; see $home/node.log"
			}
			h="$(height_of "$(rpc_status "${rpcs[$i]}")")"
			[[ -n "$h" && "$h" -ge 2 ]] && break
			((SECONDS < deadline)) || die "node$i did not reach height 2 within ${START_TIMEOUT}s; see $home/node.log"
			sleep 1
		done
	done
	echo
	print_endpoints
}

# cmd_add_node writes a full node's home with `infrafid localnet add-node`
# (trusted block read from node0's RPC) and starts it; it restores a snapshot
# from the validators, then follows the chain.
cmd_add_node() {
	local cli_home rc=0 name home rpc deadline s
	[[ -f "$MANIFEST" ]] || die "no localnet in $OUT; run '$0 start' first"
	pid_of "$OUT/node0" >/dev/null || die "node0 is not running; run '$0 start' first"
	build
	cli_home="$(mktemp -d)"
	"$BIN" localnet add-node --output-dir "$OUT" --home "$cli_home" || rc=$?
	rm -rf "$cli_home"
	[[ "$rc" == 0 ]] || die "add-node failed"
	name="$(manifest_field name | tail -n 1)"
	home="$OUT/$name"
	rpc="$(manifest_field rpc | tail -n 1)"
	nohup "$BIN" start --home "$home" --log_no_color >>"$home/node.log" 2>&1 </dev/null &
	echo $! >"$home/node.pid"
	echo "$name started (pid $!, log $home/node.log); state sync in progress"
	deadline=$((SECONDS + 3 * START_TIMEOUT))
	while :; do
		pid_of "$home" >/dev/null || {
			tail -n 30 "$home/node.log" >&2
			die "$name exited; see $home/node.log"
		}
		s="$(rpc_status "$rpc")"
		if [[ -n "$s" && "$(height_of "$s")" -gt 0 ]] && grep -q '"catching_up": *false' <<<"$s"; then
			echo "$name synced: height $(height_of "$s")"
			break
		fi
		((SECONDS < deadline)) || die "$name did not catch up within $((3 * START_TIMEOUT))s; see $home/node.log"
		sleep 2
	done
}

cmd_stop() {
	local home pid pids=() homes=() i
	for home in $(all_homes); do
		if pid="$(pid_of "$home")"; then
			kill -TERM "$pid"
			pids+=("$pid")
			homes+=("$home")
		else
			rm -f "$home/node.pid"
		fi
	done
	for i in "${!pids[@]}"; do
		local waited=0
		while kill -0 "${pids[$i]}" 2>/dev/null && ((waited < STOP_TIMEOUT)); do
			sleep 1
			waited=$((waited + 1))
		done
		if kill -0 "${pids[$i]}" 2>/dev/null; then
			echo "$(basename "${homes[$i]}") (pid ${pids[$i]}) ignored SIGTERM; killing"
			kill -KILL "${pids[$i]}" 2>/dev/null || true
		fi
		rm -f "${homes[$i]}/node.pid"
		echo "$(basename "${homes[$i]}") stopped (pid ${pids[$i]})"
	done
	[[ ${#pids[@]} -gt 0 ]] || echo "no localnet node is running"
}

cmd_status() {
	local names rpcs i pid state s
	[[ -f "$MANIFEST" ]] || die "no localnet in $OUT; run '$0 start'"
	mapfile -t names < <(manifest_field name)
	mapfile -t rpcs < <(manifest_field rpc)
	for i in "${!names[@]}"; do
		pid="$(pid_of "$OUT/${names[$i]}" || true)"
		s="$(rpc_status "${rpcs[$i]}")"
		if [[ -n "$s" ]]; then
			state="height $(height_of "$s") catching_up $(sed -n 's/.*"catching_up": *\([a-z]*\).*/\1/p' <<<"$s")"
		else
			state="RPC not answering"
		fi
		echo "${names[$i]}  ${pid:+pid $pid  }${rpcs[$i]}  $state"
	done
}

cmd_reset() {
	cmd_stop
	if [[ -d "$OUT" ]]; then
		rm -rf "$OUT"
		echo "removed $OUT"
	fi
}

main() {
	local action="${1:-}" validators=""
	[[ -n "$action" ]] || {
		usage
		exit 2
	}
	shift
	while [[ $# -gt 0 ]]; do
		case "$1" in
		--validators)
			[[ $# -ge 2 ]] || die "--validators needs a number"
			validators="$2"
			shift 2
			;;
		--validators=*)
			validators="${1#*=}"
			shift
			;;
		--chain-id)
			[[ $# -ge 2 ]] || die "--chain-id needs an id"
			CHAIN_ID="$2"
			shift 2
			;;
		--port-offset)
			[[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || die "--port-offset needs a number"
			PORT_OFFSET="$2"
			shift 2
			;;
		*) die "unknown argument $1" ;;
		esac
	done
	if [[ -n "$validators" ]] && ! [[ "$validators" =~ ^([1-9]|10)$ ]]; then
		die "--validators must be 1..10"
	fi

	case "$action" in
	run) cmd_run "${validators:-1}" ;;
	start) cmd_start "$validators" ;;
	add-node) cmd_add_node ;;
	stop) cmd_stop ;;
	status) cmd_status ;;
	reset) cmd_reset ;;
	-h | --help | help) usage ;;
	*)
		usage
		exit 2
		;;
	esac
}

main "$@"
