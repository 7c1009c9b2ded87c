/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "go-exe-json.h"

static void module_to_json(const GoModule *m, JsonWriter *w) {
        if (!m || !go_module_is_set(m)) {
                json_null(w);
                return;
        }
        json_begin_object(w);
        json_key(w, "path");
        json_string(w, m->path);
        json_key(w, "version");
        json_string(w, m->version);
        json_key(w, "sum");
        json_string(w, m->sum && *m->sum ? m->sum : NULL);
        json_key(w, "replace");
        module_to_json(m->replace, w);
        json_end_object(w);
}

static void elf_to_json(const GoExe *x, JsonWriter *w) {
        const ElfFacts *e = &x->elf;
        json_begin_object(w);
        json_key(w, "class");
        json_uint(w, e->elf_class);
        json_key(w, "byte_order");
        json_string(w, e->big_endian ? "big" : "little");
        json_key(w, "machine");
        json_string(w, elf_machine_to_string(e->machine));
        json_key(w, "e_machine");
        json_uint(w, e->machine);
        json_key(w, "goarch");
        json_string(w, elf_machine_to_goarch(e->machine, e->elf_class, e->big_endian));
        json_key(w, "type");
        json_string(w, elf_kind_to_string(e->kind));
        json_key(w, "linking");
        json_string(w, e->dynamic ? "dynamic" : "static");
        json_key(w, "interpreter");
        json_string(w, e->interpreter);
        json_key(w, "needed");
        json_begin_array(w);
        for (size_t i = 0; i < e->n_needed; i++) {
                json_begin_object(w);
                json_key(w, "name");
                json_string(w, e->needed[i].name);
                json_key(w, "glibc_version");
                json_string(w, e->needed[i].glibc_version);
                json_end_object(w);
        }
        json_end_array(w);
        json_key(w, "glibc_version");
        json_string(w, e->glibc_version);
        json_key(w, "rpath");
        json_string(w, e->rpath);
        json_key(w, "runpath");
        json_string(w, e->runpath);
        json_key(w, "soname");
        json_string(w, e->soname);
        json_key(w, "go_build_id");
        json_string(w, e->go_build_id);
        json_key(w, "gnu_build_id");
        json_string(w, e->gnu_build_id);
        json_key(w, "section_headers");
        json_bool(w, e->has_section_headers);
        json_end_object(w);
}

void go_exe_to_json(const GoExe *x, bool show_secrets, JsonWriter *w) {
        const GoModInfo *mi = x->modinfo;

        json_key(w, "go");
        json_bool(w, x->is_go);
        json_key(w, "not_go_reason");
        json_string(w, x->is_go ? NULL : x->not_go_reason);
        json_key(w, "evidence");
        json_begin_array(w);
        for (unsigned bit = 1; bit <= GO_EVIDENCE_MODINFO_SENTINELS; bit <<= 1)
                if (x->evidence & bit)
                        json_string(w, go_evidence_to_string((GoEvidence) bit));
        json_end_array(w);
        json_key(w, "go_version");
        json_string(w, x->have_buildinfo ? x->buildinfo.version : NULL);
        json_key(w, "buildinfo_layout");
        json_string(w, !x->have_buildinfo ? NULL : x->buildinfo.inline_strings ? "inline" : "pointer");
        json_key(w, "modinfo_error");
        json_string(w, x->modinfo_error);
        json_key(w, "main_package");
        json_string(w, mi && mi->path && *mi->path ? mi->path : NULL);
        json_key(w, "main_module");
        module_to_json(mi ? &mi->main : NULL, w);
        json_key(w, "deps");
        json_begin_array(w);
        for (size_t i = 0; mi && i < mi->n_deps; i++)
                module_to_json(&mi->deps[i], w);
        json_end_array(w);
        json_key(w, "build_settings");
        json_begin_array(w);
        for (size_t i = 0; mi && i < mi->n_settings; i++) {
                json_begin_object(w);
                json_key(w, "key");
                json_string(w, mi->settings[i].key);
                json_key(w, "value");
                json_string(w, go_setting_value_shown(&mi->settings[i], show_secrets));
                json_end_object(w);
        }
        json_end_array(w);
        json_key(w, "cgo");
        if (x->cgo < 0)
                json_null(w);
        else
                json_bool(w, x->cgo);
        json_key(w, "signal_handling");
        json_string(w, go_exe_signal_handling(x));
        json_key(w, "goos");
        json_string(w, x->goos);
        json_key(w, "goarch");
        json_string(w, x->goarch);
        json_key(w, "arch_level");
        if (x->arch_level) {
                json_begin_object(w);
                json_key(w, "key");
                json_string(w, x->arch_level_key);
                json_key(w, "value");
                json_string(w, x->arch_level);
                json_end_object(w);
        } else
                json_null(w);
        json_key(w, "build_mode");
        json_string(w, x->buildmode);
        json_key(w, "vcs");
        const char *vcs = mi ? go_modinfo_setting(mi, "vcs") : NULL;
        if (vcs) {
                const char *modified = go_modinfo_setting(mi, "vcs.modified");
                json_begin_object(w);
                json_key(w, "system");
                json_string(w, vcs);
                json_key(w, "revision");
                json_string(w, go_modinfo_setting(mi, "vcs.revision"));
                json_key(w, "time");
                json_string(w, go_modinfo_setting(mi, "vcs.time"));
                json_key(w, "modified");
                if (modified)
                        json_bool(w, strcmp(modified, "true") == 0);
                else
                        json_null(w);
                json_end_object(w);
        } else
                json_null(w);
        json_key(w, "elf");
        elf_to_json(x, w);
}
