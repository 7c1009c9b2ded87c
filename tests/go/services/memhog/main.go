// SPDX-License-Identifier: LGPL-2.1-or-later

// memhog allocates memory and touches every page of it, -chunk MiB every -interval, keeping all
// of it reachable, until it is killed (for instance by the OOM killer under MemoryMax=). With
// -limit N it stops at N MiB and holds them. It logs its progress every 16 MiB.
package main

import (
	"flag"
	"log"
	"time"
)

func main() {
	chunk := flag.Int("chunk", 4, "MiB per allocation")
	interval := flag.Duration("interval", time.Millisecond, "pause between allocations")
	limit := flag.Int("limit", 0, "stop at this many MiB and hold them (0: never stop)")
	flag.Parse()

	var hold [][]byte
	total := 0
	for *limit == 0 || total < *limit {
		b := make([]byte, *chunk<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		hold = append(hold, b)
		total += *chunk
		if total%16 < *chunk {
			log.Printf("memhog: %d MiB allocated", total)
		}
		time.Sleep(*interval)
	}
	log.Printf("memhog: holding %d MiB", total)
	for {
		time.Sleep(time.Hour)
		_ = hold
	}
}
