package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path"
	"strconv"
	"strings"
	"time"
)

// microPackages hold the Go micro-benchmarks (bench_test.go in each).
var microPackages = []string{"./server/zoom", "./server/store", "./server/api"}

// microResult is one line of `go test -bench` output.
type microResult struct {
	Package  string  `json:"package"`
	Name     string  `json:"name"`
	N        int64   `json:"n"`
	NsPerOp  float64 `json:"ns_per_op"`
	BPerOp   float64 `json:"bytes_per_op"`
	AllocsOp float64 `json:"allocs_per_op"`
	MBPerSec float64 `json:"mb_per_s,omitempty"`
}

// runMicro runs the micro-benchmarks of each package in root (one `go test`
// per package, so a package that does not build only loses its own rows) and
// parses their results.
func runMicro(root, benchtime string, timeout time.Duration) ([]microResult, []error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var results []microResult
	var errs []error
	for _, pkg := range microPackages {
		args := []string{"test", "-vet=off", "-run", "^$", "-bench", ".", "-benchmem", "-benchtime", benchtime, "-count", "1", pkg}
		cmd := exec.CommandContext(ctx, goTool(), args...)
		cmd.Dir = root
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		err := cmd.Run()
		results = append(results, parseBench(out.String())...)
		if err != nil {
			errs = append(errs, fmt.Errorf("go test -bench %s: %v: %s", pkg, err, failureLines(stderr.String()+"\n"+out.String(), 6)))
		}
	}
	return results, errs
}

// failureLines keeps what explains a failed run: compiler errors and FAIL
// lines, not the benchmark results.
func failureLines(s string, n int) string {
	var keep []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "Benchmark") || strings.HasPrefix(line, "ok ") || line == "PASS" ||
			strings.HasPrefix(line, "goos:") || strings.HasPrefix(line, "goarch:") || strings.HasPrefix(line, "pkg:") || strings.HasPrefix(line, "cpu:") {
			continue
		}
		keep = append(keep, line)
	}
	if len(keep) > n {
		keep = append(keep[:n], "…")
	}
	return strings.Join(keep, "\n")
}

// goTool is the go command that runs this program, else "go" on PATH.
func goTool() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}

func parseBench(out string) []microResult {
	var res []microResult
	pkg := ""
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = path.Base(strings.TrimSpace(p))
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		r := microResult{Package: pkg, Name: trimProcs(strings.TrimPrefix(fields[0], "Benchmark"))}
		r.N, _ = strconv.ParseInt(fields[1], 10, 64)
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			switch fields[i+1] {
			case "ns/op":
				r.NsPerOp = v
			case "B/op":
				r.BPerOp = v
			case "allocs/op":
				r.AllocsOp = v
			case "MB/s":
				r.MBPerSec = v
			}
		}
		res = append(res, r)
	}
	return res
}

// trimProcs drops the -GOMAXPROCS suffix of a benchmark name.
func trimProcs(name string) string {
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			return name[:i]
		}
	}
	return name
}
