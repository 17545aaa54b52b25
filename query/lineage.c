/*
 * ancestors and tree.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fmt.h"
#include "ident.h"
#include "lineage.h"
#include "query.h"

const struct option q_opts_lineage[] = {
	Q_COMMON_LONGOPTS,
	{ "at", required_argument, NULL, 'a' },
	{ "depth", required_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Arguments shared by both: one process and --at, plus --depth for tree. */
static int
lineage_args(struct qctx *q, int argc, char **argv, int with_depth,
    const char **ret_proc, int64_t *ret_at, int *ret_depth)
{
	char *end;
	long v;
	int c, r;

	*ret_at = IDENT_NO_TIME;
	*ret_depth = LINEAGE_MAX_DEPTH;
	while ((c = q_getopt(q, argc, argv, "h", q_opts_lineage, &r)) >= 0) {
		switch (c) {
		case 'a':
			r = q_time_arg(q, "--at", optarg, ret_at);
			if (r)
				return r;
			break;
		case 'd':
			if (!with_depth)
				goto usage;
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v < 0) {
				warnx("--depth: bad number '%s'", optarg);
				return EX_USAGE;
			}
			*ret_depth = v > LINEAGE_MAX_DEPTH ? LINEAGE_MAX_DEPTH :
			    (int)v;
			break;
		}
	}
	if (c == Q_OPT_EXIT)
		return r == EX_OK ? -1 : r;	/* -1: after --help */
	if (argc - optind != 1) {
		warnx("%s: %s", argv[0] + 10, argc - optind ?
		    "one process at a time" : "which process? (a PID or id:N)");
		goto usage;
	}
	*ret_proc = argv[optind];
	return 0;
usage:
	q_usage(argv[0], 1);
	return EX_USAGE;
}

/*
 * How many distinct instances the parent links reach from id, itself
 * included.  UNION (not UNION ALL) drops an instance seen before, so a
 * cycle ends the walk.
 */
static int
chain_length(sqlite3 *db, int64_t id, int64_t *ret)
{
	static const char sql[] =
	    "WITH RECURSIVE a(id) AS ("
	    "  SELECT :id"
	    "  UNION"
	    "  SELECT p.parent FROM a JOIN process p ON p.id = a.id"
	    "   WHERE p.parent IS NOT NULL)"
	    " SELECT count(*) FROM a";
	sqlite3_stmt *st;
	int rc, r;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(db, rc);
	if ((r = db_bind_int64(st, ":id", id)) < 0) {
		sqlite3_finalize(st);
		return r;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*ret = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_errno(db, rc);
}

int
cmd_ancestors(struct qctx *q, int argc, char **argv)
{
	/* a.n < :len with :len the number of distinct instances on the
	 * chain: a chain without a cycle ends at n = :len - 1, a walk that
	 * reaches n = :len went round a cycle, and stops there */
	static const char sql[] =
	    "WITH RECURSIVE a(id, n) AS ("
	    "  SELECT :id, 0"
	    "  UNION ALL"
	    "  SELECT p.parent, a.n + 1 FROM a JOIN process p ON p.id = a.id"
	    "   WHERE p.parent IS NOT NULL AND a.n < :len)"
	    " SELECT a.n, " FMT_PROC_SELECT
	    " FROM a JOIN process p ON p.id = a.id"
	    " LEFT JOIN exec x ON x.id = p.image"
	    " LEFT JOIN cmdline cl ON cl.id = x.cmdline"
	    " ORDER BY a.n DESC";
	sqlite3_stmt *st = NULL;
	const struct out_col *cols;
	const char *proc;
	int64_t at, id, len = 0;
	int depth, r, rc, top = -1, ncols;

	r = lineage_args(q, argc, argv, 0, &proc, &at, &depth);
	if (r)
		return r < 0 ? EX_OK : r;
	if ((r = q_open(q)) != 0)
		return r;
	if ((r = q_begin(q)) < 0)
		return q_fail(q, r, "ancestors");
	if ((r = q_resolve(q, proc, at, &id)) != 0)
		return r;
	if ((r = chain_length(q->db, id, &len)) < 0)
		return q_fail(q, r, "ancestors");
	if (len > LINEAGE_MAX_DEPTH)
		len = LINEAGE_MAX_DEPTH;
	rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return q_fail(q, db_errno(q->db, rc), "ancestors");
	r = db_bind_int64(st, ":id", id);
	r = r ? r : db_bind_int64(st, ":len", len);
	if (r < 0) {
		sqlite3_finalize(st);
		return q_fail(q, r, "ancestors");
	}
	/* the deepest row comes first: a cycle shows before any output */
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == len &&
	    len < LINEAGE_MAX_DEPTH) {
		warnx("%s: ancestors of id:%" PRId64 ": the parent links loop"
		    " back to id:%" PRId64 " (a damaged database: proctrail"
		    " verify lists such cycles)", q->dbpath, id,
		    (int64_t)sqlite3_column_int64(st, 1));
		sqlite3_finalize(st);
		return EX_DB;
	}
	cols = fmt_proc_columns(q->out, &ncols);
	r = out_table_begin(q->out, NULL, cols, ncols, 0);
	for (; r == 0 && rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		if (top < 0)
			top = sqlite3_column_int(st, 0);
		out_row_depth(q->out, top - sqlite3_column_int(st, 0));
		r = fmt_proc_row(q->out, st, 1);
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_errno(q->db, rc);
	sqlite3_finalize(st);
	if (r == 0)
		r = out_table_end(q->out);
	return r < 0 ? q_fail(q, r, "ancestors") : EX_OK;
}

/* A tree node: the row, copied, and its place among its siblings. */
struct node {
	struct fmt_proc	 p;
	int64_t		 parent;	/* process.parent, -1 if NULL */
	size_t		 child;		/* first child, or SIZE_MAX */
	size_t		 next;		/* next sibling, or SIZE_MAX */
	int		 depth;
};

struct forest {
	struct node	*v;
	size_t		 n;
	size_t		 cap;
};

static void
forest_release(struct forest *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free((char *)f->v[i].p.comm);
		free((void *)f->v[i].p.argv);
		free((char *)f->v[i].p.cgroup);
	}
	free(f->v);
}

