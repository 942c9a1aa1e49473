//go:build !linux

package app_test

import "time"

// cpuClockKind names what cpuClock measures.
const cpuClockKind = "wall time (no per-thread CPU clock on this OS)"

// cpuClock falls back to the wall clock where per-thread CPU time is not read.
func cpuClock() time.Duration { return wallClock() }
