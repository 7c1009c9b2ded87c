// SPDX-License-Identifier: LGPL-2.1-or-later

// healthy is a well-behaved service: an HTTP server on 127.0.0.1 that answers every request
// with "ok". The address comes from -addr, else $HEALTHY_ADDR, else 127.0.0.1:$PORT, else
// 127.0.0.1:0 (a free port). It logs the address it listens on and exits 0 on SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

// cgoEnabled is set by cgo.go when the program is built with cgo.
var cgoEnabled = false

func defaultAddr() string {
	if a := os.Getenv("HEALTHY_ADDR"); a != "" {
		return a
	}
	if p := os.Getenv("PORT"); p != "" {
		return "127.0.0.1:" + p
	}
	return "127.0.0.1:0"
}

func main() {
	addr := flag.String("addr", defaultAddr(), "address to listen on")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		s := <-sig
		log.Printf("healthy: %v, shutting down", s)
		srv.Shutdown(context.Background())
	}()

	log.Printf("healthy: listening on %s (cgo: %v)", ln.Addr(), cgoEnabled)
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		log.Fatal(err)
	}
}
