/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "go-exe.h"
#include "json-writer.h"

/* The members of one inspected file's JSON object (docs/goguardctl-inspect-json.md), written
 * into an object the caller has opened. */
void go_exe_to_json(const GoExe *x, JsonWriter *w);
