/* The CBC solver (COIN-OR Branch and Cut, Debian package coinor-libcbc-dev) behind
 * struct shifts_solver. Room: wfm.
 *
 * Each call builds its own CBC model, so calls from different threads do not share
 * state; CBC's log is switched off (it would print to standard output). The time
 * limit is wall-clock time. */
#pragma once
#include "wfm/shifts.h"

/* The CBC solver; static, never NULL. */
const struct shifts_solver *shifts_cbc_solver(void);
/* CBC's version, e.g. "2.10.8". */
const char *shifts_cbc_version(void);
