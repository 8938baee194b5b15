// Command bench measures the plugin through the real loader and RPC: it runs
// the bundle in build/devhost against the Zoom simulator, counts host and
// Zoom calls from their call logs, times webhooks under load, and reads the
// plugin process's memory and the webapp bundle's size. It prints one table,
// each figure next to its budget, and writes build/out/bench/bench.json. It
// reports; it never fails because a figure is over budget.
//
//	make bench                  (builds the bundle, then runs this)
//	ZOOM_BUNDLE=dist/zoom-2.0.0.tar.gz go run ./build/bench [-quick] [-micro=false]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/shared/mlog"
)

type options struct {
	bundle, out, root string
	starts, ended     int // operations averaged for the call counts
	load1, load8      int // fresh cards ended by the 1- and 8-client phases
	webhooks          int // deliveries before reading the plugin's RSS
	recordings        int
	downloadDelay     time.Duration
	recordingWindow   time.Duration
	restarts          int
	prefs             int // concurrent channel-preference submissions
	participants      int // people joining and leaving the big meeting
	micro             bool
	benchtime         string
	log               io.Writer // the devhosts' and the plugin's log (devhost.log beside the JSON)
}

func main() {
	var o options
	flag.StringVar(&o.bundle, "bundle", os.Getenv("ZOOM_BUNDLE"), "plugin bundle (.tar.gz); default $ZOOM_BUNDLE")
	flag.StringVar(&o.out, "out", "", "JSON report path (default <repo>/build/out/bench/bench.json)")
	flag.IntVar(&o.starts, "starts", 20, "/zoom start commands averaged for the call counts")
	flag.IntVar(&o.ended, "ended", 20, "meeting.ended webhooks averaged for the call counts")
	flag.IntVar(&o.load1, "load1", 1000, "meeting.ended webhooks (each to its own card) from 1 client")
	flag.IntVar(&o.load8, "load8", 2000, "meeting.ended webhooks (each to its own card) from 8 clients")
	flag.IntVar(&o.webhooks, "webhooks", 10000, "webhooks delivered before the plugin's RSS is read")
	flag.IntVar(&o.recordings, "recordings", 40, "recording.completed webhooks sent while downloads are slow")
	flag.DurationVar(&o.downloadDelay, "download-delay", 10*time.Second, "how long the simulator holds each recording download")
	flag.DurationVar(&o.recordingWindow, "recording-window", 4*time.Second, "the recording webhooks are spread over this time")
	flag.IntVar(&o.restarts, "restarts", 3, "plugin restarts timed for OnActivate")
	flag.IntVar(&o.prefs, "prefs", 200, "concurrent channel-preference submissions through two plugin processes")
	flag.IntVar(&o.participants, "participants", 1000, "people who join and then leave the big meeting")
	reliabilityOnly := flag.Bool("reliability-only", false, "run only the reliability scenarios (killed process, contention, big meeting)")
	flag.BoolVar(&o.micro, "micro", true, "also run the Go micro-benchmarks (go test -bench) and list them")
	flag.StringVar(&o.benchtime, "benchtime", "300ms", "go test -benchtime for the micro-benchmarks")
	quick := flag.Bool("quick", false, "small counts, for trying the command out (figures are rougher)")
	flag.Parse()
	if *quick {
		o.starts, o.ended, o.load1, o.load8, o.webhooks, o.recordings, o.restarts = 5, 5, 100, 200, 1000, 10, 1
		o.downloadDelay, o.recordingWindow, o.benchtime = 3*time.Second, time.Second, "50ms"
		o.participants = 200
	}

	if err := o.resolve(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	logPath := filepath.Join(filepath.Dir(o.out), "devhost.log")
	closeLog, err := o.openLog(logPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	defer closeLog()
	r := &report{Started: time.Now(), Bundle: o.bundle,
		Machine: fmt.Sprintf("%s/%s, %d CPUs, %s, load average at start %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), loadAverage())}
	say := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "bench %5.1fs: %s\n", time.Since(r.Started).Seconds(), fmt.Sprintf(format, args...))
	}

	if !*reliabilityOnly {
		accountLevel(r, &o, say)
		userLevel(r, &o, say)
		webapp(r, &o)
	}
	reliability(r, &o, say)
	if o.micro && !*reliabilityOnly {
		say("go test -bench (micro-benchmarks, -benchtime %s)", o.benchtime)
		micro(r, &o)
	}

	r.Seconds = time.Since(r.Started).Seconds()
	r.Machine += ", at end " + loadAverage()
	r.print(os.Stdout)
	if err := r.writeJSON(o.out); err != nil {
		fmt.Fprintln(os.Stderr, "bench: writing the JSON report:", err)
	} else {
		fmt.Printf("JSON: %s (host and plugin log: %s)\n", o.out, logPath)
	}
}

// openLog sends the devhosts' log, the plugin's and the loader's global log
// to a file, so the table stays readable.
func (o *options) openLog(path string) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	o.log = f
	logger, err := mlog.NewLogger()
	if err != nil {
		f.Close()
		return nil, err
	}
	if err := mlog.AddWriterTarget(logger, f, false, mlog.StdAll...); err != nil {
		f.Close()
		return nil, err
	}
	mlog.InitGlobalLogger(logger)
	return func() {
		_ = logger.Shutdown()
		f.Close()
	}, nil
}

// loadAverage is the 1-minute load average: other work on the machine makes
// the timings slower, and the table says so.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// resolve checks the bundle and finds the repository root (for the webapp
// and the micro-benchmarks).
func (o *options) resolve() error {
	if o.bundle == "" {
		return errors.New("no bundle: run `make bench`, or set ZOOM_BUNDLE (or -bundle) to dist/zoom-<version>.tar.gz")
	}
	abs, err := filepath.Abs(o.bundle)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err != nil {
		return fmt.Errorf("bundle %s: %v (run `make dist`)", abs, err)
	}
	o.bundle = abs
	dir, err := os.Getwd()
	if err != nil {
		return err
	}
	for i := 0; i < 64; i++ {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			o.root = dir
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if o.root == "" {
		return errors.New("run from inside the repository (no go.mod found above the working directory)")
	}
	if o.out == "" {
		o.out = filepath.Join(o.root, "build", "out", "bench", "bench.json")
	}
	return nil
}
