/*
 * Formatting stored values.
 */
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "fmt.h"
#include "model.h"

/* A few recent uid -> name lookups: getpwuid can read a file each call. */
#define USER_CACHE 16
static struct {
	int64_t	uid;
	int	used;
	char	name[64];
} user_cache[USER_CACHE];
static unsigned user_next;

const char *
fmt_user(int64_t uid)
{
	struct passwd *pw;
	unsigned i;

	for (i = 0; i < USER_CACHE; i++)
		if (user_cache[i].used && user_cache[i].uid == uid)
			return user_cache[i].name;
	i = user_next++ % USER_CACHE;
	user_cache[i].used = 1;
	user_cache[i].uid = uid;
	pw = uid >= 0 && uid <= UINT32_MAX ? getpwuid((uid_t)uid) : NULL;
	if (pw && strlen(pw->pw_name) < sizeof(user_cache[i].name))
		snprintf(user_cache[i].name, sizeof(user_cache[i].name), "%s",
		    pw->pw_name);
	else
		snprintf(user_cache[i].name, sizeof(user_cache[i].name),
		    "%" PRId64, uid);
	return user_cache[i].name;
}

const char *
fmt_status(char *buf, size_t size, int has_end, int has_status, int status)
{
	if (!has_end)
		snprintf(buf, size, "running");
	else if (!has_status)
		snprintf(buf, size, "unknown");
	else if ((status & 127) == 0)
		snprintf(buf, size, "exit %d", (status >> 8) & 255);
	else
		snprintf(buf, size, "signal %d%s", status & 127,
		    (status & 128) ? " core" : "");
	return buf;
}

static const char *
bits(char *buf, size_t size, int64_t v, const char *const *names, int n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (!(v & (INT64_C(1) << i)) || !names[i])
			continue;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
		    "%s%s", len ? "," : "", names[i]);
		v &= ~(INT64_C(1) << i);
	}
	if (v && len < size)
		snprintf(buf + len, size - len, "%s0x%" PRIx64, len ? "," : "", v);
	return buf;
}

const char *
fmt_flags(char *buf, size_t size, int64_t flags)
{
	const char *names[32];
	int i;

	for (i = 0; i < 32; i++)
		names[i] = pt_flag_name(i);
	return bits(buf, size, flags, names, 32);
}

/* Bit 16 is the query tool's own: a capture read but not verified. */
const char *
fmt_capture(char *buf, size_t size, int64_t capture)
{
	const char *names[32];
	int i;

	for (i = 0; i < 32; i++)
		names[i] = i == 16 ? "unverified" : pt_capture_name(i);
	return bits(buf, size, capture, names, 32);
}

static const struct out_col proc_cols[] = {
	{ "id", OUT_NUM },
	{ "pid", OUT_NUM },
	{ "ppid", OUT_NUM },
	{ "start", 0 },
	{ "duration", OUT_NUM },
	{ "user", 0 },
	{ "status", 0 },
	{ "flags", 0 },
	{ "comm", 0 },
	{ "argv", OUT_INDENT },
};

/* The same row for programs: names and types as export's (export.c). */
static const struct out_col proc_mcols[FMT_PROC_MAXCOLS] = {
	{ "id", 0 }, { "pid", 0 }, { "ppid", 0 }, { "start", 0 },
	{ "start_ns", 0 }, { "end", 0 }, { "end_ns", 0 },
	{ "duration_ns", 0 }, { "state", 0 }, { "status", 0 },
	{ "exit_code", 0 }, { "signal", 0 }, { "core", 0 }, { "uid", 0 },
	{ "user", 0 }, { "flags", 0 }, { "comm", 0 }, { "argv", OUT_INDENT },
	{ "unit", 0 }, { "container", 0 }, { "pod", 0 },
};

static unsigned where_mask;
static const char *const where_names[3] = { "unit", "container", "pod" };

void
fmt_proc_where(unsigned mask)
{
	where_mask = mask;
}

int
fmt_where_parse(const char *list, unsigned *ret)
{
	const char *p = list;
	size_t n;
	unsigned m = 0;
	int i;

	while (*p) {
		n = strcspn(p, ",");
		for (i = 0; i < 3; i++)
			if (strlen(where_names[i]) == n &&
			    strncmp(p, where_names[i], n) == 0)
				break;
		if (i == 3)
			return -EINVAL;
		m |= 1u << i;
		p += n;
		if (*p == ',')
			p++;
	}
	*ret = m;
	return m ? 0 : -EINVAL;
}

