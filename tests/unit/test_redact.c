/*
 * argv redaction rules, including the fail-closed paths.
 */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "redact.h"

static struct redactor *r;

/* Redact argv given as a string with '|' for NUL; compare likewise. */
static void
expect(const char *in, const char *want)
{
	char a[256], out[600], got[600];
	size_t n = strlen(in), i, m;

	for (i = 0; i < n; i++)
		a[i] = in[i] == '|' ? '\0' : in[i];
	m = redact_argv(r, a, n, out, sizeof(out));
	if (!want) {
		CHECK(m == REDACT_NONE);
		return;
	}
	CHECK(m != REDACT_NONE && m != REDACT_FAIL);
	if (m == REDACT_NONE || m == REDACT_FAIL)
		return;
	for (i = 0; i < m; i++)
		got[i] = out[i] == '\0' ? '|' : out[i];
	got[m] = '\0';
	if (strcmp(got, want) != 0)
		fprintf(stderr, "redact '%s': got '%s', want '%s'\n", in, got, want);
	CHECK(strcmp(got, want) == 0);
}

int
main(void)
{
	struct pt_capture cap;
	char data[64], scratch[200];
	size_t used;

	CHECK(redact_argv(NULL, "a", 2, scratch, sizeof(scratch)) == REDACT_NONE);
	CHECK_EQ(redact_add(&r, "", false), -EINVAL);
	CHECK_EQ(redact_add(&r, "--password=*", false), 0);
	CHECK_EQ(redact_add(&r, "-p", true), 0);
	CHECK_EQ(redact_add(&r, "*TOKEN*", false), 0);

	expect("ls|-l|", NULL);
	expect("mysql|--password=hunter2|db|", "mysql|--password=***|db|");
	expect("mysql|-p|hunter2|db|", "mysql|-p|***|db|");
	expect("x|MY_TOKEN_IS|", "x|***|");
	expect("x|-p|", NULL);		/* nothing follows it */
	/* the last argument cut by --argv-max (no NUL) */
	expect("x|--password=hun", "x|--password=***");
	/* an argument that is only a match of the glob, =-less */
	expect("--password=|", "--password=***|");

	/* issue 11: the forms these rules missed */
	expect("mysql|--password|hunter2|db|", "mysql|--password|***|db|");
	expect("mysql|-phunter2|db|", "mysql|-p***|db|");
	expect("mysql|--PASSWORD=hunter2|", "mysql|--PASSWORD=***|");
	expect("mysql|-P|3306|", NULL);	/* -P is the port: case matters */
	expect("mysql|--port=3306|", NULL);
	redact_free(r);
	r = NULL;
	CHECK_EQ(redact_add(&r, "--*password*", false), 0);
	CHECK_EQ(redact_add(&r, "*_PWD=", false), 0);
	CHECK_EQ(redact_add(&r, "*TOKEN*=*", false), 0);
	CHECK_EQ(redact_add(&r, "-p", false), 0);
	CHECK_EQ(redact_add(&r, "-", false), -EINVAL);
	expect("app|--db-password=s3|--db-Password|s4|x|",
	    "app|--db-password=***|--db-Password|***|x|");
	expect("env|MYSQL_PWD=s5|mysql|", "env|MYSQL_PWD=***|mysql|");
	expect("env|gh_token=s6|API_TOKEN_2=s7|x|", "env|gh_token=***|API_TOKEN_2=***|x|");
	/* not a variable name, or not an option: left alone */
	expect("echo|a b_PWD=x|--|-|", NULL);
	expect("x|--password-hint|", NULL);	/* nothing follows it */
	expect("x|--password", NULL);	/* last, nothing follows */
	/* sh -c: one argument, a script: not searched (documented) */
	expect("sh|-c|cd /; MYSQL_PWD=s8 mysql|", NULL);
	/* cut by --argv-max, attached and assignment forms */
	expect("x|-psec", "x|-p***");
	expect("x|MYSQL_PWD=se", "x|MYSQL_PWD=***");

	/* fail closed: no room in out */
	{
		char small[4];
		CHECK(redact_argv(r, "a\0--password=x\0", 15, small,
		    sizeof(small)) == REDACT_FAIL);
	}

	/* on a capture: argv rewritten, exe after it moved along */
	memset(&cap, 0, sizeof(cap));
	memcpy(data, "a\0--password=secret\0/bin/a", 26);
	cap.flags = PT_CAP_ARGV | PT_CAP_EXE;
	cap.argv_len = 20;
	cap.exe_len = 6;
	used = redact_capture(r, &cap, data, 26, sizeof(data), scratch,
	    sizeof(scratch));
	CHECK_EQ(cap.argv_len, 17);
	CHECK_EQ(used, 23);
	CHECK(memcmp(data, "a\0--password=***\0/bin/a", 23) == 0);
	CHECK(cap.flags & PT_CAP_REDACTED);
	/* no room for the result: argv dropped, exe kept */
	memcpy(data, "a\0--password=secret\0/bin/a", 26);
	cap.flags = PT_CAP_ARGV | PT_CAP_EXE;
	cap.argv_len = 20;
	used = redact_capture(r, &cap, data, 26, sizeof(data), scratch, 8);
	CHECK_EQ(cap.argv_len, 0);
	CHECK(!(cap.flags & PT_CAP_ARGV));
	CHECK(cap.flags & PT_CAP_REDACTED);
	CHECK_EQ(used, 6);
	CHECK(memcmp(data, "/bin/a", 6) == 0);

	redact_free(r);
	return check_done("test_redact");
}
