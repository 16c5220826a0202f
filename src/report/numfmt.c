/* Number and date formatting for reports (see numfmt.h). Room: report.
 * Grouping is done on the digits printed by snprintf, so rounding is the C
 * library's (round half to even on the binary value), the same everywhere. */
#include "report/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *numfmt_number(double v, int decimals, bool german, char *buf, size_t n)
{
	if (!n)
		return buf;
	if (!isfinite(v)) {
		snprintf(buf, n, "–");
		return buf;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	char raw[512];
	int len = snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	if (len < 0 || (size_t)len >= sizeof(raw)) {
		snprintf(buf, n, "%.3g", v);
		return buf;
	}
	/* "-0" and "-0,0" read as a sign without a value */
	bool neg = raw[0] == '-';
	const char *digits = raw + neg;
	if (neg && strspn(digits, "0.") == strlen(digits))
		neg = false;
	const char *dot = strchr(digits, '.');
	size_t int_len = dot ? (size_t)(dot - digits) : strlen(digits);
	char out[768];
	size_t o = 0;
	if (neg)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "−");
	for (size_t i = 0; i < int_len; i++) {
		if (i && (int_len - i) % 3 == 0)
			out[o++] = german ? '.' : ',';
		out[o++] = digits[i];
	}
	if (dot) {
		out[o++] = german ? ',' : '.';
		size_t fl = strlen(dot + 1);
		memcpy(out + o, dot + 1, fl);
		o += fl;
	}
	out[o] = '\0';
	snprintf(buf, n, "%s", out);
	return buf;
}

char *numfmt_percent(double fraction, int decimals, bool german, char *buf, size_t n)
{
	if (!isfinite(fraction))
		return numfmt_number(fraction, decimals, german, buf, n);
	char num[600];
	numfmt_number(fraction * 100.0, decimals, german, num, sizeof(num));
	/* German typography puts a (narrow) space before the percent sign (DIN 5008) */
	snprintf(buf, n, german ? "%s\u202f%%" : "%s%%", num);
	return buf;
}

char *numfmt_date(int64_t y, unsigned m, unsigned d, bool german, char *buf, size_t n)
{
	if (german)
		snprintf(buf, n, "%02u.%02u.%04lld", d, m, (long long)y);
	else
		snprintf(buf, n, "%04lld-%02u-%02u", (long long)y, m, d);
	return buf;
}

char *numfmt_exact(double v, char *buf, size_t n)
{
	if (!isfinite(v)) {
		if (n)
			buf[0] = '\0';
		return buf;
	}
	for (int p = 15; p <= 17; p++) {
		snprintf(buf, n, "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}
