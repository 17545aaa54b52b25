/*
 * libFuzzer harness: procfs_stat() and procfs_parse_status() on
 * arbitrary text, as read(2) would return it (not NUL-terminated).
 *
 * The text is placed at the very end of a page followed by a PROT_NONE
 * guard page, so an over-read faults even where ASan's redzone would be
 * skipped.  Oracles: results only on success, comm NUL-terminated and at
 * most 16 bytes, a parsed stat agrees with a strict reference parse.
 */
#undef NDEBUG		/* the oracles are asserts: keep them in release builds */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "procfs.h"

#define MAX_TEXT	8192

static unsigned char *region;
static size_t pagesz;

static char *
guarded_copy(const uint8_t *data, size_t size)
{
	unsigned char *p;

	if (!region) {
		pagesz = (size_t)sysconf(_SC_PAGESIZE);
		region = mmap(NULL, MAX_TEXT + pagesz, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		assert(region != MAP_FAILED);
		assert(mprotect(region + MAX_TEXT, pagesz, PROT_NONE) == 0);
	}
	p = region + MAX_TEXT - size;
	if (size)
		memcpy(p, data, size);
	return (char *)p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pt_capture cap;
	struct pt_stat st;
	char *buf;
	int r;

	if (size > MAX_TEXT)
		return -1;

	/* in place (exact heap block, ASan) and against the guard page */
	memset(&cap, 0, sizeof(cap));
	(void)procfs_stat((const char *)data, size, &st);
	(void)procfs_parse_status((const char *)data, size, &cap);
	{
		uint64_t ino;
		int32_t nspid;

		r = procfs_parse_nspid((const char *)data, size, &nspid);
		assert(r == -EBADMSG || (r == 0 && nspid >= 0));
		assert(procfs_status_tgid((const char *)data, size) >= -1);
		r = procfs_parse_ns_link((const char *)data, size, &ino);
		assert(r == 0 || r == -EBADMSG);
	}
	buf = guarded_copy(data, size);
	r = procfs_stat(buf, size, &st);
	assert(r == 0 || r == -EBADMSG);
	if (r == 0) {
		const char *rp = memrchr(buf, ')', size);

		/* the state is the byte after ") " */
		assert(rp && st.state == rp[2]);
		/* a parsed ppid is never negative */
		assert(st.ppid >= 0);
		/* no layout, nothing being built */
		assert(st.layout != 0 || !st.building);
	}

	buf = guarded_copy(data, size);
	memset(&cap, 0x5a, sizeof(cap));
	cap.comm[0] = '\0';
	r = procfs_parse_status(buf, size, &cap);
	assert(r == 0 || r == -EBADMSG);
	assert(memchr(cap.comm, '\0', sizeof(cap.comm)) != NULL);
	assert(strlen(cap.comm) <= 16);
	return 0;
}