const struct out_col *
fmt_proc_columns(const struct out *o, int *ret_n)
{
	static struct out_col cols[FMT_PROC_MAXCOLS];
	int n = 0, i;

	if (out_format(o) != OUT_TABLE) {
		*ret_n = FMT_PROC_MAXCOLS;
		return proc_mcols;
	}
	/* the standard columns, the ones asked for before argv */
	for (i = 0; i < 9; i++)
		cols[n++] = proc_cols[i];
	for (i = 0; i < 3; i++)
		if (where_mask & (1u << i))
			cols[n++] = (struct out_col){ where_names[i], 0 };
	cols[n++] = proc_cols[9];
	*ret_n = n;
	return cols;
}

int
fmt_where_out(struct out *o, const char *cgroup, int i)
{
	static int (*const fn[3])(const char *, char *, size_t) = {
		pt_cgroup_unit, pt_cgroup_container, pt_cgroup_pod,
	};
	char buf[512];

	return cgroup && fn[i](cgroup, buf, sizeof(buf)) ? out_str(o, buf) :
	    out_null(o);
}

static const struct out_col gap_cols[] = {
	{ "id", OUT_NUM }, { "session", OUT_NUM }, { "kind", 0 },
	{ "start", 0 }, { "end", 0 }, { "duration", OUT_NUM },
	{ "cpu", OUT_NUM }, { "count", OUT_NUM },
};
static const struct out_col gap_mcols[] = {
	{ "id", 0 }, { "session", 0 }, { "kind", 0 }, { "start", 0 },
	{ "start_ns", 0 }, { "end", 0 }, { "end_ns", 0 },
	{ "duration_ns", 0 }, { "cpu", 0 }, { "count", 0 },
};

const struct out_col *
fmt_gap_columns(const struct out *o, int *ret_n)
{
	if (out_format(o) == OUT_TABLE) {
		*ret_n = (int)(sizeof(gap_cols) / sizeof(gap_cols[0]));
		return gap_cols;
	}
	*ret_n = (int)(sizeof(gap_mcols) / sizeof(gap_mcols[0]));
	return gap_mcols;
}

static int
int_or_null(struct out *o, sqlite3_stmt *st, int c)
{
	return sqlite3_column_type(st, c) == SQLITE_NULL ? out_null(o) :
	    out_int(o, sqlite3_column_int64(st, c));
}

int
fmt_gap_row(struct out *o, sqlite3_stmt *st, int c)
{
	int64_t start = sqlite3_column_int64(st, c + 3);
	int64_t end = sqlite3_column_int64(st, c + 4);
	int machine = out_format(o) != OUT_TABLE, r;

	r = out_int(o, sqlite3_column_int64(st, c));
	if (r == 0)
		r = int_or_null(o, st, c + 1);
	if (r == 0)
		r = out_str(o, (const char *)sqlite3_column_text(st, c + 2));
	if (r == 0)
		r = out_time(o, start);
	if (r == 0 && machine)
		r = out_int(o, start);
	if (r == 0)
		r = out_time(o, end);
	if (r == 0 && machine)
		r = out_int(o, end);
	if (r == 0)
		r = machine ? out_int(o, end - start) :
		    out_duration(o, end - start);
	if (r == 0)
		r = int_or_null(o, st, c + 5);
	if (r == 0)
		r = int_or_null(o, st, c + 6);
	return r;
}

const char *
fmt_user_name(int64_t uid)
{
	char num[24];
	const char *name = fmt_user(uid);

	snprintf(num, sizeof(num), "%" PRId64, uid);
	return strcmp(name, num) == 0 ? NULL : name;
}

const char *
fmt_state(int has_end, int has_status, int status)
{
	if (!has_end)
		return "running";
	if (!has_status)
		return "unknown";
	return (status & 127) == 0 ? "exited" : "killed";
}

int
fmt_life_out(struct out *o, int64_t start, int has_end, int64_t end,
    int has_status, int status)
{
	int ended = has_end && has_status, r;

	r = out_time(o, start);
	if (r == 0)
		r = out_int(o, start);
	if (r == 0)
		r = has_end ? out_time(o, end) : out_null(o);
	if (r == 0)
		r = has_end ? out_int(o, end) : out_null(o);
	if (r == 0)
		r = has_end ? out_int(o, end - start) : out_null(o);
	if (r == 0)
		r = out_str(o, fmt_state(has_end, has_status, status));
	if (r == 0)
		r = ended ? out_int(o, status) : out_null(o);
	if (r == 0)
		r = ended && (status & 127) == 0 ?
		    out_int(o, (status >> 8) & 255) : out_null(o);
	if (r == 0)
		r = ended && (status & 127) != 0 ? out_int(o, status & 127) :
		    out_null(o);
	if (r == 0)
		r = ended ? out_bool(o, (status & 128) != 0) : out_null(o);
	return r;
}

