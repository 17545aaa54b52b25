/*
 * Names of the database's vocabulary (model.h).
 */
#include <stddef.h>

#include "model.h"

static const char *const flag_names[] = {
	"snapshot", "start-unknown", "end-unknown", "gap", "parent-unknown",
	"pid-reused", "adopted",
};

static const char *const capture_names[] = {
	"argv", "exe", "cwd", "creds", "cgroup", "comm", "login", "ns",
	"verified", "gone", "mismatch", "argv-truncated", "snapshot",
	"not-attempted", "redacted", "raced", "file", "tty",
};

static const char *const gap_names[] = {
	NULL, "kernel_drop", "seq", "queue_full", "malformed", "write_error",
	"downtime",
};

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *
pt_flag_name(int bit)
{
	return bit >= 0 && bit < NELEM(flag_names) ? flag_names[bit] : NULL;
}

const char *
pt_capture_name(int bit)
{
	return bit >= 0 && bit < NELEM(capture_names) ? capture_names[bit] :
	    NULL;
}

const char *
pt_event_name(uint32_t type)
{
	switch (type) {
	case PT_EV_NONE:	return "ack";
	case PT_EV_FORK:	return "fork";
	case PT_EV_EXEC:	return "exec";
	case PT_EV_UID:		return "uid";
	case PT_EV_GID:		return "gid";
	case PT_EV_SID:		return "sid";
	case PT_EV_PTRACE:	return "ptrace";
	case PT_EV_COMM:	return "comm";
	case PT_EV_COREDUMP:	return "coredump";
	case PT_EV_EXIT:	return "exit";
	default:		return NULL;
	}
}

const char *
pt_gap_name(int kind)
{
	return kind >= 0 && kind < NELEM(gap_names) ? gap_names[kind] : NULL;
}
