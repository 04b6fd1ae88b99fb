/* The arch table: the shipped files, a good new arch, and every bad file's
 * message with its file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/arch.h"
#include "src/file.h"
#include "src/strbuf.h"
#include "src/util.h"
#include "tap.h"

static char errbuf[4096];
static char *dir;

static int load_with(const char *name, const char *text)
{
	char *cmd = xasprintf("rm -rf '%s' && mkdir -p '%s' && cp config/arches/*.arch '%s'/", dir, dir, dir);
	if (system(cmd) != 0)
		BUG("cannot copy the arch table");
	free(cmd);
	if (name) {
		char *path = xasprintf("%s/%s", dir, name);
		file_write_atomic(path, text, strlen(text));
		free(path);
	}
	struct capture c = capture_begin();
	int ret = arch_load(dir);
	capture_end(&c, errbuf, sizeof errbuf);
	return ret;
}

static const char sh4[] =
	"# sh4: SuperH, little-endian.\n"
	"name           = sh4\n"
	"aliases        = superh sh\n"
	"triplet        = sh4-linux-musl\n"
	"kernel-arch    = sh\n"
	"gcc-config     = --with-cpu=sh4 --with-endian=little\n"
	"qemu           = sh4\n"
	"no-boot        = no Debian kernel for sh4\n"
	"debian         = sh4\n";

/* Every target of the Makefile's .PHONY line (but the arches), and the
 * driver it builds, is refused as an alias: make TARGET would not build it. */
static void test_make_targets(void)
{
	struct strbuf mk = STRBUF_INIT, phony = STRBUF_INIT;
	file_read("Makefile", &mk);
	const char *l = strstr(mk.data, "\n.PHONY:");
	for (l = l ? l + 8 : ""; *l; l++) {
		if (*l == '\\' && l[1] == '\n')
			l++;
		else if (*l == '\n')
			break;
		else
			strbuf_addc(&phony, *l == '\t' ? ' ' : *l);
	}
	strbuf_adds(&phony, " bootstrap");
	size_t n = 0, refused = 0;
	for (const char *w = phony.data; *(w += strspn(w, " "));) {
		size_t len = strcspn(w, " ");
		char *word = xstrndup(w, len);
		w += len;
		if (word[0] == '$') {
			free(word);
			continue;
		}
		char *text = xasprintf("name = p\naliases = %s\ntriplet = p-linux-musl\nkernel-arch = p\n"
				       "qemu = p\ndebian = p\n", word);
		n++;
		if (load_with("p.arch", text) == -1 && strstr(errbuf, "is a target of the Makefile"))
			refused++;
		else
			printf("# alias '%s' is not refused: %s\n", word, errbuf);
		free(text);
		free(word);
	}
	ok(n >= 18, "the Makefile's .PHONY line names its targets (%zu)", n);
	is_int(refused, n, "each of them is refused as an alias");
	strbuf_release(&mk);
	strbuf_release(&phony);
}

