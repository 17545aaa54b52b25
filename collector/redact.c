/*
 * argv redaction rules.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"

#define MASK "***"

struct rule {
	char *glob;
	bool next;	/* redact the following argument */
	bool keep_key;	/* keep up to the first '=' */
};

struct redactor {
	struct rule *rules;
	size_t n;
};

int
redact_add(struct redactor **rp, const char *glob, bool next)
{
	struct redactor *r = *rp;
	struct rule *n;

	if (!glob || !*glob)
		return -EINVAL;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return -ENOMEM;
		*rp = r;
	}
	n = realloc(r->rules, (r->n + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	r->rules = n;
	n = &r->rules[r->n];
	n->glob = strdup(glob);
	if (!n->glob)
		return -ENOMEM;
	n->next = next;
	n->keep_key = strchr(glob, '=') != NULL;
	r->n++;
	return 0;
}

void
redact_free(struct redactor *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		free(r->rules[i].glob);
	free(r->rules);
	free(r);
}

/* Append n bytes if they fit. */
static bool
put(char *out, size_t size, size_t *pos, const char *s, size_t n)
{
	if (size - *pos < n)
		return false;
	memcpy(out + *pos, s, n);
	*pos += n;
	return true;
}

size_t
redact_argv(const struct redactor *r, const char *argv, size_t len, char *out,
    size_t out_size)
{
	const char *a = argv, *end = argv + len, *z, *eq, *arg;
	char *tail = NULL;
	bool changed = false, mask_next = false, done;
	size_t pos = 0, alen, i, ret = REDACT_FAIL;

	if (!r || !r->n)
		return REDACT_NONE;
	while (a < end) {
		z = memchr(a, '\0', (size_t)(end - a));
		alen = z ? (size_t)(z - a) : (size_t)(end - a);
		arg = a;
		if (!z) {
			/* the last argument, cut by --argv-max: no NUL */
			tail = strndup(a, alen);
			if (!tail)
				goto out;
			arg = tail;
		}
		done = false;
		if (mask_next) {
			mask_next = false;
			if (!put(out, out_size, &pos, MASK, 3))
				goto out;
			done = changed = true;
		}
		for (i = 0; i < r->n && !done; i++) {
			if (fnmatch(r->rules[i].glob, arg, 0) != 0)
				continue;
			if (r->rules[i].next) {
				mask_next = true;
				continue;
			}
			eq = r->rules[i].keep_key ? memchr(a, '=', alen) : NULL;
			if (eq && !put(out, out_size, &pos, a, (size_t)(eq - a) + 1))
				goto out;
			if (!put(out, out_size, &pos, MASK, 3))
				goto out;
			done = changed = true;
		}
		if (!done && !put(out, out_size, &pos, a, alen))
			goto out;
		if (z && !put(out, out_size, &pos, "", 1))
			goto out;
		a += alen + (z ? 1 : 0);
	}
	ret = changed ? pos : REDACT_NONE;
out:
	free(tail);
	return ret;
}

size_t
redact_capture(const struct redactor *r, struct pt_capture *cap, char *data,
    size_t used, size_t data_size, char *scratch, size_t scratch_size)
{
	size_t n, rest;

	if (!r || !(cap->flags & PT_CAP_ARGV) || cap->argv_len == 0)
		return used;
	rest = used - cap->argv_len;	/* exe, cwd, cgroup after argv */
	n = redact_argv(r, data, cap->argv_len, scratch, scratch_size);
	if (n == REDACT_NONE)
		return used;
	if (n == REDACT_FAIL || n + rest > data_size) {
		/* fail closed: no argv rather than a secret */
		memmove(data, data + cap->argv_len, rest);
		cap->argv_len = 0;
		cap->flags &= ~(uint32_t)PT_CAP_ARGV;
		cap->flags |= PT_CAP_REDACTED;
		return rest;
	}
	memmove(data + n, data + cap->argv_len, rest);
	memcpy(data, scratch, n);
	cap->argv_len = (uint32_t)n;
	cap->flags |= PT_CAP_REDACTED;
	return n + rest;
}
