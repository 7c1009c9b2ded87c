/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"
#include "unit-settings.h"

/* /etc/resolv.conf as Go's own resolver reads it (src/net/dnsconfig_unix.go): at most three
 * nameservers, each "IP:53"; the last "search" or "domain" line; the options Go knows. Without
 * a nameserver Go asks 127.0.0.1:53 and [::1]:53. */

#define RESOLV_CONF_SIZE_MAX        (64u * 1024u)
#define RESOLV_CONF_NAMESERVERS_MAX 3u /* Go's limit, and glibc's MAXNS */
#define RESOLV_CONF_SERVER_MAX      64u
#define RESOLV_CONF_LIST_MAX        256u

typedef struct ResolvConf {
        char servers[RESOLV_CONF_NAMESERVERS_MAX][RESOLV_CONF_SERVER_MAX]; /* "127.0.0.53:53" */
        size_t n_servers;
        size_t n_servers_ignored;           /* beyond the limit, or not an IP address */
        char search[RESOLV_CONF_LIST_MAX];  /* space-separated, "" when none */
        char options[RESOLV_CONF_LIST_MAX]; /* the options Go reads, space-separated */
        unsigned timeout_sec;               /* 5 unless options timeout:N */
        unsigned attempts;                  /* 2 unless options attempts:N */
        bool truncated;                     /* search or options did not fit */
} ResolvConf;

/* 0 for any text (a file without nameserver lines is valid: Go then asks localhost);
 * -E2BIG beyond RESOLV_CONF_SIZE_MAX. */
int resolv_conf_parse(const char *text, size_t size, ResolvConf *ret);
/* The servers Go asks: the file's, or its defaults when the file names none. */
size_t resolv_conf_servers(const ResolvConf *rc, const char *const **ret_defaults);

/* Which file of the host the unit's programs see as /etc/resolv.conf, from its settings: a
 * BindReadOnlyPaths=/BindPaths= onto it (or onto /etc), else inside RootDirectory=, else the
 * host's. ret_path is NULL (and 0 returned) when goguardd cannot read it from the host
 * (RootImage=); *ret_basis says why, in words. */
int resolv_conf_unit_path(const UnitSettings *s, char **ret_path, const char **ret_basis);
