/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "dns-packet.h"

#define HEADER_SIZE 12u

int dns_packet_query(const char *name, uint16_t id, uint8_t *buf, size_t size) {
        size_t n = strlen(name);
        if (n > 0 && name[n - 1] == '.')
                n--; /* fully qualified: the same name */
        if (n == 0 || n > 253 || name[n - 1] == '.')
                return -EINVAL;
        /* header, the labels (one length byte more than the name), the root label, QTYPE, QCLASS */
        size_t need = HEADER_SIZE + n + 2 + 4;
        if (need > size)
                return -ENOBUFS;
        memset(buf, 0, HEADER_SIZE);
        buf[0] = (uint8_t) (id >> 8);
        buf[1] = (uint8_t) id;
        buf[2] = 0x01; /* RD */
        buf[5] = 1;    /* QDCOUNT */
        size_t o = HEADER_SIZE;
        for (size_t i = 0; i < n;) {
                size_t l = 0;
                while (i + l < n && name[i + l] != '.')
                        l++;
                if (l == 0 || l > 63)
                        return -EINVAL;
                buf[o++] = (uint8_t) l;
                memcpy(buf + o, name + i, l);
                o += l;
                i += l + 1;
        }
        buf[o++] = 0;
        buf[o++] = 0;
        buf[o++] = 1; /* QTYPE A */
        buf[o++] = 0;
        buf[o++] = 1; /* QCLASS IN */
        return (int) o;
}

int dns_packet_reply_rcode(const uint8_t *buf, size_t len, uint16_t id, unsigned *ret_rcode) {
        if (len < HEADER_SIZE || !(buf[2] & 0x80)) /* QR: a reply */
                return -EBADMSG;
        if (((uint16_t) buf[0] << 8 | buf[1]) != id)
                return -ESRCH;
        *ret_rcode = buf[3] & 0x0f;
        return 0;
}

const char *dns_rcode_to_string(unsigned rcode) {
        static const char *const names[] = {
                [0] = "NOERROR",  [1] = "FORMERR", [2] = "SERVFAIL",
                [3] = "NXDOMAIN", [4] = "NOTIMP",  [5] = "REFUSED",
        };
        return rcode < ELEMENTSOF(names) ? names[rcode] : NULL;
}
