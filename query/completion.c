/*
 * proctrail completion bash|zsh: a completion script for the shell, made
 * from the tables the program parses its arguments with (q_commands and
 * each command's struct option), so that it cannot drift from them.
 * Options that take a value complete it where the value has a known form:
 * a file (--db, --cursor-file), a user (--user), a choice (--format,
 * --kind, --fields, the report sections); elsewhere nothing is offered.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "query.h"

/* Is option name in the comma-separated list? */
static int
listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (p && *p) {
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return 0;
}

/* The options of command c as words, then its own words. */
static void
words(FILE *f, const struct q_command *c)
{
	const struct option *o;
	const char *sep = "";

	for (o = c->opts; o->name; o++) {
		if (listed(c->not, o->name))
			continue;
		fprintf(f, "%s--%s", sep, o->name);
		sep = " ";
	}
	if (c->words)
		fprintf(f, "%s%s", sep, c->words);
}

/* Every option of any table that takes a value, as a case pattern. */
static void
valued(FILE *f)
{
	const struct option *tables[1 + 16], *o;
	char seen[2048] = ",";
	const char *sep = "";
	size_t i, n = 0;

	tables[n++] = q_opts_main;
	for (i = 0; i < q_ncommands && n < 17; i++)
		tables[n++] = q_commands[i].opts;
	for (i = 0; i < n; i++)
		for (o = tables[i]; o->name; o++) {
			char key[64];

			if (o->has_arg != required_argument)
				continue;
			snprintf(key, sizeof(key), ",%s,", o->name);
			if (strstr(seen, key))
				continue;
			strncat(seen, key + 1, sizeof(seen) - strlen(seen) - 1);
			fprintf(f, "%s--%s", sep, o->name);
			sep = "|";
		}
}

static void
bash(FILE *f)
{
	size_t i;

	fprintf(f, "# bash completion for proctrail; made by"
	    " 'proctrail completion bash'\n"
	    "_proctrail()\n{\n"
	    "\tlocal cur=${COMP_WORDS[COMP_CWORD]}"
	    " prev=${COMP_WORDS[COMP_CWORD-1]} cmd= i\n"
	    "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	    "\t\tcase ${COMP_WORDS[i]} in\n\t\t");
	valued(f);
	fprintf(f, "|-o) ((i++)) ;;\n"
	    "\t\t-*) ;;\n"
	    "\t\t*) cmd=${COMP_WORDS[i]}; break ;;\n"
	    "\t\tesac\n\tdone\n"
	    "\tcase $prev in\n"
	    "\t--db|--cursor-file) COMPREPLY=($(compgen -f -- \"$cur\"));"
	    " return ;;\n"
	    "\t--user) COMPREPLY=($(compgen -u -- \"$cur\")); return ;;\n"
	    "\t--format) COMPREPLY=($(compgen -W \"jsonl csv\" --"
	    " \"$cur\")); return ;;\n"
	    "\t--kind) COMPREPLY=($(compgen -W \"processes execs events"
	    " gaps all\" -- \"$cur\")); return ;;\n"
	    "\t--fields|-o) COMPREPLY=($(compgen -W \"unit container pod"
	    " unit,container\" -- \"$cur\")); return ;;\n\t");
	valued(f);
	fprintf(f, ") return ;;\n\tesac\n"
	    "\tlocal w\n\tcase $cmd in\n\t'') w=\"");
	for (i = 0; i < q_ncommands; i++)
		fprintf(f, "%s ", q_commands[i].name);
	fprintf(f, "help ");
	words(f, &(struct q_command){ .opts = q_opts_main });
	fprintf(f, "\" ;;\n");
	for (i = 0; i < q_ncommands; i++) {
		fprintf(f, "\t%s) w=\"", q_commands[i].name);
		words(f, &q_commands[i]);
		fprintf(f, "\" ;;\n");
	}
	fprintf(f, "\thelp) w=\"");
	for (i = 0; i < q_ncommands; i++)
		fprintf(f, "%s%s", i ? " " : "", q_commands[i].name);
	fprintf(f, "\" ;;\n\tesac\n"
	    "\tCOMPREPLY=($(compgen -W \"$w\" -- \"$cur\"))\n}\n"
	    "complete -F _proctrail proctrail\n");
}

/* The same logic in zsh's terms (a #compdef function for fpath). */
static void
zsh(FILE *f)
{
	size_t i;

	fprintf(f, "#compdef proctrail\n"
	    "# zsh completion for proctrail; made by"
	    " 'proctrail completion zsh'\n"
	    "local cmd= i prev=${words[CURRENT-1]}\n"
	    "for ((i = 2; i < CURRENT; i++)); do\n"
	    "\tcase ${words[i]} in\n\t(");
	valued(f);
	fprintf(f, "|-o) ((i++)) ;;\n"
	    "\t(-*) ;;\n"
	    "\t(*) cmd=${words[i]}; break ;;\n"
	    "\tesac\ndone\n"
	    "case $prev in\n"
	    "(--db|--cursor-file) _files; return ;;\n"
	    "(--user) _users; return ;;\n"
	    "(--format) compadd jsonl csv; return ;;\n"
	    "(--kind) compadd processes execs events gaps all; return ;;\n"
	    "(--fields|-o) compadd unit container pod; return ;;\n(");
	valued(f);
	fprintf(f, ") return 1 ;;\nesac\n"
	    "case $cmd in\n('') compadd -- ");
	for (i = 0; i < q_ncommands; i++)
		fprintf(f, "%s ", q_commands[i].name);
	fprintf(f, "help ");
	words(f, &(struct q_command){ .opts = q_opts_main });
	fprintf(f, " ;;\n");
	for (i = 0; i < q_ncommands; i++) {
		fprintf(f, "(%s) compadd -- ", q_commands[i].name);
		words(f, &q_commands[i]);
		fprintf(f, " ;;\n");
	}
	fprintf(f, "(help) compadd --");
	for (i = 0; i < q_ncommands; i++)
		fprintf(f, " %s", q_commands[i].name);
	fprintf(f, " ;;\nesac\n");
}

const struct option q_opts_completion[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int
cmd_completion(struct qctx *q, int argc, char **argv)
{
	int c, r;

	while ((c = q_getopt(q, argc, argv, "h", q_opts_completion, &r)) >= 0)
		;
	if (c == Q_OPT_EXIT)
		return r;
	if (optind + 1 != argc || (strcmp(argv[optind], "bash") != 0 &&
	    strcmp(argv[optind], "zsh") != 0)) {
		warnx("completion: give bash or zsh");
		q_usage(argv[0], 1);
		return EX_USAGE;
	}
	if (strcmp(argv[optind], "bash") == 0)
		bash(stdout);
	else
		zsh(stdout);
	return fflush(stdout) == 0 && !ferror(stdout) ? EX_OK : EX_INTERNAL;
}
