/* fuzz_plan.c - libFuzzer target: any byte string must parse or be refused, never crash. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "plan.h"

static struct plan plan;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	int e = 0;
	if (plan_parse(data, size, &plan, err, sizeof(err), &e) == 0) {
		/* A plan that parses must be internally consistent. */
		if (!plan.rootfs || !plan.run_dir || plan.n_args == 0 || plan.args[plan.n_args] != NULL)
			__builtin_trap();
		for (size_t i = 0; i < plan.n_mounts; i++)
			if (!plan.mounts[i].target || strlen(plan.mounts[i].target) >= PLAN_MAX_STRING)
				__builtin_trap();
	}
	return 0;
}
