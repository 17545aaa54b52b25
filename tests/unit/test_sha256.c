/*
 * SHA-256 (common/sha256.c): the FIPS 180-4 example messages, the
 * million-'a' message fed in uneven pieces, the padding boundaries, and
 * pt_sha256_fd on a temporary file against the same bytes in memory and
 * against sha256sum(1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "sha256.h"

#define FILE_SIZE	(300 * 1024 + 17)

static void
digest_hex(const void *p, size_t n, char hex[65])
{
	struct pt_sha256 c;
	uint8_t d[32];

	pt_sha256_init(&c);
	pt_sha256_update(&c, p, n);
	pt_sha256_final(&c, d);
	pt_sha256_hex(d, hex);
}

static void
expect(const char *msg, const char *want)
{
	char hex[65];

	digest_hex(msg, strlen(msg), hex);
	CHECK_STR(hex, want);
}

/* One million 'a', step bytes at a time (step 0: a rotating mix). */
static void
million(size_t step)
{
	static const size_t mix[] = { 1, 63, 64, 65, 1000, 7, 128, 4096 };
	static char a[1000000];
	struct pt_sha256 c;
	uint8_t d[32];
	char hex[65];
	size_t left = 1000000, n, i = 0;

	memset(a, 'a', sizeof(a));
	pt_sha256_init(&c);
	while (left) {
		n = step ? step : mix[i++ % (sizeof(mix) / sizeof(mix[0]))];
		if (n > left)
			n = left;
		pt_sha256_update(&c, a, n);
		left -= n;
	}
	pt_sha256_final(&c, d);
	pt_sha256_hex(d, hex);
	CHECK_STR(hex,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* sha256sum(1) of path into hex; 0 or -1. */
static int
sha256sum(const char *path, char hex[65])
{
	char cmd[256], line[256];
	FILE *f;
	int ok;

	snprintf(cmd, sizeof(cmd), "sha256sum -- '%s' 2>/dev/null", path);
	if (!(f = popen(cmd, "r")))
		return -1;
	ok = fgets(line, sizeof(line), f) != NULL && strlen(line) > 64 &&
	    line[64] == ' ';
	if (pclose(f) != 0 || !ok)
		return -1;
	memcpy(hex, line, 64);
	hex[64] = '\0';
	return 0;
}

/* Write n bytes to fd from offset 0, truncating it to n. */
static int
put(int fd, const void *p, size_t n)
{
	if (ftruncate(fd, 0) < 0 || pwrite(fd, p, n, 0) != (ssize_t)n)
		return -1;
	return 0;
}

static void
file_tests(void)
{
	/* lengths around the padding boundaries, one and two blocks */
	static const size_t lens[] = { 0, 1, 55, 56, 57, 63, 64, 65, 119, 120,
	    128 };
	char path[] = "/tmp/pt_sha256.XXXXXX";
	char mem[65], fromfd[65], tool[65];
	uint8_t *data, d[32];
	uint32_t x = 12345;
	size_t i;
	int fd;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	data = malloc(FILE_SIZE);
	CHECK(data != NULL);
	if (!data)
		goto out;
	for (i = 0; i < FILE_SIZE; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (uint8_t)(x >> 16);
	}

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		CHECK_EQ(put(fd, data, lens[i]), 0);
		digest_hex(data, lens[i], mem);
		CHECK_EQ(sha256sum(path, tool), 0);
		CHECK_STR(mem, tool);
	}

	CHECK_EQ(put(fd, data, FILE_SIZE), 0);
	/* the file offset is not where pread starts, nor moved by it */
	CHECK_EQ(lseek(fd, 1000, SEEK_SET), 1000);
	digest_hex(data, FILE_SIZE, mem);
	CHECK_EQ(pt_sha256_fd(fd, d, 0), 0);
	pt_sha256_hex(d, fromfd);
	CHECK_STR(fromfd, mem);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 1000);
	CHECK_EQ(sha256sum(path, tool), 0);
	CHECK_STR(tool, mem);

	/* the limit: exactly the size passes, one less is too big */
	memset(d, 0, sizeof(d));
	CHECK_EQ(pt_sha256_fd(fd, d, FILE_SIZE), 0);
	pt_sha256_hex(d, fromfd);
	CHECK_STR(fromfd, mem);
	memset(d, 0x5a, sizeof(d));
	CHECK_EQ(pt_sha256_fd(fd, d, FILE_SIZE - 1), -EFBIG);
	CHECK_EQ(pt_sha256_fd(fd, d, 1), -EFBIG);
	CHECK_EQ(pt_sha256_fd(fd, d, 64 * 1024), -EFBIG);
	CHECK(d[0] == 0x5a && d[31] == 0x5a);	/* out untouched on error */

	/* an empty file, and a bad descriptor */
	CHECK_EQ(put(fd, data, 0), 0);
	CHECK_EQ(pt_sha256_fd(fd, d, 1), 0);
	pt_sha256_hex(d, fromfd);
	CHECK_STR(fromfd,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_EQ(pt_sha256_fd(-1, d, 0), -EBADF);
	free(data);
out:
	close(fd);
	unlink(path);
}

int
main(void)
{
	uint8_t in[32];
	char hex[65];
	int i;

	expect("",
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	expect("abc",
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	expect("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	expect("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");

	million(1);
	million(63);
	million(64);
	million(65);
	million(1000);
	million(1000000);
	million(0);

	for (i = 0; i < 32; i++)
		in[i] = (uint8_t)(i * 8 + 7);
	pt_sha256_hex(in, hex);
	CHECK_STR(hex,
	    "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");

	file_tests();
	return check_done("test_sha256");
}
