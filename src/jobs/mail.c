/* Report email: MIME writer and SMTP client (see mail.h). Room: jobs.
 * The writer checks every header value for CR and LF, so no input can add a header
 * or end the header block early. The SMTP side hands libcurl the finished message
 * through a read callback; libcurl does the dot-stuffing of DATA. */
#include "jobs/mail.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/limits.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* base64 of n bytes without line breaks into out. */
static int b64_plain(const unsigned char *p, size_t n, struct strbuf *out)
{
	char q[4];
	for (size_t i = 0; i < n; i += 3) {
		unsigned v =
		        (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
		q[0] = b64[v >> 18 & 63];
		q[1] = b64[v >> 12 & 63];
		q[2] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? b64[v & 63] : '=';
		if (strbuf_add(out, q, 4) < 0)
			return -LS_ETOOLARGE;
	}
	return 0;
}

int mail_base64(const void *data, size_t n, struct strbuf *out)
{
	const unsigned char *p = data;
	for (size_t off = 0; off < n; off += 57) { /* 57 bytes make 76 characters */
		size_t k = n - off < 57 ? n - off : 57;
		if (b64_plain(p + off, k, out) < 0 || strbuf_add(out, "\r\n", 2) < 0)
			return -LS_ETOOLARGE;
	}
	return 0;
}

static bool one_line(const char *s)
{
	return s && !strpbrk(s, "\r\n");
}

static bool address_ok(const char *a)
{
	size_t n = a ? strlen(a) : 0;
	if (n == 0 || n > MAIL_ADDRESS_MAX)
		return false;
	for (const char *p = a; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == 0x7f)
			return false;
	return true;
}

static bool ascii_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* Subject: as is when printable ASCII and short, else RFC 2047 encoded words of at
 * most 39 input bytes each (52 base64 characters), cut at UTF-8 character starts. */
static int add_subject(struct strbuf *out, const char *s)
{
	if (ascii_printable(s) && strlen(s) <= 900)
		return strbuf_addf(out, "Subject: %s\r\n", s);
	strbuf_adds(out, "Subject:");
	size_t n = strlen(s), off = 0;
	while (off < n) {
		size_t k = n - off < 39 ? n - off : 39;
		while (off + k < n && k > 0 && ((unsigned char)s[off + k] & 0xC0) == 0x80)
			k--;
		if (k == 0)
			k = n - off < 39 ? n - off : 39;
		strbuf_adds(out, " =?UTF-8?B?");
		b64_plain((const unsigned char *)s + off, k, out);
		strbuf_adds(out, "?=\r\n");
		off += k;
	}
	return 0;
}

static void clean_name(const char *in, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = in ? in : "report"; *p && k + 1 < n; p++)
		out[k++] = ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		            *p == '.' || *p == '_' || *p == '-')
		                   ? *p
		                   : '_';
	out[k] = 0;
}

static bool boundary_ok(const char *b)
{
	size_t n = b ? strlen(b) : 0;
	if (n == 0 || n > 60)
		return false;
	for (const char *p = b; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      strchr("'()+_,-./:=?", *p)))
			return false;
	return true;
}

