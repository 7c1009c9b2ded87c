// SPDX-License-Identifier: LGPL-2.1-or-later

// dnsfail connects to a database by name the way a Go service does, and logs what net.Dial
// returns when the name does not resolve, again every -interval, until it is stopped:
//
//	dial tcp: lookup db.gg-test.invalid on 127.83.0.54:53: read udp 127.0.0.1:41234->127.83.0.54:53: read: connection refused
//
// -name (default db.gg-test.invalid, a name that never exists), -port (5432).
//
// With -serve ADDR it is instead a DNS server on UDP ADDR that answers every query with
// NXDOMAIN: a server that answers, on a loopback address, without the internet.
package main

import (
	"flag"
	"log"
	"net"
	"strconv"
	"time"
)

func serve(addr string) {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("dnsfail: serving DNS on %s", pc.LocalAddr())
	buf := make([]byte, 1500)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			log.Fatal(err)
		}
		if resp := nxdomain(buf[:n]); resp != nil {
			pc.WriteTo(resp, from)
		}
	}
}

// nxdomain answers a query with its ID and question and RCODE 3; nil for what is not a query.
func nxdomain(q []byte) []byte {
	if len(q) < 12 || q[2]&0x80 != 0 || q[4] != 0 || q[5] != 1 {
		return nil
	}
	o := 12
	for o < len(q) && q[o] != 0 {
		if q[o] > 63 {
			return nil
		}
		o += 1 + int(q[o])
	}
	o += 1 + 4 // the root label, QTYPE, QCLASS
	if o > len(q) {
		return nil
	}
	r := make([]byte, o)
	copy(r, q[:o])
	r[2] = 0x80 | q[2]&0x01 // QR, the query's RD
	r[3] = 0x80 | 3         // RA, NXDOMAIN
	r[6], r[7], r[8], r[9], r[10], r[11] = 0, 0, 0, 0, 0, 0
	return r
}

func main() {
	name := flag.String("name", "db.gg-test.invalid", "the host name to connect to")
	port := flag.Int("port", 5432, "the port")
	interval := flag.Duration("interval", time.Second, "how often to try again")
	addr := flag.String("serve", "", "be a DNS server on this UDP address instead")
	flag.Parse()
	if *addr != "" {
		serve(*addr)
		return
	}
	for {
		c, err := net.DialTimeout("tcp", net.JoinHostPort(*name, strconv.Itoa(*port)), 5*time.Second)
		if err != nil {
			log.Print(err)
		} else {
			log.Printf("dnsfail: connected to %s", c.RemoteAddr())
			c.Close()
		}
		time.Sleep(*interval)
	}
}
