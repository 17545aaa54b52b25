/*
 * proctraild's command line (options.h).
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "timeparse.h"
#include "version.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage: proctraild [options]\n"
"Record every fork, exec, exit and credential change into an SQLite database.\n"
"\n"
"  --db PATH         database (default " DEFAULT_DB "): absent, or a\n"
"                    regular file of this user with one link, in a\n"
"                    directory no other user can write (unless sticky)\n"
"  --group GROUP     database files 0640 with this group (auditors),\n"
"                    instead of 0600\n"
"  --batch N         records per transaction at most (default 2000)\n"
"  --flush-ms MS     commit at least this often, ms (default 200)\n"
"  --rcvbuf BYTES    netlink receive buffer (default 32M; suffix K, M)\n"
"  --queue BYTES     reader-to-writer queue (default 64M)\n"
"  --argv-max BYTES  longest argv kept, longer is cut and flagged (default 64K)\n"
"  --retain AGE      delete history older than AGE (a number of days, or\n"
"                    a duration as proctrail takes it: '90d', '2w',\n"
"                    '1d12h'); lineage of what is kept stays whole\n"
"  --max-size SIZE   keep the database under SIZE (M by default; K, M, G),\n"
"                    deleting the oldest history first\n"
"  --prune-every MS  run a retention step at most every MS (default 10000)\n"
"  --redact RULE     mask secrets in argv before storing them (repeatable):\n"
"                    '-p' (-p VALUE, -pVALUE), '--*password*' (--NAME=VALUE,\n"
"                    --NAME VALUE, any case), '*_TOKEN=' (NAME=VALUE),\n"
"                    other globs mask a whole matching argument\n"
"  --redact-next GLOB  mask the argument following one matching GLOB\n"
"  --realtime PRIO   reader thread SCHED_FIFO priority, 0 = normal\n"
"                    scheduling (default 1)\n"
"  --hash-exe        store the SHA-256 of each executable (up to 1 GiB),\n"
"                    computed in a thread of its own, once per file\n"
"  --no-bpf          read a process's credentials, cgroup, login and\n"
"                    namespaces from /proc and a pidfd, not with the\n"
"                    collector's BPF program\n"
"  --one-socket      wake the reader for every event, not only for execs\n"
"                    (as on kernels before 6.6, which cannot filter)\n"
"  --foreground      run in the foreground, log to stderr (the default)\n"
"  -v, --verbose     more log output (twice: debug)\n"
"  --version         print the version\n"
"  -h, --help        this help\n"
"\n"
"Exit status: 0 stopped by SIGTERM/SIGINT, 1 runtime failure, 2 usage,\n"
"3 database unusable, 4 missing privilege or kernel support,\n"
"5 another proctraild is using the database.\n");
}

static int
parse_size(const char *s, size_t min, size_t max, size_t *ret)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (*s == '-')
		return -EINVAL;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end || v < min || v > max)
		return -ERANGE;
	*ret = (size_t)v;
	return 0;
}

/* A duration: a number of days, or a number with s, m, h or d. */
/*
 * --retain: the query tool's durations (timeparse.h: 90d, 2w, 1d12h,
 * 36h...), or a bare number of days.  At most 100,000 days.
 */
static int
parse_age(const char *s, int64_t *ret)
{
	const int64_t day = 86400LL * 1000000000LL;
	int64_t v;
	int r;

	if (*s && strspn(s, "0123456789") == strlen(s)) {
		if (strlen(s) > 6 || atoll(s) > 100000)
			return -ERANGE;
		v = atoll(s) * day;
	} else {
		r = timeparse_duration(s, &v);
		if (r < 0)
			return r;
	}
	if (v <= 0)
		return -EINVAL;
	if (v > 100000 * day)
		return -ERANGE;
	*ret = v;
	return 0;
}

