/*
 * Parsing time expressions.  Strict: anything not fully consumed is an
 * error, so a typo never silently becomes a different window.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include "timeparse.h"

#define NS	INT64_C(1000000000)
#define MAX_S	INT64_C(9000000000)	/* seconds; keeps every ns value in range */

/* Parse exactly n digits at *sp. */
static int
digits(const char **sp, int n, int *ret)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*sp)[i]))
			return -EINVAL;
		v = v * 10 + ((*sp)[i] - '0');
	}
	*sp += n;
	*ret = v;
	return 0;
}

/* Fraction ".ddd" as nanoseconds; none is 0. */
static int
fraction(const char **sp, int64_t *ret)
{
	const char *s = *sp;
	int64_t ns = 0, scale = NS / 10;

	*ret = 0;
	if (*s != '.' && *s != ',')
		return 0;
	s++;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		ns += (*s - '0') * scale;
		scale /= 10;
	}
	*sp = s;
	*ret = ns;
	return 0;
}

static int
unit_ns(const char *u, size_t n, int64_t *ret)
{
	static const struct {
		const char	*name;
		int64_t		 ns;
	} units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", NS }, { "sec", NS }, { "m", 60 * NS }, { "min", 60 * NS },
		{ "h", 3600 * NS }, { "d", 86400 * NS }, { "w", 7 * 86400 * NS },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == n && strncmp(units[i].name, u, n) == 0) {
			*ret = units[i].ns;
			return 0;
		}
	return -EINVAL;
}

int
timeparse_duration(const char *s, int64_t *ret_ns)
{
	int64_t total = 0, whole, frac, unit;
	const char *u;
	int r, bare;

	if (!*s)
		return -EINVAL;
	bare = 1;
	while (*s) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		for (whole = 0; isdigit((unsigned char)*s); s++) {
			whole = whole * 10 + (*s - '0');
			if (whole > MAX_S)
				return -EINVAL;
		}
		r = fraction(&s, &frac);
		if (r < 0)
			return r;
		for (u = s; isalpha((unsigned char)*s); s++)
			;
		if (s == u) {
			/* a bare number: seconds, and only alone */
			if (!bare || *s)
				return -EINVAL;
			unit = NS;
		} else {
			r = unit_ns(u, (size_t)(s - u), &unit);
			if (r < 0)
				return r;
		}
		bare = 0;
		if (whole > MAX_S * NS / unit)
			return -EINVAL;
		total += whole * unit + (int64_t)((double)frac / NS * (double)unit);
		if (total > MAX_S * NS)
			return -EINVAL;
	}
	*ret_ns = total;
	return 0;
}

static int
iso8601(const char *s, int64_t *ret_ns)
{
	struct tm tm = { 0 };
	int y, mo, d, h = 0, mi = 0, sec = 0, oh, om = 0, sign;
	int64_t frac = 0, t;

	if (digits(&s, 4, &y) < 0 || *s++ != '-' || digits(&s, 2, &mo) < 0 ||
	    *s++ != '-' || digits(&s, 2, &d) < 0)
		return -EINVAL;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		s++;
		if (digits(&s, 2, &h) < 0 || *s++ != ':' ||
		    digits(&s, 2, &mi) < 0)
			return -EINVAL;
		if (*s == ':') {
			s++;
			if (digits(&s, 2, &sec) < 0 || fraction(&s, &frac) < 0)
				return -EINVAL;
		}
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 ||
	    sec > 60 || (h == 24 && (mi || sec || frac)))
		return -EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = (int64_t)timegm(&tm);
	/* timegm normalises 31 February: reject what it changed */
	if (tm.tm_mday != d && !(h == 24 || sec == 60))
		return -EINVAL;
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (digits(&s, 2, &oh) < 0)
			return -EINVAL;
		if (*s == ':')
			s++;
		if (*s && digits(&s, 2, &om) < 0)
			return -EINVAL;
		if (oh > 23 || om > 59)
			return -EINVAL;
		t -= sign * (oh * 3600 + om * 60);
	}
	if (*s)
		return -EINVAL;
	*ret_ns = t * NS + frac;
	return 0;
}

int
timeparse_point(const char *s, int64_t now, int64_t *ret_ns)
{
	int64_t v, frac, midnight;
	const char *p;
	int r;

	midnight = now - ((now % (86400 * NS)) + 86400 * NS) % (86400 * NS);
	if (strcmp(s, "now") == 0) {
		*ret_ns = now;
		return 0;
	}
	if (strcmp(s, "today") == 0) {
		*ret_ns = midnight;
		return 0;
	}
	if (strcmp(s, "yesterday") == 0) {
		*ret_ns = midnight - 86400 * NS;
		return 0;
	}
	if (*s == '@') {
		p = s + 1;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		for (v = 0; isdigit((unsigned char)*p); p++) {
			v = v * 10 + (*p - '0');
			if (v > MAX_S)
				return -EINVAL;
		}
		if (fraction(&p, &frac) < 0 || *p)
			return -EINVAL;
		*ret_ns = v * NS + frac;
		return 0;
	}
	if (strlen(s) >= 10 && s[4] == '-')
		return iso8601(s, ret_ns);
	r = timeparse_duration(s, &v);
	if (r < 0)
		return r;
	/* a bare number is ambiguous as a time: ask for a unit or @ */
	for (p = s; *p && (isdigit((unsigned char)*p) || *p == '.'); p++)
		;
	if (!*p)
		return -EINVAL;
	*ret_ns = now - v;
	return 0;
}