static int
forest_add(struct forest *f, sqlite3_stmt *st)
{
	struct node *n;
	void *a = NULL;
	char *c = NULL, *g = NULL;

	if (f->n >= LINEAGE_MAX_NODES)
		return -E2BIG;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 1024;
		struct node *v = realloc(f->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		f->v = v;
		f->cap = cap;
	}
	n = &f->v[f->n];
	fmt_proc_get(st, 2, &n->p);
	if (n->p.comm && !(c = strdup(n->p.comm)))
		return -ENOMEM;
	if (n->p.argv) {
		a = malloc(n->p.argvlen + 1);
		if (!a) {
			free(c);
			return -ENOMEM;
		}
		memcpy(a, n->p.argv, n->p.argvlen);
	}
	if (n->p.cgroup && !(g = strdup(n->p.cgroup))) {
		free(c);
		free(a);
		return -ENOMEM;
	}
	n->p.comm = c;
	n->p.argv = a;
	n->p.cgroup = g;
	n->parent = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, 1);
	n->depth = sqlite3_column_int(st, 0);
	n->child = n->next = SIZE_MAX;
	f->n++;
	return 0;
}

/* Siblings are shown in start order. */
static int
node_cmp_start(const void *a, const void *b)
{
	const struct node *x = a, *y = b;

	if (x->p.start != y->p.start)
		return x->p.start < y->p.start ? -1 : 1;
	return x->p.id < y->p.id ? -1 : x->p.id > y->p.id;
}

/* index array sorted by id, for finding parents */
static const struct forest *sort_forest;

static int
idx_cmp_id(const void *a, const void *b)
{
	int64_t x = sort_forest->v[*(const size_t *)a].p.id;
	int64_t y = sort_forest->v[*(const size_t *)b].p.id;

	return x < y ? -1 : x > y;
}

