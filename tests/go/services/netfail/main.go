// SPDX-License-Identifier: LGPL-2.1-or-later

// netfail fails on the network the ways the network findings describe, and logs Go's own error
// text through the standard log package (stderr):
//
//	-mode=listen -addr=ADDR: net.Listen("tcp", ADDR) and hold it; on failure log.Fatal, e.g.
//	    listen tcp :844: bind: permission denied             (a port below 1024 as nobody)
//	    listen tcp 127.0.0.1:47311: bind: address already in use
//	-mode=ephemeral -range="LOW HIGH": in a network namespace of its own (PrivateNetwork=yes; it
//	    refuses to run in PID 1's), narrows net.ipv4.ip_local_port_range there, listens on
//	    ADDR (pick one outside the range) and dials it, keeping every connection, until connect() fails with
//	    dial tcp 127.0.0.1:PORT: connect: cannot assign requested address
//	    then keeps running, holding them all.
package main

import (
	"flag"
	"log"
	"net"
	"os"
	"time"
)

func hold() {
	for {
		time.Sleep(time.Hour)
	}
}

func ephemeral(portRange, listenAddr string) {
	self, err1 := os.Readlink("/proc/self/ns/net")
	init, err2 := os.Readlink("/proc/1/ns/net")
	if err1 != nil || err2 != nil || self == init {
		log.Fatalf("netfail: not in a network namespace of its own (%s, %s): %v %v", self, init, err1, err2)
	}
	if err := os.WriteFile("/proc/sys/net/ipv4/ip_local_port_range", []byte(portRange+"\n"), 0); err != nil {
		log.Fatalf("netfail: %v", err)
	}
	ln, err := net.Listen("tcp", listenAddr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("netfail: listening on %s, local ports %s", ln.Addr(), portRange)
	go func() {
		var accepted []net.Conn
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted = append(accepted, c)
		}
	}()
	var conns []net.Conn
	for {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			log.Print(err)
			log.Printf("netfail: holding %d connections", len(conns))
			hold()
		}
		conns = append(conns, c)
	}
}

func main() {
	mode := flag.String("mode", "listen", "listen or ephemeral")
	addr := flag.String("addr", "127.0.0.1:0", "the address to listen on (-mode=listen)")
	portRange := flag.String("range", "40000 40009", "net.ipv4.ip_local_port_range to set (-mode=ephemeral)")
	flag.Parse()

	switch *mode {
	case "listen":
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			log.Fatal(err)
		}
		log.Printf("netfail: listening on %s", ln.Addr())
		hold()
	case "ephemeral":
		ephemeral(*portRange, *addr)
	default:
		log.Fatalf("netfail: unknown mode %q", *mode)
	}
}
