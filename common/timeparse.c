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
		{ "s", NS }, { "sec", NS }, { "secs", NS }, { "second", NS },
		{ "seconds", NS }, { "m", 60 * NS }, { "min", 60 * NS },
		{ "mins", 60 * NS }, { "minute", 60 * NS },
		{ "minutes", 60 * NS }, { "h", 3600 * NS }, { "hour", 3600 * NS },
		{ "hours", 3600 * NS }, { "d", 86400 * NS }, { "day", 86400 * NS },
		{ "days", 86400 * NS }, { "w", 7 * 86400 * NS },
		{ "week", 7 * 86400 * NS }, { "weeks", 7 * 86400 * NS },
		/* a year of 365.25 days, as journalctl and systemd count it */
		{ "y", 31557600 * NS }, { "year", 31557600 * NS },
		{ "years", 31557600 * NS },
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
	int64_t total = 0, whole, frac, unit, part;
	const char *u;
	int r, bare;

	if (!*s)
		return -EINVAL;
	bare = 1;
	while (*s) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		/* digits first, range after: "99999999999999999999s" is a
		 * well-formed duration that does not fit, not a typo */
		for (whole = 0, r = 0; isdigit((unsigned char)*s); s++)
			if (!r && (__builtin_mul_overflow(whole, 10, &whole) ||
			    __builtin_add_overflow(whole, *s - '0', &whole)))
				r = -ERANGE;
		if (fraction(&s, &frac) < 0)
			return -EINVAL;
		for (u = s; isalpha((unsigned char)*s); s++)
			;
		if (s == u) {
			/* a bare number: seconds, and only alone */
			if (!bare || *s)
				return -EINVAL;
			unit = NS;
		} else if (unit_ns(u, (size_t)(s - u), &unit) < 0)
			return -EINVAL;
		bare = 0;
		if (r < 0 || __builtin_mul_overflow(whole, unit, &part) ||
		    __builtin_add_overflow(part, (int64_t)((double)frac / NS *
		    (double)unit), &part) ||
		    __builtin_add_overflow(total, part, &total))
			r = -ERANGE;
		if (r < 0) {
			/* the rest must still be well-formed */
			for (; *s; s++)
				if (!isalnum((unsigned char)*s) && *s != '.' &&
				    *s != ',')
					return -EINVAL;
			return r;
		}
	}
	*ret_ns = total;
	return 0;
}

/* Days in month mo (1-12) of year y, proleptic Gregorian. */
static int
month_days(int y, int mo)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[mo - 1];
}

/* s seconds and frac ns as ns since the epoch, if that fits (timeparse.h). */
static int
to_ns(int64_t s, int64_t frac, int64_t *ret_ns)
{
	int64_t ns;

	if (s < 0 || __builtin_mul_overflow(s, NS, &ns) ||
	    __builtin_add_overflow(ns, frac, &ns))
		return -ERANGE;
	*ret_ns = ns;
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
	/* 24:00 is the end of the day (ISO 8601), 60 a leap second; the
	 * date itself must exist */
	if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 24 ||
	    mi > 59 || sec > 60 || (h == 24 && (mi || sec || frac)))
		return -EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	/* time_t is 64 bits: years 0000-9999 fit, and timegm/mktime carry
	 * 24:00 and :60 into the next day or minute.  Without Z or an
	 * offset the time is local, as journalctl takes it. */
	if (*s == 'Z' || *s == 'z') {
		s++;
		t = (int64_t)timegm(&tm);
	} else if (*s == '+' || *s == '-') {
		t = (int64_t)timegm(&tm);
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
	} else {
		tm.tm_isdst = -1;
		t = (int64_t)mktime(&tm);
	}
	if (*s)
		return -EINVAL;
	return to_ns(t, frac, ret_ns);
}

/* Local midnight of the day of wall ns "now", days_back days before, plus
 * h:mi:sec (as mktime normalizes). */
static int
local_day(int64_t now, int days_back, int h, int mi, int sec, int64_t *ret)
{
	time_t t = (time_t)(now / NS);
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return -ERANGE;
	tm.tm_mday -= days_back;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	return to_ns((int64_t)mktime(&tm), 0, ret);
}

/* "HH:MM[:SS]" exactly. */
static int
clock_time(const char *s, int *h, int *mi, int *sec)
{
	*sec = 0;
	if (digits(&s, 2, h) < 0 || *s++ != ':' || digits(&s, 2, mi) < 0)
		return -EINVAL;
	if (*s == ':') {
		s++;
		if (digits(&s, 2, sec) < 0)
			return -EINVAL;
	}
	if (*s || *h > 23 || *mi > 59 || *sec > 59)
		return -EINVAL;
	return 0;
}

/* "5 min ago", "-5min", "2 hours ago": the duration, spaces removed. */
static int
ago(const char *s, char *buf, size_t size)
{
	size_t n = 0, len = strlen(s);

	if (*s == '-') {
		s++;
		len--;
	} else if (len > 4 && strcmp(s + len - 4, " ago") == 0) {
		len -= 4;
	} else {
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ') {
			if (n + 1 >= size)
				return -EINVAL;
			buf[n++] = s[i];
		}
	buf[n] = '\0';
	return n ? 0 : -EINVAL;
}

int
timeparse_point(const char *s, int64_t now, int64_t *ret_ns)
{
	int64_t v, frac;
	const char *p;
	int r;

	char buf[64];
	int h, mi, sec;

	if (strcmp(s, "now") == 0) {
		*ret_ns = now;
		return 0;
	}
	/* today, yesterday: local midnight, or a local time of that day;
	 * a time alone is today's */
	if (strcmp(s, "today") == 0)
		return local_day(now, 0, 0, 0, 0, ret_ns);
	if (strcmp(s, "yesterday") == 0)
		return local_day(now, 1, 0, 0, 0, ret_ns);
	if (strncmp(s, "today ", 6) == 0)
		return clock_time(s + 6, &h, &mi, &sec) < 0 ? -EINVAL :
		    local_day(now, 0, h, mi, sec, ret_ns);
	if (strncmp(s, "yesterday ", 10) == 0)
		return clock_time(s + 10, &h, &mi, &sec) < 0 ? -EINVAL :
		    local_day(now, 1, h, mi, sec, ret_ns);
	if (clock_time(s, &h, &mi, &sec) == 0)
		return local_day(now, 0, h, mi, sec, ret_ns);
	/* "-1h", "5 min ago": that long before now */
	if (ago(s, buf, sizeof(buf)) == 0)
		s = buf;
	if (*s == '@') {
		p = s + 1;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		for (v = 0, r = 0; isdigit((unsigned char)*p); p++)
			if (!r && (__builtin_mul_overflow(v, 10, &v) ||
			    __builtin_add_overflow(v, *p - '0', &v)))
				r = -ERANGE;
		if (fraction(&p, &frac) < 0 || *p)
			return -EINVAL;
		return r < 0 ? r : to_ns(v, frac, ret_ns);
	}
	if (strlen(s) >= 10 && s[4] == '-')
		return iso8601(s, ret_ns);
	/* a bare number is ambiguous as a time: ask for a unit or @ */
	for (p = s; *p && (isdigit((unsigned char)*p) || *p == '.'); p++)
		;
	if (!*p)
		return -EINVAL;
	r = timeparse_duration(s, &v);
	if (r < 0)
		return r;
	if (now - v < 0)	/* now >= 0, v >= 0: no overflow */
		return -ERANGE;
	*ret_ns = now - v;
	return 0;
}