int
options_parse(int argc, char **argv, struct options *o)
{
	*o = (struct options){
		.db = DEFAULT_DB, .batch = 2000, .flush_ms = 200,
		.rcvbuf = 32u << 20, .queue_bytes = 64u << 20,
		.argv_max = 64u << 10, .prune_ms = 10000, .rt_prio = 1,
		.doorbell = 1,
	};
	enum { O_DB = 256, O_BATCH, O_FLUSH, O_RCVBUF, O_QUEUE, O_ARGV,
	    O_FG, O_VERSION, O_REDACT, O_REDACT_NEXT, O_RETAIN, O_MAX_SIZE,
	    O_PRUNE, O_REALTIME, O_ONE_SOCKET, O_GROUP, O_HASH_EXE,
	    O_NO_BPF };
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, O_DB },
		{ "group", required_argument, NULL, O_GROUP },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "flush-ms", required_argument, NULL, O_FLUSH },
		{ "rcvbuf", required_argument, NULL, O_RCVBUF },
		{ "queue", required_argument, NULL, O_QUEUE },
		{ "argv-max", required_argument, NULL, O_ARGV },
		{ "foreground", no_argument, NULL, O_FG },
		{ "redact", required_argument, NULL, O_REDACT },
		{ "retain", required_argument, NULL, O_RETAIN },
		{ "max-size", required_argument, NULL, O_MAX_SIZE },
		{ "prune-every", required_argument, NULL, O_PRUNE },
		{ "realtime", required_argument, NULL, O_REALTIME },
		{ "one-socket", no_argument, NULL, O_ONE_SOCKET },
		{ "hash-exe", no_argument, NULL, O_HASH_EXE },
		{ "no-bpf", no_argument, NULL, O_NO_BPF },
		{ "redact-next", required_argument, NULL, O_REDACT_NEXT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, O_VERSION },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t v;
	int c;

	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case O_DB:
			if (!*optarg) {
				fprintf(stderr, "proctraild: --db needs a path\n");
				return -1;
			}
			o->db = optarg;
			break;
		case O_GROUP: {
			struct group *g = getgrnam(optarg);
			char *end;
			unsigned long gid;

			if (g) {
				o->mode.gid = g->gr_gid;
			} else {
				errno = 0;
				gid = strtoul(optarg, &end, 10);
				if (errno || end == optarg || *end ||
				    gid >= (gid_t)-1) {
					fprintf(stderr, "proctraild: --group: no"
					    " group '%s'\n", optarg);
					return -1;
				}
				o->mode.gid = (gid_t)gid;
			}
			o->mode.has_group = true;
			break;
		}
		case O_BATCH:
			if (parse_size(optarg, 1, 1000000, &v) < 0)
				goto bad;
			o->batch = (int)v;
			break;
		case O_FLUSH:
			if (parse_size(optarg, 1, 60000, &v) < 0)
				goto bad;
			o->flush_ms = (int)v;
			break;
		case O_RCVBUF:
			if (parse_size(optarg, 4096, 1ull << 30, &v) < 0)
				goto bad;
			o->rcvbuf = v;
			break;
		case O_QUEUE:
			if (parse_size(optarg, 1 << 20, 4ull << 30, &v) < 0)
				goto bad;
			o->queue_bytes = v;
			break;
		case O_HASH_EXE:
			o->hash_exe = 1;
			break;
		case O_NO_BPF:
			o->no_bpf = 1;
			break;
		case O_ARGV:
			if (parse_size(optarg, 64, 1 << 24, &v) < 0)
				goto bad;
			o->argv_max = v;
			break;
		case O_FG:
			break;
		case O_RETAIN:
			if (parse_age(optarg, &o->retain_ns) < 0)
				goto bad;
			break;
		case O_MAX_SIZE:
			/* a plain number is megabytes */
			if (optarg[strspn(optarg, "0123456789")] == '\0') {
				if (parse_size(optarg, 1, 1 << 22, &v) < 0)
					goto bad;
				v <<= 20;
			} else if (parse_size(optarg, 1 << 20, 1ull << 44, &v) < 0) {
				goto bad;
			}
			o->max_size = v;
			break;
		case O_REALTIME:
			if (strcmp(optarg, "0") == 0) {
				o->rt_prio = 0;
				break;
			}
			if (parse_size(optarg, 1, 99, &v) < 0)
				goto bad;
			o->rt_prio = (int)v;
			break;
		case O_ONE_SOCKET:
			o->doorbell = 0;
			break;
		case O_PRUNE:
			if (parse_size(optarg, 10, 3600000, &v) < 0)
				goto bad;
			o->prune_ms = (int)v;
			break;
		case O_REDACT:
		case O_REDACT_NEXT:
			if (redact_add(&o->redact, optarg, c == O_REDACT_NEXT) < 0) {
				fprintf(stderr, "proctraild: invalid --%s '%s'\n",
				    c == O_REDACT ? "redact" : "redact-next",
				    optarg);
				return -1;
			}
			break;
		case 'v':
			o->verbose++;
			break;
		case O_VERSION:
			printf("proctraild %s\n", PROCTRAIL_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "proctraild: unexpected argument '%s'\n",
		    argv[optind]);
		return -1;
	}
	if (o->queue_bytes < 4 * (o->argv_max + 65536)) {
		fprintf(stderr, "proctraild: --queue must be at least 4 times "
		    "--argv-max plus 256K\n");
		return -1;
	}
	return 0;
bad:
	for (v = 0; longopts[v].name && longopts[v].val != c; v++)
		;
	fprintf(stderr, "proctraild: invalid value '%s' for --%s\n", optarg,
	    longopts[v].name ? longopts[v].name : "?");
	return -1;
}
