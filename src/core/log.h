/* Logging: one logfmt line per event on stderr. Room: core.
 * Only edges (request handlers, CLI commands, main) log; library rooms return
 * errors instead. Thread-safe: each line is written with one write(2). */
#pragma once

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level lvl);
/* Parses "error|warn|info|debug"; returns -EINVAL on anything else. */
int log_level_from_string(const char *s, enum log_level *ret);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
