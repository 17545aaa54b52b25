/*
 * Tables, JSON and CSV.  Tables are buffered to size their columns; JSON and
 * CSV are written as cells arrive.  Untrusted text (argv, comm, paths) is
 * escaped for the terminal in tables: control bytes and invalid UTF-8 become
 * \xNN, so a recorded command line cannot drive the reader's terminal.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include <sqlite3.h>

#include "output.h"

/* Table mode prints rows this many at a time (output.h). */
#define TABLE_BATCH	1000

static void table_flush(struct out *o);
static int csv_field(struct out_buf *b, const char *s, size_t n);

struct out {
	enum out_format		 fmt;
	FILE			*f;
	int			 err;		/* first error, sticky */
	int			 werr;		/* first write error (-errno), sticky */
	int			 ntables;	/* tables begun so far */
	int			 object;	/* JSON: document is an object (named tables) */

	/* the current table */
	const struct out_col	*cols;
	size_t			 ncols;
	int			 tflags;
	const char		*name;
	size_t			 col;		/* next cell's column */
	size_t			 nrows;		/* rows begun */
	int			 depth;		/* depth of the current row */
	int			 jdepth;	/* JSON tree: depth of the open object, -1 if none */

	/* table mode: cells of the rows not printed yet (at most
	 * TABLE_BATCH), row-major, and their depths; the column widths, fixed
	 * by the first batch printed */
	size_t			 brows;		/* rows in cells */
	size_t			*w;		/* widths, NULL until fixed */
	char			**cells;
	size_t			 ncells;
	size_t			 cellcap;
	int			*depths;
	size_t			 depthcap;

	struct out_buf		 tmp;		/* the cell being formatted */
	char			**names;	/* column names escaped for fmt */
	int			 local;		/* tables: times in the local zone */
	size_t			 cut;		/* tables: lines cut to this width, 0 none */
	int			 cutting;	/* put() collects lines (in table_flush) */
	struct out_buf		 line;		/* the line being collected */
};

