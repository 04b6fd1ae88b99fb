#include "arch_check.h"

#include <ctype.h>
#include <string.h>

#include "recipe_check.h"
#include "util.h"

/* The Makefile's own targets: its .PHONY line (but the arches) and the
 * driver it builds. An arch named so could not be built by name; test_arch
 * checks this list against the Makefile. */
static const char *const make_targets[] = {
	"all-arches", "e2e", "help", "crosstool", "download", "check", "deps", "test-deps",
	"clean", "distclean", "fuzz", "unit", "integration", "doctor", "status", "run", "list",
	"bootstrap",
};

/* Folders the run-time layout names beside the arches' own. */
static const char *const layout_names[] = { "host", "cache", "src" };

const char *arch_check_plain(const char *v)
{
	const char *why = recipe_check_component(v);
	if (why)
		return why;
	if (!isalnum((unsigned char)*v))
		return "it does not start with a letter or a digit";
	for (const char *c = v; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("._-", *c))
			return "it has a character other than letters, digits, '.', '_' and '-'";
	return NULL;
}

const char *arch_check_reserved(const char *v, bool is_name)
{
	if (str_listed(make_targets, sizeof make_targets / sizeof make_targets[0], v))
		return "it is a target of the Makefile";
	if (!is_name)
		return NULL;
	if (str_listed(layout_names, sizeof layout_names / sizeof layout_names[0], v) ||
	    !strncmp(v, "host-", 5))
		return "it is a folder name the run-time layout keeps (work/host, work/host-HOST, "
		       "work/cache, work/src)";
	if (strstr(v, "-hosted-"))
		return "it is a hosted toolchain's name (HOST-hosted-TARGET)";
	return NULL;
}
