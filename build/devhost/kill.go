package devhost

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// KillPlugin ends the plugin process with SIGKILL, as a crash or the kernel's
// out-of-memory killer would: OnDeactivate never runs, so nothing the plugin
// holds (job leases, locks) is given back. The loader's side of the dead
// process is cleaned up as Mattermost's health check does; the plugin stays
// inactive until StartPlugin.
func (h *Host) KillPlugin() error {
	pid, err := h.PluginPID()
	if err != nil {
		return err
	}
	proc, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	if err := proc.Kill(); err != nil {
		return fmt.Errorf("devhost: kill the plugin process %d: %w", pid, err)
	}
	h.env.Deactivate(h.manifest.Id)
	h.commands.clear()
	return nil
}

// StartPlugin starts a new plugin process on the same store, after KillPlugin.
func (h *Host) StartPlugin() error { return h.activate() }

// PluginPID finds this host's plugin process: the one whose executable lies in
// the folder the host unpacked the bundle into (several hosts may run in one
// test process, each with its own).
func (h *Host) PluginPID() (int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, fmt.Errorf("devhost: no /proc to find the plugin process in: %w", err)
	}
	dir, err := filepath.EvalSymlinks(h.bundlePath)
	if err != nil {
		return 0, err
	}
	dir += string(filepath.Separator)
	for _, ent := range entries {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil {
			continue
		}
		if exe, err := os.Readlink(filepath.Join("/proc", ent.Name(), "exe")); err == nil && strings.HasPrefix(exe, dir) {
			return pid, nil
		}
	}
	return 0, errors.New("devhost: the plugin process is not running")
}
