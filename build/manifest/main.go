// Command manifest keeps the generated copies of plugin.json in step with it.
//
//	go run ./build/manifest apply   write server/manifest/manifest.go and webapp/src/manifest.ts
//	go run ./build/manifest check   fail when either file differs from what apply would write
//
// Both verbs validate plugin.json first, so a broken manifest stops the build early.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	root := flag.String("root", ".", "repository root holding plugin.json")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./build/manifest [-root dir] apply|check")
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}

	var err error
	switch flag.Arg(0) {
	case "apply":
		var wrote []string
		wrote, err = apply(*root)
		for _, rel := range wrote {
			fmt.Println("wrote", rel)
		}
	case "check":
		err = check(*root)
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "manifest:", err)
		os.Exit(1)
	}
}
