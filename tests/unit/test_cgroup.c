/*
 * Unit, container and pod from cgroup paths as each runtime and systemd
 * name them (common/cgroup.c).
 */
#include <string.h>

#include "cgroup.h"
#include "check.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void
expect(const char *path, const char *unit, const char *container,
    const char *pod)
{
	char buf[512];

	pt_cgroup_unit(path, buf, sizeof(buf));
	CHECK_STR(buf, unit);
	pt_cgroup_container(path, buf, sizeof(buf));
	CHECK_STR(buf, container);
	pt_cgroup_pod(path, buf, sizeof(buf));
	CHECK_STR(buf, pod);
}

int
main(void)
{
	char small[8];

	expect("/system.slice/sshd.service", "sshd.service", "", "");
	expect("/system.slice/cron.service", "cron.service", "", "");
	expect("/user.slice/user-1000.slice/session-3.scope",
	    "session-3.scope", "", "");
	expect("/user.slice/user-1000.slice/user@1000.service/app.slice/"
	    "app-gnome-term-42.scope", "user@1000.service", "", "");
	expect("/system.slice/docker-" ID ".scope", "docker-" ID ".scope",
	    "docker:" ID, "");
	expect("/docker/" ID, "", "docker:" ID, "");
	expect("/system.slice/containerd.service/kubepods-burstable-pod"
	    "1f0e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice:cri-containerd:" ID,
	    "containerd.service", "",
	    "");
	expect("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	    "1f0e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice/cri-containerd-" ID
	    ".scope", "cri-containerd-" ID ".scope", "containerd:" ID,
	    "1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
	expect("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-"
	    "podabc_def.slice", "", "", "abc-def");
	expect("/kubepods.slice/kubepods-pod1234.slice/crio-" ID ".scope",
	    "crio-" ID ".scope", "crio:" ID, "1234");
	expect("/kubepods.slice/kubepods-pod1234.slice/crio-conmon-" ID ".scope",
	    "crio-conmon-" ID ".scope", "", "1234");
	expect("/machine.slice/libpod-" ID ".scope/container", "libpod-" ID
	    ".scope", "podman:" ID, "");
	expect("/machine.slice/libpod-conmon-" ID ".scope",
	    "libpod-conmon-" ID ".scope", "", "");
	expect("/lxc.payload.web1/system.slice/nginx.service", "nginx.service",
	    "lxc:web1", "");
	expect("/lxc/web2", "", "lxc:web2", "");
	/* look-alikes are not containers */
	expect("/system.slice/docker-1234.scope", "docker-1234.scope", "", "");
	expect("/docker/not-an-id", "", "", "");
	expect("/lxc.payload./x", "", "", "");
	expect("/", "", "", "");
	expect("", "", "", "");
	expect("//system.slice//sshd.service//", "sshd.service", "", "");
	expect("/system.slice/a b.service", "", "", "");
	expect("/system.slice/x\\x2dy.service", "x\\x2dy.service", "", "");
	/* too small a buffer: not found, buffer empty */
	CHECK_EQ(pt_cgroup_container("/docker/" ID, small, sizeof(small)), 0);
	CHECK_STR(small, "");
	CHECK_EQ(pt_cgroup_unit("/system.slice/sshd.service", small,
	    sizeof(small)), 0);
	return check_done("test_cgroup");
}
