/*
 * Proc-connector message decoding.  Pure: no I/O, no allocation; the unit
 * tests feed it crafted bytes.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "event.h"

/* Offsets inside cn_msg. */
#define CN_OFF_IDX	0
#define CN_OFF_VAL	4
#define CN_OFF_SEQ	8
#define CN_OFF_LEN	16
/* Offsets inside proc_event (after cn_msg). */
#define EV_OFF_WHAT	0
#define EV_OFF_CPU	4
#define EV_OFF_TS	8
#define EV_OFF_DATA	16

static uint32_t
get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int32_t
get_s32(const unsigned char *p)
{
	int32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Bytes of event_data each type needs. */
static size_t
event_data_size(uint32_t what)
{
	switch (what) {
	case PT_EV_NONE:	return 4;
	case PT_EV_FORK:	return 16;
	case PT_EV_EXEC:	return 8;
	case PT_EV_UID:
	case PT_EV_GID:		return 16;
	case PT_EV_SID:		return 8;
	case PT_EV_PTRACE:	return 16;
	case PT_EV_COMM:	return 24;
	case PT_EV_COREDUMP:	return 16;
	case PT_EV_EXIT:	return 24;
	default:		return 0;
	}
}

int
event_decode(const void *payload, size_t len, struct pt_event *ret)
{
	const unsigned char *p = payload, *ev, *d;
	uint16_t cnlen;
	uint32_t idx, val;

	if (len < PT_CN_MSG_SIZE)
		return -EBADMSG;
	idx = get_u32(p + CN_OFF_IDX);
	val = get_u32(p + CN_OFF_VAL);
	memcpy(&cnlen, p + CN_OFF_LEN, sizeof(cnlen));
	if ((size_t)cnlen > len - PT_CN_MSG_SIZE)
		return -EBADMSG;
	if (idx != PT_CN_IDX_PROC || val != PT_CN_VAL_PROC)
		return -ENOMSG;
	if (cnlen < PT_PROC_EVENT_HDR)
		return -EBADMSG;

	ev = p + PT_CN_MSG_SIZE;
	memset(ret, 0, sizeof(*ret));
	ret->seq = get_u32(p + CN_OFF_SEQ);
	ret->what = get_u32(ev + EV_OFF_WHAT);
	ret->cpu = get_u32(ev + EV_OFF_CPU);
	memcpy(&ret->ts, ev + EV_OFF_TS, sizeof(ret->ts));	/* unaligned */
	if ((size_t)cnlen < EV_OFF_DATA + event_data_size(ret->what))
		return -EBADMSG;

	d = ev + EV_OFF_DATA;
	switch (ret->what) {
	case PT_EV_NONE:
		ret->ack_err = get_u32(d);
		break;
	case PT_EV_FORK:
		ret->ppid = get_s32(d);
		ret->ptgid = get_s32(d + 4);
		ret->pid = get_s32(d + 8);
		ret->tgid = get_s32(d + 12);
		break;
	case PT_EV_EXEC:
	case PT_EV_SID:
		ret->pid = get_s32(d);
		ret->tgid = get_s32(d + 4);
		break;
	case PT_EV_UID:
	case PT_EV_GID:
		ret->pid = get_s32(d);
		ret->tgid = get_s32(d + 4);
		ret->rid = get_u32(d + 8);
		ret->eid = get_u32(d + 12);
		break;
	case PT_EV_PTRACE:
	case PT_EV_COREDUMP:
		ret->pid = get_s32(d);
		ret->tgid = get_s32(d + 4);
		ret->ppid = get_s32(d + 8);
		ret->ptgid = get_s32(d + 12);
		break;
	case PT_EV_COMM:
		ret->pid = get_s32(d);
		ret->tgid = get_s32(d + 4);
		memcpy(ret->comm, d + 8, 16);
		ret->comm[16] = '\0';
		break;
	case PT_EV_EXIT:
		ret->pid = get_s32(d);
		ret->tgid = get_s32(d + 4);
		ret->status = get_u32(d + 8);
		ret->signal = get_s32(d + 12);
		ret->ppid = get_s32(d + 16);
		ret->ptgid = get_s32(d + 20);
		break;
	default:
		break;
	}
	return 0;
}

struct walk_ctx {
	event_fn fn;
	void *data;
	unsigned bad;
};

static int
walk_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct walk_ctx *w = data;
	struct pt_event ev;
	int r;

	r = event_decode(mnl_nlmsg_get_payload(nlh),
	    mnl_nlmsg_get_payload_len(nlh), &ev);
	if (r == 0)
		w->fn(&ev, w->data);
	else if (r == -EBADMSG)
		w->bad++;
	return MNL_CB_OK;
}

static int
walk_error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e;
	int err;

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	e = mnl_nlmsg_get_payload(nlh);
	/* copied, not read through e: the buffer may be unaligned */
	memcpy(&err, (const char *)e + offsetof(struct nlmsgerr, error),
	    sizeof(err));
	if (err == 0)
		return MNL_CB_OK;	/* a netlink ACK */
	if (err < -4095 || err > 4095) {
		errno = EPROTO;		/* not an errno: hostile or broken */
		return MNL_CB_ERROR;
	}
	errno = err < 0 ? -err : err;
	return MNL_CB_ERROR;
}

static int
walk_bad_cb(const struct nlmsghdr *nlh, void *data)
{
	struct walk_ctx *w = data;

	(void)nlh;
	w->bad++;
	return MNL_CB_OK;
}

static size_t
valid_prefix(const void *buf, size_t len, unsigned *bad)
{
	const unsigned char *p = buf;
	size_t off = 0, step;
	uint32_t mlen;

	while (len - off >= sizeof(struct nlmsghdr)) {
		memcpy(&mlen, p + off, sizeof(mlen));
		if (mlen < sizeof(struct nlmsghdr) || mlen > len - off) {
			(*bad)++;
			break;
		}
		step = NLMSG_ALIGN(mlen);
		if (step > len - off)
			step = len - off;
		off += step;
	}
	return off;
}

int
event_walk(const void *buf, size_t len, event_fn fn, void *data,
    unsigned *ret_bad)
{
	/* mnl_cb_run would skip NLMSG_DONE, which is what every proc event
	 * is; route it to our callback.  seq and portid 0: nlmsg_seq carries
	 * the per-CPU counter, not a request sequence. */
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = { 0 };
	struct walk_ctx w = { fn, data, 0 };
	int r;

	/* libmnl's mnl_nlmsg_ok compares nlmsg_len as a signed int: a length
	 * of 2^31 or more passes and the walk reads out of bounds.  Keep only
	 * the prefix of well-formed headers. */
	len = valid_prefix(buf, len, &w.bad);
	if (len == 0) {
		*ret_bad = w.bad;
		return 0;
	}
	ctl[NLMSG_DONE] = walk_done_cb;
	ctl[NLMSG_ERROR] = walk_error_cb;
	ctl[NLMSG_OVERRUN] = walk_bad_cb;
	errno = 0;
	r = mnl_cb_run2(buf, len, 0, 0, NULL, &w, ctl, NLMSG_MIN_TYPE);
	*ret_bad = w.bad;
	if (r < 0)
		return errno ? -errno : -EBADMSG;
	return 0;
}
