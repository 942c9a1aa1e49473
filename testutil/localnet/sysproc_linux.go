package localnet

import "syscall"

// nodeSysProcAttr puts a node in its own process group and has the kernel
// kill it if the test process dies (e.g. on a test timeout), so no node
// outlives its test.
func nodeSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
