/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "apparmor-record.h"
#include "audit-event.h"

/* One assembled audit event read as a security denial: what was denied to whom, in fixed-size
 * fields (cut where longer), with the event's other records' facts (SYSCALL exe, CWD, PATH).
 * Pure. */

typedef enum DenialMac {
        DENIAL_MAC_SELINUX,
        DENIAL_MAC_APPARMOR,
} DenialMac;

#define DENIAL_FIELD_MAX 256u
#define DENIAL_PATH_MAX  1024u

typedef struct Denial {
        DenialMac mac;
        int record_type; /* AVC (1400), USER_AVC (1107), APPARMOR_* */
        /* Would the access be denied with the policy enforced? And was it (permissive=0 /
         * apparmor="DENIED")? ALLOWED and permissive=1 are allowed now, denied under enforce. */
        bool enforced;
        char node[64];
        uint64_t sec;
        unsigned msec;
        uint64_t serial;
        uint64_t pid;        /* the denied process: the AVC's pid=, a USER_AVC's msg pid or spid */
        uint64_t header_pid; /* a USER_AVC's sender (dbus-daemon, PID 1) */
        uint64_t spid, tpid; /* dbus-daemon's sender and target */
        char comm[64];
        char exe[DENIAL_PATH_MAX]; /* SYSCALL's exe=, or a USER_AVC's */
        /* SELinux: contexts and their types; AppArmor: profile (source) and peer (target). */
        char scontext[DENIAL_FIELD_MAX], tcontext[DENIAL_FIELD_MAX];
        char stype[DENIAL_FIELD_MAX], ttype[DENIAL_FIELD_MAX];
        char tclass[64];              /* tclass=, or AppArmor's class=/operation */
        char operation[64];           /* AppArmor's */
        char perms[DENIAL_FIELD_MAX]; /* "read write", AppArmor's denied (or requested) mask */
        /* What was accessed: path=, name= with CWD/PATH, a port, a D-Bus member, a capability. */
        char target[DENIAL_PATH_MAX];
        bool target_is_path;
        uint64_t port;                   /* src=/dest= of a socket denial */
        char unit_file[DENIAL_PATH_MAX]; /* tclass=service: path= or unit= */
        /* AppArmor's rule parts */
        char aa_name2[DENIAL_PATH_MAX];
        char aa_family[32], aa_sock_type[32], aa_signal[32], aa_peer[DENIAL_FIELD_MAX];
        char dbus_bus[32], dbus_path[DENIAL_FIELD_MAX], dbus_interface[DENIAL_FIELD_MAX],
                dbus_member[DENIAL_FIELD_MAX];
        /* the first record (the AVC), verbatim, cut */
        char record[1024];
} Denial;

/* 1 and the denial when the event holds one (AVC/USER_AVC denied or granted-in-permissive,
 * AppArmor DENIED/ALLOWED), 0 when it is no denial (STATUS, AUDIT, policy loads, granted, other
 * records), -errno. */
int denial_from_event(const AuditEvent *e, Denial *ret);
/* The source type without MCS categories (its level dropped): "container_t" for
 * "system_u:system_r:container_t:s0:c1,c2". */
const char *denial_mac_to_string(DenialMac m) _pure_;
