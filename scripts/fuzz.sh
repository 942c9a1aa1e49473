#!/usr/bin/env bash
# Run every Go fuzz target (func FuzzXxx) of the x/ packages for FUZZTIME each.
#
#   scripts/fuzz.sh               every target, FUZZTIME (default 3s) each
#   scripts/fuzz.sh PATTERN       only targets whose <package>.<target> matches
#                                 the grep -E PATTERN, e.g. 'oracle' or 'keeper\.FuzzMsgServer'
#   FUZZTIME=5m scripts/fuzz.sh   dig deeper (any go test -fuzztime value, e.g. 10000x)
#
# Go fuzzes one target per run. Each package's test binary is built once with
# the fuzzing instrumentation (go test -c -fuzz, two builds at a time, all
# before the first run so that builds do not steal the fuzzers' CPU time),
# lists its targets (-test.list '^Fuzz', as go test -list does) and runs once
# per target. The corpus of
# interesting inputs is Go's own ($GOCACHE/fuzz/<package>), shared with
# go test -fuzz. A failing input is written to the package's
# testdata/fuzz/<target>/ (commit it as a regression seed once fixed) and makes
# the script exit non-zero after the other targets have run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZTIME="${FUZZTIME:-3s}"
PATTERN="${1:-.}"
cd "$ROOT"

cache="$(go env GOCACHE)/fuzz"
module="$(go list -m)"
bindir="$(mktemp -d)"
trap 'rm -rf "$bindir"' EXIT

# Packages with at least one matching target (found by name, before paying
# for a build), as "import-path dir binary" lines.
pkgs=()
while read -r pkg dir; do
	rel="${pkg#"$module"/}"
	for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$dir"/*_test.go 2>/dev/null); do
		if grep -Eq -- "$PATTERN" <<<"$rel.$name"; then
			pkgs+=("$pkg $dir $bindir/${rel//\//_}.test")
			break
		fi
	done
done < <(go list -f '{{.ImportPath}} {{.Dir}}' ./x/...)
if [ "${#pkgs[@]}" -eq 0 ]; then
	echo "fuzz: no target matches '$PATTERN'" >&2
	exit 1
fi

start=$SECONDS
echo "fuzz: building ${#pkgs[@]} test binaries with fuzzing instrumentation"
# Stripped binaries (-s -w) link faster; panics still print file:line.
printf '%s\n' "${pkgs[@]}" | cut -d' ' -f1,3 | xargs -P 2 -n 2 sh -c \
	'go test -c -fuzz . -ldflags="-s -w" -o "$1" "$0" >"$1.log" 2>&1 || touch "$1.failed"'

# fuzz_one runs one target, printing its output. Go 1.26's fuzzing coordinator
# can report a bare "context deadline exceeded" when a duration -fuzztime ends
# while a worker is mid-call (go.dev/issue/75804, fixed in Go 1.27): no input
# failed and nothing is written to testdata/fuzz. That one signature is run
# again, up to twice (CI once met it two runs in a row on a loaded machine);
# anything else (a written failing input, a panic, a failed assertion, a
# third deadline) fails the target.
fuzz_one() {
	local dir=$1 bin=$2 target=$3 pkg=$4 out="$bindir/$target.out" attempt rc
	for attempt in 1 2 3; do
		rc=0
		(cd "$dir" && "$bin" -test.run '^$' -test.fuzz "^${target}\$" -test.fuzztime "$FUZZTIME" \
			-test.fuzzcachedir "$cache/$pkg") 2>&1 | tee "$out" | grep --line-buffered -v '^--- FAIL' || rc=$?
		[ "$rc" -eq 0 ] && return 0
		if [ "$attempt" -lt 3 ] && grep -q 'context deadline exceeded' "$out" &&
			! grep -qE 'Failing input written|panic:|_test\.go:[0-9]+:' "$out"; then
			echo "fuzz: $target stopped on Go's -fuzztime shutdown race (go.dev/issue/75804), no failing input; running it again"
			continue
		fi
		# The FAIL line is held back above so that a retried race is not
		# counted as a failed test by .ci/run.
		grep '^--- FAIL' "$out" || true
		return "$rc"
	done
}

ran=0
failed=()
for line in "${pkgs[@]}"; do
	read -r pkg dir bin <<<"$line"
	rel="${pkg#"$module"/}"
	if [ -e "$bin.failed" ]; then
		echo "fuzz: build of $rel failed:" >&2
		cat "$bin.log" >&2
		failed+=("$rel (build)")
		continue
	fi
	for target in $(cd "$dir" && "$bin" -test.list '^Fuzz'); do
		grep -Eq -- "$PATTERN" <<<"$rel.$target" || continue
		echo "fuzz: $rel $target for $FUZZTIME"
		ran=$((ran + 1))
		if ! fuzz_one "$dir" "$bin" "$target" "$pkg"; then
			failed+=("$rel $target")
		fi
	done
done

echo "fuzz: $ran targets, ${#failed[@]} failed, $((SECONDS - start))s"
if [ "${#failed[@]}" -gt 0 ]; then
	printf 'fuzz: FAILED %s\n' "${failed[@]}" >&2
	exit 1
fi
