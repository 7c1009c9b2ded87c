// SPDX-License-Identifier: LGPL-2.1-or-later

// sleeper does nothing, as cheaply as a Go program can (three threads, some 400 KiB of its
// own memory under GOMAXPROCS=1): thousands of them stand for a host full of Go services in
// tests/bench/burst.sh.
package main

import "time"

func main() {
	for {
		time.Sleep(time.Hour)
	}
}
