// SPDX-License-Identifier: LGPL-2.1-or-later

// Command hello is the main program of the goguard inspect test corpus: small, with one
// dependency module replaced by a local directory, and cgo when CGO_ENABLED=1 (cgo.go).
package main

import (
	"os"

	"example.com/dep"
)

// v is set with -ldflags=-X in some builds of the corpus.
var v = "unset"

// tags is set by tags.go when built with -tags a,b.
var tags = ""

func main() {
	os.Stdout.WriteString(dep.Greeting() + " v=" + v + " tags=" + tags + " cgo=" + cgoAnswer() + "\n")
}