static int
buf_grow(struct out_buf *b, size_t add)
{
	size_t cap;
	char *p;

	if (b->len + add + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < b->len + add + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

static int
buf_add(struct out_buf *b, const void *s, size_t n)
{
	int r;

	r = buf_grow(b, n);
	if (r < 0)
		return r;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static int
buf_addc(struct out_buf *b, char c)
{
	return buf_add(b, &c, 1);
}

static int
buf_printf(struct out_buf *b, const char *fmt, ...)
    __attribute__((__format__(printf, 2, 3)));

static int
buf_printf(struct out_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, r;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	r = buf_grow(b, (size_t)n);
	if (r < 0)
		return r;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid.
 * C1 controls (U+0080..U+009F) count as invalid: terminals obey them.
 */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return len;
}

/* Terminal-safe text: control bytes and invalid UTF-8 as \xNN. */
static int
esc_text(struct out_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, l;
	int r = 0;

	for (i = 0; i < n && r == 0; i += l) {
		l = utf8_len(u + i, n - i);
		if (l == 1 && u[i] >= 0x20 && u[i] != 0x7f)
			r = buf_addc(b, (char)u[i]);
		else if (l > 1)
			r = buf_add(b, u + i, l);
		else {
			if (u[i] == '\n')
				r = buf_add(b, "\\n", 2);
			else if (u[i] == '\t')
				r = buf_add(b, "\\t", 2);
			else
				r = buf_printf(b, "\\x%02x", u[i]);
			l = 1;
		}
	}
	return r;
}

/* JSON string body (without quotes); invalid UTF-8 becomes U+FFFD. */
static int
esc_json(struct out_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, l;
	int r = 0;

	for (i = 0; i < n && r == 0; i += l) {
		l = utf8_len(u + i, n - i);
		if (l == 0) {
			/* a C1 control is valid UTF-8: keep it, escaped */
			if (n - i >= 2 && u[i] == 0xc2 && u[i + 1] >= 0x80 &&
			    u[i + 1] <= 0x9f) {
				r = buf_printf(b, "\\u%04x", u[i + 1]);
				l = 2;
			} else {
				r = buf_add(b, "\\ufffd", 6);
				l = 1;
			}
		} else if (l > 1) {
			r = buf_add(b, u + i, l);
		} else if (u[i] == '"' || u[i] == '\\') {
			r = buf_addc(b, '\\');
			if (r == 0)
				r = buf_addc(b, (char)u[i]);
		} else if (u[i] == '\n') {
			r = buf_add(b, "\\n", 2);
		} else if (u[i] == '\t') {
			r = buf_add(b, "\\t", 2);
		} else if (u[i] < 0x20 || u[i] == 0x7f) {
			r = buf_printf(b, "\\u%04x", u[i]);
		} else {
			r = buf_addc(b, (char)u[i]);
		}
	}
	return r;
}

/* One argument for a command line people read: shell-quoted when needed. */
static int
esc_arg(struct out_buf *b, const char *s, size_t n)
{
	size_t i;
	int quote = n == 0, r;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80 && !(c >= 'a' && c <= 'z') && !(c >= 'A' &&
		    c <= 'Z') && !(c >= '0' && c <= '9') &&
		    !strchr("_@%+=:,./-", c))
			quote = 1;
	}
	if (!quote)
		return esc_text(b, s, n);
	r = buf_addc(b, '\'');
	for (i = 0; i < n && r == 0; ) {
		const char *q = memchr(s + i, '\'', n - i);
		size_t m = q ? (size_t)(q - (s + i)) : n - i;

		r = esc_text(b, s + i, m);
		i += m;
		if (r == 0 && q) {
			r = buf_add(b, "'\\''", 4);
			i++;
		}
	}
	if (r == 0)
		r = buf_addc(b, '\'');
	return r;
}

/* Call fn for each argument of an argv blob. */
static int
argv_each(const void *blob, size_t len, int (*fn)(struct out_buf *, const char *,
    size_t), struct out_buf *b, const char *sep)
{
	const char *s = blob, *end = s + len, *z;
	int r = 0, first = 1;

	while (s < end && r == 0) {
		z = memchr(s, '\0', (size_t)(end - s));
		if (!z)
			z = end;
		if (!first)
			r = buf_add(b, sep, strlen(sep));
		if (r == 0)
			r = fn(b, s, (size_t)(z - s));
		first = 0;
		s = z + 1;
	}
	return r;
}

static int
json_arg(struct out_buf *b, const char *s, size_t n)
{
	int r;

	r = buf_addc(b, '"');
	if (r == 0)
		r = esc_json(b, s, n);
	if (r == 0)
		r = buf_addc(b, '"');
	return r;
}

int
out_buf_add(struct out_buf *b, const void *s, size_t n)
{
	return buf_add(b, s, n);
}

int
out_buf_json(struct out_buf *b, const char *s, size_t n)
{
	return json_arg(b, s, n);
}

int
out_buf_json_argv(struct out_buf *b, const void *blob, size_t len)
{
	int r;

	r = buf_addc(b, '[');
	if (r == 0)
		r = argv_each(blob, len, json_arg, b, ",");
	if (r == 0)
		r = buf_addc(b, ']');
	return r;
}

int
out_buf_utf8(struct out_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, l;
	int r = 0;

	for (i = 0; i < n && r == 0; i += l) {
		l = utf8_len(u + i, n - i);
		if (l == 0 && n - i >= 2 && u[i] == 0xc2 && u[i + 1] >= 0x80 &&
		    u[i + 1] <= 0x9f)
			l = 2;	/* a C1 control: valid UTF-8, kept */
		if (l == 0) {
			r = buf_add(b, "\xef\xbf\xbd", 3);
			l = 1;
		} else
			r = buf_add(b, u + i, l);
	}
	return r;
}

int
out_new(enum out_format fmt, FILE *f, struct out **ret_out)
{
	struct out *o;

	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->fmt = fmt;
	o->f = f;
	o->jdepth = -1;
	*ret_out = o;
	return 0;
}

enum out_format
out_format(const struct out *o)
{
	return o->fmt;
}

int
out_write_error(const struct out *o)
{
	return o ? o->werr : 0;
}

/* The first write error, with its errno (ENOSPC, EPIPE...), is kept. */
static void
write_failed(struct out *o)
{
	if (!o->werr)
		o->werr = errno > 0 ? -errno : -EIO;
	if (!o->err)
		o->err = o->werr;
}

static size_t width_n(const char *s, size_t n);

static void
put_raw(struct out *o, const char *s, size_t n)
{
	errno = 0;
	if (n && fwrite(s, 1, n, o->f) != n)
		write_failed(o);
}

/* A whole table line (with its newline), cut to o->cut columns with a
 * visible "…" when it is longer. */
static void
put_cut(struct out *o, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, w = 0, cw, len;

	if (n == 0 || s[n - 1] != '\n' || width_n(s, n - 1) <= o->cut)
		return put_raw(o, s, n);
	while (i < n - 1) {
		len = p[i] < 0x80 ? 1 : p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : 2;
		if (i + len > n - 1)
			break;
		cw = width_n(s + i, len);
		if (w + cw > o->cut - 1)
			break;
		w += cw;
		i += len;
	}
	put_raw(o, s, i);
	put_raw(o, "\xe2\x80\xa6\n", 4);	/* … */
}

static void
put(struct out *o, const char *s, size_t n)
{
	const char *nl;

	if (!o->cutting || !o->cut)
		return put_raw(o, s, n);
	while (n && (nl = memchr(s, '\n', n))) {
		if (buf_add(&o->line, s, (size_t)(nl - s) + 1) == 0)
			put_cut(o, o->line.p, o->line.len);
		o->line.len = 0;
		n -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	if (n)
		(void)buf_add(&o->line, s, n);
}

static void
puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void
names_free(struct out *o)
{
	size_t j;

	if (!o->names)
		return;
	for (j = 0; j < o->ncols; j++)
		free(o->names[j]);
	free(o->names);
	o->names = NULL;
}

/* The column names as the format prints them: JSON strings, CSV fields,
 * escaped (and upper-cased unless OUT_ASIS) table text. */
static int
names_make(struct out *o)
{
	struct out_buf b;
	char *up;
	size_t j, k, n;
	int r = 0;

	o->names = calloc(o->ncols ? o->ncols : 1, sizeof(*o->names));
	if (!o->names)
		return -ENOMEM;
	for (j = 0; j < o->ncols && r == 0; j++) {
		const char *name = o->cols[j].name ? o->cols[j].name : "";

		memset(&b, 0, sizeof(b));
		n = strlen(name);
		switch (o->fmt) {
		case OUT_JSON:
			r = json_arg(&b, name, n);
			break;
		case OUT_CSV:
			r = csv_field(&b, name, n);
			break;
		case OUT_TABLE:
			up = strdup(name);
			if (!up) {
				r = -ENOMEM;
				break;
			}
			for (k = 0; !(o->tflags & OUT_ASIS) && k < n; k++)
				if (up[k] >= 'a' && up[k] <= 'z')
					up[k] = (char)(up[k] - 32);
			r = esc_text(&b, up, n);
			free(up);
			break;
		}
		if (r == 0)
			r = buf_addc(&b, '\0');
		o->names[j] = b.p;
		if (r == 0 && !b.p)
			r = -ENOMEM;
	}
	return r;
}

int
out_table_begin(struct out *o, const char *name, const struct out_col *cols,
    size_t ncols, int flags)
{
	struct out_buf b = { 0 };
	int r = 0;

	names_free(o);
	o->cols = cols;
	o->ncols = ncols;
	o->tflags = flags;
	if (names_make(o) < 0)
		return o->err = -ENOMEM;
	o->name = name;
	o->col = 0;
	o->nrows = 0;
	o->brows = 0;
	o->depth = 0;
	o->jdepth = -1;
	o->ncells = 0;
	free(o->w);
	o->w = NULL;
	switch (o->fmt) {
	case OUT_JSON:
		if (name) {
			if (o->ntables == 0) {
				puts_(o, "{");
				o->object = 1;
			} else
				puts_(o, ",");
			r = json_arg(&b, name, strlen(name));
			if (r == 0) {
				puts_(o, "\n");
				put(o, b.p, b.len);
				puts_(o, ": ");
			}
		}
		if (!(flags & (OUT_RECORD | OUT_STREAM)))
			puts_(o, "[");
		break;
	case OUT_CSV:
		if (o->ntables > 0)
			puts_(o, "\n");
		if (name)
			fprintf(o->f, "# %s\n", name);
		if (flags & OUT_TREE)
			puts_(o, "depth,");
		for (size_t i = 0; i < ncols; i++) {
			puts_(o, o->names[i]);
			puts_(o, i + 1 < ncols ? "," : "\n");
		}
		break;
	case OUT_TABLE:
		break;
	}
	free(b.p);
	o->ntables++;
	return r < 0 ? r : o->err;
}

int
out_row_depth(struct out *o, int depth)
{
	o->depth = depth < 0 ? 0 : depth;
	return 0;
}

static void
json_indent(struct out *o, int n)
{
	puts_(o, "\n");
	for (int i = 0; i < n; i++)
		puts_(o, "  ");
}

/* JSON: open the object of a new row, closing or nesting earlier ones. */
static void
json_row_open(struct out *o)
{
	int d = (o->tflags & OUT_TREE) ? o->depth : 0;

	if (o->tflags & OUT_RECORD) {
		puts_(o, "{");
		return;
	}
	if (!(o->tflags & OUT_TREE)) {
		if (o->nrows > 0)
			puts_(o, ",");
		json_indent(o, 0);
		puts_(o, "{");
		return;
	}
	/* A tree row of depth d: deeper than the open object is its child
	 * (only one level deeper is possible); otherwise close objects up to
	 * its level first. */
	if (o->jdepth >= 0 && d > o->jdepth) {
		d = o->jdepth + 1;
		puts_(o, ", \"children\": [");
	} else if (o->jdepth >= 0) {
		puts_(o, ", \"children\": []}");
		for (int i = o->jdepth; i > d; i--) {
			json_indent(o, i);
			puts_(o, "]}");
		}
		puts_(o, ",");
	}
	json_indent(o, d);
	puts_(o, "{");
	o->jdepth = d;
}

/* Add the formatted cell in o->tmp (json: already JSON text). */
static int
cell_done(struct out *o)
{
	char *s;

	if (o->err)
		return o->err;
	if (o->col >= o->ncols)
		return -EINVAL;
	switch (o->fmt) {
	case OUT_JSON:
		if (o->tflags & OUT_STREAM)
			puts_(o, o->col == 0 ? "{" : ", ");
		else if (o->col == 0)
			json_row_open(o);
		else
			puts_(o, ", ");
		puts_(o, o->names[o->col]);
		puts_(o, ": ");
		put(o, o->tmp.p, o->tmp.len);
		if (o->col + 1 == o->ncols && (o->tflags & OUT_STREAM))
			puts_(o, "}\n");
		else if (o->col + 1 == o->ncols && !(o->tflags & OUT_TREE))
			puts_(o, "}");
		break;
	case OUT_CSV:
		if (o->col == 0 && (o->tflags & OUT_TREE))
			fprintf(o->f, "%d,", o->depth);
		put(o, o->tmp.p, o->tmp.len);
		puts_(o, o->col + 1 == o->ncols ? "\n" : ",");
		break;
	case OUT_TABLE:
		if (o->ncells == o->cellcap) {
			size_t cap = o->cellcap ? o->cellcap * 2 : 256;
			char **p = realloc(o->cells, cap * sizeof(*p));

			if (!p)
				return o->err = -ENOMEM;
			o->cells = p;
			o->cellcap = cap;
		}
		if (o->col == 0) {
			if (o->brows == o->depthcap) {
				size_t cap = o->depthcap ? o->depthcap * 2 : 64;
				int *p = realloc(o->depths, cap * sizeof(*p));

				if (!p)
					return o->err = -ENOMEM;
				o->depths = p;
				o->depthcap = cap;
			}
			o->depths[o->brows] = o->depth;
		}
		s = strdup(o->tmp.p ? o->tmp.p : "");
		if (!s)
			return o->err = -ENOMEM;
		o->cells[o->ncells++] = s;
		break;
	}
	o->tmp.len = 0;
	if (o->tmp.p)
		o->tmp.p[0] = '\0';
	if (++o->col == o->ncols) {
		o->col = 0;
		o->nrows++;
		o->depth = 0;
		if (o->fmt == OUT_TABLE && (++o->brows >= TABLE_BATCH ||
		    (o->tflags & OUT_STREAM)) && !(o->tflags & OUT_RECORD))
			table_flush(o);
	}
	return o->err;
}

/* s (n bytes) as one CSV field: quoted if it must be. */
static int
csv_field(struct out_buf *b, const char *s, size_t n)
{
	int r, quote = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr(",\"\r\n", s[i]) && s[i])
			quote = 1;
	if (n && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '#'))
		quote = 1;
	if (!quote)
		return buf_add(b, s, n) ? -ENOMEM : 0;
	r = buf_addc(b, '"');
	for (i = 0; i < n && r == 0; i++) {
		if (s[i] == '"')
			r = buf_addc(b, '"');
		if (r == 0)
			r = buf_addc(b, s[i]);
	}
	return r == 0 ? buf_addc(b, '"') : r;
}

