/*
 * kamailio-phones: the peers' messages (cluster_msg.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "phones/cluster_msg.h"
#include "phones/sip_user.h"

#define PREFIX "phones/1 "

static const char hexdigits[] = "0123456789ABCDEF";

/* Whether a (alen bytes) is an IPv4 or IPv6 address in text. */
static int address_valid(const char *a, size_t alen)
{
	char buf[PH_CMSG_MAX_ADDRESS + 1];
	unsigned char bin[16];

	if(alen == 0 || alen > PH_CMSG_MAX_ADDRESS || memchr(a, '\0', alen))
		return 0;
	memcpy(buf, a, alen);
	buf[alen] = '\0';
	return inet_pton(AF_INET, buf, bin) == 1
		   || inet_pton(AF_INET6, buf, bin) == 1;
}

static int set_address(ph_cmsg_t *m, const char *a, size_t alen)
{
	if(!address_valid(a, alen))
		return -1;
	memcpy(m->address, a, alen);
	m->address[alen] = '\0';
	return 0;
}

static int set_extension(ph_cmsg_t *m, const char *e, size_t elen)
{
	if(elen == 0 || elen > PH_CMSG_MAX_EXTENSION)
		return -1;
	memcpy(m->extension, e, elen);
	m->extension[elen] = '\0';
	m->elen = elen;
	return 0;
}

int ph_cmsg_change(
		ph_cmsg_t *m, const char *server_ip, const char *ext, size_t elen)
{
	memset(m, 0, sizeof(*m));
	m->kind = PH_CMSG_CHANGE;
	if(server_ip == NULL || ext == NULL
			|| set_address(m, server_ip, strlen(server_ip)) < 0
			|| set_extension(m, ext, elen) < 0) {
		memset(m, 0, sizeof(*m));
		return -1;
	}
	return 0;
}

int ph_cmsg_reload(ph_cmsg_t *m, int force)
{
	memset(m, 0, sizeof(*m));
	m->kind = PH_CMSG_RELOAD;
	m->flag = force ? 1 : 0;
	return 0;
}

int ph_cmsg_auth(ph_cmsg_t *m, int failed, int known, const char *addr,
		size_t alen, const char *ext, size_t elen)
{
	memset(m, 0, sizeof(*m));
	m->kind = failed ? PH_CMSG_FAIL : PH_CMSG_OK;
	m->flag = failed && known ? 1 : 0;
	if(addr == NULL || ext == NULL || set_address(m, addr, alen) < 0
			|| set_extension(m, ext, elen) < 0) {
		memset(m, 0, sizeof(*m));
		return -1;
	}
	return 0;
}

/* Appends to out[*n..size): returns -1 when it does not fit. */
static int put(char *out, size_t size, size_t *n, const char *s, size_t len)
{
	if(size - *n <= len)
		return -1;
	memcpy(out + *n, s, len);
	*n += len;
	out[*n] = '\0';
	return 0;
}

static int put_extension(char *out, size_t size, size_t *n, const ph_cmsg_t *m)
{
	char esc[3];
	size_t i;

	for(i = 0; i < m->elen; i++) {
		unsigned char c = (unsigned char)m->extension[i];

		if(ph_sip_user_char(c)) {
			if(put(out, size, n, (const char *)&m->extension[i], 1) < 0)
				return -1;
			continue;
		}
		esc[0] = '%';
		esc[1] = hexdigits[c >> 4];
		esc[2] = hexdigits[c & 15];
		if(put(out, size, n, esc, 3) < 0)
			return -1;
	}
	return 0;
}

int ph_cmsg_format(const ph_cmsg_t *m, char *out, size_t size)
{
	size_t n = 0;
	const char *verb;

	if(out == NULL || size == 0)
		return -1;
	out[0] = '\0';
	switch(m->kind) {
		case PH_CMSG_RELOAD:
			verb = m->flag ? PREFIX "reload force\n" : PREFIX "reload\n";
			return put(out, size, &n, verb, strlen(verb)) < 0 ? -1 : (int)n;
		case PH_CMSG_CHANGE:
			verb = PREFIX "change ";
			break;
		case PH_CMSG_FAIL:
			verb = m->flag ? PREFIX "fail 1 " : PREFIX "fail 0 ";
			break;
		case PH_CMSG_OK:
			verb = PREFIX "ok ";
			break;
		default:
			return -1;
	}
	if(!address_valid(m->address, strlen(m->address)) || m->elen == 0
			|| m->elen > PH_CMSG_MAX_EXTENSION)
		return -1;
	if(put(out, size, &n, verb, strlen(verb)) < 0
			|| put(out, size, &n, m->address, strlen(m->address)) < 0
			|| put(out, size, &n, " ", 1) < 0
			|| put_extension(out, size, &n, m) < 0
			|| put(out, size, &n, "\n", 1) < 0) {
		out[0] = '\0';
		return -1;
	}
	return (int)n;
}

