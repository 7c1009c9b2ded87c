// SPDX-License-Identifier: LGPL-2.1-or-later

// crasher dies the ways a Go service dies, shortly after it starts (-delay, default 300ms):
//
//	-mode=panic (default): a panic in the dependency example.com/crashlib (a module of its own,
//	    replaced by ../crashlib in go.mod): panic: crashlib: empty configuration
//	-mode=mapwrites: two goroutines write one map: fatal error: concurrent map writes
//	-mode=fault: a read of an unmapped address: unexpected fault address 0xdeadbeef, then
//	    fatal error: fault with [signal SIGSEGV: segmentation violation ...]
//	-mode=nil: a nil pointer dereference: panic: runtime error: invalid memory address or nil
//	    pointer dereference with [signal SIGSEGV: segmentation violation ...]
//	-mode=healthy: prints a line and runs until SIGTERM, then exits 0
//	-mode=hang: ignores SIGTERM and runs until killed
//	-mode=exit: returns from main at once (exit status 0), as a service that forgot to serve
//
// -mode can also come from $CRASHER_MODE.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
	"unsafe"

	"example.com/crashlib/config"
)

type server struct {
	name string
}

func (s *server) Name() string {
	return s.name
}

func mapWrites() {
	m := map[int]int{}
	for i := 0; i < 4; i++ {
		go func(i int) {
			for n := 0; ; n++ {
				m[n%1000] = i
			}
		}(i)
	}
	select {}
}

func fault() {
	p := (*int)(unsafe.Pointer(uintptr(0xdeadbeef)))
	fmt.Println(*p)
}

func main() {
	mode := flag.String("mode", os.Getenv("CRASHER_MODE"), "panic, mapwrites, fault, nil, healthy, hang or exit")
	delay := flag.Duration("delay", 300*time.Millisecond, "how long to run before crashing")
	flag.Parse()
	if *mode == "" {
		*mode = "panic"
	}
	fmt.Printf("crasher: mode %s, crashing in %v\n", *mode, *delay)
	time.Sleep(*delay)
	switch *mode {
	case "panic":
		fmt.Println(len(config.Parse(os.Getenv("CRASHER_CONFIG"))))
	case "mapwrites":
		mapWrites()
	case "fault":
		fault()
	case "nil":
		var s *server
		fmt.Println(s.Name())
	case "healthy":
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGTERM)
		<-c
	case "hang":
		signal.Ignore(syscall.SIGTERM)
		// Asleep on a timer, not blocked forever: select {} alone is the runtime's deadlock.
		for {
			time.Sleep(time.Hour)
		}
	case "exit":
	default:
		fmt.Fprintf(os.Stderr, "crasher: unknown mode %q\n", *mode)
		os.Exit(1)
	}
}
