/* Parser: good files, every bad-input message, steps, defaults, expansion. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/arch.h"
#include "src/arena.h"
#include "src/recipe.h"
#include "src/strbuf.h"
#include "tap.h"

static char errbuf[4096];

/* Parses text as path, capturing what went to stderr into errbuf. */
static int parse(struct arena *a, const char *path, const char *text, struct recipe *r)
{
	struct capture c = capture_begin();
	int ret = recipe_parse(a, path, text, strlen(text), r);
	capture_end(&c, errbuf, sizeof errbuf);
	return ret;
}

static const char good[] =
	"# a comment\n"
	"name    = zlib\n"
	"version = 1.3.1\n"
	"url     = https://a.example/zlib-$version.tar.gz\n"
	"          https://b.example/${name}-${version}.tar.gz\n"
	"sha256  = 9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23\n"
	"license = Zlib\n"
	"stage   = box\n"
	"cost    = 30\n"
	"depends = a b\n"
	"arch    = amd64 i386\n"
	"\n"
	"configure:\n"
	"\t./configure --prefix=/usr\n"
	"\n"
	"\tif true; then\n"
	"\t    echo $$HOME\n"
	"\tfi\n"
	"# a comment inside a step is not part of it\n"
	"build@i686:  # only for i686\n"
	"    make -j\"$JOBS\" CFLAGS=-O2\n";

static void test_good(void)
{
	struct arena *a = arena_new();
	struct recipe r;
	is_int(parse(a, "recipes/zlib.recipe", good, &r), 0, "a good recipe parses");
	is_str(errbuf, "", "and says nothing");
	is_str(r.name, "zlib", "name");
	is_str(r.version, "1.3.1", "version");
	is_int(r.urls.n, 2, "a continuation line adds a second url");
	is_str(r.urls.items[0], "https://a.example/zlib-1.3.1.tar.gz", "$version expands");
	is_str(r.urls.items[1], "https://b.example/zlib-1.3.1.tar.gz", "${name} expands");
	is_str(recipe_file(&r), "zlib-1.3.1.tar.gz", "file defaults to the url's last part");
	is_str(r.topdir, "zlib-1.3.1", "dir defaults to name-version");
	is_int(r.stage, STAGE_BOX, "stage");
	is_int(r.cost, 30, "cost");
	is_int(r.depends.n, 2, "two dependencies");
	is_str(r.arches.items[0], "x86_64", "arch aliases become canonical names");
	is_str(r.arches.items[1], "i686", "i386 is i686");
	ok(recipe_applies(&r, "i686") && !recipe_applies(&r, "aarch64"), "arch limits the recipe");
	is_str(recipe_step(&r, STEP_CONFIGURE, "x86_64"),
	       "./configure --prefix=/usr\n\nif true; then\n    echo $$HOME\nfi\n",
	       "a step body keeps its inner blank lines and relative indentation");
	is_str(recipe_step(&r, STEP_BUILD, "i686"), "make -j\"$JOBS\" CFLAGS=-O2\n", "an arch step for its arch");
	is_str(recipe_step(&r, STEP_BUILD, "x86_64"), "make\n", "other arches take the default (plain make: MAKEFLAGS has the jobserver)");
	is_str(recipe_step(&r, STEP_INSTALL, "x86_64"), "make DESTDIR=\"$SYSROOT\" install\n",
	       "an omitted step takes the stage default");
	ok(recipe_step(&r, STEP_PREPARE, "x86_64") == NULL, "prepare does nothing by default");
	is_int(r.nbytes, strlen(good), "the recipe's bytes are kept for its key");
	arena_free(a);
}

struct bad {
	const char *text;
	const char *error;
};

#define HEAD "name = p\nversion = 1\nlicense = MIT\nstage = host\n"
/* Too long for a file name: 300 bytes, and 199 (+ "p-" makes 201). */
#define V30 "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
#define V300 V30 V30 V30 V30 V30 V30 V30 V30 V30 V30
#define V199 V30 V30 V30 V30 V30 V30 "vvvvvvvvvvvvvvvvvvv"
#define SUM "sha256 = 9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23\n"

