// SPDX-License-Identifier: LGPL-2.1-or-later

// threadhog makes the Go runtime create OS threads the way a service with many goroutines blocked
// in system calls does: each of its goroutines locks itself to its thread (runtime.LockOSThread)
// and blocks in read(2) on a pipe nobody writes to, so every one holds a thread of its own.
//
//	-mode=grow (default): one more such goroutine every -interval, without end; under TasksMax=
//	    the kernel refuses a thread and the runtime dies with
//	    runtime: failed to create new OS thread (have N already; errno=11)
//	-mode=limit: the same after debug.SetMaxThreads(-max); the runtime dies with
//	    runtime: program exceeds <max>-thread limit
//	-mode=hold: grows until the process has -threads threads (/proc/self/status), logs
//	    "threadhog: holding N threads" and keeps them until it is stopped.
package main

import (
	"bufio"
	"flag"
	"log"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// block locks the calling goroutine to its thread and blocks it in read(2) for good.
func block(fd int) {
	runtime.LockOSThread()
	buf := make([]byte, 1)
	for {
		// A raw read: the thread sleeps in the kernel, outside the runtime's netpoller.
		if _, err := syscall.Read(fd, buf); err != nil && err != syscall.EINTR {
			log.Fatalf("threadhog: read: %v", err)
		}
	}
}

// threads is the process's thread count as the kernel sees it.
func threads() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if strings.HasPrefix(s.Text(), "Threads:") {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(s.Text(), "Threads:")))
			if err != nil {
				log.Fatal(err)
			}
			return n
		}
	}
	log.Fatal("threadhog: no Threads: in /proc/self/status")
	return 0
}

func main() {
	mode := flag.String("mode", "grow", "grow, limit or hold")
	max := flag.Int("max", 20, "debug.SetMaxThreads for -mode=limit")
	target := flag.Int("threads", 40, "threads to hold for -mode=hold")
	interval := flag.Duration("interval", 5*time.Millisecond, "between two new blocked goroutines")
	flag.Parse()

	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC); err != nil {
		log.Fatal(err)
	}
	switch *mode {
	case "grow":
	case "limit":
		debug.SetMaxThreads(*max)
	case "hold":
	default:
		log.Fatalf("threadhog: unknown mode %q", *mode)
	}
	log.Printf("threadhog: %s, %d threads at start", *mode, threads())
	for *mode != "hold" || threads() < *target {
		go block(p[0])
		// The runtime hands the blocked thread's P to a new thread within sysmon's 20 µs to
		// 10 ms: wait for it, so that hold does not overshoot.
		time.Sleep(*interval)
	}
	log.Printf("threadhog: holding %d threads", threads())
	for {
		// Not select{}: the blocked goroutines do not count as running ones for the deadlock check.
		time.Sleep(time.Hour)
	}
}
