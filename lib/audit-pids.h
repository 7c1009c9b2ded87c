/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The processes a live audit record names, for tying it to a unit when it arrives, while they
 * still run (attribution rule 1 of the security family). Pure: a reader resolves the pids. */
typedef struct AuditPids {
        /* The first pid= of the body: the process the record is about (a kernel AVC's subject,
         * a SYSCALL's caller, the sender of a USER_* record). An initial pid namespace's pid, as
         * every pid the kernel writes. 0 when none. */
        uint32_t pid;
        /* A record the system bus daemon (dbus-daemon, dbus-broker) sent about a message it
         * refused: the sending and the receiving process (SELinux's spid=/tpid=, AppArmor's
         * pid=/peer_pid= in msg='...'), pids of the bus daemon's own pid namespace. 0 when not
         * such a record. */
        uint32_t sender_pid;
        uint32_t peer_pid;
        bool from_bus_daemon;
} AuditPids;

/* record is the raw audit.log form "type=NAME msg=audit(S.MS:N): BODY". Returns 0 with *ret
 * filled (pids 0 when absent), -EBADMSG when it has no audit header, -E2BIG beyond
 * AUDIT_PIDS_RECORD_MAX. */
#define AUDIT_PIDS_RECORD_MAX (64u * 1024u)
int audit_pids_parse(const char *record, size_t len, AuditPids *ret);
/* The header's time, µs since the epoch, and serial; -EBADMSG without a readable header. */
int audit_record_time(const char *record, size_t len, uint64_t *ret_usec, uint64_t *ret_serial);
