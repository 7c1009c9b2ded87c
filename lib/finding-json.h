/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "finding.h"
#include "json-writer.h"

/* One finding as a JSON object (docs/findings.md). */
void finding_to_json(const Finding *f, JsonWriter *w);
/* The same with "host" after "id" when with_host (goguardctl analyze over several hosts; NULL:
 * null). */
void finding_to_json_host(const Finding *f, bool with_host, const char *host, JsonWriter *w);
