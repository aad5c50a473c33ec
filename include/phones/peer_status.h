/*
 * kamailio-phones: which phones are up, as VICIdial's phones.peer_status
 * and phones.ping_time show it.
 *
 * Two pieces, both free of any host:
 *
 *   ph_peer_decide()  a phone's state from the facts of its registered
 *                     contacts (when each expires, when it last answered a
 *                     keepalive, the round trip of that answer);
 *   ph_peer_book_t    what was last written for each phone row, keyed as
 *                     VICIdial keys the table (extension, server_ip), and
 *                     what a round wants written: the change set, given
 *                     out in batches of bounded size and marked written
 *                     only when the database took it (a failed batch is
 *                     given out again at the next round).
 *
 * The module walks its phones and usrloc's contacts each round, feeds the
 * book, and writes what it gives out; nothing of this runs in the SIP path.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_PEER_STATUS_H
#define PHONES_PEER_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "phones/allocator.h"

/* VICIdial's ENUM, in its order. */
typedef enum ph_peer_state
{
	PH_PEER_UNKNOWN = 0,
	PH_PEER_REGISTERED,	  /* a contact, nothing known of keepalives */
	PH_PEER_UNREGISTERED, /* no contact */
	PH_PEER_REACHABLE,	  /* answered keepalives, round trip <= lagged_ms */
	PH_PEER_LAGGED,		  /* answered keepalives, round trip > lagged_ms */
	PH_PEER_UNREACHABLE,  /* registered, but silent for unreachable_after */
	PH_PEER_STATE_COUNT
} ph_peer_state_t;

/* The word VICIdial's column holds ("REGISTERED"...); "UNKNOWN" for a
 * value out of range. */
const char *ph_peer_state_name(ph_peer_state_t s);
/* The state a column holds (any case: SQLite keeps what it is given);
 * PH_PEER_UNKNOWN for NULL or any other word. */
ph_peer_state_t ph_peer_state_of(const char *s, size_t len);

/* No round trip to show: ping_time is written NULL. */
#define PH_PEER_NO_PING (-1)
/* ping_time is a SMALLINT: longer round trips are written as this. */
#define PH_PEER_MAX_PING 32767

/* One registered contact, as usrloc has it. */
typedef struct ph_peer_contact
{
	int64_t expires;		/* when the binding ends; 0: never */
	int64_t last_keepalive; /* last keepalive answer, or the last REGISTER */
	uint32_t roundtrip_us;	/* that answer's round trip; 0: none yet */
} ph_peer_contact_t;

typedef struct ph_peer_policy
{
	/* A round trip above this many milliseconds is LAGGED (Asterisk's
	 * qualify threshold is 2000). */
	uint32_t lagged_ms;
	/* A contact whose last keepalive answer (or REGISTER) is more than
	 * this many seconds old is UNREACHABLE; 0: never (keepalives are not
	 * sent, nothing tells a silent phone apart). */
	uint32_t unreachable_after;
} ph_peer_policy_t;

/* What is shown for one phone row. */
typedef struct ph_peer_view
{
	ph_peer_state_t state;
	int ping_ms; /* PH_PEER_NO_PING, or 0..PH_PEER_MAX_PING */
} ph_peer_view_t;

/* A phone's view from its n contacts at time now. Expired contacts do not
 * count; no contact left: UNREGISTERED. Each contact is UNREACHABLE
 * (silent too long), REGISTERED (no round trip yet), or REACHABLE or
 * LAGGED by its round trip; the phone is its best contact's state
 * (REACHABLE, LAGGED, REGISTERED, UNREACHABLE in that order) and the
 * shortest round trip of the contacts in that state (REACHABLE and LAGGED
 * only; else no ping). */
ph_peer_view_t ph_peer_decide(const ph_peer_contact_t *contacts, size_t n,
		int64_t now, const ph_peer_policy_t *policy);

/* Two views differ enough to be written: another state, a ping shown or
 * no longer shown, or a ping that moved by at least a quarter of the one
 * written and at least PH_PEER_PING_STEP_MS (round trips jitter: a row is
 * not rewritten every round for a millisecond). With track_ping 0 only
 * the state counts. */
#define PH_PEER_PING_STEP_MS 10
int ph_peer_view_differs(const ph_peer_view_t *written,
		const ph_peer_view_t *want, int track_ping);

/* Longest extension and server_ip the book keeps (VICIdial's columns are
 * VARCHAR(100) and VARCHAR(15)). */
#define PH_PEER_MAX_KEY 100

typedef struct ph_peer_book ph_peer_book_t;

/* One row to write: its key and its view. The strings are the book's,
 * good until the next ph_peer_book_end() or ph_peer_book_free(). */
typedef struct ph_peer_change
{
	const char *extension;
	size_t extension_len;
	const char *server_ip;
	size_t server_ip_len;
	ph_peer_view_t view;
	void *item; /* the book's, for ph_peer_book_written() */
} ph_peer_change_t;

/* An empty book (nothing written yet), or NULL when out of memory.
 * track_ping 0: ping changes alone are no change (no ping_time column, or
 * ping_time written only with a change of state). */
ph_peer_book_t *ph_peer_book_new(
		const ph_allocator_t *allocator, int track_ping);
void ph_peer_book_free(ph_peer_book_t *b);

/* A round: ph_peer_book_begin(), ph_peer_book_set() for every phone row
 * the round covers, ph_peer_book_end(). A row not set in a round (its
 * phone left the table) is forgotten at the end, never written. */
void ph_peer_book_begin(ph_peer_book_t *b);
/* The view a row should show. A row never written is a change whatever
 * its view. Returns 0; -1 out of memory, -2 a key empty or longer than
 * PH_PEER_MAX_KEY, -3 the row was set already this round (the first view
 * stands); the book is unchanged by a failure. */
int ph_peer_book_set(ph_peer_book_t *b, const char *extension, size_t ext_len,
		const char *server_ip, size_t ip_len, ph_peer_view_t view);
void ph_peer_book_end(ph_peer_book_t *b);

/* Rows the book holds, and those whose wanted view differs from the one
 * written (the changes still to write). */
size_t ph_peer_book_size(const ph_peer_book_t *b);
size_t ph_peer_book_pending(const ph_peer_book_t *b);

/* Up to max changes still to write, into out; returns how many. The same
 * ones come out again until ph_peer_book_written() says they are. */
size_t ph_peer_book_batch(ph_peer_book_t *b, ph_peer_change_t *out, size_t max);
/* The n changes of a batch are in the database: their views are now the
 * written ones. */
void ph_peer_book_written(
		ph_peer_book_t *b, const ph_peer_change_t *changes, size_t n);

/* What a row was last written as: 1 and *view, or 0 when the book holds
 * no written view for it. */
int ph_peer_book_get(const ph_peer_book_t *b, const char *extension,
		size_t ext_len, const char *server_ip, size_t ip_len,
		ph_peer_view_t *view);

#endif
