/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One line of an audit log: the forms it is read in (audit-log.h), the header rebuilt from the
 * journal's and the kernel's forms (audit-record.h), the header and fields read (audit-fields.h),
 * and the AppArmor record read (apparmor-record.h). */
#include <errno.h>
#include <string.h>

#include "apparmor-record.h"
#include "audit-fields.h"
#include "audit-log.h"
#include "audit-record.h"
#include "fuzz-util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *line = (const char *) data;
        _cleanup_(strbuf_done) StrBuf b = {};
        const char *rec;
        size_t n, next;

        /* the lines as the reader splits them */
        size_t len = audit_log_next_line(line, size, &next);
        FUZZ_CHECK(len <= size && next <= size && next >= len);
        int r = audit_log_line(line, size, 1, 7, &b, &rec, &n);
        FUZZ_CHECK(r == 0 || r == 1);
        if (r == 1) {
                AuditHeader h;
                FUZZ_CHECK(audit_header_parse(rec, n, &h) == 0);
                FUZZ_CHECK(h.body <= n);
                AuditSpan v;
                if (audit_field(rec, n, "pid", &v))
                        FUZZ_CHECK(v.p >= rec && v.p + v.n <= rec + n);
                AuditAvc avc;
                if (audit_avc_parse(rec, n, &avc) == 0)
                        FUZZ_CHECK(avc.perms.p >= rec && avc.perms.p + avc.perms.n <= rec + n);
                AppArmorRecord a;
                int k = apparmor_record_parse(rec, n, &a);
                FUZZ_CHECK(k == 0 || k == -EINVAL);
                if (k == 0) {
                        FUZZ_CHECK(apparmor_event_to_string(a.event));
                        apparmor_record_done(&a);
                }
        }
        _cleanup_free_ char *from_kernel = NULL, *from_journal = NULL, *from_netlink = NULL;
        r = audit_record_from_kernel_line(line, size, &from_kernel);
        FUZZ_CHECK(r == 0 || r == -EINVAL);
        FUZZ_CHECK(audit_kernel_line_is_record(line, size) == (r == 0));
        if (r == 0) {
                AuditHeader h;
                FUZZ_CHECK(audit_header_parse(from_kernel, strlen(from_kernel), &h) == 0 ||
                           memchr(line, 0, size)); /* a NUL cuts the copy short */
        }
        int type = size > 0 ? data[0] * 8 : 0;
        r = audit_record_from_journal(size > 1 && data[1] & 1 ? NULL : "AVC", type, size,
                                      1700000000123456ull, line, size, &from_journal);
        FUZZ_CHECK(r == 0 || r == -EINVAL);
        r = audit_record_from_netlink(1400, line, size, &from_netlink);
        FUZZ_CHECK(r == 0 || r == -EINVAL);
        return 0;
}
