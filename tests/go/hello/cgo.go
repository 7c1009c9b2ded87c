// SPDX-License-Identifier: LGPL-2.1-or-later

//go:build cgo

package main

/*
static int goguard_answer(void) { return 42; }
*/
import "C"

import "strconv"

// cgoAnswer calls into C, so CGO_ENABLED=1 builds link libc dynamically.
func cgoAnswer() string {
	return strconv.Itoa(int(C.goguard_answer()))
}
