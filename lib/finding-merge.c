/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "finding-merge.h"
#include "hex.h"

static bool logged_by_goguardd(const Finding *f) {
        const Evidence *e = finding_get(f, "reported_by");
        return e && e->s && strcmp(e->s, "goguardd") == 0;
}

/* The finding of this class and unit that counted the occurrence key. */
static Finding *find_by_key(const FindingStore *s, FindingClass c, const char *unit, const char *key) {
        size_t i = 0;
        void *v;
        if (!key || !*key)
                return NULL;
        while (hashmap_iterate(s->by_id, &i, &v, NULL)) {
                Finding *f = v;
                if (f->class == c && strcmp(f->unit, unit) == 0 && finding_seen(f, key))
                        return f;
        }
        return NULL;
}

/* The same finding, logged again (goguardd rebuilt its findings from the journal and wrote them
 * anew, or wrote its count later): one finding, the most it counted. */
static void update_logged(Finding *f, const LoggedFinding *l) {
        if (l->count > f->count)
                f->count = l->count;
        if (l->realtime > f->last_seen)
                f->last_seen = l->realtime;
        if (l->realtime > 0 && l->realtime < f->first_seen)
                f->first_seen = l->realtime;
}

static int add_logged(FindingStore *s, FindingClass c, const LoggedFinding *l, Finding **ret) {
        _cleanup_(finding_freep) Finding *f = NULL;
        int r = finding_new(c, l->unit, l->occurrence_key ?: "", &f);
        if (r < 0)
                return r == -EINVAL ? -EBADMSG : r;
        memcpy(f->id, l->id, sizeof f->id); /* as goguardd made it, from what it saw first */
        FindingSeverity sev = finding_severity_from_string(l->severity);
        if (sev >= 0)
                f->severity = sev;
        if (l->occurrence_key && *l->occurrence_key) {
                r = finding_record(f, l->occurrence_key, l->invocation_id, l->realtime);
                if (r < 0)
                        return r;
        } else if (l->invocation_id && strlen(l->invocation_id) == 32)
                memcpy(f->invocation_id, l->invocation_id, 33);
        f->count = MAX(l->count, (uint64_t) 1);
        f->first_seen = f->last_seen = l->realtime;
        if (l->summary && *l->summary && (r = finding_set_summary(f, l->summary)) < 0)
                return r;
        if ((r = finding_set_string(f, "reported_by", "goguardd")) < 0)
                return r;
        if (l->evidence_cursor && *l->evidence_cursor &&
            (r = finding_set_string(f, "journal_cursor", l->evidence_cursor)) < 0)
                return r;
        if (l->dropin && *l->dropin &&
            (r = finding_add_advice(f, ADVICE_DROPIN, "The drop-in goguardd advised on that host.",
                                    l->dropin)) < 0)
                return r;
        Finding *added = f;
        r = finding_store_add(s, TAKE_PTR(f));
        if (r < 0)
                return r;
        if (ret)
                *ret = added;
        return 1;
}

int finding_store_merge_logged(FindingStore *s, const LoggedFinding *l, Finding **ret) {
        FindingClass c = finding_class_from_string(l->class);
        if (c < 0 || !id128_is_valid(l->id) || !l->unit || !*l->unit)
                return -EBADMSG;

        Finding *f = finding_store_get(s, l->id);
        if (!f)
                f = find_by_key(s, c, l->unit, l->occurrence_key);
        if (!f)
                return add_logged(s, c, l, ret);
        if (logged_by_goguardd(f))
                update_logged(f, l);
        else if (!finding_get(f, "goguardd_finding_id")) {
                /* Counted from the records already: goguardd's word adds no occurrence. */
                int r = finding_set_string(f, "goguardd_finding_id", l->id);
                if (r < 0)
                        return r;
        }
        if (ret)
                *ret = f;
        return 0;
}
