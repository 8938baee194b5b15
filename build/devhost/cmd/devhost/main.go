// Command devhost runs the plugin in "Mattermost in a box" for `make run`:
// the plugin bundle loaded by Mattermost's own loader, demo users and
// channels, the Zoom simulator, and the devhost page.
//
//	go run ./build/devhost/cmd/devhost -bundle dist/zoom-2.0.0.tar.gz
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/zoom-for-mattermost/zoom/build/devhost"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// alicePMI is the demo personal meeting id, so "use my PMI" has something to use.
const alicePMI = 4155550123

func main() {
	bundle := flag.String("bundle", "", "plugin bundle: dist/zoom-<version>.tar.gz or an unpacked bundle folder")
	addr := flag.String("addr", devhost.DefaultAddr, "listen address (its URL is the Site URL)")
	web := flag.String("web", filepath.Join("build", "devhost", "web", "dist"), "folder of the built devhost page")
	quiet := flag.Bool("quiet", false, "do not print the plugin's and host's log")
	settingsJSON := flag.String("settings", "", `plugin settings over the simulator defaults, as a JSON object, e.g. '{"LargeChannelThreshold":3}'`)
	flag.Parse()
	var settings map[string]any
	if *settingsJSON != "" {
		if err := json.Unmarshal([]byte(*settingsJSON), &settings); err != nil {
			fmt.Fprintf(os.Stderr, "devhost: -settings must be a JSON object: %v\n", err)
			os.Exit(2)
		}
	}
	if *bundle == "" {
		fmt.Fprintln(os.Stderr, "devhost: -bundle is required; run `make dist` and pass dist/zoom-<version>.tar.gz (or use `make run`)")
		os.Exit(2)
	}

	var logOut io.Writer = os.Stderr
	if *quiet {
		logOut = nil
	}
	sim := zoomsim.New(zoomsim.Options{Logf: func(f string, a ...any) { log.Printf("zoomsim: "+f, a...) }})
	defer sim.Close()

	h, err := devhost.Start(devhost.Options{
		Bundle:        *bundle,
		Addr:          *addr,
		Sim:           sim,
		Settings:      settings,
		LogOutput:     logOut,
		WebDir:        *web,
		AllowInactive: true, // keep serving so the page can show why
		// A browser gets the simulator's pages from the devhost over plain http: no
		// certificate warning. The plugin still reaches the simulator over HTTPS.
		SimPagesOverHTTP: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()

	for _, name := range devhost.DemoUsers {
		u := h.User(name)
		zu := zoomsim.User{Email: u.Email, FirstName: u.FirstName, LastName: u.LastName}
		if name == "alice" {
			zu.PMI = alicePMI
		}
		h.AddZoomUser(zu)
	}

	printBanner(h, *web)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	fmt.Println("\ndevhost: stopping")
}

func printBanner(h *devhost.Host, web string) {
	var b strings.Builder
	line := strings.Repeat("─", 64)
	fmt.Fprintf(&b, "\n%s\n", line)
	fmt.Fprintf(&b, " Zoom for Mattermost: devhost (Mattermost in a box)\n")
	fmt.Fprintf(&b, " listening on %s\n", h.URL())
	fmt.Fprintf(&b, "%s\n", line)
	if err := h.ActivationError(); err != nil {
		fmt.Fprintf(&b, " ! the plugin did not activate: %v\n", err)
		fmt.Fprintf(&b, "   the page shows this too; fix the bundle or settings and restart.\n")
	} else {
		fmt.Fprintf(&b, " plugin:    %s %s, active\n", h.Manifest().Id, h.Manifest().Version)
	}
	fmt.Fprintf(&b, " zoom sim:  %s (HTTPS, its own CA; the plugin trusts it)\n", h.Sim().URL())
	fmt.Fprintf(&b, "            its sign-in and join pages open in your browser through %s (plain http)\n", h.URL())
	fmt.Fprintf(&b, " webhook:   %s\n", h.WebhookURL())
	fmt.Fprintf(&b, " users:     admin (system admin), alice (has a Zoom PMI), bob, carol\n")
	fmt.Fprintf(&b, "            all <name>@example.com, matching Zoom users in the simulator\n")
	fmt.Fprintf(&b, " channels:  town-square, off-topic (public), design (private: alice, bob, admin)\n")
	if _, err := os.Stat(filepath.Join(web, "index.html")); err != nil {
		fmt.Fprintf(&b, " ! no page in %s: run `make devhost-web`\n", web)
	}
	fmt.Fprintf(&b, "\n Try this first:\n")
	fmt.Fprintf(&b, "  1. open %s and pick alice\n", h.URL())
	fmt.Fprintf(&b, "  2. in design (the channel the page opens), click the Zoom button in the channel header (or type /zoom start)\n")
	fmt.Fprintf(&b, "  3. connect: the simulator's page lets you choose alice's Zoom account\n")
	fmt.Fprintf(&b, "  4. in the simulator panel, end the meeting and watch the card turn into a summary\n")
	fmt.Fprintf(&b, "\n Ctrl-C stops everything.\n%s\n", line)
	fmt.Print(b.String())
}
