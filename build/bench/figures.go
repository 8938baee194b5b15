package main

import (
	"fmt"
	"path/filepath"
	"time"
)

// webapp measures what the browser downloads and what the build installs.
func webapp(r *report, o *options) {
	js, from, err := webappBundle(o.root, o.bundle)
	if err != nil {
		r.missing(secWebapp, "webapp/dist/main.js, minified", "<= 35,000 B", err.Error())
		r.missing(secWebapp, "webapp/dist/main.js, gzipped", "<= 12,000 B", err.Error())
	} else {
		note := "read from " + from
		if !looksMinified(js) {
			note += "; it does not look minified (short lines)"
		}
		r.measured(secWebapp, "webapp/dist/main.js, minified", float64(len(js)), "B", atMost, 35000, note)
		if gz, err := gzipSize(js); err != nil {
			r.missing(secWebapp, "webapp/dist/main.js, gzipped", "<= 12,000 B", err.Error())
		} else {
			r.measured(secWebapp, "webapp/dist/main.js, gzipped", float64(gz), "B", atMost, 12000, "gzip -9, as a server would send it")
		}
	}
	nm := filepath.Join(o.root, "webapp", "node_modules")
	size, files, err := treeSize(nm)
	if err != nil {
		r.missing(secWebapp, "webapp/node_modules", "<= 100 MB", err.Error()+" (run `make node-deps`)")
		return
	}
	r.measured(secWebapp, "webapp/node_modules", float64(size)/1e6, "MB", atMost, 100,
		fmt.Sprintf("%s files, apparent size (du -sb); MB = 10^6 bytes", formatNumber(float64(files))))
}

// micro runs the Go micro-benchmarks and lists each as a report-only row.
func micro(r *report, o *options) {
	results, errs := runMicro(o.root, o.benchtime, 3*time.Minute)
	for _, m := range results {
		note := fmt.Sprintf("%s B/op, %s allocs/op", formatNumber(m.BPerOp), formatNumber(m.AllocsOp))
		if m.MBPerSec > 0 {
			note += fmt.Sprintf(", %s MB/s", formatNumber(m.MBPerSec))
		}
		f := r.measured(secMicro, m.Package+"."+m.Name, m.NsPerOp, "ns/op", noBudget, 0, note)
		f.Detail = m
	}
	for _, err := range errs {
		r.missing(secMicro, "go test -bench", "", err.Error())
	}
	if len(errs) == 0 && len(results) == 0 {
		r.missing(secMicro, "go test -bench", "", "no benchmarks found in "+fmt.Sprint(microPackages))
	}
}
