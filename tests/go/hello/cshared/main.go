// SPDX-License-Identifier: LGPL-2.1-or-later

// Command cshared is built with -buildmode=c-shared: a Go shared object with an exported C
// function.
package main

import "C"

import "example.com/dep"

//export GoguardAnswer
func GoguardAnswer() C.int {
	return C.int(len(dep.Greeting()))
}

func main() {}