static const struct bad bads[] = {
	{ HEAD "verison = 2\n", "recipes/p.recipe:5: unknown key 'verison'" },
	{ "name = p\nversion = 1\nstage = host\n", "recipes/p.recipe: missing required key 'license'" },
	{ HEAD "version = 2\n", "recipes/p.recipe:5: duplicate key 'version' (first at line 2)" },
	{ HEAD "url = http://x/p.tgz\nsha256 = abc\n", "recipes/p.recipe:6: sha256 must be 64 lowercase hex digits, not 'abc'" },
	{ HEAD "url = http://x/p.tgz\n", "recipes/p.recipe:5: url without a sha256" },
	{ HEAD SUM, "recipes/p.recipe:5: sha256 without a url" },
	{ HEAD "\n    make\n", "recipes/p.recipe:6: indented line outside a step (a step starts with a line like 'build:')" },
	{ HEAD "compile:\n    make\n", "recipes/p.recipe:5: unknown step 'compile' (steps: prepare configure build install)" },
	{ "name = p\nversion = 1\nlicense = MIT\nstage = target\n", "recipes/p.recipe:4: unknown stage 'target' (stages: host cross box)" },
	{ HEAD "arch = m68k\n", "recipes/p.recipe:5: unknown arch 'm68k' (valid: aarch64 (arm64), armv7 (armhf, arm), i686 (i386, x86), loongarch64 (loong64, la64), mips64el (mips64le), ppc64le (ppc64el, powerpc64le), riscv64 (rv64), s390x, x86_64 (amd64))" },
	{ HEAD "build@sparc:\n    make\n", "recipes/p.recipe:5: unknown arch 'sparc' (valid: aarch64 (arm64), armv7 (armhf, arm), i686 (i386, x86), loongarch64 (loong64, la64), mips64el (mips64le), ppc64le (ppc64el, powerpc64le), riscv64 (rv64), s390x, x86_64 (amd64))" },
	{ HEAD "build:\n    a\nbuild:\n    b\n", "recipes/p.recipe:7: duplicate step 'build' (first at line 5)" },
	{ "name = q\nversion = 1\nlicense = MIT\nstage = host\n", "recipes/p.recipe:1: name 'q' does not match the file name" },
	{ HEAD "file = $nope\n", "recipes/p.recipe:5: unknown variable '$nope' (a value may use keys set above it)" },
	{ "version = $name\nname = p\nlicense = MIT\nstage = host\n", "recipes/p.recipe:1: unknown variable '$name' (a value may use keys set above it)" },
	{ HEAD "just words\n", "recipes/p.recipe:5: expected 'key = value' or 'step:'" },
	{ HEAD "intree = maybe\n", "recipes/p.recipe:5: intree takes yes or no, not 'maybe'" },
	{ HEAD "cost = -3\n", "recipes/p.recipe:5: cost takes whole seconds, 0 to 1000000, not '-3'" },
	{ HEAD "cost = 12s\n", "recipes/p.recipe:5: cost takes whole seconds, 0 to 1000000, not '12s'" },
	{ HEAD "cost = 1000001\n", "recipes/p.recipe:5: cost takes whole seconds, 0 to 1000000, not '1000001'" },
	{ HEAD "cost = 99999999999999999999999\n", "recipes/p.recipe:5: cost takes whole seconds, 0 to 1000000, not '99999999999999999999999'" },
	{ "name = p\nversion = 1\nlicense = MIT\nstage = host\nfile = a b\n", "recipes/p.recipe:5: 'file' takes one word" },
	/* Values that become file names (recipe_check.h). */
	{ "name = p\nversion = ../..\nlicense = MIT\nstage = host\n", "recipes/p.recipe:2: version '../..' is not a plain file name (it contains '/'); use one name of at most 200 bytes, without '/'" },
	{ "name = p\nversion = ..\nlicense = MIT\nstage = host\n", "recipes/p.recipe:2: version '..' is not a plain file name (it is . or ..); use one name of at most 200 bytes, without '/'" },
	{ "name = p\nversion = " V300 "\nlicense = MIT\nstage = host\n", "recipes/p.recipe:2: version '" V300 "' is not a plain file name (it is longer than 200 bytes); use one name of at most 200 bytes, without '/'" },
	{ "name = p\nversion = " V199 "\nlicense = MIT\nstage = host\n", "recipes/p.recipe:2: name-version 'p-" V199 "' is not a plain file name (it is longer than 200 bytes); use one name of at most 200 bytes, without '/'" },
	{ HEAD "url = http://x/p.tgz\n" SUM "file = ../../etc/x\n", "recipes/p.recipe:7: file '../../etc/x' is not a plain file name (it contains '/'); use one name of at most 200 bytes, without '/'" },
	{ HEAD "url = http://x/..\n" SUM, "recipes/p.recipe:5: the url's file name '..' is not a plain file name (it is . or ..); use one name of at most 200 bytes, without '/'" },
	{ HEAD "url = http://x/\n" SUM, "recipes/p.recipe:5: the url's file name '' is not a plain file name (it is empty); use one name of at most 200 bytes, without '/'" },
	{ HEAD "dir = ../..\n", "recipes/p.recipe:5: dir '../..' is not a plain file name (it contains '/'); use one name of at most 200 bytes, without '/'" },
	{ HEAD "dir = .\n", "recipes/p.recipe:5: dir '.' is not a plain file name (it is . or ..); use one name of at most 200 bytes, without '/'" },
	{ HEAD "url = http://x/p.tgz\n" SUM "inner = a/../../x.tgz\n", "recipes/p.recipe:7: inner 'a/../../x.tgz' is not a path inside the tree (it has a '..' component); use a relative path of at most 200 bytes, without '..'" },
	{ HEAD "url = http://x/p.tgz\n" SUM "inner = /x.tgz\n", "recipes/p.recipe:7: inner '/x.tgz' is not a path inside the tree (it is absolute); use a relative path of at most 200 bytes, without '..'" },
	{ HEAD "license-files = COPYING ../../etc/passwd\n", "recipes/p.recipe:5: license-files '../../etc/passwd' is not a path inside the tree (it has a '..' component); use a relative path of at most 200 bytes, without '..'" },
	{ HEAD "license-files = /etc/passwd\n", "recipes/p.recipe:5: license-files '/etc/passwd' is not a path inside the tree (it is absolute); use a relative path of at most 200 bytes, without '..'" },
	{ HEAD "url = http://x/p.tgz\n" SUM "inner = x.tgz a/b\n", "recipes/p.recipe:7: inner's DIR 'a/b' is not a plain file name (it contains '/'); use one name of at most 200 bytes, without '/'" },
};

