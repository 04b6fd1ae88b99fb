/* Expected build times: measured times kept, recipe costs scaled by what
 * this run measured, and packages built side by side counted as such. */
#include "src/estimate.h"
#include "tap.h"

static int near(double got, double want)
{
	return got > want - 0.001 && got < want + 0.001;
}

int main(void)
{
	struct estimate e;
	estimate_init(&e, 4);
	estimate_set(&e, 0, 0, 100);  /* never built: cost 100 */
	estimate_set(&e, 1, 0, 100);
	estimate_set(&e, 2, 0, 640);
	estimate_set(&e, 3, 42.5, 9); /* built before: 42.5 s */
	ok(near(estimate_expected(&e, 2), 640), "before anything is built, a cost reads as seconds");
	ok(near(estimate_expected(&e, 3), 42.5), "a measured time is kept");

	/* 0 and 1 built one after the other, 300 s each: 3 s per unit of cost. */
	estimate_started(&e, 1000);
	estimate_built(&e, 0, 300, 1300);
	ok(near(estimate_expected(&e, 2), 1920), "a cost is scaled by this run's times (got %.1f)",
	   estimate_expected(&e, 2));
	ok(near(estimate_expected(&e, 3), 42.5), "a measured time is not scaled");
	estimate_built(&e, 1, 300, 1600);
	ok(near(estimate_expected(&e, 2), 1920), "the scale is over every package built by cost");
	estimate_free(&e);

	/* 0 and 1 built side by side, 600 s each in 600 s of wall: each would
	 * have taken 300 s alone, so again 3 s per unit. */
	estimate_init(&e, 3);
	estimate_set(&e, 0, 0, 100);
	estimate_set(&e, 1, 0, 100);
	estimate_set(&e, 2, 0, 640);
	estimate_started(&e, 1000);
	estimate_started(&e, 1000);
	estimate_built(&e, 0, 600, 1600);
	estimate_built(&e, 1, 600, 1600);
	ok(near(estimate_expected(&e, 2), 1920),
	   "packages built side by side count as taking half as long (got %.1f)",
	   estimate_expected(&e, 2));
	estimate_free(&e);

	/* A measured package built in this run counts for the overlap but not
	 * for the scale. */
	estimate_init(&e, 3);
	estimate_set(&e, 0, 0, 100);
	estimate_set(&e, 1, 500, 9);
	estimate_set(&e, 2, 0, 640);
	estimate_started(&e, 1000);
	estimate_built(&e, 0, 600, 1600);
	estimate_built(&e, 1, 600, 1600);
	ok(near(estimate_expected(&e, 2), 1920), "a measured package only tells the overlap (got %.1f)",
	   estimate_expected(&e, 2));
	estimate_free(&e);

	return tap_done();
}
