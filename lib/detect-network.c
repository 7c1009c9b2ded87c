/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The network family. dns-resolution lives in network-dns.c; this file only hands it its lines. */
#include "detector.h"
#include "network-dns.h"

static const FindingClass classes[] = {
        FINDING_DNS_RESOLUTION,
        _FINDING_CLASS_INVALID,
};

typedef struct NetworkDetector {
        Correlator *c;
} NetworkDetector;

static int network_init(Correlator *c, void *state) {
        NetworkDetector *d = state;
        d->c = c;
        return 0;
}

static int network_on_unit_line(void *state, const JournalRecord *r, const char *needle) {
        NetworkDetector *d = state;
        return network_dns_on_unit_line(d->c, r, needle);
}

const Detector detector_network = {
        .family = "network",
        .classes = classes,
        .unit_needles = network_dns_unit_needles,
        .state_size = sizeof(NetworkDetector),
        .init = network_init,
        .on_unit_line = network_on_unit_line,
};
