// SPDX-License-Identifier: LGPL-2.1-or-later

// chatty writes -rate lines per second to stdout for -seconds seconds (a noisy service, for
// tests/bench/noisy.sh), then sleeps.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	rate := flag.Int("rate", 50000, "lines per second")
	seconds := flag.Int("seconds", 30, "how long")
	flag.Parse()

	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	start := time.Now()
	n := 0
	for time.Since(start) < time.Duration(*seconds)*time.Second {
		// Catch up with the schedule every millisecond.
		due := int(time.Since(start).Seconds() * float64(*rate))
		for ; n < due; n++ {
			fmt.Fprintf(w, "request %d handled in 123us status=200\n", n)
		}
		w.Flush()
		time.Sleep(time.Millisecond)
	}
	w.Flush()
	fmt.Fprintf(os.Stderr, "chatty: wrote %d lines\n", n)
	for {
		time.Sleep(time.Hour)
	}
}
