#!/usr/bin/env bash
# Regenerates the TypeScript client's generated code in clients/ts/src/generated
# from proto/infrafi/<module>/v1/*.proto:
#   - one ts-proto file per .proto (types, encode/decode, JSON, fromPartial);
#   - index.ts: the message table (type URL, amino name, field metadata for the
#     amino converters and client-side validation) and the REST query table,
#     both read from the protos' own options by clients/ts/scripts/gen-index.mjs.
#
# Like scripts/protocgen.sh: protoc from Debian's protobuf-compiler, imported
# .proto files from the Go module cache, the plugin from clients/ts's lock file.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root=$PWD
client="$repo_root/clients/ts"

if ! command -v protoc >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo=sudo
  fi
  $sudo apt-get update
  $sudo apt-get install -y protobuf-compiler
fi

if [ ! -x "$client/node_modules/.bin/protoc-gen-ts_proto" ]; then
  (cd "$client" && npm ci --no-audit --no-fund)
fi

proto_modules=(
  github.com/cosmos/cosmos-sdk
  github.com/cosmos/gogoproto
  github.com/cosmos/cosmos-proto
  github.com/grpc-ecosystem/grpc-gateway
)
go mod download "${proto_modules[@]}"

module_dir() {
  local dir
  dir=$(go list -m -f '{{.Dir}}' "$1")
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    echo "tsgen: module $1 is not in the module cache" >&2
    exit 1
  fi
  printf '%s\n' "$dir"
}

wkt_dir=""
for dir in /usr/include /usr/local/include "$(dirname "$(command -v protoc)")/../include"; do
  if [ -f "$dir/google/protobuf/timestamp.proto" ]; then
    wkt_dir=$dir
    break
  fi
done
if [ -z "$wkt_dir" ]; then
  echo "tsgen: google/protobuf/timestamp.proto not found next to protoc" >&2
  exit 1
fi

includes=(
  -I proto
  -I "$(module_dir github.com/cosmos/cosmos-sdk)/proto"
  -I "$(module_dir github.com/cosmos/gogoproto)"
  -I "$(module_dir github.com/cosmos/cosmos-proto)/proto"
  -I "$(module_dir github.com/grpc-ecosystem/grpc-gateway)/third_party/googleapis"
  -I "$wkt_dir"
)

mapfile -t files < <(find proto/infrafi -type f -name '*.proto' | LC_ALL=C sort)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/ts"

# Every option ts-proto uses is listed here so the output depends on nothing else:
# strings for 64-bit integers (JSON-safe, as the REST API returns them), Date for
# Timestamp, ES module imports with .js suffixes for Node, no gRPC clients (the
# client talks REST and CometBFT RPC).
protoc "${includes[@]}" \
  --plugin=protoc-gen-ts_proto="$client/node_modules/.bin/protoc-gen-ts_proto" \
  --ts_proto_out="$tmp/ts" \
  --ts_proto_opt=forceLong=string,useDate=true,esModuleInterop=true,importSuffix=.js,outputServices=false,outputClientImpl=false,useExactTypes=false \
  "${files[@]}"

protoc "${includes[@]}" --include_imports --descriptor_set_out="$tmp/descriptors.pb" "${files[@]}"
node "$client/scripts/gen-index.mjs" "$tmp/descriptors.pb" "$tmp/ts/index.ts"

rm -rf "$client/src/generated"
mkdir -p "$client/src/generated"
cp -R "$tmp/ts/." "$client/src/generated/"
echo "tsgen: wrote $(find "$client/src/generated" -name '*.ts' | wc -l) files to clients/ts/src/generated"
