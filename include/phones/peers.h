/*
 * kamailio-phones: who is who in a VICIdial cluster, by address.
 *
 * The Asterisk servers are the rows of VICIdial's servers table that are
 * active and active Asterisk servers; the carriers are the hosts of the
 * routing rules' trunks. Both are held here, built with the phones at each
 * load, so that a request's source address tells which of them sent it and
 * a call can be sent to a server, without any list kept by hand.
 *
 * Addresses are kept in binary (inet_pton), so that the text of a row and
 * the address a packet came from compare equal whatever their spelling.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_PEERS_H
#define PHONES_PEERS_H

#include <stddef.h>
#include <stdint.h>

#include "phones/allocator.h"
#include "phones/phone_row.h"
#include "phones/route_rules.h"

/* Most servers and carriers held. */
#define PH_MAX_PEERS 4096

typedef enum ph_peer_kind
{
	PH_PEER_NONE = 0,
	PH_PEER_SERVER,	 /* an active Asterisk server of the cluster */
	PH_PEER_CARRIER, /* the host of a routing rule's trunk */
} ph_peer_kind_t;

/* An address in binary: family AF_INET (4 bytes) or AF_INET6 (16). */
typedef struct ph_addr
{
	int family;
	uint8_t bytes[16];
} ph_addr_t;

/* One row of VICIdial's servers table, as the database gave it. */
typedef struct ph_server_row
{
	ph_field_t server_ip;
	ph_field_t active;
	ph_field_t active_asterisk_server; /* s NULL: the column is not read */
} ph_server_row_t;

/* What became of a servers row. */
typedef enum ph_server_result
{
	PH_SERVER_ADDED = 0,
	PH_SERVER_INACTIVE,	   /* active or active_asterisk_server is not 'Y' */
	PH_SERVER_BAD_ADDRESS, /* server_ip is not an IP address */
	PH_SERVER_DUPLICATE,   /* the address is held already */
	PH_SERVER_TOO_MANY,	   /* PH_MAX_PEERS reached */
	PH_SERVER_NO_MEMORY,
} ph_server_result_t;

typedef struct ph_peers ph_peers_t;

/* An empty set; servers are reached at server_port. NULL when out of
 * memory. */
ph_peers_t *ph_peers_new(const ph_allocator_t *allocator, uint16_t server_port);

/* Adds one servers row; the set is unchanged unless PH_SERVER_ADDED. */
ph_server_result_t ph_peers_add_server(
		ph_peers_t *p, const ph_server_row_t *row);

/* Adds the host of every URI trunk of the rules whose host is an IP
 * address, at the trunk's port (5060 when it names none; 5061 for sips),
 * as a carrier. A trunk host that is a name cannot be matched to a source
 * address and is counted in *names (may be NULL); a dispatcher set is the
 * dispatcher's to match. Returns 0, -1 when out of memory (the set then
 * holds some of the carriers). */
int ph_peers_add_carriers(
		ph_peers_t *p, const ph_rules_t *rules, size_t *names);

/* Which peer sent from addr:port. Port 0 matches any port (a connection's
 * source port says nothing). *server is the server's index for
 * PH_PEER_SERVER (may be NULL). */
ph_peer_kind_t ph_peers_find(const ph_peers_t *p, const ph_addr_t *addr,
		uint16_t port, size_t *server);

/* Servers, in load order. */
size_t ph_peers_servers(const ph_peers_t *p);
/* Server i as text (NUL-terminated, as inet_ntop writes it). */
const char *ph_peers_server_ip(const ph_peers_t *p, size_t i);
uint16_t ph_peers_server_port(const ph_peers_t *p);
size_t ph_peers_carriers(const ph_peers_t *p);

/* The index of the server whose address is the text ip, or -1 when it is
 * not an address or not a server held. */
long ph_peers_server_index(const ph_peers_t *p, const char *ip, size_t len);

/* Parses the text of an IPv4 or IPv6 address (brackets allowed around
 * IPv6). Returns 0, or -1 when it is not an address. */
int ph_addr_parse(const char *s, size_t len, ph_addr_t *out);

size_t ph_peers_memory(const ph_peers_t *p);
void ph_peers_free(ph_peers_t *p);

#endif
