/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One audit record as text, in the raw audit.log form every parser downstream takes:
 * "type=NAME msg=audit(SEC.MSEC:SERIAL): BODY". The other forms a record arrives in are rebuilt
 * into it here: the netlink multicast's payload (the type apart), journald's audit transport
 * (header stripped, fields apart) and the kernel's printk line ("audit: type=1400 audit(...)").
 * Pure; the strings returned are the caller's. */

/* auditd's name of a record type (1400 → "AVC"), or NULL for one it calls "UNKNOWN[N]". */
const char *audit_type_to_name(int type);
/* The reverse, also for "UNKNOWN[N]"; -EINVAL for a name it does not know. */
int audit_type_from_name(const char *name, size_t len);

/* From the netlink multicast: nlmsg_type and the payload "audit(S.MS:N): body". */
int audit_record_from_netlink(int type, const char *payload, size_t len, char **ret);
/* Whether msg is a kernel line holding an audit record ("audit: type=N audit(...): ..."), the
 * form of /dev/kmsg and of journald's kernel transport MESSAGE. */
bool audit_kernel_line_is_record(const char *msg, size_t len);
/* Rebuilds such a line; -EINVAL if it is none. */
int audit_record_from_kernel_line(const char *msg, size_t len, char **ret);
/* From a journal entry of _TRANSPORT=audit: its MESSAGE ("NAME body", or the body alone),
 * _AUDIT_TYPE_NAME (may be NULL), _AUDIT_TYPE, _AUDIT_ID and _SOURCE_REALTIME_TIMESTAMP (µs).
 * -EINVAL when type or serial is missing (0). */
int audit_record_from_journal(const char *type_name, int type, uint64_t serial, uint64_t usec,
                              const char *msg, size_t len, char **ret);
