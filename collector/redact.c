/*
 * argv redaction rules.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"

#define MASK "***"

/* What a rule matches; see redact.h for the syntax. */
enum kind {
	R_SHORT,	/* "-p": "-p VALUE" and "-pVALUE" */
	R_LONG,		/* "--NAME": "--NAME=VALUE" and "--NAME VALUE" */
	R_ENV,		/* "NAME=": "NAME=VALUE" */
	R_GLOB,		/* anything else: the whole argument (as before) */
};

struct rule {
	enum kind kind;
	char *glob;	/* R_LONG: "--NAME", R_ENV: "NAME", R_GLOB: as given */
	char letter;	/* R_SHORT */
	bool next;	/* R_GLOB: redact the following argument */
	bool keep_key;	/* R_GLOB: keep up to the first '=' */
};

struct redactor {
	struct rule *rules;
	size_t n;
};

/* The rule as written, sorted into a kind. */
static int
rule_parse(struct rule *n, const char *text, bool next)
{
	size_t len = strlen(text);

	memset(n, 0, sizeof(*n));
	if (text[0] == '-' && text[1] && text[1] != '-' && !text[2]) {
		n->kind = R_SHORT;
		n->letter = text[1];
		return 0;
	}
	/* a trailing "=*" or "=" only says "the value": drop it */
	if (len >= 2 && strcmp(text + len - 2, "=*") == 0)
		len -= 2;
	else if (len >= 1 && text[len - 1] == '=')
		len--;
	if (text[0] == '-' && text[1] == '-' && len > 2 &&
	    !memchr(text, '=', len)) {
		n->kind = R_LONG;
	} else if (len < strlen(text) && len > 0 && text[0] != '-' &&
	    !memchr(text, '=', len)) {
		n->kind = R_ENV;
	} else {
		n->kind = R_GLOB;
		len = strlen(text);
		n->next = next;
		n->keep_key = strchr(text, '=') != NULL;
	}
	n->glob = strndup(text, len);
	return n->glob ? 0 : -ENOMEM;
}

int
redact_add(struct redactor **rp, const char *glob, bool next)
{
	struct redactor *r = *rp;
	struct rule *n;
	int e;

	if (!glob || !*glob || (glob[0] == '-' && !glob[1]))
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
	e = rule_parse(&r->rules[r->n], glob, next);
	if (e < 0)
		return e;
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

/* Is s[0..n) a shell variable name? */
static bool
is_name(const char *s, size_t n)
{
	if (n == 0 || (!isalpha((unsigned char)s[0]) && s[0] != '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/*
 * How one rule applies to arg (NUL-terminated; key is arg up to its first
 * '=', keylen bytes, in a buffer of its own): 0 not at all, 1 mask the
 * next argument, 2 the argument is replaced by its first keep bytes and
 * the mask.
 */
static int
rule_match(const struct rule *rl, const char *arg, const char *key,
    size_t keylen, size_t *keep)
{
	bool eq = arg[keylen] == '=';

	switch (rl->kind) {
	case R_SHORT:
		if (arg[0] != '-' || arg[1] != rl->letter)
			return 0;
		if (!arg[2])
			return 1;
		*keep = 2;	/* "-pSECRET": attached, as mysql takes it */
		return 2;
	case R_LONG:
		if (arg[0] != '-' || arg[1] != '-' ||
		    fnmatch(rl->glob, key, FNM_CASEFOLD) != 0)
			return 0;
		if (!eq)
			return 1;
		*keep = keylen + 1;
		return 2;
	case R_ENV:
		if (!eq || !is_name(key, keylen) ||
		    fnmatch(rl->glob, key, FNM_CASEFOLD) != 0)
			return 0;
		*keep = keylen + 1;
		return 2;
	case R_GLOB:
		if (fnmatch(rl->glob, arg, FNM_CASEFOLD) != 0)
			return 0;
		if (rl->next)
			return 1;
		*keep = rl->keep_key && eq ? keylen + 1 : 0;
		return 2;
	}
	return 0;
}

size_t
redact_argv(const struct redactor *r, const char *argv, size_t len, char *out,
    size_t out_size)
{
	const char *a = argv, *end = argv + len, *z, *arg;
	char *tail = NULL, *key = NULL;
	bool changed = false, mask_next = false, done;
	size_t pos = 0, alen, i, keylen, keep, ret = REDACT_FAIL;
	int m;

	if (!r || !r->n)
		return REDACT_NONE;
	while (a < end) {
		z = memchr(a, '\0', (size_t)(end - a));
		alen = z ? (size_t)(z - a) : (size_t)(end - a);
		arg = a;
		free(tail);
		tail = NULL;
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
		keylen = strcspn(arg, "=");
		free(key);
		key = done ? NULL : strndup(arg, keylen);
		if (!done && !key)
			goto out;
		for (i = 0; i < r->n && !done; i++) {
			keep = 0;
			m = rule_match(&r->rules[i], arg, key, keylen, &keep);
			if (m == 1)
				mask_next = true;
			if (m != 2)
				continue;
			if (!put(out, out_size, &pos, a, keep) ||
			    !put(out, out_size, &pos, MASK, 3))
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
	free(key);
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