/* Format a text cell: JSON string, CSV field or escaped table text. */
static int
cell_text(struct out *o, const char *s, size_t n)
{
	int r = 0;

	switch (o->fmt) {
	case OUT_JSON:
		r = json_arg(&o->tmp, s, n);
		break;
	case OUT_CSV:
		r = csv_field(&o->tmp, s, n);
		break;
	case OUT_TABLE:
		r = esc_text(&o->tmp, s, n);
		break;
	}
	return r < 0 ? r : cell_done(o);
}

int
out_null(struct out *o)
{
	int r = 0;

	if (o->fmt == OUT_JSON)
		r = buf_add(&o->tmp, "null", 4);
	else if (o->fmt == OUT_TABLE)
		r = buf_addc(&o->tmp, '-');
	return r < 0 ? r : cell_done(o);
}

int
out_int(struct out *o, int64_t v)
{
	int r;

	r = buf_printf(&o->tmp, "%" PRId64, v);
	return r < 0 ? r : cell_done(o);
}

int
out_real(struct out *o, double v)
{
	char b[64];
	int r;

	/* as sqlite3 prints a REAL (15 significant digits, ".0" kept);
	 * JSON has no infinity or NaN: null */
	if (isnan(v) || isinf(v)) {
		if (o->fmt == OUT_JSON)
			r = buf_printf(&o->tmp, "null");
		else
			r = buf_printf(&o->tmp, "%s", isnan(v) ? "NaN" :
			    v > 0 ? "Inf" : "-Inf");
	} else {
		sqlite3_snprintf(sizeof(b), b, "%!.15g", v);
		r = buf_printf(&o->tmp, "%s", b);
	}
	return r < 0 ? r : cell_done(o);
}

