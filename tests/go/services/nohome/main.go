// SPDX-License-Identifier: LGPL-2.1-or-later

// nohome needs a home directory: it calls os.UserHomeDir(). Without $HOME (a unit without
// User=) it logs Go's error, "$HOME is not defined", and exits 1; with -stay it keeps running
// instead. With $HOME set it logs the directory and keeps running.
package main

import (
	"flag"
	"log"
	"os"
	"time"
)

func main() {
	stay := flag.Bool("stay", false, "keep running after the error")
	flag.Parse()

	home, err := os.UserHomeDir()
	if err != nil {
		if !*stay {
			log.Fatalf("nohome: cannot find the home directory: %v", err)
		}
		log.Printf("nohome: cannot find the home directory: %v", err)
	} else {
		log.Printf("nohome: home directory %s", home)
	}
	for {
		time.Sleep(time.Hour)
	}
}
