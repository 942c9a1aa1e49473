package cmd

import (
	"os"
	"testing"
)

// TestRootCmdLeavesNoTempDir: building the command tree (which every
// infrafid invocation does) leaves nothing in the temporary directory. The
// throwaway app's home used to stay behind as /tmp/infrafid<N>/data, one
// per command run.
func TestRootCmdLeavesNoTempDir(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if os.TempDir() != tmp {
		t.Fatalf("TMPDIR not honoured: os.TempDir() = %s", os.TempDir())
	}
	if NewRootCmd() == nil {
		t.Fatal("NewRootCmd returned nil")
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("left behind in the temporary directory: %s", e.Name())
	}
}