/* The row for programs (proc_mcols). */
static int
proc_machine(struct out *o, const struct fmt_proc *p)
{
	char flags[128];
	int r;

	r = out_int(o, p->id);
	if (r == 0)
		r = out_int(o, p->pid);
	if (r == 0)
		r = p->has_ppid ? out_int(o, p->ppid) : out_null(o);
	if (r == 0)
		r = fmt_life_out(o, p->start, p->has_end, p->end,
		    p->has_status, (int)p->status);
	if (r == 0)
		r = p->has_uid ? out_int(o, p->uid) : out_null(o);
	if (r == 0)
		r = p->has_uid ? out_str(o, fmt_user_name(p->uid)) :
		    out_null(o);
	if (r == 0)
		r = out_words(o, fmt_flags(flags, sizeof(flags), p->flags));
	if (r == 0)
		r = out_str(o, p->comm);
	if (r == 0)
		r = p->argv ? out_argv(o, p->argv, p->argvlen) : out_null(o);
	for (int i = 0; r == 0 && i < 3; i++)
		r = fmt_where_out(o, p->cgroup, i);
	return r;
}

void
fmt_proc_get(sqlite3_stmt *st, int c, struct fmt_proc *p)
{
	p->id = sqlite3_column_int64(st, c);
	p->pid = sqlite3_column_int64(st, c + 1);
	p->has_ppid = sqlite3_column_type(st, c + 2) != SQLITE_NULL;
	p->ppid = sqlite3_column_int64(st, c + 2);
	p->start = sqlite3_column_int64(st, c + 3);
	p->has_end = sqlite3_column_type(st, c + 4) != SQLITE_NULL;
	p->end = sqlite3_column_int64(st, c + 4);
	p->has_status = sqlite3_column_type(st, c + 5) != SQLITE_NULL;
	p->status = sqlite3_column_int64(st, c + 5);
	p->has_uid = sqlite3_column_type(st, c + 6) != SQLITE_NULL;
	p->uid = sqlite3_column_int64(st, c + 6);
	p->comm = (const char *)sqlite3_column_text(st, c + 7);
	p->argv = sqlite3_column_type(st, c + 8) == SQLITE_NULL ? NULL :
	    sqlite3_column_blob(st, c + 8);
	p->argvlen = (size_t)sqlite3_column_bytes(st, c + 8);
	if (!p->argv && sqlite3_column_type(st, c + 8) != SQLITE_NULL)
		p->argv = "";	/* an empty blob: captured, no arguments */
	p->flags = sqlite3_column_int64(st, c + 9);
	p->cgroup = (const char *)sqlite3_column_text(st, c + 10);
}

int
fmt_proc_out(struct out *o, const struct fmt_proc *p)
{
	char status[32], flags[128];
	int r;

	if (out_format(o) != OUT_TABLE)
		return proc_machine(o, p);
	r = out_int(o, p->id);
	if (r == 0)
		r = out_int(o, p->pid);
	if (r == 0)
		r = p->has_ppid ? out_int(o, p->ppid) : out_null(o);
	if (r == 0)
		r = out_time(o, p->start);
	if (r == 0)
		r = p->has_end ? out_duration(o, p->end - p->start) : out_null(o);
	if (r == 0)
		r = p->has_uid ? out_str(o, fmt_user(p->uid)) : out_null(o);
	if (r == 0)
		r = out_str(o, fmt_status(status, sizeof(status), p->has_end,
		    p->has_status, (int)p->status));
	if (r == 0)
		r = out_str(o, fmt_flags(flags, sizeof(flags), p->flags));
	if (r == 0)
		r = out_str(o, p->comm);
	for (int i = 0; r == 0 && i < 3; i++)
		if (where_mask & (1u << i))
			r = fmt_where_out(o, p->cgroup, i);
	if (r != 0)
		return r;
	/* a kernel thread has no argv: "[kthreadd]", as ps shows it, for
	 * people; an empty list for programs */
	if (p->argv && p->argvlen == 0 && p->comm &&
	    out_format(o) == OUT_TABLE) {
		char k[24];

		snprintf(k, sizeof(k), "[%s]", p->comm);
		return out_str(o, k);
	}
	return p->argv ? out_argv(o, p->argv, p->argvlen) : out_null(o);
}

int
fmt_proc_row(struct out *o, sqlite3_stmt *st, int c)
{
	struct fmt_proc p;

	fmt_proc_get(st, c, &p);
	return fmt_proc_out(o, &p);
}
