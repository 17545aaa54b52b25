#ifndef PT_OUTPUT_H
#define PT_OUTPUT_H
/*
 * Result output: aligned tables, JSON or CSV from the same calls.
 *
 * A command opens one or more tables with out_table_begin(), adds rows
 * cell by cell (a row is complete when every column has a cell), and
 * closes each with out_table_end().  out_close() finishes the document.
 *
 * Document shape: a command whose tables have no name prints one JSON
 * array (or one CSV table); named tables make the JSON document an object
 * with one member per table and the CSV output one table per name, each
 * preceded by a "# name" line and separated by an empty line.
 *
 * Tables are buffered 1000 rows at a time: the first 1000 set the column
 * widths, later rows keep them (a wider cell pushes its line out), so
 * memory stays bounded however long the result.  JSON and CSV are
 * streamed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum out_format {
	OUT_TABLE,		/* aligned columns for people */
	OUT_JSON,		/* JSON, one document */
	OUT_CSV			/* RFC 4180 CSV with a header line */
};

/* Column flags. */
#define OUT_NUM		0x1	/* right-aligned in tables */
#define OUT_INDENT	0x2	/* indented by the row depth in tables */

/* Table flags. */
#define OUT_TREE	0x1	/* rows carry a depth: nested "children" in JSON, a depth column in CSV */
#define OUT_RECORD	0x2	/* exactly one row: a JSON object, a vertical list in tables */
#define OUT_ASIS	0x4	/* table headers as the names are written, not upper-cased */
#define OUT_STREAM	0x8	/* rows printed as they come: tables keep the widths of
				 * the header and first row, JSON is one object a line */

struct out_col {
	const char	*name;	/* stable lower-case name (JSON key, CSV header) */
	int		 flags;	/* OUT_NUM, OUT_INDENT */
};

struct out;

/* Make an output writing to f.  Returns 0 or -ENOMEM. */
int out_new(enum out_format fmt, FILE *f, struct out **ret_out);

/*
 * Finish the document, flush, and free o.  Returns 0, or the first error:
 * -ENOMEM, or a write error with its errno (-ENOSPC, -EPIPE...).  NULL is
 * a no-op.
 */
int out_close(struct out *o);

/* The first write error of o as a negative errno (-ENOSPC, -EPIPE...), or
 * 0 if every write so far succeeded (o may be NULL). */
int out_write_error(const struct out *o);

enum out_format out_format(const struct out *o);

/*
 * Start a table with ncols columns (cols must stay valid until
 * out_table_end).  name is NULL for the single unnamed table of a command.
 */
int out_table_begin(struct out *o, const char *name, const struct out_col *cols,
    size_t ncols, int flags);
int out_table_end(struct out *o);

/* Depth of the next row (OUT_TREE tables), 0 for a root. */
int out_row_depth(struct out *o, int depth);

/* Tables: times in the local zone with its offset (on a terminal, as
 * journalctl does); otherwise, and always in JSON and CSV, UTC with Z. */
void out_set_local(struct out *o, int local);

/* Tables: lines longer than columns are cut, ending in "…" (a terminal
 * without a pager; -w turns it off).  0: never. */
void out_set_cut(struct out *o, size_t columns);

/* Write out what is buffered (a stream's rows): 0 or the write error. */
int out_flush(struct out *o);

/* Cells, in column order. */
int out_null(struct out *o);
int out_int(struct out *o, int64_t v);
int out_real(struct out *o, double v);
int out_str(struct out *o, const char *s);		/* NULL gives a null cell */
int out_strn(struct out *o, const char *s, size_t len);
int out_bool(struct out *o, int v);
/* Wall time, ns since the epoch: ISO 8601 UTC, ms in tables (local with
 * its offset after out_set_local()), ns otherwise. */
int out_time(struct out *o, int64_t ns);
/* ns as "YYYY-MM-DDTHH:MM:SS" (UTC) in day and its nanoseconds in
 * *ret_frac; -1 if out of range. */
int out_utc(int64_t ns, char day[static 32], int *ret_frac);
/* Duration in ns: "1h02m03s" style in tables, seconds (a number) otherwise. */
int out_duration(struct out *o, int64_t ns);
/* argv as stored (each argument NUL-terminated): joined by spaces, or a JSON array. */
int out_argv(struct out *o, const void *blob, size_t len);
/* Comma-separated names ("snapshot,gap"): a JSON array of strings, the
 * text as it is elsewhere. */
int out_words(struct out *o, const char *words);

/*
 * A growing byte buffer for writers that build text themselves (export).
 * Start it zeroed; p is NUL-terminated once len > 0 and is the caller's to
 * free(3).  The functions append and return 0 or -ENOMEM.
 */
struct out_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};
int out_buf_add(struct out_buf *b, const void *s, size_t n);
/* s as a JSON string literal, quotes included; invalid UTF-8 as U+FFFD. */
int out_buf_json(struct out_buf *b, const char *s, size_t n);
/* An argv blob (each argument NUL-terminated) as a compact JSON array. */
int out_buf_json_argv(struct out_buf *b, const void *blob, size_t len);
/* s unchanged but for invalid UTF-8, which becomes U+FFFD. */
int out_buf_utf8(struct out_buf *b, const char *s, size_t n);
#endif
