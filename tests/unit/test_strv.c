/* strv: splitting a text into its non-empty pieces. */
#include "src/strv.h"
#include "tap.h"

int main(void)
{
	struct strv v = STRV_INIT;
	strv_split(&v, "a\nbb\n\nccc\n", '\n');
	is_int((long long)v.n, 3, "three pieces, the empty one and the end skipped");
	is_str(v.items[0], "a", "the first");
	is_str(v.items[2], "ccc", "the last");
	ok(v.items[3] == NULL, "NULL-terminated");
	strv_split(&v, "tail", '\n');
	is_str(v.items[3], "tail", "a text without a separator is one piece, appended");
	strv_split(&v, "", '\n');
	is_int((long long)v.n, 4, "an empty text adds nothing");
	strv_free(&v);
	return tap_done();
}
