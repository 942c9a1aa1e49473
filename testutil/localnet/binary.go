// Package localnet runs real multi-validator infrafi networks on 127.0.0.1
// for integration tests: it builds infrafid, lays out node homes with
// `infrafid localnet init`, starts each node as its own process and talks to
// the nodes over CometBFT RPC, REST, gRPC and the CLI.
package localnet

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// BinaryEnv names an environment variable that points at a prebuilt infrafid;
// when set, BuildBinary uses it instead of building.
const BinaryEnv = "INFRAFID_BINARY"

var (
	buildOnce sync.Once
	buildPath string
	buildDir  string
	buildErr  error
)

// BuildBinary builds infrafid once per test process and returns its path.
func BuildBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		if p := os.Getenv(BinaryEnv); p != "" {
			buildPath, buildErr = filepath.Abs(p)
			return
		}
		buildPath, buildErr = build()
	})
	if buildErr != nil {
		t.Fatalf("build infrafid: %v", buildErr)
	}
	return buildPath
}

// RemoveBinary deletes the binary BuildBinary built; call it from TestMain
// after m.Run.
func RemoveBinary() {
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
}

func build() (string, error) {
	var err error
	buildDir, err = os.MkdirTemp("", "infrafid-bin-")
	if err != nil {
		return "", err
	}
	out := filepath.Join(buildDir, "infrafid")
	return out, buildTo(out)
}

// buildTo builds ./cmd/infrafid into out. Extra go build arguments (e.g.
// -ldflags) change only the link step, so packages compiled for BuildBinary
// are reused from the Go build cache.
func buildTo(out string, extra ...string) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	args := append(append([]string{"build"}, extra...), "-o", out, "./cmd/infrafid")
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	if bz, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, bz)
	}
	return nil
}

func moduleRoot() (string, error) {
	bz, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(bz))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("not inside a Go module")
	}
	return filepath.Dir(gomod), nil
}

// BuildBinaryAtCommit builds the infrafid of an earlier commit of this
// repository into dir: the "old binary" of an upgrade that changes the
// stores. The commit's tree is extracted with `git archive` (nothing is
// checked out in the work tree) and built with its own go.mod.
func BuildBinaryAtCommit(dir, commit string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	src := filepath.Join(dir, "src-"+commit)
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	archive := exec.Command("sh", "-c", fmt.Sprintf("git -C %q archive --format=tar %s | tar -x -C %q", root, commit, src))
	if bz, err := archive.CombinedOutput(); err != nil {
		return "", fmt.Errorf("extract commit %s (a clone with full history is needed): %w\n%s", commit, err, bz)
	}
	out := filepath.Join(dir, "infrafid-"+commit[:12])
	cmd := exec.Command("go", "build", "-o", out, "./cmd/infrafid")
	cmd.Dir = src
	if bz, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build commit %s: %w\n%s", commit, err, bz)
	}
	return out, nil
}
