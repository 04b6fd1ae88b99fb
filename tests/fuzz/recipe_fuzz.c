/* libFuzzer target for the recipe parser: any bytes must parse or be refused
 * with an error, never crash, leak or read out of bounds. `make fuzz`.
 *
 * An input holding a line "@@overlay@@" is two layers: the bytes before it
 * are a base recipe, the bytes after it an overlay parsed over that base
 * (recipe_parse_overlay), as the search path does for `overlay = yes`. The
 * two layers' paths do not end in .recipe, so that no name is held to a
 * file name and the seeds (`make fuzz` makes one per e2e overlay, over its
 * shipped recipe) reach every check. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "src/arena.h"
#include "src/recipe.h"
#include "src/strbuf.h"
#include "src/util.h"

#define LAYER_MARK "\n@@overlay@@\n"

static void use(const struct recipe *r)
{
	for (int k = 0; k < STEP_COUNT; k++)
		recipe_step(r, (enum step_kind)k, "i686");
	recipe_file(r);
	recipe_applies(r, "aarch64");
	struct strbuf key = STRBUF_INIT;
	recipe_key_bytes(r, "x86_64", &key);
	if (key.len > r->nbytes)
		__builtin_trap();
	strbuf_release(&key);
}

static int parse(struct arena *a, const char *data, size_t size, struct recipe *r)
{
	const char *mark = memmem(data, size, LAYER_MARK, strlen(LAYER_MARK));
	if (!mark)
		return recipe_parse(a, "fuzz/p.recipe", data, size, r);
	size_t base_len = (size_t)(mark - data) + 1; /* its last line keeps its newline */
	const char *over = mark + strlen(LAYER_MARK);
	return recipe_parse_overlay(a, "fuzz/base", data, base_len, "fuzz/overlay", over,
				    size - (size_t)(over - data), NULL, r);
}

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
	if (parse(a, (const char *)data, size, &r) == 0)
		use(&r);
	arena_free(a);
	return 0;
}
