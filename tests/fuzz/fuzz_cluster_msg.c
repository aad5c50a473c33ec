/*
 * kamailio-phones: fuzzing the peers' messages (ph_cmsg_parse,
 * ph_cmsg_format).
 *
 * Input: the message, all of it, as a peer's DMQ request body.
 *
 * A message that parses must hold a valid kind, address and extension;
 * formatted again it must be a line that parses to the same message, and
 * is the input itself whenever the input was written the one canonical way
 * (upper-case escapes, a final newline). A refused one leaves the message
 * zeroed and says why; err is never written past its size.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#include "phones/cluster_msg.h"
#include "phones/sip_user.h"

static int parse(const char *s, size_t len, ph_cmsg_t *m, size_t errsize)
{
	char *err = fz_err_new(errsize);
	int rc;

	rc = ph_cmsg_parse(s, len, m, errsize ? err : NULL, errsize);
	fz_check(rc == 0 || rc == -1, "ph_cmsg_parse returned %d", rc);
	fz_err_check(err, errsize, errsize > 0, rc < 0);
	free(err);
	return rc;
}

static FZ_NO_COVERAGE int same(const ph_cmsg_t *a, const ph_cmsg_t *b)
{
	return a->kind == b->kind && a->flag == b->flag
		   && strcmp(a->address, b->address) == 0 && a->elen == b->elen
		   && memcmp(a->extension, b->extension, a->elen) == 0;
}

static FZ_NO_COVERAGE void check_zero(const ph_cmsg_t *m)
{
	static const ph_cmsg_t zero;

	fz_check(memcmp(m, &zero, sizeof(zero)) == 0, "refused, not zeroed");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t err_sizes[] = {0, 1, 2, 9, 64};
	char *s = fz_dup(data, size);
	char line[PH_CMSG_MAX_LINE + 2], *small;
	ph_cmsg_t m, u, back;
	size_t i;
	int rc, n;

	rc = parse(s, size, &m, 64);
	for(i = 0; i < sizeof(err_sizes) / sizeof(err_sizes[0]); i++)
		fz_check(parse(s, size, &u, err_sizes[i]) == rc
						 && (rc < 0 ? (check_zero(&u), 1) : same(&m, &u)),
				"another err size, another result");
	if(rc < 0) {
		check_zero(&m);
		free(s);
		return 0;
	}
	fz_check(m.kind >= PH_CMSG_CHANGE && m.kind <= PH_CMSG_OK, "kind %d",
			(int)m.kind);
	fz_check(m.flag == 0 || m.flag == 1, "flag %d", m.flag);
	if(m.kind == PH_CMSG_RELOAD) {
		fz_check(m.address[0] == '\0' && m.elen == 0, "a reload with fields");
	} else {
		fz_check(m.address[0] != '\0' && strlen(m.address) <= PH_CMSG_MAX_ADDRESS,
				"address '%s'", m.address);
		fz_check(m.elen > 0 && m.elen <= PH_CMSG_MAX_EXTENSION
						 && m.extension[m.elen] == '\0',
				"extension of %zu bytes", m.elen);
		fz_check(m.kind == PH_CMSG_FAIL || m.flag == 0, "a flag on kind %d",
				(int)m.kind);
	}
	n = ph_cmsg_format(&m, line, sizeof(line));
	fz_check(n > 0 && (size_t)n <= PH_CMSG_MAX_LINE + 1
					 && strlen(line) == (size_t)n && line[n - 1] == '\n',
			"formatted: %d", n);
	fz_check(memchr(line, '\n', (size_t)n - 1) == NULL, "a newline inside");
	fz_check(parse(line, (size_t)n, &back, 64) == 0 && same(&m, &back),
			"'%s' does not parse back to the same", line);
	/* the canonical spelling is the input */
	if(size > 0 && s[size - 1] == '\n' && memchr(s, '%', size) == NULL)
		fz_check((size_t)n == size && memcmp(line, s, size) == 0,
				"'%.*s' formatted as '%s'", (int)size, s, line);
	/* into exactly too small a buffer: refused */
	small = malloc((size_t)n);
	if(small == NULL)
		abort();
	fz_check(ph_cmsg_format(&m, small, (size_t)n) == -1, "fits in %d", n);
	free(small);
	free(s);
	return 0;
}
