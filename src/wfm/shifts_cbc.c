/* CBC behind struct shifts_solver (see shifts_cbc.h). Room: wfm.
 *
 * The programme goes in with Cbc_loadProblem (column form, as struct shifts_ilp
 * holds it), every column integer, the greedy plan as MIP start. An incumbent is
 * whatever Cbc_bestSolution() returns; no incumbent after the time limit is -ETIME.
 * CBC's allocations stay inside the model, which is deleted before returning. */
#include "wfm/shifts_cbc.h"

#include <coin/Cbc_C_Interface.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>

#include "core/alloc.h"

static int cbc_solve(const struct shifts_solver *s, const struct shifts_ilp *ilp, const double *start,
                     double time_limit, double *x, struct shifts_solution *ret)
{
	(void)s;
	if (ilp->n_cols > INT32_MAX || ilp->n_rows > INT32_MAX || ilp->col_start[ilp->n_cols] > INT32_MAX)
		return -E2BIG;
	int nc = (int)ilp->n_cols, nr = (int)ilp->n_rows;
	CoinBigIndex *cs = xcalloc(ilp->n_cols + 1, sizeof(*cs));
	int *ri = xcalloc(ilp->col_start[ilp->n_cols] + 1, sizeof(*ri));
	double *lo = xcalloc(ilp->n_rows + 1, sizeof(*lo));
	double *hi = xcalloc(ilp->n_rows + 1, sizeof(*hi));
	double *zero = xcalloc(ilp->n_cols + 1, sizeof(*zero));
	int *idx = xcalloc(ilp->n_cols + 1, sizeof(*idx));
	for (size_t j = 0; j <= ilp->n_cols; j++)
		cs[j] = (CoinBigIndex)ilp->col_start[j];
	for (size_t q = 0; q < ilp->col_start[ilp->n_cols]; q++)
		ri[q] = ilp->row[q];
	for (size_t r = 0; r < ilp->n_rows; r++) {
		lo[r] = ilp->sense[r] == 'G' ? ilp->rhs[r] : -DBL_MAX;
		hi[r] = ilp->sense[r] == 'G' ? DBL_MAX : ilp->rhs[r];
	}
	for (int j = 0; j < nc; j++)
		idx[j] = j;

	Cbc_Model *m = Cbc_newModel();
	Cbc_loadProblem(m, nc, nr, cs, ri, ilp->value, zero, ilp->col_ub, ilp->obj, lo, hi);
	for (int j = 0; j < nc; j++)
		Cbc_setInteger(m, j);
	Cbc_setObjSense(m, 1.0);
	Cbc_setLogLevel(m, 0);
	Cbc_setParameter(m, "timeMode", "elapsed");
	Cbc_setMaximumSeconds(m, time_limit);
	Cbc_setMIPStartI(m, nc, idx, start);
	Cbc_solve(m);

	int r = 0;
	const double *best = Cbc_bestSolution(m);
	if (!best) {
		r = Cbc_isSecondsLimitReached(m) ? -ETIME : -EIO;
	} else {
		for (int j = 0; j < nc; j++)
			x[j] = round(best[j]);
		ret->optimal = Cbc_isProvenOptimal(m) != 0;
		ret->objective = Cbc_getObjValue(m);
		ret->bound = Cbc_getBestPossibleObjValue(m);
	}
	Cbc_deleteModel(m);
	xfree(cs);
	xfree(ri);
	xfree(lo);
	xfree(hi);
	xfree(zero);
	xfree(idx);
	return r;
}

static const struct shifts_solver cbc = {
        .name = "cbc",
        .solve = cbc_solve,
};

const struct shifts_solver *shifts_cbc_solver(void)
{
	return &cbc;
}

const char *shifts_cbc_version(void)
{
	return Cbc_getVersion();
}
