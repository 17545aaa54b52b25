/*
 * A VFS whose wal-index is private heap memory (see dbvfs.h).
 *
 * SQLite's own ways to read a WAL database without a -shm all fall short
 * here: EXCLUSIVE locking mode takes a write lock, which a read-only file
 * descriptor cannot hold; nolock=1 turns WAL off altogether; immutable=1
 * ignores the -wal's frames; unix-excl still creates the -shm.
 */
#include <string.h>
#include <sqlite3.h>

#include "dbvfs.h"

#define MAX_REGIONS	65536	/* 32 KiB each: a 2 GiB wal-index at most */

/* An open file: ours, followed in memory by the wrapped VFS's. */
struct pfile {
	sqlite3_file		 base;
	sqlite3_file		*real;		/* right after this struct */
	void			**regions;	/* wal-index regions, heap */
	int			 nregions;
};

static sqlite3_vfs privshm_vfs;
static sqlite3_vfs *real_vfs;

static int
p_close(sqlite3_file *f)
{
	struct pfile *p = (struct pfile *)f;
	int rc;

	for (int i = 0; i < p->nregions; i++)
		sqlite3_free(p->regions[i]);
	sqlite3_free(p->regions);
	p->regions = NULL;
	p->nregions = 0;
	rc = p->real->pMethods ? p->real->pMethods->xClose(p->real) :
	    SQLITE_OK;
	return rc;
}

/* Everything but the wal-index goes to the wrapped file. */
static int
p_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	struct pfile *p = (struct pfile *)f;

	return p->real->pMethods->xRead(p->real, buf, n, off);
}

static int
p_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	struct pfile *p = (struct pfile *)f;

	return p->real->pMethods->xWrite(p->real, buf, n, off);
}

static int
p_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct pfile *p = (struct pfile *)f;

	return p->real->pMethods->xTruncate(p->real, size);
}

static int
p_sync(sqlite3_file *f, int flags)
{
	struct pfile *p = (struct pfile *)f;

	return p->real->pMethods->xSync(p->real, flags);
}

static int
p_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct pfile *p = (struct pfile *)f;

	return p->real->pMethods->xFileSize(p->real, size);
}

static int
p_lock(sqlite3_file *f, int lock)
{
	struct pfile *p = (struct pfile *)f;

	return p->real->pMethods->xLock(p->real, lock);
}

static int
p_unlock(sqlite3_file *f, int lock)
{
	struct pfile *p = (struct pfile *)f;

	return p->real->pMethods->xUnlock(p->real, lock);
}

static int
p_check_reserved(sqlite3_file *f, int *out)
{
	struct pfile *p = (struct pfile *)f;

	return p->real->pMethods->xCheckReservedLock(p->real, out);
}

static int
p_file_control(sqlite3_file *f, int op, void *arg)
{
	struct pfile *p = (struct pfile *)f;

	return p->real->pMethods->xFileControl(p->real, op, arg);
}

static int
p_sector_size(sqlite3_file *f)
{
	struct pfile *p = (struct pfile *)f;

	return p->real->pMethods->xSectorSize(p->real);
}

static int
p_device_characteristics(sqlite3_file *f)
{
	struct pfile *p = (struct pfile *)f;

	return p->real->pMethods->xDeviceCharacteristics(p->real);
}

/*
 * Region i of the wal-index, zeroed when new.  Always allocated, as in
 * SQLite's own heap mode: a zero header makes the first reader rebuild
 * the index from the -wal.
 */
static int
p_shm_map(sqlite3_file *f, int i, int size, int extend, void volatile **ret)
{
	struct pfile *p = (struct pfile *)f;
	void **v;

	(void)extend;
	*ret = NULL;
	if (i < 0 || i >= MAX_REGIONS || size <= 0)
		return SQLITE_IOERR_SHMSIZE;
	if (i >= p->nregions) {
		v = sqlite3_realloc64(p->regions, (sqlite3_uint64)(i + 1) *
		    sizeof(*v));
		if (!v)
			return SQLITE_NOMEM;
		memset(v + p->nregions, 0, (size_t)(i + 1 - p->nregions) *
		    sizeof(*v));
		p->regions = v;
		p->nregions = i + 1;
	}
	if (!p->regions[i]) {
		p->regions[i] = sqlite3_malloc(size);
		if (!p->regions[i])
			return SQLITE_NOMEM;
		memset(p->regions[i], 0, (size_t)size);
	}
	*ret = p->regions[i];
	return SQLITE_OK;
}

/* One connection, private memory: no other party to lock against. */
static int
p_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	(void)f;
	(void)offset;
	(void)n;
	(void)flags;
	return SQLITE_OK;
}

static void
p_shm_barrier(sqlite3_file *f)
{
	(void)f;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static int
p_shm_unmap(sqlite3_file *f, int delete)
{
	struct pfile *p = (struct pfile *)f;

	(void)delete;
	for (int i = 0; i < p->nregions; i++)
		sqlite3_free(p->regions[i]);
	sqlite3_free(p->regions);
	p->regions = NULL;
	p->nregions = 0;
	return SQLITE_OK;
}

/* Version 2: the shm methods, no memory mapping (xFetch). */
static const sqlite3_io_methods privshm_io = {
	.iVersion = 2,
	.xClose = p_close,
	.xRead = p_read,
	.xWrite = p_write,
	.xTruncate = p_truncate,
	.xSync = p_sync,
	.xFileSize = p_file_size,
	.xLock = p_lock,
	.xUnlock = p_unlock,
	.xCheckReservedLock = p_check_reserved,
	.xFileControl = p_file_control,
	.xSectorSize = p_sector_size,
	.xDeviceCharacteristics = p_device_characteristics,
	.xShmMap = p_shm_map,
	.xShmLock = p_shm_lock,
	.xShmBarrier = p_shm_barrier,
	.xShmUnmap = p_shm_unmap,
};

static int
v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *out_flags)
{
	struct pfile *p = (struct pfile *)f;
	int rc;

	(void)vfs;
	memset(p, 0, sizeof(*p));
	p->real = (sqlite3_file *)(p + 1);
	/* SQLite opens a -wal read-write and creates it if missing, even
	 * on a read-only connection: never here */
	if (flags & (SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL |
	    SQLITE_OPEN_SUPER_JOURNAL)) {
		flags &= ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
		    SQLITE_OPEN_DELETEONCLOSE | SQLITE_OPEN_EXCLUSIVE);
		flags |= SQLITE_OPEN_READONLY;
	}
	rc = real_vfs->xOpen(real_vfs, name, p->real, flags, out_flags);
	if (rc != SQLITE_OK)
		return rc;
	p->base.pMethods = &privshm_io;
	return SQLITE_OK;
}

/* SQLite deletes an empty database's -wal, or a journal: not evidence. */
static int
v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	(void)name;
	(void)sync_dir;
	return SQLITE_IOERR_DELETE;
}

int
dbvfs_register(void)
{
	if (real_vfs)
		return SQLITE_OK;
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs)
		return SQLITE_ERROR;
	privshm_vfs = *real_vfs;
	privshm_vfs.iVersion = real_vfs->iVersion < 3 ? real_vfs->iVersion : 3;
	privshm_vfs.szOsFile = (int)sizeof(struct pfile) + real_vfs->szOsFile;
	privshm_vfs.pNext = NULL;
	privshm_vfs.zName = DBVFS_NAME;
	privshm_vfs.pAppData = NULL;
	privshm_vfs.xOpen = v_open;
	privshm_vfs.xDelete = v_delete;
	return sqlite3_vfs_register(&privshm_vfs, 0);
}
