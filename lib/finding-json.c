/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "finding-json.h"

void finding_to_json(const Finding *f, JsonWriter *w) {
        finding_to_json_host(f, false, NULL, w);
}

void finding_to_json_host(const Finding *f, bool with_host, const char *host, JsonWriter *w) {
        static const char *const advice_kinds[_ADVICE_KIND_MAX] = { "text", "dropin", "command", "policy" };
        const FindingClassInfo *info = finding_class_info(f->class);

        json_begin_object(w);
        json_key(w, "id");
        json_string(w, f->id);
        if (with_host) {
                json_key(w, "host");
                json_string(w, host);
        }
        json_key(w, "unit");
        json_string(w, f->unit);
        json_key(w, "invocation_id");
        json_string(w, f->invocation_id[0] ? f->invocation_id : NULL);
        json_key(w, "class");
        json_string(w, info->name);
        json_key(w, "message_id");
        json_string(w, info->message_id);
        json_key(w, "severity");
        json_string(w, finding_severity_to_string(f->severity));
        json_key(w, "state");
        json_string(w, finding_state_to_string(f->state));
        json_key(w, "summary");
        json_string(w, f->summary);
        json_key(w, "first_seen");
        json_uint(w, f->first_seen);
        json_key(w, "last_seen");
        json_uint(w, f->last_seen);
        json_key(w, "count");
        json_uint(w, f->count);
        json_key(w, "evidence");
        json_begin_object(w);
        for (size_t i = 0; i < f->n_evidence; i++) {
                const Evidence *e = &f->evidence[i];
                json_key(w, e->key);
                switch (e->type) {
                case EVIDENCE_STRING: json_string(w, e->s); break;
                case EVIDENCE_I64: json_int(w, e->i); break;
                case EVIDENCE_BOOL: json_bool(w, e->u != 0); break;
                case EVIDENCE_U64:
                case EVIDENCE_USEC:
                default:
                        /* UINT64_MAX is systemd's "infinity". */
                        if (e->u == UINT64_MAX)
                                json_string(w, "infinity");
                        else
                                json_uint(w, e->u);
                }
        }
        json_end_object(w);
        json_key(w, "advice");
        json_begin_array(w);
        for (size_t i = 0; i < f->n_advice; i++) {
                json_begin_object(w);
                json_key(w, "kind");
                json_string(w, advice_kinds[f->advice[i].kind]);
                json_key(w, "text");
                json_string(w, f->advice[i].text);
                json_key(w, "snippet");
                json_string(w, f->advice[i].snippet);
                json_end_object(w);
        }
        json_end_array(w);
        json_end_object(w);
}