static int hexval(char c)
{
	if(c >= '0' && c <= '9')
		return c - '0';
	if(c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if(c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int refuse(ph_cmsg_t *m, char *err, size_t esize, const char *why)
{
	memset(m, 0, sizeof(*m));
	if(err && esize)
		snprintf(err, esize, "%s", why);
	return -1;
}

/* The next field of s[*i..len), up to a space or the end; returns its
 * length (0: none). */
static size_t field(const char *s, size_t len, size_t *i, const char **f)
{
	size_t start = *i;

	*f = s + start;
	while(*i < len && s[*i] != ' ')
		(*i)++;
	return *i - start;
}

/* Skips the one space after a field: 1 if there was one (and more). */
static int space(const char *s, size_t len, size_t *i)
{
	if(*i < len && s[*i] == ' ' && *i + 1 < len && s[*i + 1] != ' ') {
		(*i)++;
		return 1;
	}
	return 0;
}

static int decode_extension(ph_cmsg_t *m, const char *f, size_t flen)
{
	size_t i, n = 0;

	for(i = 0; i < flen; i++) {
		unsigned char c = (unsigned char)f[i];
		int hi, lo;

		if(n >= PH_CMSG_MAX_EXTENSION)
			return -1;
		if(c == '%') {
			if(i + 2 >= flen)
				return -1;
			hi = hexval(f[i + 1]);
			lo = hexval(f[i + 2]);
			if(hi < 0 || lo < 0)
				return -1;
			c = (unsigned char)(hi << 4 | lo);
			if(ph_sip_user_char(c))
				return -1; /* one spelling only */
			i += 2;
		} else if(!ph_sip_user_char(c)) {
			return -1;
		}
		m->extension[n++] = (char)c;
	}
	if(n == 0)
		return -1;
	m->extension[n] = '\0';
	m->elen = n;
	return 0;
}

int ph_cmsg_parse(
		const char *s, size_t len, ph_cmsg_t *m, char *err, size_t esize)
{
	size_t i = sizeof(PREFIX) - 1, flen;
	const char *f;

	memset(m, 0, sizeof(*m));
	if(err && esize)
		err[0] = '\0';
	if(s == NULL)
		return refuse(m, err, esize, "no message");
	if(len > 0 && s[len - 1] == '\n')
		len--;
	if(len > PH_CMSG_MAX_LINE)
		return refuse(m, err, esize, "too long");
	if(len < i || memcmp(s, PREFIX, i) != 0)
		return refuse(m, err, esize, "not a phones/1 message");
	flen = field(s, len, &i, &f);
	if(flen == 6 && memcmp(f, "reload", 6) == 0) {
		m->kind = PH_CMSG_RELOAD;
		if(i == len)
			return 0;
		if(!space(s, len, &i))
			return refuse(m, err, esize, "bad spacing");
		flen = field(s, len, &i, &f);
		if(flen != 5 || memcmp(f, "force", 5) != 0 || i != len)
			return refuse(m, err, esize, "reload takes only 'force'");
		m->kind = PH_CMSG_RELOAD;
		m->flag = 1;
		return 0;
	}
	if(flen == 6 && memcmp(f, "change", 6) == 0)
		m->kind = PH_CMSG_CHANGE;
	else if(flen == 4 && memcmp(f, "fail", 4) == 0)
		m->kind = PH_CMSG_FAIL;
	else if(flen == 2 && memcmp(f, "ok", 2) == 0)
		m->kind = PH_CMSG_OK;
	else
		return refuse(m, err, esize, "unknown kind");
	if(!space(s, len, &i))
		return refuse(m, err, esize, "bad spacing");
	if(m->kind == PH_CMSG_FAIL) {
		flen = field(s, len, &i, &f);
		if(flen != 1 || (f[0] != '0' && f[0] != '1'))
			return refuse(m, err, esize, "fail needs 0 or 1");
		m->flag = f[0] == '1';
		if(!space(s, len, &i))
			return refuse(m, err, esize, "bad spacing");
	}
	flen = field(s, len, &i, &f);
	if(set_address(m, f, flen) < 0)
		return refuse(m, err, esize, "bad address");
	if(!space(s, len, &i))
		return refuse(m, err, esize, "bad spacing");
	flen = field(s, len, &i, &f);
	if(i != len)
		return refuse(m, err, esize, "trailing fields");
	if(decode_extension(m, f, flen) < 0)
		return refuse(m, err, esize, "bad extension");
	return 0;
}
