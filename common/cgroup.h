#ifndef PT_CGROUP_H
#define PT_CGROUP_H
/*
 * Where a process runs, read from its cgroup v2 path (/proc/PID/cgroup,
 * as stored in exec.cgroup): the systemd unit and the container.  Pure
 * string parsing, no file access; names are copied only when they have
 * the form their runtime gives them, so that a made-up path component
 * never passes for a container.
 *
 * unit: the outermost component that is a service or a scope
 * ("sshd.service", "session-3.scope", "user@1000.service",
 * "docker-<id>.scope").
 *
 * container, as "runtime:id", from the innermost component naming one:
 *   docker-<64 hex>.scope, or a "docker" component then <64 hex>  docker
 *   cri-containerd-<64 hex>.scope                                 containerd
 *   crio-<64 hex>.scope                                           crio
 *   libpod-<64 hex>.scope                                         podman
 *   lxc.payload.<name>, or an "lxc" component then <name>          lxc
 * The monitors (libpod-conmon-, crio-conmon-) are not containers.
 *
 * pod: the Kubernetes pod uid of a kubepods...-pod<uid>.slice component,
 * with its underscores back to dashes ("1f0e...-...").
 *
 * Each returns 1 and fills buf (NUL-terminated) if found, 0 if not (buf
 * is then ""); a name that does not fit in size is not found.
 */
#include <stddef.h>

int pt_cgroup_unit(const char *path, char *buf, size_t size);
int pt_cgroup_container(const char *path, char *buf, size_t size);
int pt_cgroup_pod(const char *path, char *buf, size_t size);
#endif
