/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* The one DNS exchange goguardd makes itself: a query for a name's A record to a server a unit
 * failed to get an answer from, to tell "the server answers the host" from "nothing answers".
 * Only the header of the reply matters: that it is ours and its RCODE. */

#define DNS_PACKET_QUERY_MAX 512u /* a name of 255 bytes fits with room to spare */

/* Writes the query (recursion desired) into buf; returns its length, -EINVAL for a name that is
 * not a DNS name (a label over 63 bytes, an empty label, over 253 bytes), -ENOBUFS if buf is
 * too small. */
int dns_packet_query(const char *name, uint16_t id, uint8_t *buf, size_t size);

/* 0 with the RCODE (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED, ...) of a reply to query id;
 * -EBADMSG for something that is not a reply, -ESRCH for a reply to another query. */
int dns_packet_reply_rcode(const uint8_t *buf, size_t len, uint16_t id, unsigned *ret_rcode);

/* "NOERROR", "NXDOMAIN", ...; NULL for an RCODE without a name here. */
const char *dns_rcode_to_string(unsigned rcode) _pure_;
