//go:build !linux

package localnet

import "syscall"

// nodeSysProcAttr puts a node in its own process group.
func nodeSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
