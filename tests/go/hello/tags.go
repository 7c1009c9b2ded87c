// SPDX-License-Identifier: LGPL-2.1-or-later

//go:build a && b

package main

func init() {
	tags = "a,b"
}
