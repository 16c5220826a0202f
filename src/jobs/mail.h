/* Email for scheduled reports: an RFC 5322 / MIME message with a text body and one
 * attachment, written with strbuf, and its delivery over SMTP with libcurl. Room:
 * jobs.
 *
 * The message is multipart/mixed: a text/plain part (UTF-8, base64) and the
 * attachment (its content type, Content-Disposition: attachment, base64 in lines of
 * 76 characters). Every line ends in CRLF and stays within RFC 5322's 998 characters
 * (each recipient on its own folded line).
 * Headers: Date (RFC 5322, UTC), From, To, Subject (RFC 2047 encoded words when it
 * is not ASCII), Message-ID, MIME-Version, Content-Type.
 *
 * mail_write() and mail_base64() are pure. mail_send() blocks for at most the
 * timeout, may run in several threads (one libcurl handle per call), and never logs:
 * the error text goes to the caller. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"
#include "core/timeutil.h"

#define MAIL_TIMEOUT_MS  60000L
#define MAIL_ERROR_MAX   256
#define MAIL_ADDRESS_MAX 254 /* RFC 5321 path limit */

struct mail_message {
	const char *from;      /* an address, e.g. reports@example.com */
	const char *const *to; /* at least one address */
	size_t n_to;
	const char *subject;         /* UTF-8, one line */
	const char *text;            /* UTF-8 body, lines separated by \n */
	const char *attachment_name; /* file name; characters outside [A-Za-z0-9._-] become _ */
	const char *attachment_type; /* e.g. application/pdf */
	const void *attachment;      /* NULL: no attachment */
	size_t attachment_len;
	ls_time date;           /* the Date header */
	const char *message_id; /* without angle brackets, e.g. "1a2b@example.com" */
	const char *boundary;   /* MIME boundary: 1 to 60 characters of [A-Za-z0-9'()+_,-./:=?] */
};

/* Appends base64 of data (RFC 2045: lines of 76 characters, each ended by CRLF; the
 * last line shorter) to out. Returns 0 or -LS_ETOOLARGE (out is full). */
int mail_base64(const void *data, size_t n, struct strbuf *out);

/* Appends the whole message to out. Returns 0; -EINVAL when a header value holds a
 * CR or LF, an address is empty or longer than MAIL_ADDRESS_MAX, there is no
 * recipient, or the boundary is unusable; -LS_ETOOLARGE when out is full. out may
 * hold a partial message on failure. */
int mail_write(const struct mail_message *m, struct strbuf *out);

struct mail_server {
	const char *url;      /* smtp://host:port or smtps://host:port */
	const char *user;     /* NULL: no authentication */
	const char *password; /* with user */
	long timeout_ms;      /* <= 0: MAIL_TIMEOUT_MS */
};

/* Sends the message data (len bytes, as mail_write() made it) from `from` to every
 * address of to[0..n_to) through the server. smtp:// upgrades with STARTTLS when the
 * server offers it, and insists on it when a user is given (no password in clear);
 * smtps:// is TLS from the start. Returns 0 when the server accepted the message,
 * -EIO otherwise with the reason (the server's reply where there is one) in err. */
int mail_send(const struct mail_server *srv, const char *from, const char *const *to, size_t n_to, const char *data,
              size_t len, char err[MAIL_ERROR_MAX]);
