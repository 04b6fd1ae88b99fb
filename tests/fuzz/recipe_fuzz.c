/* libFuzzer target for the recipe parser: any bytes must parse or be refused
 * with an error, never crash, leak or read out of bounds. `make fuzz`. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "src/arena.h"
#include "src/recipe.h"
#include "src/strbuf.h"
#include "src/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	if (!devnull) {
		/* Refusals are the expected outcome; sanitizer reports still reach fd 2. */
		devnull = fopen("/dev/null", "w");
		report_to(devnull);
	}
	struct arena *a = arena_new();
	struct recipe r;
	if (recipe_parse(a, "fuzz/p.recipe", (const char *)data, size, &r) == 0) {
		for (int k = 0; k < STEP_COUNT; k++)
			recipe_step(&r, (enum step_kind)k, "i686");
		recipe_file(&r);
		recipe_applies(&r, "aarch64");
		struct strbuf key = STRBUF_INIT;
		recipe_key_bytes(&r, &key);
		if (key.len > r.nbytes)
			__builtin_trap();
		strbuf_release(&key);
	}
	arena_free(a);
	return 0;
}
