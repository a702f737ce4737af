/* fuzz_plan.c - libFuzzer target: any byte string must parse or be refused, never crash. */
#include <stddef.h>
#include <stdint.h>
#include <sched.h>
#include <string.h>

#include "plan.h"

static struct plan plan;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	int e = 0;
	/* The first byte picks the parser: launch plans and attach plans share the attribute space. */
	int attach = size > 0 && (data[0] & 1);
	if (size > 0) {
		data++;
		size--;
	}
	int r = attach ? plan_parse_attach(data, size, &plan, err, sizeof(err), &e)
		       : plan_parse(data, size, &plan, err, sizeof(err), &e);
	if (r == 0) {
		/* A plan that parses must be internally consistent. */
		if (plan.n_args == 0 || plan.args[plan.n_args] != NULL)
			__builtin_trap();
		if (!attach && !plan.run_dir)
			__builtin_trap();
		if (attach && (plan.attach_pid < 2 || plan.rootfs || plan.n_mounts))
			__builtin_trap();
		if ((!attach && plan.n_attach_cgroups) || plan.n_attach_cgroups > PLAN_MAX_ATTACH_CGROUPS)
			__builtin_trap();
		for (size_t i = 0; i < plan.n_attach_cgroups; i++)
			if (plan.attach_cgroups[i][0] != '/')
				__builtin_trap();
		if (plan.rootfs && !(plan.clone_flags & CLONE_NEWNS) && plan.n_joins == 0)
			__builtin_trap();
		for (size_t i = 0; i < plan.n_mounts; i++)
			if (!plan.mounts[i].target || strlen(plan.mounts[i].target) >= PLAN_MAX_STRING)
				__builtin_trap();
		for (size_t i = 0; i < plan.n_proc_writes; i++)
			if (strncmp(plan.proc_writes[i].file, "sys/", 4) && strncmp(plan.proc_writes[i].file, "self/", 5))
				__builtin_trap();
		for (size_t i = 0; i < plan.n_devices; i++)
			if (plan.devices[i].path[0] != '/' || strstr(plan.devices[i].path, "/../"))
				__builtin_trap();
		for (size_t i = 0; i < plan.n_joins; i++)
			if (__builtin_popcountll(plan.joins[i].ns) != 1 || (!plan.joins[i].path == !plan.joins[i].pid))
				__builtin_trap();
		if (plan.seccomp && (plan.seccomp_len == 0 || plan.seccomp_len % 8))
			__builtin_trap();
		for (size_t i = 0; i < plan.n_hooks; i++)
			if (plan.hooks[i].n_args == 0 || plan.hooks[i].args[0][0] != '/' ||
			    plan.hooks[i].args[plan.hooks[i].n_args] != NULL || plan.hooks[i].env[plan.hooks[i].n_env] != NULL ||
			    (plan.hooks[i].ns_env && plan.hooks[i].stage != 5))
				__builtin_trap();
		if ((plan.has_time_monotonic || plan.has_time_boottime) && !(plan.clone_flags & 0x80))
			__builtin_trap();
		if ((plan.has_time_monotonic && (plan.time_monotonic[1] < 0 || plan.time_monotonic[1] > 999999999)) ||
		    (plan.has_time_boottime && (plan.time_boottime[1] < 0 || plan.time_boottime[1] > 999999999)))
			__builtin_trap();
		if (plan.has_pdeath_signal && plan.pdeath_signal > 64)
			__builtin_trap();
		if (attach && (plan.n_lsm_labels || plan.has_landlock || plan.has_pdeath_signal))
			__builtin_trap();
		for (size_t i = 0; i < plan.n_lsm_labels; i++)
			if (!plan.lsm_labels[i].lsm[0] || !plan.lsm_labels[i].value[0] || strchr(plan.lsm_labels[i].attr, '/') ||
			    strchr(plan.lsm_labels[i].lsm, '/') || strchr(plan.lsm_labels[i].lsm, '.'))
				__builtin_trap();
		if (plan.has_landlock) {
			const struct plan_landlock *ll = &plan.landlock;
			if (!ll->handled_fs && !ll->handled_net && !ll->scoped)
				__builtin_trap();
			for (size_t i = 0; i < ll->n_paths; i++)
				if (ll->paths[i].path[0] != '/' || strstr(ll->paths[i].path, "/../") || !ll->paths[i].allowed ||
				    (ll->paths[i].allowed & ~ll->handled_fs))
					__builtin_trap();
			for (size_t i = 0; i < ll->n_ports; i++)
				if (ll->ports[i].port > 65535 || !ll->ports[i].allowed || (ll->ports[i].allowed & ~ll->handled_net))
					__builtin_trap();
		}
	}
	return 0;
}