int
out_bool(struct out *o, int v)
{
	int r;

	if (o->fmt == OUT_JSON)
		r = buf_printf(&o->tmp, "%s", v ? "true" : "false");
	else if (o->fmt == OUT_CSV)
		r = buf_printf(&o->tmp, "%d", v ? 1 : 0);
	else
		r = buf_printf(&o->tmp, "%s", v ? "yes" : "no");
	return r < 0 ? r : cell_done(o);
}

int
out_str(struct out *o, const char *s)
{
	if (!s)
		return out_null(o);
	return cell_text(o, s, strlen(s));
}

int
out_strn(struct out *o, const char *s, size_t len)
{
	if (!s)
		return out_null(o);
	return cell_text(o, s, len);
}

int
out_utc(int64_t ns, char day[static 32], int *ret_frac)
{
	struct tm tm;
	time_t t;
	int64_t frac;

	t = (time_t)(ns / 1000000000);
	frac = ns % 1000000000;
	if (frac < 0) {
		frac += 1000000000;
		t--;
	}
	if (!gmtime_r(&t, &tm))
		return -1;
	strftime(day, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	*ret_frac = (int)frac;
	return 0;
}

int
out_time(struct out *o, int64_t ns)
{
	char day[32];
	int frac, r;

	if (out_utc(ns, day, &frac) < 0)
		return out_null(o);
	if (o->fmt == OUT_TABLE && o->local) {
		/* the local time with its offset: readable, unambiguous
		 * across a change of summer time, and taken back by --since */
		time_t t = (time_t)(ns / 1000000000);
		struct tm tm;
		char ld[40], off[8];

		if (!localtime_r(&t, &tm) ||
		    !strftime(ld, sizeof(ld), "%Y-%m-%dT%H:%M:%S", &tm) ||
		    !strftime(off, sizeof(off), "%z", &tm))
			return out_null(o);
		r = buf_printf(&o->tmp, "%s.%03d%.3s:%s", ld, frac / 1000000,
		    off, off + 3);
	} else if (o->fmt == OUT_TABLE)
		r = buf_printf(&o->tmp, "%s.%03dZ", day, frac / 1000000);
	else if (o->fmt == OUT_JSON)
		r = buf_printf(&o->tmp, "\"%s.%09dZ\"", day, frac);
	else
		r = buf_printf(&o->tmp, "%s.%09dZ", day, frac);
	return r < 0 ? r : cell_done(o);
}

int
out_duration(struct out *o, int64_t ns)
{
	int64_t s;
	int r;

	if (o->fmt != OUT_TABLE) {
		r = buf_printf(&o->tmp, "%" PRId64 ".%09" PRId64, ns / 1000000000,
		    (ns < 0 ? -ns : ns) % 1000000000);
		return r < 0 ? r : cell_done(o);
	}
	if (ns < 0)
		r = buf_printf(&o->tmp, "?");
	else if (ns < 1000000)
		r = buf_printf(&o->tmp, "%" PRId64 "us", ns / 1000);
	else if (ns < 1000000000)
		r = buf_printf(&o->tmp, "%" PRId64 "ms", ns / 1000000);
	else if (ns < INT64_C(60) * 1000000000)
		r = buf_printf(&o->tmp, "%" PRId64 ".%03" PRId64 "s",
		    ns / 1000000000, ns / 1000000 % 1000);
	else {
		s = ns / 1000000000;
		if (s < 3600)
			r = buf_printf(&o->tmp, "%" PRId64 "m%02" PRId64 "s",
			    s / 60, s % 60);
		else if (s < 86400)
			r = buf_printf(&o->tmp, "%" PRId64 "h%02" PRId64 "m%02"
			    PRId64 "s", s / 3600, s / 60 % 60, s % 60);
		else
			r = buf_printf(&o->tmp, "%" PRId64 "d%02" PRId64 "h%02"
			    PRId64 "m", s / 86400, s / 3600 % 24, s / 60 % 60);
	}
	return r < 0 ? r : cell_done(o);
}

int
out_argv(struct out *o, const void *blob, size_t len)
{
	struct out_buf b = { 0 };
	int r;

	if (!blob && len == 0 && o->fmt == OUT_JSON)
		return out_null(o);
	if (o->fmt == OUT_JSON) {
		r = buf_addc(&o->tmp, '[');
		if (r == 0)
			r = argv_each(blob, len, json_arg, &o->tmp, ", ");
		if (r == 0)
			r = buf_addc(&o->tmp, ']');
		return r < 0 ? r : cell_done(o);
	}
	if (!blob)
		return out_null(o);
	if (o->fmt == OUT_TABLE) {
		r = argv_each(blob, len, esc_arg, &o->tmp, " ");
		return r < 0 ? r : cell_done(o);
	}
	r = argv_each(blob, len, esc_arg, &b, " ");
	if (r == 0)
		r = cell_text(o, b.p ? b.p : "", b.len);
	free(b.p);
	return r;
}

int
out_words(struct out *o, const char *words)
{
	const char *p = words, *e;
	int r = 0;

	if (o->fmt != OUT_JSON)
		return out_str(o, words);
	r = buf_addc(&o->tmp, '[');
	while (r == 0 && *p) {
		e = p + strcspn(p, ",");
		if (p != words)
			r = buf_printf(&o->tmp, ", ");
		if (r == 0)
			r = json_arg(&o->tmp, p, (size_t)(e - p));
		p = *e ? e + 1 : e;
	}
	if (r == 0)
		r = buf_addc(&o->tmp, ']');
	return r < 0 ? r : cell_done(o);
}

/* Display width of n bytes of UTF-8 text: wcwidth() of each character
 * (two columns for CJK, none for combining marks); invalid bytes were
 * escaped before. */
static size_t
width_n(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t w = 0;
	uint32_t cp;
	int k, cw;

	while (p < end) {
		if (*p < 0x80) {
			w++;
			p++;
			continue;
		}
		k = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1;
		cp = *p & (0x3f >> k);
		for (p++; k > 0 && p < end && (*p & 0xc0) == 0x80; k--, p++)
			cp = cp << 6 | (*p & 0x3f);
		cw = wcwidth((wchar_t)cp);
		w += cw < 0 ? 1 : (size_t)cw;
	}
	return w;
}

static size_t
width(const char *s)
{
	return width_n(s, strlen(s));
}

static void
pad(struct out *o, size_t n)
{
	while (n-- > 0)
		puts_(o, " ");
}

static size_t
indent_of(int depth)
{
	return depth > 0 ? (size_t)depth * 3 : 0;
}

static void
put_indent(struct out *o, int depth)
{
	for (int i = 1; i < depth; i++)
		puts_(o, "   ");
	if (depth > 0)
		puts_(o, "\\_ ");
}

/*
 * Print the rows buffered (a table of up to TABLE_BATCH rows, or the rest
 * of one) and free them.  The first batch fixes the column widths and
 * prints the header; later batches keep those widths (a wider cell pushes
 * its line out, as in ps), so memory stays bounded however many rows come.
 */
static void
table_flush(struct out *o)
{
	size_t *w, i, j, n = o->brows;

	o->cutting = 1;

	if (o->nrows == n && o->name && !(o->tflags & OUT_RECORD))
		fprintf(o->f, "%s%s:\n", o->ntables > 1 ? "\n" : "", o->name);
	if (o->tflags & OUT_RECORD) {
		size_t kw = 0;

		if (o->ntables > 1)
			puts_(o, "\n");
		for (j = 0; j < o->ncols; j++)
			if (width(o->cols[j].name) > kw)
				kw = width(o->cols[j].name);
		for (i = 0; i < n; i++)
			for (j = 0; j < o->ncols; j++) {
				puts_(o, o->cols[j].name);
				pad(o, kw - width(o->cols[j].name) + 2);
				puts_(o, o->cells[i * o->ncols + j]);
				puts_(o, "\n");
			}
		goto out;
	}
	if (o->nrows == 0) {
		if (o->name)
			puts_(o, "  (none)\n");
		goto out;
	}
	if (!o->w) {
		w = calloc(o->ncols, sizeof(*w));
		if (!w) {
			o->err = -ENOMEM;
			goto out;
		}
		for (j = 0; j < o->ncols; j++)
			w[j] = width(o->names[j]);
		for (i = 0; i < n; i++)
			for (j = 0; j < o->ncols; j++) {
				size_t cw = width(o->cells[i * o->ncols + j]);

				if (o->cols[j].flags & OUT_INDENT)
					cw += indent_of(o->depths[i]);
				if (cw > w[j])
					w[j] = cw;
			}
		o->w = w;
		for (j = 0; j < o->ncols; j++) {
			size_t l = width(o->names[j]);

			if (o->cols[j].flags & OUT_NUM)
				pad(o, w[j] - l);
			puts_(o, o->names[j]);
			if (j + 1 < o->ncols && !(o->cols[j].flags & OUT_NUM))
				pad(o, w[j] - l);
			puts_(o, j + 1 < o->ncols ? "  " : "\n");
		}
	}
	w = o->w;
	for (i = 0; i < n; i++)
		for (j = 0; j < o->ncols; j++) {
			const char *c = o->cells[i * o->ncols + j];
			size_t cw = width(c);

			if (o->cols[j].flags & OUT_INDENT) {
				put_indent(o, o->depths[i]);
				cw += indent_of(o->depths[i]);
			}
			if (o->cols[j].flags & OUT_NUM)
				pad(o, w[j] > cw ? w[j] - cw : 0);
			puts_(o, c);
			if (j + 1 < o->ncols && !(o->cols[j].flags & OUT_NUM))
				pad(o, w[j] > cw ? w[j] - cw : 0);
			puts_(o, j + 1 < o->ncols ? "  " : "\n");
		}
out:
	o->cutting = 0;
	if (o->line.len) {		/* a line without its end: as it is */
		put_raw(o, o->line.p, o->line.len);
		o->line.len = 0;
	}
	for (i = 0; i < o->ncells; i++)
		free(o->cells[i]);
	o->ncells = 0;
	o->brows = 0;
}

int
out_table_end(struct out *o)
{
	size_t i;

	if (o->col != 0 && !o->err)
		o->err = -EINVAL;	/* a row left incomplete: a bug */
	switch (o->fmt) {
	case OUT_JSON:
		if (o->tflags & OUT_STREAM)
			break;
		if (o->tflags & OUT_RECORD) {
			if (o->nrows == 0)
				puts_(o, "null");
			break;
		}
		if ((o->tflags & OUT_TREE) && o->jdepth >= 0) {
			puts_(o, ", \"children\": []}");
			for (int d = o->jdepth; d > 0; d--) {
				json_indent(o, d);
				puts_(o, "]}");
			}
		}
		puts_(o, o->nrows ? "\n]" : "]");
		if (!o->object)
			puts_(o, "\n");
		break;
	case OUT_CSV:
		break;
	case OUT_TABLE:
		if (!o->err)
			table_flush(o);
		for (i = 0; i < o->ncells; i++)
			free(o->cells[i]);
		o->ncells = 0;
		o->brows = 0;
		free(o->w);
		o->w = NULL;
		break;
	}
	names_free(o);
	o->cols = NULL;
	o->ncols = 0;
	return o->err;
}

void
out_set_local(struct out *o, int local)
{
	o->local = local;
}

void
out_set_cut(struct out *o, size_t columns)
{
	o->cut = columns > 10 ? columns : 0;
}

int
out_flush(struct out *o)
{
	errno = 0;
	if (fflush(o->f) != 0)
		write_failed(o);
	return o->err;
}

int
out_close(struct out *o)
{
	int r;

	if (!o)
		return 0;
	if (o->fmt == OUT_JSON && o->object)
		puts_(o, "\n}\n");
	errno = 0;
	if (fflush(o->f) != 0)
		write_failed(o);
	r = o->err;
	for (size_t i = 0; i < o->ncells; i++)
		free(o->cells[i]);
	free(o->cells);
	free(o->depths);
	free(o->w);
	names_free(o);		/* a table left open by an error */
	free(o->line.p);
	free(o->tmp.p);
	free(o);
	return r;
}
