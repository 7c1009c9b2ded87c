/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "finding.h"
#include "security-advice.h"
#include "security-label.h"
#include "strbuf.h"

/* Booleans of Fedora's targeted policy (selinux-policy's *.te, as `semanage boolean -l` lists
 * them) that allow a denial of these shapes: a table of well-known cases, not a query of the
 * host's policy (audit2why needs the loaded policy). "*" matches any; the first match wins. */
static const struct {
        const char *stype, *ttype, *tclass, *perm, *boolean;
} booleans[] = {
        { "httpd_t", "postgresql_port_t", "tcp_socket", "name_connect", "httpd_can_network_connect_db" },
        { "httpd_t", "mysqld_port_t", "tcp_socket", "name_connect", "httpd_can_network_connect_db" },
        { "httpd_t", "*", "tcp_socket", "name_connect", "httpd_can_network_connect" },
        { "httpd_sys_script_t", "*", "tcp_socket", "name_connect", "httpd_can_network_connect" },
        { "httpd_t", "user_home_dir_t", "*", "*", "httpd_enable_homedirs" },
        { "httpd_t", "user_home_t", "*", "*", "httpd_enable_homedirs" },
        { "httpd_t", "nfs_t", "*", "*", "httpd_use_nfs" },
        { "httpd_t", "*", "process", "execmem", "httpd_execmem" },
        { "ftpd_t", "user_home_t", "*", "*", "ftp_home_dir" },
        { "*", "*", "file", "map", "domain_can_mmap_files" },
};

/* Port types of services whose domain binds them (selinux-policy's corenetwork). */
static const struct {
        const char *stype, *port_type;
} port_types[] = {
        { "httpd_t", "http_port_t" },
        { "sshd_t", "ssh_port_t" },
        { "named_t", "dns_port_t" },
};

static bool match(const char *pattern, const char *s) {
        return strcmp(pattern, "*") == 0 || strcmp(pattern, s) == 0;
}

static bool has_word(const char *words, const char *w) {
        size_t n = strlen(w);
        for (const char *p = words; (p = strstr(p, w)); p += n)
                if ((p == words || p[-1] == ' ') && (p[n] == 0 || p[n] == ' '))
                        return true;
        return false;
}

const char *selinux_boolean_for(const char *stype, const char *ttype, const char *tclass,
                                const char *perms) {
        for (size_t i = 0; i < ELEMENTSOF(booleans); i++)
                if (match(booleans[i].stype, stype) && match(booleans[i].ttype, ttype) &&
                    match(booleans[i].tclass, tclass) &&
                    (strcmp(booleans[i].perm, "*") == 0 || has_word(perms, booleans[i].perm)))
                        return booleans[i].boolean;
        return NULL;
}

static bool is_file_class(const char *c) {
        static const char *const classes[] = { "file",     "dir",       "lnk_file", "chr_file",
                                               "blk_file", "sock_file", "fifo_file" };
        for (size_t i = 0; i < ELEMENTSOF(classes); i++)
                if (strcmp(c, classes[i]) == 0)
                        return true;
        return false;
}

/* Types a file gets where no rule of the policy names it: most likely mislabeled (copied,
 * created by hand), so restorecon (or a file context rule) is the fix, not an allow rule. */
static bool is_generic_type(const char *t) {
        static const char *const types[] = { "default_t",       "file_t",      "unlabeled_t",
                                             "var_t",           "tmp_t",       "user_home_t",
                                             "user_home_dir_t", "home_root_t", "admin_home_t" };
        for (size_t i = 0; i < ELEMENTSOF(types); i++)
                if (strcmp(t, types[i]) == 0)
                        return true;
        return false;
}

static void quote(StrBuf *b, const char *s) {
        strbuf_append_char(b, '\'');
        for (; *s; s++)
                if (*s == '\'')
                        strbuf_append(b, "'\\''");
                else
                        strbuf_append_char(b, *s);
        strbuf_append_char(b, '\'');
}

static void add(Finding *f, AdviceKind kind, const char *text, StrBuf *snippet) {
        if (strbuf_error(snippet) >= 0)
                (void) finding_add_advice(f, kind, text, snippet->data ?: "");
        strbuf_done(snippet);
}

static bool selinux_mislabel(Finding *f, const Denial *den, const SecurityLabels *labels) {
        _cleanup_free_ char *expected = NULL;
        StrBuf b = {};
        char text[1024];

        if (!den->target_is_path || !is_file_class(den->tclass))
                return false;
        int r = security_labels_expected_type(labels, den->target, &expected);
        if (r >= 0) {
                (void) finding_set_string(f, "denial_expected_type", expected);
                if (strcmp(expected, den->ttype) == 0)
                        return false; /* labeled as the policy says: not a label problem */
                snprintf(text, sizeof text,
                         "The file is labeled %s; this host's policy gives its path %s: restore it:",
                         den->ttype, expected);
        } else if (is_generic_type(den->ttype))
                snprintf(text, sizeof text,
                         "The file's label %s is a generic one (copied or created by hand?): restore the "
                         "label the "
                         "policy gives its path (matchpathcon shows it), or give the path a type %s may use "
                         "with "
                         "semanage fcontext -a -t TYPE and then restorecon:",
                         den->ttype, den->stype);
        else
                return false;
        strbuf_append(&b, "restorecon -v ");
        quote(&b, den->target);
        add(f, ADVICE_COMMAND, text, &b);
        return true;
}

