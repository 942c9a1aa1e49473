//go:build tools

// Package tools pins the versions of code generators run by scripts/protocgen.sh.
package tools

import (
	_ "github.com/cosmos/gogoproto/protoc-gen-gocosmos"
	_ "github.com/grpc-ecosystem/grpc-gateway/protoc-gen-grpc-gateway"
)