static void test_cost_default(void)
{
	struct arena *a = arena_new();
	struct recipe r;
	is_int(parse(a, "recipes/p.recipe", HEAD, &r), 0, "a recipe without cost parses");
	is_int(r.cost, 1, "cost defaults to 1");
	is_int(parse(a, "recipes/p.recipe", HEAD "cost = 0\n", &r), 0, "cost 0 is allowed");
	is_int(r.cost, 0, "and kept");
	arena_free(a);
}

static void test_license_files(void)
{
	struct arena *a = arena_new();
	struct recipe r;
	is_int(parse(a, "recipes/p.recipe", HEAD, &r), 0, "a recipe without license-files parses");
	is_int(r.license_files.n, 0, "and has none");
	is_int(parse(a, "recipes/p.recipe", HEAD "license-files = COPYING\n    LICENSES/exceptions/Linux-syscall-note\n", &r),
	       0, "license-files may name paths in folders, over lines");
	is_int(r.license_files.n, 2, "both are kept");
	is_str(r.license_files.items[1], "LICENSES/exceptions/Linux-syscall-note", "as written");
	arena_free(a);
}

static void test_bad(void)
{
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		struct arena *a = arena_new();
		struct recipe r;
		int ret = parse(a, "recipes/p.recipe", bads[i].text, &r);
		char want[1024];
		snprintf(want, sizeof want, "bootstrap: error: %s", bads[i].error);
		ok(ret < 0, "bad input %zu is refused", i);
		is_str(errbuf, want, "with the message '%s'", bads[i].error);
		arena_free(a);
	}
}