static void selinux_advise(Finding *f, const Denial *den, const SecurityLabels *labels) {
        StrBuf b = {};
        char text[1024];

        bool mislabel = selinux_mislabel(f, den, labels);
        const char *boolean = selinux_boolean_for(den->stype, den->ttype, den->tclass, den->perms);
        if (boolean) {
                (void) finding_set_string(f, "denial_boolean", boolean);
                (void) finding_set_string(f, "denial_boolean_source", "built-in table");
                strbuf_appendf(&b, "setsebool -P %s on", boolean);
                snprintf(text, sizeof text,
                         "The boolean %s allows this (a well-known case; getsebool %s shows its value):",
                         boolean, boolean);
                add(f, ADVICE_COMMAND, text, &b);
        }
        bool port = false;
        if (den->port && has_word(den->perms, "name_bind"))
                for (size_t i = 0; i < ELEMENTSOF(port_types); i++)
                        if (strcmp(port_types[i].stype, den->stype) == 0) {
                                strbuf_appendf(&b, "semanage port -a -t %s -p %s %llu",
                                               port_types[i].port_type,
                                               strncmp(den->tclass, "udp", 3) == 0 ? "udp" : "tcp",
                                               (unsigned long long) den->port);
                                snprintf(
                                        text, sizeof text, "Port %llu is not one %s may bind: make it a %s:",
                                        (unsigned long long) den->port, den->stype, port_types[i].port_type);
                                add(f, ADVICE_COMMAND, text, &b);
                                port = true;
                        }
        if (mislabel || boolean || port || !den->stype[0] || !den->ttype[0] || !den->tclass[0] ||
            !den->perms[0])
                return;
        strbuf_appendf(&b, "allow %s %s:%s { %s };", den->stype, den->ttype, den->tclass, den->perms);
        add(f, ADVICE_POLICY,
            "As a last resort, a local policy module (type enforcement) with this rule allows it; "
            "audit2allow "
            "makes one from the record:",
            &b);
}

/* AppArmor's file permissions for an audit mask: create and delete are write in a profile. */
static void file_perms(const char *mask, char *buf, size_t size) {
        static const char order[] = "mrwalkx";
        size_t n = 0;
        for (const char *o = order; *o && n + 2 < size; o++) {
                bool want = strchr(mask, *o) || (*o == 'w' && (strchr(mask, 'c') || strchr(mask, 'd')));
                if (!want)
                        continue;
                if (*o == 'x')
                        buf[n++] = 'i';
                buf[n++] = *o;
        }
        buf[n] = 0;
}

static void apparmor_advise(Finding *f, const Denial *den) {
        StrBuf b = {};
        char perms[16], text[1024];

        if (strcmp(den->operation, "capable") == 0 && den->target[0])
                strbuf_appendf(&b, "capability %s,", den->target);
        else if (strcmp(den->operation, "userns_create") == 0)
                strbuf_append(&b, "userns,");
        else if (den->aa_signal[0])
                strbuf_appendf(&b, "signal (%s) set=(%s)%s%s,", den->perms, den->aa_signal,
                               den->aa_peer[0] ? " peer=" : "", den->aa_peer);
        else if (den->dbus_member[0] || den->dbus_interface[0])
                strbuf_appendf(&b, "dbus %s bus=%s path=%s interface=%s member=%s%s%s%s,",
                               den->perms[0] ? den->perms : "send", den->dbus_bus, den->dbus_path,
                               den->dbus_interface, den->dbus_member, den->aa_peer[0] ? " peer=(label=" : "",
                               den->aa_peer, den->aa_peer[0] ? ")" : "");
        else if (den->target_is_path) {
                file_perms(den->perms, perms, sizeof perms);
                if (strncmp(den->target, "/proc/", 6) == 0 && den->target[6] >= '0' &&
                    den->target[6] <= '9') {
                        const char *rest = den->target + 6;
                        while (*rest >= '0' && *rest <= '9')
                                rest++;
                        strbuf_appendf(&b, "@{PROC}/@{pid}%s %s,", rest, perms);
                } else
                        /* systemd's notify socket is a path-bound unix socket: AppArmor mediates
                         * sending to it as writing the file. */
                        strbuf_appendf(&b, "%s %s,", den->target, perms);
        } else if (den->aa_family[0])
                strbuf_appendf(&b, "network %s %s,", den->aa_family, den->aa_sock_type);
        else
                return;
        snprintf(text, sizeof text,
                 "%sAdd this line to the profile %s, then reload it (apparmor_parser -r):",
                 den->enforced ? "" : "Complain mode allowed it; enforce mode would deny it. ", den->stype);
        add(f, ADVICE_POLICY, text, &b);
}

/* The unit's own setting put its processes under this profile or context: it can change it. */
static void unit_setting_advise(Finding *f, const Denial *den, const UnitKnowledge *k,
                                const char *attributed_by) {
        bool aa = strcmp(attributed_by, "apparmor-profile") == 0;
        if (!k->settings || (!aa && strcmp(attributed_by, "selinux-context") != 0))
                return;
        const char *setting = aa ? "AppArmorProfile" : "SELinuxContext";
        const char *value = aa ? k->settings->apparmor_profile : k->settings->selinux_context;
        char text[1024];
        snprintf(text, sizeof text,
                 "The unit itself puts its processes under %s with %s=%s: to run it under another one (or, "
                 "to "
                 "see whether this is the cause, without: an empty %s=), set it in a drop-in:",
                 den->stype, setting, value ?: "", setting);
        StrBuf b = {};
        strbuf_appendf(&b, "[Service]\n%s=\n", setting);
        add(f, ADVICE_DROPIN, text, &b);
}

void security_denial_advise(Finding *f, const Denial *den, const UnitKnowledge *k, const char *attributed_by,
                            const SecurityLabels *labels) {
        if (den->mac == DENIAL_MAC_APPARMOR)
                apparmor_advise(f, den);
        else
                selinux_advise(f, den, labels);
        unit_setting_advise(f, den, k, attributed_by);
}
