/* qsort-shift.c: qsort (smoothsort) on more than L(33) elements.
 *
 * CVE-2026-40200: smoothsort keeps the orders of its Leonardo heaps in a
 * two-word bitmap. In musl 1.2.5, when the next heap was exactly one word
 * width away (bitmap {1, odd}), pntz() returned 0 instead of the width (and
 * called ntz(0)), and the shift helpers then shifted a word by its width.
 * With the bitmap stuck, trinkle() walks down the array and overruns its
 * on-stack array of pointers. The first state like that comes with an order
 * 33 heap followed by an order 1 heap, so N = L(33) + 1 = 11405774 elements
 * reach it on 32-bit targets (64-bit ones would need more than L(65), which
 * is out of reach; there this is a plain sort check).
 *
 * The input: N bytes all 1 but the last, 0. Its trinkle() from the last
 * element runs into the stuck bitmap at once (on i686 the unfixed qsort
 * dies of SIGSEGV). The sort runs in a child process so that a crash is
 * reported; the result must be sorted, the bytes around the array
 * untouched, and the comparisons stay under 4 N log2 N (an endless walk
 * exceeds it). A stuck bitmap can also leave the last phase spinning
 * without comparing (an unfixed i686 qsort of 11.5 million random words
 * was still running after 11 minutes), hence a 10-minute alarm as backstop.
 *
 * Prints one "ok"/"not ok" line; exits 1 on failure.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define N 11405774UL	/* L(33) + 1: L(0) = L(1) = 1, L(k) = L(k-1) + L(k-2) + 1 */
#define GUARD 4096

static unsigned long compares, limit;

static int cmp(const void *a, const void *b)
{
	if (++compares > limit) {
		printf("not ok - qsort of %lu elements: more than %lu comparisons, "
			"it is looping\n", N, limit);
		fflush(stdout);
		_exit(1);
	}
	return *(const unsigned char *)a - *(const unsigned char *)b;
}

static int child(void)
{
	unsigned char *mem = malloc(N + 2 * GUARD), *a = mem + GUARD;
	unsigned long i, lg = 0;

	if (!mem) {
		printf("not ok - qsort of %lu elements: no memory\n", N);
		return 1;
	}
	while (1UL << lg < N) lg++;
	limit = 4 * N * lg;
	memset(mem, 0xa5, GUARD);
	memset(a + N, 0xa5, GUARD);
	memset(a, 1, N - 1);
	a[N - 1] = 0;
	qsort(a, N, 1, cmp);
	for (i = 0; i < GUARD; i++)
		if (mem[i] != 0xa5 || a[N + i] != 0xa5) {
			printf("not ok - qsort of %lu elements wrote outside the "
				"array\n", N);
			return 1;
		}
	for (i = 0; i < N; i++)
		if (a[i] != (i > 0)) {
			printf("not ok - qsort of %lu elements: not sorted at "
				"index %lu\n", N, i);
			return 1;
		}
	printf("ok - qsort of %lu elements (%zu-bit size_t) sorts, %lu "
		"comparisons\n", N, 8 * sizeof(size_t), compares);
	return 0;
}

int main(void)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		/* the unfixed qsort crashes: no core file for that */
		setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });
		/* or, with other inputs, spins without comparing: a backstop
		 * far above the second or so this sort takes under qemu */
		alarm(600);
		_exit(child());
	}
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
		printf("not ok - qsort of %lu elements: still running after 10 "
			"minutes, looping\n", N);
		return 1;
	}
	if (WIFSIGNALED(status)) {
		printf("not ok - qsort of %lu elements: killed by signal %d (%s)\n",
			N, WTERMSIG(status), strsignal(WTERMSIG(status)));
		return 1;
	}
	return WEXITSTATUS(status) != 0;
}