static void test_crlf_and_nul(void)
{
	struct arena *a = arena_new();
	struct recipe r;
	is_int(parse(a, "recipes/p.recipe", "name = p\r\nversion = 1\r\nlicense = MIT\r\nstage = host\r\n", &r), 0,
	       "CRLF line ends are accepted");
	is_str(r.version, "1", "and stripped");
	const char nul[] = "name = p\0x\n";
	fflush(stderr);
	int saved = dup(2);
	FILE *devnull = fopen("/dev/null", "w");
	dup2(fileno(devnull), 2);
	ok(recipe_parse(a, "recipes/p.recipe", nul, sizeof nul - 1, &r) < 0, "a NUL byte is refused");
	dup2(saved, 2);
	close(saved);
	fclose(devnull);
	arena_free(a);
}

static const char base[] =
	"name    = zlib\n"
	"version = 1.3.1\n"
	"url     = https://a.example/zlib-$version.tar.gz\n"
	"sha256  = 9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23\n"
	"license = Zlib\n"
	"stage   = box\n"
	"configure:\n"
	"    ./configure --static\n"
	"build:\n"
	"    make\n";

static int parse_overlay(struct arena *a, const char *text, struct recipe *r)
{
	struct capture c = capture_begin();
	int ret = recipe_parse_overlay(a, "recipes/zlib.recipe", base, strlen(base), "site/zlib.recipe",
				       text, strlen(text), NULL, r);
	capture_end(&c, errbuf, sizeof errbuf);
	return ret;
}

static void test_overlay(void)
{
	struct arena *a = arena_new();
	struct recipe r;
	const char *over = "# Debian's repack\n"
			   "overlay = yes\n"
			   "version = 1.3.2\n"
			   "file    = zlib_1.3.2.orig.tar.gz\n"
			   "sha256  = 60dd315c07f616887caa029408308a018ace66e3d142726a97db164b3b8f69fb\n"
			   "prepare:\n"
			   "    touch stamp\n"
			   "build:\n"
			   "    make -k\n";
	is_int(parse_overlay(a, over, &r), 0, "an overlay parses over its base");
	is_str(r.version, "1.3.2", "its keys replace the base's");
	is_str(r.urls.items[0], "https://a.example/zlib-1.3.2.tar.gz", "the base's url sees the overlay's version");
	is_str(recipe_file(&r), "zlib_1.3.2.orig.tar.gz", "a key the base lacks is added");
	is_str(r.sha256_path, "site/zlib.recipe", "the sum's file is the overlay");
	is_str(recipe_step(&r, STEP_CONFIGURE, NULL), "./configure --static\n", "the base's steps stay");
	is_str(recipe_step(&r, STEP_BUILD, NULL), "make -k\n", "a step the overlay gives replaces the base's");
	is_str(recipe_step(&r, STEP_PREPARE, NULL), "touch stamp\n", "and a new step is added");
	is_str(r.license, "Zlib", "required keys may come from the base");
	is_int(r.nbytes, strlen(base) + strlen(over), "the key hashes both files");
	is_int(parse_overlay(a, "overlay = yes\nversion = 1\nversion = 2\n", &r), -1, "a key twice in the overlay");
	is_str(errbuf, "bootstrap: error: site/zlib.recipe:3: duplicate key 'version' (first at line 2)",
	       "is still an error, in the overlay's file");
	is_int(parse_overlay(a, "overlay = yes\nsha256 = x\n", &r), -1, "a bad value in the overlay");
	is_str(errbuf, "bootstrap: error: site/zlib.recipe:2: sha256 must be 64 lowercase hex digits, not 'x'",
	       "is reported at the overlay's line");
	is_int(parse_overlay(a, "overlay = yes\ndir = ../..\n", &r), -1, "an overlay's dir that leaves the tree");
	is_str(errbuf, "bootstrap: error: site/zlib.recipe:2: dir '../..' is not a plain file name (it contains "
		       "'/'); use one name of at most 200 bytes, without '/'", "is refused at the overlay's line");
	is_int(parse_overlay(a, "overlay = yes\ninner = debian/zlib-$version.tar.gz\n", &r), 0,
	       "an inner archive in a subfolder of the tree");
	is_str(r.inner, "debian/zlib-1.3.1.tar.gz", "is a path inside the tree");
	const char *alone = "overlay = yes\nname = p\nversion = 1\nlicense = MIT\nstage = host\n";
	is_int(parse(a, "site/p.recipe", alone, &r), -1, "overlay = yes without a base");
	is_str(errbuf, "bootstrap: error: site/p.recipe:1: overlay = yes, but no later folder of the recipe "
		       "search path has p.recipe", "says so");
	arena_free(a);
}

