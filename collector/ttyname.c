/*
 * The name of a controlling terminal from its number (procfs.h): what the
 * store writes in exec.tty.  Apart from the capture (procfs.c) so that the
 * store, and with it the query tool's rebuild, does not take the capture
 * and its BPF program along.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"

void
procfs_tty_name(uint32_t tty_nr, char *buf, size_t size)
{
	/* what the writer looked up last in /sys (one thread) */
	static uint32_t last_nr;
	static char last[32];
	unsigned major = (tty_nr >> 8) & 0xfff;
	unsigned minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);
	char path[64], link[256], *base;
	ssize_t n;

	if (major >= 136 && major <= 143) {	/* Unix98 pty slaves */
		snprintf(buf, size, "pts/%u", (major - 136) * 256 + minor);
	} else if (major == 4 && minor < 64) {	/* virtual consoles */
		snprintf(buf, size, "tty%u", minor);
	} else if (major == 4) {		/* 8250 serial ports */
		snprintf(buf, size, "ttyS%u", minor - 64);
	} else if (major == 5 && minor <= 2) {
		snprintf(buf, size, "%s", minor == 0 ? "tty" :
		    minor == 1 ? "console" : "ptmx");
	} else if (tty_nr == last_nr && last[0]) {
		snprintf(buf, size, "%s", last);
	} else {
		/* any other driver: the name sysfs gives the device */
		snprintf(path, sizeof(path), "/sys/dev/char/%u:%u", major,
		    minor);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			base = strrchr(link, '/');
			snprintf(buf, size, "%s", base ? base + 1 : link);
		} else {
			snprintf(buf, size, "%u:%u", major, minor);
		}
		last_nr = tty_nr;
		snprintf(last, sizeof(last), "%s", buf);
	}
}
