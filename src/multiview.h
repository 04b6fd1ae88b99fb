/* multiview.h: the terminal display of `build ARCH ARCH...`. Each arch's
 * driver writes its output into a pipe instead of the terminal: permanent
 * lines, which are printed as they come (stderr's to stderr), and its live
 * line (buildview.h's relay mode), which is kept. Below the permanent lines
 * one live line per arch is redrawn, cut to the terminal's width, so that
 * three drivers never write over each other. */
#ifndef MULTIVIEW_H
#define MULTIVIEW_H

#include <stddef.h>
#include <sys/types.h>

struct multiview_child {
	pid_t pid;
	int out, err; /* read ends of the child's stdout and stderr */
};

/* Relays until every child has closed both pipes. A signal the parent
 * catches meanwhile (signals.h) goes on to every child once. */
void multiview_relay(struct multiview_child *kids, size_t n);

#endif
