// SPDX-License-Identifier: LGPL-2.1-or-later

// churn keeps -live MiB reachable and allocates garbage all the time, pausing briefly every 8
// allocations, like a service with a steady working set and busy request handling. With the
// default GOGC its heap goal is twice the live set, so under a memory limit below that the
// kernel kills it, unless GOMEMLIMIT tells the garbage collector about the limit. Without the
// pauses, two of these on 2 busy cores starve the collector, whose CPU cap then lets the heap
// overshoot even a sane GOMEMLIMIT.
package main

import (
	"flag"
	"log"
	"time"
)

var sink []byte

func main() {
	live := flag.Int("live", 24, "MiB kept reachable")
	chunk := flag.Int("chunk", 1, "MiB per garbage allocation")
	flag.Parse()

	hold := make([][]byte, 0, *live)
	for i := 0; i < *live; i++ {
		b := make([]byte, 1<<20)
		for j := 0; j < len(b); j += 4096 {
			b[j] = 1
		}
		hold = append(hold, b)
	}
	log.Printf("churn: holding %d MiB, churning %d MiB chunks", *live, *chunk)
	n := 0
	for {
		b := make([]byte, *chunk<<20)
		for j := 0; j < len(b); j += 4096 {
			b[j] = byte(n)
		}
		sink = b
		n++
		if n%1024 == 0 {
			log.Printf("churn: %d MiB churned", n**chunk)
		}
		if n%8 == 0 {
			time.Sleep(time.Millisecond)
		}
		_ = hold
	}
}
