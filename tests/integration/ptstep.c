/*
 * pt-step: a static image without libc whose processes exec again at
 * once, so that the collector sees execs microseconds apart.
 *
 *   pt-step chain N TAG       exec "pt-step chain N-1 TAG" until N is 0
 *   pt-step chains COUNT      run COUNT "pt-step chain 2 cK" one after
 *                             another (fork, exec, wait)
 *   pt-step exit TAG K        exit 0 at once
 *   pt-step sleep MS TAG K    sleep MS milliseconds, exit 0
 */
#include <stddef.h>

#if !defined(__x86_64__)
#error "pt-step: x86_64 only"
#endif

#define SYS_exit	60
#define SYS_execve	59
#define SYS_fork	57
#define SYS_wait4	61
#define SYS_nanosleep	35

static long
sys3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
	    : "rcx", "r11", "memory");
	return r;
}

static long
sys4(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;

	__asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c),
	    "r"(r10) : "rcx", "r11", "memory");
	return r;
}

static __attribute__((noreturn)) void
die(int code)
{
	for (;;)
		sys3(SYS_exit, code, 0, 0);
}

static int
eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static long
num(const char *s)
{
	long v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v;
}

static char *
fmt(char *buf, long v)
{
	char tmp[24];
	int n = 0, i = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
	return buf;
}

static char self_path[] = "/proc/self/exe";

void pt_main(long *sp);

__attribute__((used)) void
pt_main(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1), **envp = argv + argc + 1;
	char nbuf[24], tag[32];
	char *nargv[5];
	long n, i;

	if (argc >= 4 && eq(argv[1], "chain")) {
		n = num(argv[2]);
		if (n == 0)
			die(0);
		nargv[0] = argv[0];
		nargv[1] = argv[1];
		nargv[2] = fmt(nbuf, n - 1);
		nargv[3] = argv[3];
		nargv[4] = NULL;
		sys3(SYS_execve, (long)self_path, (long)nargv, (long)envp);
		die(127);
	}
	if (argc >= 3 && eq(argv[1], "chains")) {
		n = num(argv[2]);
		for (i = 1; i <= n; i++) {
			long pid = sys3(SYS_fork, 0, 0, 0);

			if (pid == 0) {
				tag[0] = 'c';
				fmt(tag + 1, i);
				nargv[0] = argv[0];
				nargv[1] = (char *)"chain";
				nargv[2] = (char *)"2";
				nargv[3] = tag;
				nargv[4] = NULL;
				sys3(SYS_execve, (long)self_path, (long)nargv,
				    (long)envp);
				die(127);
			}
			if (pid < 0)
				die(1);
			sys4(SYS_wait4, pid, 0, 0, 0);
		}
		die(0);
	}
	if (argc >= 2 && eq(argv[1], "exit"))
		die(0);
	if (argc >= 3 && eq(argv[1], "sleep")) {
		long ts[2] = { 0, num(argv[2]) * 1000000 };

		sys3(SYS_nanosleep, (long)ts, 0, 0);
		die(0);
	}
	die(2);
}

__asm__(".text\n.global _start\n_start:\n"
    "\tmov %rsp, %rdi\n\tand $-16, %rsp\n\tcall pt_main\n\thlt\n");
