/*
 * kamailio-phones: who is who in a VICIdial cluster, by address.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "phones/hash.h"
#include "phones/peers.h"

typedef struct ph_peer
{
	ph_addr_t addr;
	uint16_t port;
	uint8_t kind; /* ph_peer_kind_t */
	char text[INET6_ADDRSTRLEN];
} ph_peer_t;

struct ph_peers
{
	const ph_allocator_t *allocator;
	uint16_t server_port;
	ph_peer_t *peers; /* servers, then carriers, in the order added */
	size_t count, cap;
	size_t nservers, ncarriers;
	uint32_t *index; /* peer position + 1, 0 empty; open addressing */
	uint32_t mask;
	size_t memory;
};

ph_peers_t *ph_peers_new(const ph_allocator_t *allocator, uint16_t server_port)
{
	ph_peers_t *p = allocator->alloc(allocator->ctx, sizeof(*p));

	if(p == NULL)
		return NULL;
	memset(p, 0, sizeof(*p));
	p->allocator = allocator;
	p->server_port = server_port;
	p->memory = sizeof(*p);
	return p;
}

int ph_addr_parse(const char *s, size_t len, ph_addr_t *out)
{
	char buf[INET6_ADDRSTRLEN + 2];

	if(s == NULL || len == 0 || len >= sizeof(buf) || memchr(s, '\0', len))
		return -1;
	if(s[0] == '[') {
		if(len < 3 || s[len - 1] != ']')
			return -1;
		s++;
		len -= 2;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(out, 0, sizeof(*out));
	if(inet_pton(AF_INET, buf, out->bytes) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if(inet_pton(AF_INET6, buf, out->bytes) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -1;
}

static uint32_t addr_hash(const ph_addr_t *a)
{
	return ph_hash((const char *)a->bytes, a->family == AF_INET ? 4 : 16);
}

static int same_addr(const ph_addr_t *a, const ph_addr_t *b)
{
	return a->family == b->family
		   && memcmp(a->bytes, b->bytes, a->family == AF_INET ? 4 : 16) == 0;
}

/* Rebuilds the index for cap peers. */
static int index_build(ph_peers_t *p, size_t cap)
{
	uint32_t size = 16, *index, i, j;

	while(size < cap * 2)
		size *= 2;
	index = p->allocator->alloc(p->allocator->ctx, size * sizeof(*index));
	if(index == NULL)
		return -1;
	memset(index, 0, size * sizeof(*index));
	for(i = 0; i < p->count; i++) {
		for(j = addr_hash(&p->peers[i].addr) & (size - 1); index[j];
				j = (j + 1) & (size - 1))
			;
		index[j] = i + 1;
	}
	if(p->index) {
		p->allocator->release(p->allocator->ctx, p->index);
		p->memory -= (size_t)(p->mask + 1) * sizeof(*index);
	}
	p->index = index;
	p->mask = size - 1;
	p->memory += size * sizeof(*index);
	return 0;
}

/* Makes room for one more peer; unchanged on failure. */
static int reserve(ph_peers_t *p)
{
	ph_peer_t *peers;
	size_t cap;

	if(p->count < p->cap)
		return 0;
	cap = p->cap ? p->cap * 2 : 16;
	peers = p->allocator->alloc(p->allocator->ctx, cap * sizeof(*peers));
	if(peers == NULL)
		return -1;
	if(p->count)
		memcpy(peers, p->peers, p->count * sizeof(*peers));
	if(index_build(p, cap) < 0) {
		p->allocator->release(p->allocator->ctx, peers);
		return -1;
	}
	p->allocator->release(p->allocator->ctx, p->peers);
	p->memory += (cap - p->cap) * sizeof(*peers);
	p->peers = peers;
	p->cap = cap;
	return 0;
}

/* The peer at addr with this port (0: any), or NULL. */
static const ph_peer_t *find(
		const ph_peers_t *p, const ph_addr_t *addr, uint16_t port)
{
	const ph_peer_t *peer;
	uint32_t i;

	if(p == NULL || p->index == NULL)
		return NULL;
	for(i = addr_hash(addr) & p->mask; p->index[i]; i = (i + 1) & p->mask) {
		peer = &p->peers[p->index[i] - 1];
		if(same_addr(&peer->addr, addr) && (port == 0 || peer->port == port))
			return peer;
	}
	return NULL;
}

static ph_server_result_t add(
		ph_peers_t *p, const ph_addr_t *addr, uint16_t port, ph_peer_kind_t k)
{
	ph_peer_t *peer;
	uint32_t i;

	if(find(p, addr, port))
		return PH_SERVER_DUPLICATE;
	if(p->count >= PH_MAX_PEERS)
		return PH_SERVER_TOO_MANY;
	if(reserve(p) < 0)
		return PH_SERVER_NO_MEMORY;
	peer = &p->peers[p->count];
	peer->addr = *addr;
	peer->port = port;
	peer->kind = (uint8_t)k;
	inet_ntop(addr->family, addr->bytes, peer->text, sizeof(peer->text));
	for(i = addr_hash(addr) & p->mask; p->index[i]; i = (i + 1) & p->mask)
		;
	p->index[i] = (uint32_t)++p->count;
	if(k == PH_PEER_SERVER)
		p->nservers++;
	else
		p->ncarriers++;
	return PH_SERVER_ADDED;
}

ph_server_result_t ph_peers_add_server(
		ph_peers_t *p, const ph_server_row_t *row)
{
	ph_addr_t addr;

	if(!ph_field_is_yes(&row->active)
			|| (row->active_asterisk_server.s
					&& !ph_field_is_yes(&row->active_asterisk_server)))
		return PH_SERVER_INACTIVE;
	if(ph_addr_parse(row->server_ip.s, row->server_ip.len, &addr) < 0)
		return PH_SERVER_BAD_ADDRESS;
	/* servers come first: carriers are added after every server */
	if(p->ncarriers)
		return PH_SERVER_TOO_MANY;
	return add(p, &addr, p->server_port, PH_PEER_SERVER);
}

int ph_peers_add_carriers(ph_peers_t *p, const ph_rules_t *rules, size_t *names)
{
	const ph_trunk_t *trunk;
	ph_addr_t addr;
	uint16_t port;
	size_t i;

	for(i = 0; i < ph_rules_count(rules); i++) {
		trunk = ph_rule_trunk(ph_rules_at(rules, i));
		if(trunk->kind != PH_TRUNK_URI)
			continue;
		if(ph_addr_parse(trunk->host, trunk->host_len, &addr) < 0) {
			if(names)
				(*names)++;
			continue;
		}
		port = trunk->port;
		if(port == 0)
			port = (trunk->scheme_len == 4) ? 5061 : 5060;
		if(add(p, &addr, port, PH_PEER_CARRIER) == PH_SERVER_NO_MEMORY)
			return -1;
	}
	return 0;
}

ph_peer_kind_t ph_peers_find(const ph_peers_t *p, const ph_addr_t *addr,
		uint16_t port, size_t *server)
{
	const ph_peer_t *peer = find(p, addr, port);

	if(peer == NULL)
		return PH_PEER_NONE;
	if(server && peer->kind == PH_PEER_SERVER)
		*server = (size_t)(peer - p->peers);
	return (ph_peer_kind_t)peer->kind;
}

size_t ph_peers_servers(const ph_peers_t *p)
{
	return p ? p->nservers : 0;
}

size_t ph_peers_carriers(const ph_peers_t *p)
{
	return p ? p->ncarriers : 0;
}

const char *ph_peers_server_ip(const ph_peers_t *p, size_t i)
{
	return i < p->nservers ? p->peers[i].text : NULL;
}

uint16_t ph_peers_server_port(const ph_peers_t *p)
{
	return p->server_port;
}

long ph_peers_server_index(const ph_peers_t *p, const char *ip, size_t len)
{
	const ph_peer_t *peer;
	ph_addr_t addr;

	if(ph_addr_parse(ip, len, &addr) < 0)
		return -1;
	peer = find(p, &addr, p ? p->server_port : 0);
	if(peer == NULL || peer->kind != PH_PEER_SERVER)
		return -1;
	return (long)(peer - p->peers);
}

size_t ph_peers_memory(const ph_peers_t *p)
{
	return p ? p->memory : 0;
}

void ph_peers_free(ph_peers_t *p)
{
	if(p == NULL)
		return;
	p->allocator->release(p->allocator->ctx, p->peers);
	p->allocator->release(p->allocator->ctx, p->index);
	p->allocator->release(p->allocator->ctx, p);
}