/* Link children lists (in start order); returns the root's index. */
static int
forest_link(struct forest *f, int64_t root, size_t *ret_root)
{
	size_t *byid, i, *hit, lo, hi, mid;

	qsort(f->v, f->n, sizeof(*f->v), node_cmp_start);
	byid = malloc((f->n ? f->n : 1) * sizeof(*byid));
	if (!byid)
		return -ENOMEM;
	for (i = 0; i < f->n; i++)
		byid[i] = i;
	sort_forest = f;
	qsort(byid, f->n, sizeof(*byid), idx_cmp_id);
	*ret_root = SIZE_MAX;
	/* backwards, so that pushing on the head keeps start order */
	for (i = f->n; i-- > 0; ) {
		if (f->v[i].p.id == root) {
			*ret_root = i;
			continue;
		}
		hit = NULL;
		lo = 0;
		hi = f->n;
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if (f->v[byid[mid]].p.id == f->v[i].parent) {
				hit = &byid[mid];
				break;
			}
			if (f->v[byid[mid]].p.id < f->v[i].parent)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (hit) {
			f->v[i].next = f->v[*hit].child;
			f->v[*hit].child = i;
		}
	}
	free(byid);
	return *ret_root == SIZE_MAX ? -ENOENT : 0;
}

/* Depth-first, iteratively: a deep chain must not exhaust the C stack. */
static int
forest_print(struct out *o, struct forest *f, size_t root)
{
	size_t *stack, sp = 0, i, c, n, base;
	int r = 0;

	stack = malloc((f->n + 1) * sizeof(*stack));
	if (!stack)
		return -ENOMEM;
	f->v[root].depth = 0;
	stack[sp++] = root;
	while (sp > 0 && r == 0) {
		i = stack[--sp];
		out_row_depth(o, f->v[i].depth);
		r = fmt_proc_out(o, &f->v[i].p);
		/* push children last-first so the first pops first */
		n = 0;
		base = sp;
		for (c = f->v[i].child; c != SIZE_MAX; c = f->v[c].next)
			n++;
		sp += n;
		for (c = f->v[i].child; c != SIZE_MAX; c = f->v[c].next) {
			f->v[c].depth = f->v[i].depth + 1;
			stack[base + --n] = c;
		}
	}
	free(stack);
	return r;
}

int
cmd_tree(struct qctx *q, int argc, char **argv)
{
	/* The root is excluded from its own descendants: with one parent per
	 * row, that is the only way a damaged file could make a cycle here. */
	static const char sql[] =
	    "WITH RECURSIVE d(id, depth) AS ("
	    "  SELECT :id, 0"
	    "  UNION ALL"
	    "  SELECT p.id, d.depth + 1 FROM d JOIN process p ON p.parent = d.id"
	    "   WHERE d.depth < :depth AND p.id <> :id)"
	    " SELECT d.depth, p.parent, " FMT_PROC_SELECT
	    " FROM d JOIN process p ON p.id = d.id"
	    " LEFT JOIN exec x ON x.id = p.image"
	    " LEFT JOIN cmdline cl ON cl.id = x.cmdline";
	struct forest f = { 0 };
	sqlite3_stmt *st = NULL;
	const char *proc;
	const struct out_col *cols;
	int64_t at, id;
	size_t root;
	int depth, r, rc, ncols;

	r = lineage_args(q, argc, argv, 1, &proc, &at, &depth);
	if (r)
		return r < 0 ? EX_OK : r;
	if ((r = q_open(q)) != 0)
		return r;
	if ((r = q_begin(q)) < 0)
		return q_fail(q, r, "tree");
	if ((r = q_resolve(q, proc, at, &id)) != 0)
		return r;
	rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return q_fail(q, db_errno(q->db, rc), "tree");
	r = db_bind_int64(st, ":id", id);
	r = r ? r : db_bind_int64(st, ":depth", depth);
	if (r < 0) {
		sqlite3_finalize(st);
		return q_fail(q, r, "tree");
	}
	r = 0;
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = forest_add(&f, st);
	if (r == 0 && rc != SQLITE_DONE)
		r = db_errno(q->db, rc);
	sqlite3_finalize(st);
	/* the rows are copied: end the read transaction before formatting */
	q_commit(q);
	if (r == 0)
		r = forest_link(&f, id, &root);
	cols = fmt_proc_columns(q->out, &ncols);
	if (r == 0)
		r = out_table_begin(q->out, NULL, cols, ncols, OUT_TREE);
	if (r == 0)
		r = forest_print(q->out, &f, root);
	if (r == 0)
		r = out_table_end(q->out);
	forest_release(&f);
	if (r == -E2BIG && !out_write_error(q->out)) {
		warnx("tree: more than %d descendants: give a --depth",
		    LINEAGE_MAX_NODES);
		return EX_USAGE;
	}
	return r < 0 ? q_fail(q, r, "tree") : EX_OK;
}