static const char multi[] =
	"name    = musl\n"
	"version = 1.2.6 1.2.5\n"
	"url     = https://a.example/musl-$version.tar.gz\n"
	"sha256@1.2.6 = d585fd3b613c66151fc3249e8ed44f77020cb5e6c1e635a616d3f9f82460512a\n"
	"sha256@1.2.5 = a9a118bbe84d8764da0ea0d28b3ab3fae8477fc7e4085d90102b8596fc7c75e4\n"
	"cost@1.2.5 = 40\n"
	"# a comment ends no value\n"
	"license = MIT\n"
	"stage   = cross\n"
	"cost    = 30\n"
	"build:\n"
	"    make\n";

static int parse_as(struct arena *a, const char *text, const char *choice, struct recipe *r)
{
	struct strlist choices = { &choice, choice ? 1 : 0 };
	struct capture c = capture_begin();
	int ret = recipe_parse_chosen(a, "recipes/musl.recipe", text, strlen(text), &choices, r);
	capture_end(&c, errbuf, sizeof errbuf);
	return ret;
}

static char *key_text(const struct recipe *r, const char *arch)
{
	struct strbuf b = STRBUF_INIT;
	recipe_key_bytes(r, arch, &b);
	return b.data;
}

static void test_versions(void)
{
	struct arena *a = arena_new();
	struct recipe r;
	is_int(parse_as(a, multi, NULL, &r), 0, "a recipe offering two versions parses");
	is_str(r.version, "1.2.6", "the first is the default");
	is_int(r.versions.n, 2, "both are offered");
	is_str(r.sha256, "d585fd3b613c66151fc3249e8ed44f77020cb5e6c1e635a616d3f9f82460512a", "with its own sum");
	is_int(r.cost, 30, "the unqualified value where the version has none");
	is_int(parse_as(a, multi, "musl=1.2.5", &r), 0, "musl=1.2.5 chooses the other");
	is_str(r.version, "1.2.5", "version is the chosen one");
	is_str(r.urls.items[0], "https://a.example/musl-1.2.5.tar.gz", "$version expands to it");
	is_str(r.sha256, "a9a118bbe84d8764da0ea0d28b3ab3fae8477fc7e4085d90102b8596fc7c75e4", "its sum");
	is_int(r.cost, 40, "a qualified value beats the unqualified one");
	is_int(parse_as(a, multi, "musl=9", &r), 0, "a choice not offered is left to the set");
	is_str(r.version, "1.2.6", "which the parser reads as the default");
	char *k = key_text(&r, NULL);
	is_int(strstr(k, "version = 1.2.6\n") != NULL, 1, "the key has the chosen version alone");
	is_int(strstr(k, "1.2.5") == NULL, 1, "and nothing of the other version's");
	is_int(strstr(k, "cost") == NULL, 1, "and no cost line");
	is_int(strstr(k, "# a comment ends no value\n") != NULL, 1, "but the comment after a dropped value");
	free(k);
	is_int(parse_as(a, multi, "musl=1.2.5", &r), 0, "musl=1.2.5 again");
	k = key_text(&r, NULL);
	const char *three = "name    = musl\nversion = 1.2.6 1.2.5 1.2.7\n";
	char *more = malloc(sizeof multi + 200);
	strcpy(more, three);
	strcat(more, strchr(strchr(multi, '\n') + 1, '\n') + 1);
	strcat(more, "sha256@1.2.7 = d585fd3b613c66151fc3249e8ed44f77020cb5e6c1e635a616d3f9f82460512a\n");
	is_int(parse_as(a, more, "musl=1.2.5", &r), 0, "a third version offered");
	char *k3 = key_text(&r, NULL);
	is_str(k3, k, "leaves the key of the chosen one alone");
	free(k);
	free(k3);
	free(more);
	is_int(parse_as(a, "name = musl\nversion = 1\nlicense = MIT\nstage = host\nstage@1 = box\n", NULL, &r),
	       -1, "a per-version stage");
	is_str(errbuf, "bootstrap: error: recipes/musl.recipe:5: 'stage' cannot differ between versions", "is refused");
	is_int(parse_as(a, "name = musl\nversion = 1 2\nlicense = MIT\nstage = host\nurl = x\nsha256@1 = x\n", NULL, &r),
	       -1, "a bad per-version sum");
	is_str(errbuf, "bootstrap: error: recipes/musl.recipe:6: sha256 must be 64 lowercase hex digits, not 'x'",
	       "is refused at its line");
	arena_free(a);
}

