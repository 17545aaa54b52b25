/*
 * Unit, container and pod from a cgroup v2 path (cgroup.h).
 */
#include <stdio.h>
#include <string.h>

#include "cgroup.h"

/* One path component: [p, p + n). */
struct comp {
	const char *p;
	size_t n;
};

/* The components of path, up to max; returns how many. */
static size_t
split(const char *path, struct comp *c, size_t max)
{
	size_t k = 0, n;

	while (*path && k < max) {
		while (*path == '/')
			path++;
		n = strcspn(path, "/");
		if (n) {
			c[k].p = path;
			c[k].n = n;
			k++;
		}
		path += n;
	}
	return k;
}

static int
has_prefix(const struct comp *c, const char *pre)
{
	size_t n = strlen(pre);

	return c->n >= n && memcmp(c->p, pre, n) == 0;
}

static int
has_suffix(const struct comp *c, const char *suf)
{
	size_t n = strlen(suf);

	return c->n >= n && memcmp(c->p + c->n - n, suf, n) == 0;
}

static int
is(const struct comp *c, const char *s)
{
	return c->n == strlen(s) && memcmp(c->p, s, c->n) == 0;
}

/* n bytes at p are all lower-case hex (a container id). */
static int
hex64(const char *p, size_t n)
{
	size_t i;

	if (n != 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	return 1;
}

/* A name of a container or pod: letters, digits, '-', '_' and '.' */
static int
plain(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '-' || p[i] == '_' ||
		    p[i] == '.'))
			return 0;
	return 1;
}

/* "runtime:" and n bytes of id into buf. */
static int
put(char *buf, size_t size, const char *runtime, const char *id, size_t n)
{
	int len = snprintf(buf, size, "%s%s%.*s", runtime, *runtime ? ":" : "",
	    (int)n, id);

	if (len < 0 || (size_t)len >= size) {
		if (size)
			buf[0] = '\0';
		return 0;
	}
	return 1;
}

/* A unit name: plain characters, '@' (templates), ':' and '\\' (the
 * escapes of systemd-escape). */
static int
unitname(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || n > 255)
		return 0;
	for (i = 0; i < n; i++)
		if (!plain(p + i, 1) && p[i] != '@' && p[i] != ':' &&
		    p[i] != '\\')
			return 0;
	return 1;
}

#define MAXCOMP 64

int
pt_cgroup_unit(const char *path, char *buf, size_t size)
{
	struct comp c[MAXCOMP];
	size_t k = split(path, c, MAXCOMP), i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < k; i++)
		if ((has_suffix(&c[i], ".service") ||
		    has_suffix(&c[i], ".scope")) && unitname(c[i].p, c[i].n))
			return put(buf, size, "", c[i].p, c[i].n);
	return 0;
}

int
pt_cgroup_container(const char *path, char *buf, size_t size)
{
	static const struct {
		const char *prefix, *runtime;
	} scopes[] = {
		{ "docker-", "docker" },
		{ "cri-containerd-", "containerd" },
		{ "crio-", "crio" },
		{ "libpod-", "podman" },
	};
	struct comp c[MAXCOMP];
	size_t k = split(path, c, MAXCOMP), i, j, pl;

	if (size)
		buf[0] = '\0';
	for (i = k; i-- > 0;) {
		for (j = 0; j < sizeof(scopes) / sizeof(scopes[0]); j++) {
			pl = strlen(scopes[j].prefix);
			if (has_prefix(&c[i], scopes[j].prefix) &&
			    has_suffix(&c[i], ".scope") &&
			    hex64(c[i].p + pl, c[i].n - pl - 6))
				return put(buf, size, scopes[j].runtime,
				    c[i].p + pl, 64);
		}
		if (i > 0 && is(&c[i - 1], "docker") && hex64(c[i].p, c[i].n))
			return put(buf, size, "docker", c[i].p, c[i].n);
		if (has_prefix(&c[i], "lxc.payload.") &&
		    plain(c[i].p + 12, c[i].n - 12))
			return put(buf, size, "lxc", c[i].p + 12, c[i].n - 12);
		if (i > 0 && is(&c[i - 1], "lxc") && plain(c[i].p, c[i].n))
			return put(buf, size, "lxc", c[i].p, c[i].n);
	}
	return 0;
}

int
pt_cgroup_pod(const char *path, char *buf, size_t size)
{
	struct comp c[MAXCOMP];
	size_t k = split(path, c, MAXCOMP), i, n;
	const char *pod;

	if (size)
		buf[0] = '\0';
	for (i = k; i-- > 0;) {
		/* kubepods[-qos]-pod<uid with _>.slice */
		if (!has_prefix(&c[i], "kubepods") || !has_suffix(&c[i], ".slice"))
			continue;
		pod = NULL;
		for (n = 0; n + 4 <= c[i].n; n++)
			if (memcmp(c[i].p + n, "-pod", 4) == 0)
				pod = c[i].p + n + 4;
		if (!pod)
			continue;
		n = (size_t)(c[i].p + c[i].n - 6 - pod);
		if (!plain(pod, n) || !put(buf, size, "", pod, n))
			continue;
		for (char *s = buf; *s; s++)
			if (*s == '_')
				*s = '-';
		return 1;
	}
	return 0;
}
