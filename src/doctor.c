#include "doctor.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "plan.h"
#include "recipe.h"
#include "strbuf.h"
#include "util.h"
#include "world.h"

struct tool {
	char *command, *package;
	bool always, needed;
};

struct tools {
	struct tool *items;
	size_t n, cap;
};

static struct tool *tool_get(struct tools *t, const char *command)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->items[i].command, command))
			return &t->items[i];
	xgrow(&t->items, &t->cap, t->n + 1, sizeof *t->items);
	t->items[t->n] = (struct tool){ xstrdup(command), xstrdup(command), false, false };
	return &t->items[t->n++];
}

/* Lines: "command package [always]"; # starts a comment. */
static int read_table(const char *path, struct tools *t)
{
	struct strbuf text = STRBUF_INIT;
	if (file_read(path, &text) < 0)
		return -1;
	int line = 0, ret = 0;
	char *save = NULL;
	for (char *l = strtok_r(text.data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		line++;
		char *hash = strchr(l, '#'), cmd[128], pkg[128], flag[32] = "";
		if (hash)
			*hash = '\0';
		int n = sscanf(l, "%127s %127s %31s", cmd, pkg, flag);
		if (n <= 0)
			continue;
		if (n < 2 || (n == 3 && strcmp(flag, "always"))) {
			ret = error("%s: bad line '%s' (expected: command package [always])", path, l);
			break;
		}
		struct tool *tool = tool_get(t, cmd);
		free(tool->package);
		tool->package = xstrdup(pkg);
		tool->always = n == 3;
	}
	strbuf_release(&text);
	return ret;
}

static void report_missing(const struct tools *t, size_t missing)
{
	struct strbuf cmds = STRBUF_INIT, pkgs = STRBUF_INIT;
	for (size_t i = 0; i < t->n; i++) {
		const struct tool *tool = &t->items[i];
		if (!tool->needed || program_on_path(tool->command))
			continue;
		strbuf_addf(&cmds, "%s%s", cmds.len ? ", " : "", tool->command);
		if (!strstr(pkgs.data, tool->package))
			strbuf_addf(&pkgs, " %s", tool->package);
	}
	error("missing host tools (%zu): %s; on Debian: apt-get install%s", missing, cmds.data, pkgs.data);
	strbuf_release(&cmds);
	strbuf_release(&pkgs);
}

int doctor_check(const struct world *w, const struct plan *plan)
{
	struct tools t = { 0 };
	char *table = project_path(w, "config/host-tools");
	int ret = read_table(table, &t);
	free(table);
	for (size_t i = 0; i < t.n; i++)
		t.items[i].needed = t.items[i].always;
	for (size_t i = 0; ret == 0 && i < plan->n; i++) {
		const struct strlist *tools = &plan->items[i].recipe->tools;
		for (size_t j = 0; j < tools->n; j++)
			tool_get(&t, tools->items[j])->needed = true;
	}
	size_t missing = 0;
	for (size_t i = 0; ret == 0 && i < t.n; i++)
		missing += t.items[i].needed && !program_on_path(t.items[i].command);
	if (missing) {
		report_missing(&t, missing);
		ret = -1;
	}
	for (size_t i = 0; i < t.n; i++) {
		free(t.items[i].command);
		free(t.items[i].package);
	}
	free(t.items);
	return ret;
}