static void test_version_overlay(void)
{
	struct arena *a = arena_new();
	struct recipe r;
	const char *over = "overlay = yes\n"
			   "file@1.2.5 = musl_1.2.5.orig.tar.gz\n"
			   "sha256@1.2.5 = 60dd315c07f616887caa029408308a018ace66e3d142726a97db164b3b8f69fb\n";
	const char *choice = "musl=1.2.5";
	struct strlist choices = { &choice, 1 };
	struct capture c = capture_begin();
	int ret = recipe_parse_overlay(a, "recipes/musl.recipe", multi, strlen(multi), "site/musl.recipe",
				       over, strlen(over), &choices, &r);
	capture_end(&c, errbuf, sizeof errbuf);
	is_int(ret, 0, "an overlay of one version parses");
	is_str(r.sha256, "60dd315c07f616887caa029408308a018ace66e3d142726a97db164b3b8f69fb", "its value wins for that version");
	is_str(recipe_file(&r), "musl_1.2.5.orig.tar.gz", "its file too");
	ret = recipe_parse_overlay(a, "recipes/musl.recipe", multi, strlen(multi), "site/musl.recipe",
				   over, strlen(over), NULL, &r);
	is_str(r.sha256, "d585fd3b613c66151fc3249e8ed44f77020cb5e6c1e635a616d3f9f82460512a",
	       "the base's value stays for the other version");
	const char *one = "overlay = yes\nversion = 1.2.6\n"
			  "sha256 = 60dd315c07f616887caa029408308a018ace66e3d142726a97db164b3b8f69fb\n";
	ret = recipe_parse_overlay(a, "recipes/musl.recipe", multi, strlen(multi), "site/musl.recipe",
				   one, strlen(one), NULL, &r);
	is_int(ret, 0, "an overlay offering one version with a plain sha256");
	is_str(r.sha256, "60dd315c07f616887caa029408308a018ace66e3d142726a97db164b3b8f69fb",
	       "replaces the base's per-version sums");
	is_int(r.versions.n, 1, "and offers only its version");
	arena_free(a);
}

/* A step of one arch's own is in that arch's key only, so adding one rebuilds
 * that arch alone; the host stage (arch NULL) keeps every arch's steps. */
static void test_arch_step_keys(void)
{
	struct arena *a = arena_new();
	struct recipe r;
	const char *plain = "name = musl\nversion = 1\nlicense = MIT\nstage = cross\n"
			    "build:\n    make\n# after\n";
	const char *with = "name = musl\nversion = 1\nlicense = MIT\nstage = cross\n"
			   "build:\n    make\n\n# i686's own\nbuild@x86:\n    make one\n\n    make two\n# after\n";
	is_int(parse_as(a, plain, NULL, &r), 0, "a recipe without arch steps parses");
	char *k0 = key_text(&r, "x86_64");
	is_int(parse_as(a, with, NULL, &r), 0, "one with an i686 step (by its alias x86) parses");
	char *k1 = key_text(&r, "x86_64"), *k2 = key_text(&r, "i686"), *k3 = key_text(&r, NULL);
	is_str(k1, k0, "x86_64's key bytes leave out i686's step, the comment above it and its blank lines");
	is_int(strstr(k2, "\n# i686's own\nbuild@x86:\n    make one\n\n    make two\n# after\n") != NULL, 1, "i686's keep them");
	is_str(k3, with, "and without an arch, every step stays");
	free(k0);
	free(k1);
	free(k2);
	free(k3);
	arena_free(a);
}

int main(void)
{
	if (arch_load("config/arches") < 0)
		return 1;
	test_versions();
	test_arch_step_keys();
	test_version_overlay();
	test_overlay();
	test_good();
	test_bad();
	test_cost_default();
	test_license_files();
	test_crlf_and_nul();
	return tap_done();
}
