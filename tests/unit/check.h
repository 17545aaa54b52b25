#ifndef PT_CHECK_H
#define PT_CHECK_H
/* Minimal test helpers: every CHECK failure is printed and counted; the
 * test exits non-zero if any failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond) do { \
	check_count++; \
	if (!(cond)) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
		    __LINE__, #cond); \
	} \
} while (0)

#define CHECK_EQ(a, b) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	check_count++; \
	if (a_ != b_) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: check failed: %s == %s (%lld != %lld)\n", \
		    __FILE__, __LINE__, #a, #b, a_, b_); \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *a_ = (a), *b_ = (b); \
	check_count++; \
	if (strcmp(a_, b_) != 0) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: check failed: %s == %s (\"%s\" != \"%s\")\n", \
		    __FILE__, __LINE__, #a, #b, a_, b_); \
	} \
} while (0)

static inline int
check_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
	return check_failures ? 1 : 0;
}
#endif
