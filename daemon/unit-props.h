/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "bus-map.h"

/* org.freedesktop.systemd1.Service into UnitSettings. */
extern const BusPropMap service_prop_map[];
extern const size_t service_prop_map_len;
/* org.freedesktop.systemd1.Unit into UnitSettings, and into the WatchedUnit. */
extern const BusPropMap unit_prop_map[];
extern const size_t unit_prop_map_len;
extern const BusPropMap watched_unit_prop_map[];
extern const size_t watched_unit_prop_map_len;

/* The entry of service_prop_map for one property, NULL if there is none. */
const BusPropMap *service_prop_find(const char *name);
