/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "go-exe.h"
#include "json-writer.h"

/* The members of one inspected file's JSON object (docs/goguardctl-inspect-json.md), written
 * into an object the caller has opened. Without show_secrets, the values of the build settings
 * that can carry secrets are GO_SETTING_REDACTED (go-modinfo.h): for whoever could not read the
 * file itself. */
void go_exe_to_json(const GoExe *x, bool show_secrets, JsonWriter *w);
