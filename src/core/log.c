/* logfmt logging to stderr (see log.h). Room: core. */
#include "core/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/timeutil.h"

static enum log_level max_level = LOG_INFO;
static const char *const names[] = {"error", "warn", "info", "debug"};

void log_set_level(enum log_level lvl)
{
	max_level = lvl;
}

int log_level_from_string(const char *s, enum log_level *ret)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*ret = (enum log_level)i;
			return 0;
		}
	return -EINVAL;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	if (lvl > max_level)
		return;
	char line[2048], ts[32];
	time_format_rfc3339(time_now(), ts, sizeof(ts));
	int n = snprintf(line, sizeof(line), "time=%s level=%s msg=\"", ts, names[lvl]);
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(line))
		n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 3)
		n = (int)sizeof(line) - 3;
	line[n++] = '"';
	line[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, (size_t)n);
	(void)w;
}
