#ifndef PT_SHA256_H
#define PT_SHA256_H
/*
 * SHA-256 (FIPS 180-4).  init, update any number of times, final: final
 * writes the 32-byte digest, after which the context must be init'ed again
 * before reuse.  No allocation, no global state.  pt_sha256_fd hashes an
 * open file from offset 0 (the file offset is left alone) and returns 0,
 * -errno on a read error, or -EFBIG if it is longer than max_bytes (0: no
 * limit); out is written only on success.  It uses 64 KiB of stack.
 */
#include <stddef.h>
#include <stdint.h>

#define PT_SHA256_LEN	32

struct pt_sha256 {
	uint32_t h[8];		/* chaining value */
	uint64_t len;		/* bytes hashed so far */
	uint8_t buf[64];	/* partial block */
	size_t used;		/* bytes in buf */
};

void pt_sha256_init(struct pt_sha256 *c);
void pt_sha256_update(struct pt_sha256 *c, const void *data, size_t len);
void pt_sha256_final(struct pt_sha256 *c, uint8_t out[32]);
int pt_sha256_fd(int fd, uint8_t out[32], uint64_t max_bytes);
void pt_sha256_hex(const uint8_t in[32], char out[65]);
#endif