static void rfc5322_date(ls_time t, char *buf, size_t n)
{
	static const char *const wd[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t sec = t - day * 86400, y;
	unsigned m, d;
	time_civil_from_days(day, &y, &m, &d);
	int64_t w = (day + 3) % 7;
	snprintf(buf, n, "%s, %02u %s %04lld %02d:%02d:%02d +0000", wd[w < 0 ? w + 7 : w], d, mon[m - 1], (long long)y,
	         (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

int mail_write(const struct mail_message *m, struct strbuf *out)
{
	if (!address_ok(m->from) || m->n_to == 0 || !one_line(m->subject) || !one_line(m->message_id) ||
	    !boundary_ok(m->boundary) || (m->attachment && !one_line(m->attachment_type)) ||
	    !ascii_printable(m->message_id))
		return -EINVAL;
	for (size_t i = 0; i < m->n_to; i++)
		if (!address_ok(m->to[i]))
			return -EINVAL;
	char date[64];
	rfc5322_date(m->date, date, sizeof(date));
	strbuf_addf(out, "Date: %s\r\nFrom: %s\r\nTo: ", date, m->from);
	for (size_t i = 0; i < m->n_to; i++)
		strbuf_addf(out, "%s%s", i ? ",\r\n " : "", m->to[i]);
	strbuf_adds(out, "\r\n");
	add_subject(out, m->subject);
	strbuf_addf(out,
	            "Message-ID: <%s>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n"
	            "This is a message in MIME format.\r\n\r\n--%s\r\n"
	            "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
	            m->message_id, m->boundary, m->boundary);
	/* the text with CRLF line ends, then base64 */
	struct strbuf text = STRBUF_INIT;
	for (const char *p = m->text ? m->text : ""; *p; p++) {
		if (*p == '\n' && (p == m->text || p[-1] != '\r'))
			strbuf_addch(&text, '\r');
		strbuf_addch(&text, *p);
	}
	int r = strbuf_ok(&text) ? mail_base64(text.buf, text.len, out) : -LS_ETOOLARGE;
	strbuf_release(&text);
	if (r < 0)
		return r;
	if (m->attachment) {
		char name[128];
		clean_name(m->attachment_name, name, sizeof(name));
		strbuf_addf(out,
		            "\r\n--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; "
		            "filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		            m->boundary, m->attachment_type, name, name);
		if ((r = mail_base64(m->attachment, m->attachment_len, out)) < 0)
			return r;
	}
	strbuf_addf(out, "\r\n--%s--\r\n", m->boundary);
	return strbuf_ok(out) ? 0 : -LS_ETOOLARGE;
}

/* ---- SMTP ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_setup(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct reader {
	const char *data;
	size_t len, off;
};

static size_t on_read(char *buf, size_t size, size_t nitems, void *ctx)
{
	struct reader *rd = ctx;
	size_t room = size * nitems, k = rd->len - rd->off;
	if (k > room)
		k = room;
	memcpy(buf, rd->data + rd->off, k);
	rd->off += k;
	return k;
}

static int fail(char err[MAIL_ERROR_MAX], const char *what)
{
	snprintf(err, MAIL_ERROR_MAX, "%s", what);
	for (char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	return -EIO;
}

int mail_send(const struct mail_server *srv, const char *from, const char *const *to, size_t n_to, const char *data,
              size_t len, char err[MAIL_ERROR_MAX])
{
	err[0] = 0;
	bool smtps = srv->url && strncmp(srv->url, "smtps://", 8) == 0;
	if (!srv->url || (!smtps && strncmp(srv->url, "smtp://", 7) != 0))
		return fail(err, "the SMTP URL must start with smtp:// or smtps://");
	pthread_once(&curl_once, curl_setup);
	if (curl_init_rc != CURLE_OK)
		return fail(err, curl_easy_strerror(curl_init_rc));
	CURL *h = curl_easy_init();
	if (!h)
		return fail(err, "libcurl: no handle");
	struct curl_slist *rcpt = NULL;
	char from_path[MAIL_ADDRESS_MAX + 3];
	snprintf(from_path, sizeof(from_path), "<%s>", from);
	for (size_t i = 0; i < n_to; i++) {
		char path[MAIL_ADDRESS_MAX + 3];
		snprintf(path, sizeof(path), "<%s>", to[i]);
		struct curl_slist *n = curl_slist_append(rcpt, path);
		if (!n) {
			curl_slist_free_all(rcpt);
			curl_easy_cleanup(h);
			return fail(err, "libcurl: out of memory");
		}
		rcpt = n;
	}
	struct reader rd = {.data = data, .len = len};
	char errbuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, srv->url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from_path);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &rd);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, srv->timeout_ms > 0 ? srv->timeout_ms : MAIL_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	if (!smtps)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)(srv->user ? CURLUSESSL_ALL : CURLUSESSL_TRY));
	if (srv->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, srv->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, srv->password ? srv->password : "");
	}
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	CURLcode rc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	curl_slist_free_all(rcpt);
	if (rc != CURLE_OK) {
		char msg[MAIL_ERROR_MAX];
		snprintf(msg, sizeof(msg), "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		if (code)
			snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), " (SMTP %ld)", code);
		return fail(err, msg);
	}
	return 0;
}
