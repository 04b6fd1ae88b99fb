#include "arch.h"

#include <string.h>

static const struct arch arches[] = {
	{ "x86_64", "x86_64-linux-musl", "x86", "x86_64", "amd64", { "amd64" } },
	{ "aarch64", "aarch64-linux-musl", "arm64", "aarch64", "arm64", { "arm64" } },
	{ "i686", "i686-linux-musl", "x86", "i386", "i386", { "i386", "x86" } },
};

const struct arch *arch_at(size_t i)
{
	return i < sizeof arches / sizeof arches[0] ? &arches[i] : NULL;
}

const struct arch *arch_find(const char *name)
{
	const struct arch *a;
	for (size_t i = 0; (a = arch_at(i)); i++) {
		if (!strcmp(a->name, name))
			return a;
		for (size_t j = 0; j < 3 && a->aliases[j]; j++)
			if (!strcmp(a->aliases[j], name))
				return a;
	}
	return NULL;
}

const char *arch_valid_names(void)
{
	return "x86_64 amd64 aarch64 arm64 i686 i386 x86";
}
