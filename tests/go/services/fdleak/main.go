// SPDX-License-Identifier: LGPL-2.1-or-later

// fdleak runs out of file descriptors the way a leaking Go service does, logs Go's own error
// text once, and keeps running (holding every descriptor) until it is stopped:
//
//	-mode=accept (default): a TCP listener on 127.0.0.1:0 whose Accept fails; logs e.g.
//	    accept tcp 127.0.0.1:41527: accept4: too many open files
//	-mode=open: os.Open until it fails; logs e.g.
//	    open /dev/null: too many open files
//	-mode=http: a net/http server whose Accept fails; net/http itself logs, again and again,
//	    http: Accept error: accept tcp 127.0.0.1:41527: accept4: too many open files; retrying in 5ms
//
// -mode can also come from $FDLEAK_MODE. Messages go through the standard log package (stderr).
package main

import (
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"syscall"
	"time"
)

var held []*os.File

// fill opens /dev/null until EMFILE and returns the error it got.
func fill() error {
	for {
		f, err := os.Open("/dev/null")
		if err != nil {
			return err
		}
		held = append(held, f)
	}
}

// freeOne closes one of the descriptors fill opened, so that exactly one more can be opened.
func freeOne() {
	held[len(held)-1].Close()
	held = held[:len(held)-1]
}

func main() {
	def := os.Getenv("FDLEAK_MODE")
	if def == "" {
		def = "accept"
	}
	mode := flag.String("mode", def, "accept, open or http")
	flag.Parse()

	var ln net.Listener
	if *mode == "accept" || *mode == "http" {
		var err error
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			log.Fatal(err)
		}
		log.Printf("fdleak: listening on %s", ln.Addr())
	}

	err := fill()
	if !errors.Is(err, syscall.EMFILE) {
		log.Fatalf("fdleak: expected EMFILE, got: %v", err)
	}
	switch *mode {
	case "open":
		log.Print(err)
	case "accept":
		// The connection takes the last free descriptor; accepting it needs one more.
		freeOne()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			log.Fatalf("fdleak: dial: %v", err)
		}
		defer c.Close()
		if _, err := ln.Accept(); err != nil {
			log.Print(err)
		} else {
			log.Fatal("fdleak: accept succeeded with no descriptor left")
		}
	case "http":
		freeOne()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			log.Fatalf("fdleak: dial: %v", err)
		}
		defer c.Close()
		log.Fatal(http.Serve(ln, http.NotFoundHandler()))
	default:
		log.Fatalf("fdleak: unknown mode %q", *mode)
	}
	log.Printf("fdleak: holding %d descriptors", len(held))
	for {
		// Not select{}: with no other goroutine that would be a fatal deadlock.
		time.Sleep(time.Hour)
	}
}