int main(void)
{
	char tmpl[] = "/tmp/test_arch.XXXXXX";
	dir = xasprintf("%s/arches", mkdtemp(tmpl));
	is_int(arch_load("config/arches"), 0, "the shipped table loads");
	const struct arch *a = arch_find("x86");
	ok(a && !strcmp(a->name, "i686"), "an alias finds its arch");
	is_str(a ? a->triplet : "", "i686-linux-musl", "with its triplet");
	is_str(a ? arch_value(a, "gcc-config") : "", "--with-arch=i686", "and any value of its file");
	ok(arch_find("sparc64") == NULL, "an unknown name finds nothing");
	is_str(arch_valid_names(),
	       "aarch64 (arm64), armv7 (armhf, arm), i686 (i386, x86), loongarch64 (loong64, la64), "
	       "mips64el (mips64le), ppc64le (ppc64el, powerpc64le), riscv64 (rv64), s390x, x86_64 (amd64)",
	       "the valid names, for messages");
	a = arch_find("loong64");
	is_str(a ? arch_value(a, "kernel-args") : "", "initcall_blacklist=i8042_init",
	       "an arch may add to the boot's kernel command line");

	is_int(load_with("sh4.arch", sh4), 0, "adding an arch is adding a file");
	a = arch_find("superh");
	is_str(a ? a->name : "", "sh4", "found by its alias");
	is_str(a ? arch_value(a, "gcc-config") : "", "--with-cpu=sh4 --with-endian=little", "values may have spaces");
	is_str(a ? arch_value(a, "no-boot") : "", "no Debian kernel for sh4", "an arch may say why it cannot be booted");
	ok(strstr(arch_valid_names(), "sh4 (superh, sh)") != NULL, "and it is among the valid names");

	const struct { const char *file, *text, *want; } bad[] = {
		{ "p.arch", "name = p\nfoo = 1\n", "p.arch:2: unknown key 'foo' (keys: name aliases triplet" },
		{ "p.arch", "name = p\nname = q\n", "p.arch:2: duplicate key 'name'" },
		{ "p.arch", "name = p\n  triplet = x\n", "p.arch:2: expected 'key = value' at the start of the line" },
		{ "p.arch", "name = p\ntriplet\n", "p.arch:2: expected 'key = value'" },
		{ "p.arch", "name = p\ntriplet = p-linux-musl\nkernel-arch = p\nqemu = p\n", "p.arch: 'debian' must be given, one word" },
		{ "q.arch", "name = p\ntriplet = p-linux-musl\nkernel-arch = p\nqemu = p\ndebian = p\n", "q.arch: name 'p' does not match the file name" },
		{ "p.arch", "name = p\naliases = amd64\ntriplet = p-linux-musl\nkernel-arch = p\nqemu = p\ndebian = p\n",
		  "x86_64.arch:3: the name 'amd64' is also used by" },
		{ "...arch", "name = ..\ntriplet = p-linux-musl\nkernel-arch = p\nqemu = p\ndebian = p\n",
		  "...arch:1: name '..' is not a plain name (it is . or ..); use letters, digits" },
		{ "p.arch", "name = p\ntriplet = ../../escape\nkernel-arch = p\nqemu = p\ndebian = p\n",
		  "p.arch:2: triplet '../../escape' is not a plain name (it contains '/')" },
		{ "p.arch", "name = p\ntriplet = p-linux-musl\nkernel-arch = p\nqemu = p$(x)\ndebian = p\n",
		  "p.arch:4: qemu 'p$(x)' is not a plain name (it has a character other than" },
		{ "p.arch", "name = p\ntriplet = -p\nkernel-arch = p\nqemu = p\ndebian = p\n",
		  "p.arch:2: triplet '-p' is not a plain name (it does not start with a letter or a digit)" },
		{ "p.arch", "name = p\ntriplet = p-linux-musl\nkernel-arch = p x\nqemu = p\ndebian = p\n",
		  "p.arch:3: kernel-arch 'p x' must be one word" },
		{ "p.arch", "name = p\naliases = q clean\ntriplet = p-linux-musl\nkernel-arch = p\nqemu = p\ndebian = p\n",
		  "p.arch:2: alias 'clean' cannot name an arch (it is a target of the Makefile)" },
		{ "host.arch", "name = host\ntriplet = p-linux-musl\nkernel-arch = p\nqemu = p\ndebian = p\n",
		  "host.arch:1: name 'host' cannot name an arch (it is a folder name the run-time layout keeps" },
		{ "x86_64-hosted-p.arch", "name = x86_64-hosted-p\ntriplet = p-linux-musl\nkernel-arch = p\nqemu = p\ndebian = p\n",
		  "name 'x86_64-hosted-p' cannot name an arch (it is a hosted toolchain's name" },
		{ "p.arch", "name = p\naliases = q q\ntriplet = p-linux-musl\nkernel-arch = p\nqemu = p\ndebian = p\n",
		  "p.arch:2: 'q' is given twice (as the name or an alias)" },
		{ "p.arch", "# p\nname = p\naliases = p\ntriplet = p-linux-musl\nkernel-arch = p\nqemu = p\ndebian = p\n",
		  "p.arch:3: 'p' is given twice (as the name or an alias)" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		is_int(load_with(bad[i].file, bad[i].text), -1, "refused: %s", bad[i].want);
		ok(strstr(errbuf, bad[i].want) != NULL, "the message names file:line: %s", bad[i].want);
		if (!strstr(errbuf, bad[i].want))
			printf("# got: %s\n", errbuf);
	}
	test_make_targets();
	char *cmd = xasprintf("rm -rf '%s'", dir);
	ok(system(cmd) == 0, "clean up");
	free(cmd);
	free(dir);
	return tap_done();
}
