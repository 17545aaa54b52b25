/*
 * Typed record views (record.h): a length that does not fit the kind is
 * refused, whatever the record claims inside.
 */
#include <string.h>

#include "check.h"
#include "record.h"

int
main(void)
{
	union {
		struct rec_exec x;
		struct rec_snap s;
		char b[512];
	} u;
	const struct rec_exec *x;
	const struct rec_snap *s;
	const int32_t *tids;
	const char *data;

	memset(&u, 0, sizeof(u));
	CHECK(rec_event_of(&u, sizeof(struct rec_event)) != NULL);
	CHECK(rec_event_of(&u, sizeof(struct rec_event) - 1) == NULL);
	CHECK(rec_gap_of(&u, sizeof(struct rec_gap)) != NULL);
	CHECK(rec_gap_of(&u, sizeof(struct rec_gap) + 1) == NULL);
	CHECK(rec_clock_of(&u, sizeof(struct rec_clock)) != NULL);
	CHECK(rec_clock_of(&u, 0) == NULL);

	/* an exec: strings as long as the capture says, or more room */
	u.x.cap.argv_len = 10;
	u.x.cap.exe_len = 5;
	x = rec_exec_of(&u, sizeof(u.x) + 15, &data);
	CHECK(x != NULL && data == (const char *)&u + sizeof(u.x));
	CHECK(rec_exec_of(&u, sizeof(u.x) + 14, &data) == NULL);
	CHECK(rec_exec_of(&u, sizeof(u.x) - 1, &data) == NULL);
	u.x.cap.argv_len = 0xffffffffu;		/* a lie */
	CHECK(rec_exec_of(&u, sizeof(u), &data) == NULL);

	/* a snapshot: thread ids, then the strings */
	memset(&u, 0, sizeof(u));
	u.s.ntids = 3;
	u.s.cap.argv_len = 4;
	s = rec_snap_of(&u, sizeof(u.s) + 12 + 4, &tids, &data);
	CHECK(s != NULL && (const char *)tids == (const char *)&u + sizeof(u.s));
	CHECK(data == (const char *)tids + 12);
	CHECK(rec_snap_of(&u, sizeof(u.s) + 12 + 3, &tids, &data) == NULL);
	u.s.ntids = 0x7fffffffu;		/* more threads than bytes */
	CHECK(rec_snap_of(&u, sizeof(u), &tids, &data) == NULL);
	return check_done("test_record");
}
