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
	}
	return 0;
}
