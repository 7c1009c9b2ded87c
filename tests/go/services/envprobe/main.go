// SPDX-License-Identifier: LGPL-2.1-or-later

// envprobe needs something from its environment and logs Go's own error when it is missing:
//
//	-mode=tz    time.LoadLocation(-zone): "unknown time zone NAME" without the zone database
//	-mode=tls   a GET over TLS to a server of its own (a self-signed certificate) with the
//	            system's roots: "x509: certificate signed by unknown authority"
//	-mode=user  user.LookupId(its own uid): "user: unknown userid N" for a user /etc/passwd
//	            lacks (DynamicUser=), as it is built without cgo
//	-mode=serve listens on 127.0.0.1 (-addr) and serves nothing else
//
// It exits 1 after the error, or keeps running with -stay.
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/user"
	"strconv"
	"time"
)

func main() {
	mode := flag.String("mode", "tz", "tz, tls, user or serve")
	zone := flag.String("zone", "Europe/Berlin", "the zone -mode=tz loads")
	addr := flag.String("addr", "127.0.0.1:0", "where -mode=serve listens")
	stay := flag.Bool("stay", false, "keep running after the error")
	flag.Parse()

	var err error
	switch *mode {
	case "tz":
		var loc *time.Location
		if loc, err = time.LoadLocation(*zone); err == nil {
			log.Printf("envprobe: zone %s", loc)
		}
	case "tls":
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		var resp *http.Response
		if resp, err = http.Get(srv.URL); err == nil {
			resp.Body.Close()
			log.Printf("envprobe: TLS connection to %s verified", srv.URL)
		}
		srv.Close()
	case "user":
		var u *user.User
		if u, err = user.LookupId(strconv.Itoa(os.Getuid())); err == nil {
			log.Printf("envprobe: running as %s", u.Username)
		}
	case "serve":
		var l net.Listener
		if l, err = net.Listen("tcp", *addr); err == nil {
			log.Printf("envprobe: listening on %s", l.Addr())
			go http.Serve(l, http.NotFoundHandler())
		}
	default:
		log.Fatalf("envprobe: unknown mode %q", *mode)
	}
	if err != nil {
		if !*stay {
			log.Fatalf("envprobe: %v", err)
		}
		log.Printf("envprobe: %v", err)
	}
	for {
		time.Sleep(time.Hour)
	}
}
