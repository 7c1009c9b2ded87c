/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "macro.h"

/* One AppArmor record (apparmor="..."; a kernel AVC/1400 or a USER_AVC from dbus-daemon) read
 * with libapparmor's parse_record() (lib/apparmor-record.c), or by a reader of the same fields
 * without it (lib/apparmor-record-fallback.c, meson -Dapparmor=disabled). The input is the raw
 * audit.log form (audit-record.h); forms parse_record() refuses though they carry the same
 * record ("node=" prefix, class="...", requested=/denied= of newer kernels) are made ones it takes. */

typedef enum AppArmorEvent {
        APPARMOR_EVENT_DENIED,
        APPARMOR_EVENT_ALLOWED, /* complain mode: what enforce mode would deny */
        APPARMOR_EVENT_AUDIT,
        APPARMOR_EVENT_STATUS, /* policy loads, profile replacements */
        APPARMOR_EVENT_HINT,
        APPARMOR_EVENT_ERROR,
        _APPARMOR_EVENT_MAX,
        _APPARMOR_EVENT_INVALID = -1,
} AppArmorEvent;

const char *apparmor_event_to_string(AppArmorEvent e) _pure_;

typedef struct AppArmorRecord {
        AppArmorEvent event;
        uint64_t pid; /* the process's; for a USER_AVC the msg's pid= */
        uint64_t peer_pid;
        char *operation;
        char *profile; /* profile= or label= */
        char *peer;    /* peer= or peer_label= */
        char *name;    /* the path, or for a capability its name */
        char *name2;
        char *comm; /* for a USER_AVC: the exe= path (parse_record's way) */
        char *requested_mask;
        char *denied_mask;
        char *class_; /* class="..." of newer kernels, or NULL */
        char *info;
        char *net_family;
        char *net_sock_type;
        char *dbus_bus;
        char *dbus_path;
        char *dbus_interface;
        char *dbus_member;
        char *signal;
} AppArmorRecord;

void apparmor_record_done(AppArmorRecord *r);
/* Whether the text holds an AppArmor record at all (cheap). */
bool apparmor_record_is(const char *text, size_t len);
/* -EINVAL when it is none, or unreadable. */
int apparmor_record_parse(const char *text, size_t len, AppArmorRecord *ret);
/* The shared step of both parsers: the text made one parse_record() takes, in a string the
 * caller frees, with the class="..." value (or NULL) apart; -EINVAL when it holds no AppArmor
 * record. */
int apparmor_record_normalize(const char *text, size_t len, char **ret, char **ret_class);
