/*
 * kamailio-phones: a change of one phone through the API, carried out:
 * the database first, the live table second.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "phones/change_apply.h"
#include "phones/protocol.h"

/* The value written to a column, or NULL when res does not write it. */
static const char *field(const ph_api_result_t *res, const char *name)
{
	int i;

	for(i = 0; i < res->nfields; i++) {
		if(strcmp(res->fields[i].column, name) == 0)
			return res->fields[i].value;
	}
	return NULL;
}

static void set(ph_field_t *f, const char *s, size_t len)
{
	f->s = s;
	f->len = s ? len : 0;
}

void ph_change_row_after(
		const ph_entry_t *e, const ph_api_result_t *res, ph_row_t *row)
{
	const char *v;

	/* a column written takes its new value, one not written keeps the
	 * entry's (an update) or is NULL (an insert) */
#define PICK(member, name, from)                   \
	v = field(res, name);                          \
	if(v)                                          \
		set(&row->member, v, strlen(v));           \
	else if(e)                                     \
		set(&row->member, e->from.s, e->from.len); \
	else                                           \
		set(&row->member, NULL, 0);
	PICK(dialplan_number, "dialplan_number", dialplan_number)
	PICK(conf_secret, "conf_secret", secret)
	PICK(outbound_cid, "outbound_cid", outbound_cid)
#undef PICK
	set(&row->extension, res->extension, strlen(res->extension));
	set(&row->server_ip, res->server_ip, strlen(res->server_ip));
	v = field(res, "protocol");
	if(v == NULL && e)
		v = ph_protocol_name((ph_protocol_t)e->protocol);
	set(&row->protocol, v, v ? strlen(v) : 0);
	v = field(res, "active");
	if(v == NULL)
		v = (e && e->active) ? "Y" : "N";
	set(&row->active, v, 1);
}

/* Whether the table holds the phones of server_ip (len bytes). */
static int held_server(const ph_changer_t *c, const char *ip, size_t len)
{
	return c->server_ip == NULL || c->server_ip_len == 0
		   || (c->server_ip_len == len && memcmp(c->server_ip, ip, len) == 0);
}

/* The decision, before anything is written. */
typedef enum prepared
{
	PREPARED_TABLE,		/* the change table to publish */
	PREPARED_UNCHANGED, /* the table holds nothing of it */
	PREPARED_RELOAD,	/* only a full reload can tell */
	PREPARED_NO_MEMORY	/* (or nothing published) */
} prepared_t;

/* The table after the change, prepared but not published (*t). */
static prepared_t prepare(
		const ph_changer_t *c, const ph_api_result_t *res, ph_table_t **t)
{
	size_t elen = strlen(res->extension);
	const ph_entry_t *e;
	ph_snapshot_t *snap;
	prepared_t p;
	ph_row_t row;
	int reload = 0;

	*t = NULL;
	if(!held_server(c, res->server_ip, strlen(res->server_ip)))
		return PREPARED_UNCHANGED; /* another server's phone */
	snap = ph_store_acquire(c->store);
	if(snap == NULL)
		return PREPARED_NO_MEMORY;
	e = ph_table_by_extension(snap->table, res->extension, elen);
	if(e
			&& (e->server_ip.len != strlen(res->server_ip)
					|| memcmp(e->server_ip.s, res->server_ip, e->server_ip.len)
							   != 0)) {
		p = PREPARED_RELOAD; /* the extension is held for another server */
	} else if(res->action == PH_API_UPDATE && e == NULL) {
		p = PREPARED_RELOAD; /* the row was not held (a broken one?) */
	} else {
		ph_change_row_after(res->action == PH_API_UPDATE ? e : NULL, res, &row);
		*t = ph_table_change(snap->table, c->allocator,
				e ? res->extension : NULL, elen,
				res->action == PH_API_DELETE ? NULL : &row,
				ph_table_max_changes(snap->table), &reload);
		if(*t && res->action != PH_API_DELETE
				&& ph_table_by_extension(*t, res->extension, elen) == NULL) {
			/* the table would refuse the row as the database holds it:
			 * let a reload decide from the database itself */
			ph_table_free(*t);
			*t = NULL;
			reload = 1;
		}
		p = *t ? PREPARED_TABLE : reload ? PREPARED_RELOAD : PREPARED_NO_MEMORY;
	}
	ph_store_release(c->store, snap);
	return p;
}

ph_change_outcome_t ph_change_apply(const ph_changer_t *c,
		const ph_api_result_t *res, ph_reload_report_t *rep)
{
	ph_table_t *t;
	prepared_t p;

	memset(rep, 0, sizeof(*rep));
	if(res->target == PH_API_ALIASES) {
		/* the live table holds no aliases: the database alone */
		if(c->db.write(c->db.ctx, res) < 0)
			return PH_CHANGE_DB_FAILED;
		c->db.commit(c->db.ctx);
		return PH_CHANGE_DB_ONLY;
	}
	p = prepare(c, res, &t);
	if(p == PREPARED_NO_MEMORY)
		return PH_CHANGE_NO_MEMORY;
	if(c->db.write(c->db.ctx, res) < 0) {
		ph_table_free(t);
		return PH_CHANGE_DB_FAILED;
	}
	/* the writes are in before the table is changed or reloaded */
	c->db.commit(c->db.ctx);
	if(p == PREPARED_UNCHANGED)
		return PH_CHANGE_UNCHANGED;
	if(t && ph_store_publish_table(c->store, t) == 0)
		return PH_CHANGE_PUBLISHED;
	/* no memory to publish, or only the database can tell: a full reload
	 * brings the table in line with what was written */
	ph_table_free(t);
	c->reload.reload(c->reload.ctx, rep);
	return rep->outcome == PH_RELOAD_DONE ? PH_CHANGE_RELOADED
										  : PH_CHANGE_NOT_RELOADED;
}
