package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/zoom-for-mattermost/zoom/build/devhost"
)

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
func pluginRSS(h *devhost.Host) (rss, peak float64, pid int, err error) {
	if pid, err = h.PluginPID(); err != nil {
		return 0, 0, 0, err
	}
	rss, peak, err = memStatus(pid)
	return rss, peak, pid, err
}

func mib(b float64) float64 { return b / (1 << 20) }
