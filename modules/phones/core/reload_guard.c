/*
 * kamailio-phones: one reload at a time, and when the last one published.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "phones/reload_guard.h"

struct ph_reload_guard
{
	ph_allocator_t allocator;
	ph_lock_t lock;
	ph_clock_t clock;
	int running;		  /* the guard is taken */
	time_t last;		  /* when the current snapshot was published */
	unsigned int last_ms; /* how long loading it took */
};

ph_reload_guard_t *ph_reload_guard_new(const ph_allocator_t *allocator,
		const ph_lock_t *lock, const ph_clock_t *clock)
{
	ph_reload_guard_t *g = allocator->alloc(allocator->ctx, sizeof(*g));

	if(g == NULL)
		return NULL;
	g->allocator = *allocator;
	g->lock = *lock;
	g->clock = *clock;
	g->running = 0;
	g->last = 0;
	g->last_ms = 0;
	return g;
}

void ph_reload_guard_free(ph_reload_guard_t *g)
{
	if(g)
		g->allocator.release(g->allocator.ctx, g);
}

int ph_reload_try_begin(ph_reload_guard_t *g)
{
	int taken = 0;

	g->lock.lock(g->lock.ctx);
	if(!g->running) {
		g->running = 1;
		taken = 1;
	}
	g->lock.unlock(g->lock.ctx);
	return taken;
}

void ph_reload_hold(ph_reload_guard_t *g)
{
	/* A reload takes seconds at most, and holds are rare (a change through
	 * the API): looking again every pause costs less than a wait queue. */
	while(!ph_reload_try_begin(g))
		g->clock.pause(g->clock.ctx);
}

void ph_reload_end(ph_reload_guard_t *g)
{
	g->lock.lock(g->lock.ctx);
	g->running = 0;
	g->lock.unlock(g->lock.ctx);
}

void ph_reload_published(ph_reload_guard_t *g, unsigned int ms)
{
	time_t now = g->clock.now(g->clock.ctx);

	g->lock.lock(g->lock.ctx);
	g->last = now;
	g->last_ms = ms;
	g->lock.unlock(g->lock.ctx);
}

time_t ph_reload_last(ph_reload_guard_t *g)
{
	time_t t;

	g->lock.lock(g->lock.ctx);
	t = g->last;
	g->lock.unlock(g->lock.ctx);
	return t;
}

unsigned int ph_reload_last_ms(ph_reload_guard_t *g)
{
	unsigned int ms;

	g->lock.lock(g->lock.ctx);
	ms = g->last_ms;
	g->lock.unlock(g->lock.ctx);
	return ms;
}
