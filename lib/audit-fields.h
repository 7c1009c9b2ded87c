/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reading one audit record's text: its header and its key=value fields. Values are spans into
 * the text (never copied). A value is "quoted", 'quoted' (a USER_AVC's msg='...', whose fields
 * are searched too) or bare up to the next space. Pure. */

typedef struct AuditSpan {
        const char *p;
        size_t n;
} AuditSpan;

typedef struct AuditHeader {
        AuditSpan node; /* n == 0: no "node=" prefix */
        AuditSpan type_name;
        int type; /* from the name (audit-record.h), -1 when it names none known */
        uint64_t sec;
        unsigned msec;
        uint64_t serial;
        size_t body; /* offset of the body, after "): " */
} AuditHeader;

/* "[node=N ]type=NAME msg=audit(S.MS:SERIAL): body"; -EINVAL if the text is not of that form. */
int audit_header_parse(const char *text, size_t len, AuditHeader *ret);
/* The length of text without an ENRICHED suffix (what follows a 0x1D byte). */
size_t audit_strip_enriched(const char *text, size_t len);

/* The value of key in text (the first at a field boundary: start, space or quote before it);
 * quotes are removed. false when absent. */
bool audit_field(const char *text, size_t len, const char *key, AuditSpan *ret);
/* The same as a NUL-terminated copy in buf (cut to its size); NULL when absent. */
const char *audit_field_buf(const char *text, size_t len, const char *key, char *buf, size_t size);
bool audit_field_u64(const char *text, size_t len, const char *key, uint64_t *ret);

/* An SELinux AVC body: "avc:  denied  { read write } for ..." (also inside a USER_AVC's msg):
 * whether it is one, denied (or granted), and the permissions between the braces. */
typedef struct AuditAvc {
        bool denied;
        AuditSpan perms; /* "read write" */
} AuditAvc;
int audit_avc_parse(const char *text, size_t len, AuditAvc *ret);

/* The type of an SELinux context ("system_u:system_r:httpd_t:s0" → "httpd_t") and its MLS/MCS
 * part after the type (":s0:c1,c2", empty when none). */
bool selinux_context_type(AuditSpan ctx, AuditSpan *ret_type, AuditSpan *ret_level);
