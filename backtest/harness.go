package backtest

import (
	"fmt"
	"os"
	"testing"
)

// harness hosts the in-process chain outside `go test`: the fixture in
// testutil takes a testing.TB, and this one turns a failed assertion into an
// error returned by Run. The embedded interface is nil, so a TB method the
// fixture starts using without being listed here fails loudly (nil call)
// instead of silently doing nothing.
type harness struct {
	testing.TB
	dirs     []string
	cleanups []func()
}

// stop is the panic a failed assertion raises inside Run.
type stop struct{ msg string }

// Harness returns a testing.TB for Run outside tests, and the function that
// releases what the chain used (temporary directories, the app).
func Harness() (testing.TB, func()) {
	h := &harness{}
	return h, h.close
}

func (h *harness) Helper()      {}
func (h *harness) Name() string { return "backtest" }
func (h *harness) Failed() bool { return false }
func (h *harness) Errorf(format string, args ...any) {
	panic(stop{fmt.Sprintf(format, args...)})
}
func (h *harness) Error(args ...any)                 { panic(stop{fmt.Sprint(args...)}) }
func (h *harness) Fatalf(format string, args ...any) { h.Errorf(format, args...) }
func (h *harness) Fatal(args ...any)                 { h.Error(args...) }
func (h *harness) FailNow()                          { panic(stop{"FailNow"}) }
func (h *harness) Log(args ...any)                   {}
func (h *harness) Logf(format string, args ...any)   {}
func (h *harness) Cleanup(f func())                  { h.cleanups = append(h.cleanups, f) }
func (h *harness) TempDir() string {
	dir, err := os.MkdirTemp("", "infrafi-backtest-")
	if err != nil {
		h.Fatal(err)
	}
	h.dirs = append(h.dirs, dir)
	return dir
}

func (h *harness) close() {
	for i := len(h.cleanups) - 1; i >= 0; i-- {
		h.cleanups[i]()
	}
	for _, d := range h.dirs {
		_ = os.RemoveAll(d)
	}
	h.cleanups, h.dirs = nil, nil
}
