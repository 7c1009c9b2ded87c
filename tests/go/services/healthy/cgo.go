// SPDX-License-Identifier: LGPL-2.1-or-later

//go:build cgo

package main

// #include <unistd.h>
// static int healthy_cgo_pid(void) { return (int) getpid(); }
import "C"

func init() {
	cgoEnabled = C.healthy_cgo_pid() > 0
}
