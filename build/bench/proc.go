package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// pluginPID finds the plugin process: a child of this process (go-plugin
// starts it from the devhost, which runs in here) whose executable is one of
// the bundle's server binaries (plugin-<os>-<arch>).
func pluginPID() (int, error) {
	self := os.Getpid()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, fmt.Errorf("no /proc to find the plugin process in: %w", err)
	}
	var found []int
	for _, ent := range entries {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil {
			continue
		}
		if ppid, err := parentPID(pid); err != nil || ppid != self {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", ent.Name(), "exe"))
		if err != nil || !strings.HasPrefix(filepath.Base(exe), "plugin-") {
			continue
		}
		found = append(found, pid)
	}
	switch len(found) {
	case 0:
		return 0, errors.New("no plugin process among this process's children")
	case 1:
		return found[0], nil
	}
	return 0, fmt.Errorf("%d plugin processes among this process's children", len(found))
}

// parentPID reads the 4th field of /proc/<pid>/stat (after the command name,
// which is in parentheses and may hold spaces).
func parentPID(pid int) (int, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, errors.New("malformed stat")
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 2 {
		return 0, errors.New("malformed stat")
	}
	return strconv.Atoi(fields[1])
}

// memStatus reads VmRSS and VmHWM (peak RSS) of a process, in bytes.
func memStatus(pid int) (rss, peak float64, err error) {
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		fields := strings.Fields(val) // "12345 kB"
		if len(fields) != 2 || fields[1] != "kB" {
			continue
		}
		kb, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			continue
		}
		if key == "VmRSS" {
			rss = kb * 1024
		} else {
			peak = kb * 1024
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return rss, peak, sc.Err()
}

// pluginRSS is the plugin process's RSS and peak RSS now.
func pluginRSS() (rss, peak float64, pid int, err error) {
	if pid, err = pluginPID(); err != nil {
		return 0, 0, 0, err
	}
	rss, peak, err = memStatus(pid)
	return rss, peak, pid, err
}

func mib(b float64) float64 { return b / (1 << 20) }
