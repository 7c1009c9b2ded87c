// SPDX-License-Identifier: LGPL-2.1-or-later

// Package config is the dependency the crasher test service panics in: a module of its own,
// required at v1.4.2 and replaced by this directory, so that goguardd's panic finding names the
// module and version the panicking function belongs to.
package config

import "strings"

// Parse panics on an empty configuration, as a library that validates with panic does.
func Parse(text string) map[string]string {
	if text == "" {
		panic("crashlib: empty configuration")
	}
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		k, v, _ := strings.Cut(line, "=")
		out[k] = v
	}
	return out
}
