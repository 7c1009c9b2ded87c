// SPDX-License-Identifier: LGPL-2.1-or-later

// Package dep is the local dependency module of the test corpus, replaced with
// `replace example.com/dep => ./dep` in the main module.
package dep

// Greeting returns the word the test programs print.
func Greeting() string {
	return "hello"
}
