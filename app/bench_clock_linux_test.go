//go:build linux

package app_test

import (
	"syscall"
	"time"
)

// cpuClockKind names what cpuClock measures.
const cpuClockKind = "process CPU time (all threads, GC included)"

// cpuClock is the CPU time (user + system) the process has used. Unlike wall
// time it leaves out the time other processes on a shared machine take; the
// benchmark process runs nothing else meanwhile.
func cpuClock() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
