/* ZIP writer (see zip.h). Room: core. */
#include "core/zip.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "core/alloc.h"

void zip_init(struct zip *z, size_t max_bytes)
{
	memset(z, 0, sizeof(*z));
	strbuf_init(&z->out, max_bytes);
	strbuf_init(&z->central, max_bytes);
}

void zip_release(struct zip *z)
{
	strbuf_release(&z->out);
	strbuf_release(&z->central);
}

static void le16(struct strbuf *sb, unsigned v)
{
	unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
	strbuf_add(sb, b, 2);
}

static void le32(struct strbuf *sb, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 24)};
	strbuf_add(sb, b, 4);
}

/* MS-DOS date and time of a UTC instant (1980 … 2107). */
static void dos_time(ls_time t, unsigned *ret_date, unsigned *ret_time)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	if (tm.tm_year < 80) {
		*ret_date = (1u << 5) | 1u; /* 1980-01-01 */
		*ret_time = 0;
		return;
	}
	*ret_date = (unsigned)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
	*ret_time = (unsigned)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
}

int zip_add(struct zip *z, const char *name, const void *data, size_t n, ls_time mtime)
{
	if (z->failed)
		return z->failed;
	size_t name_len = strlen(name);
	if (z->n >= 65535 || name_len > 65535 || n > UINT32_MAX - 1024 || z->out.len > UINT32_MAX - n - 1024)
		return z->failed = -EFBIG;
	uLong crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, data, (uInt)n);
	uLongf clen = compressBound((uLong)n);
	unsigned char *comp = xmalloc(clen + 1);
	z_stream zs = {0};
	int method = 8;
	/* raw deflate (no zlib header), as ZIP wants it */
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		xfree(comp);
		return z->failed = -ENOMEM;
	}
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)n;
	zs.next_out = comp;
	zs.avail_out = (uInt)clen;
	int zr = deflate(&zs, Z_FINISH);
	size_t csize = zs.total_out;
	deflateEnd(&zs);
	const void *payload = comp;
	if (zr != Z_STREAM_END || csize >= n) {
		method = 0; /* stored: deflate did not help */
		payload = data;
		csize = n;
	}
	unsigned ddate, dtime;
	dos_time(mtime, &ddate, &dtime);
	uint32_t offset = (uint32_t)z->out.len;
	struct strbuf *o = &z->out;
	le32(o, 0x04034b50);
	le16(o, 20);       /* version needed: 2.0 */
	le16(o, 1u << 11); /* UTF-8 names */
	le16(o, (unsigned)method);
	le16(o, dtime);
	le16(o, ddate);
	le32(o, (uint32_t)crc);
	le32(o, (uint32_t)csize);
	le32(o, (uint32_t)n);
	le16(o, (unsigned)name_len);
	le16(o, 0);
	strbuf_add(o, name, name_len);
	strbuf_add(o, payload, csize);
	xfree(comp);

	struct strbuf *c = &z->central;
	le32(c, 0x02014b50);
	le16(c, (3u << 8) | 20); /* made by: UNIX, 2.0 */
	le16(c, 20);
	le16(c, 1u << 11);
	le16(c, (unsigned)method);
	le16(c, dtime);
	le16(c, ddate);
	le32(c, (uint32_t)crc);
	le32(c, (uint32_t)csize);
	le32(c, (uint32_t)n);
	le16(c, (unsigned)name_len);
	le16(c, 0); /* extra */
	le16(c, 0); /* comment */
	le16(c, 0); /* disk */
	le16(c, 0); /* internal attributes */
	le32(c, (uint32_t)0100644 << 16);
	le32(c, offset);
	strbuf_add(c, name, name_len);
	z->n++;
	if (!strbuf_ok(o) || !strbuf_ok(c))
		return z->failed = -EFBIG;
	return 0;
}

int zip_finish(struct zip *z, char **ret, size_t *ret_n)
{
	if (z->failed)
		return z->failed;
	uint32_t cd_offset = (uint32_t)z->out.len;
	uint32_t cd_size = (uint32_t)z->central.len;
	strbuf_add(&z->out, z->central.buf, z->central.len);
	struct strbuf *o = &z->out;
	le32(o, 0x06054b50);
	le16(o, 0);
	le16(o, 0);
	le16(o, z->n);
	le16(o, z->n);
	le32(o, cd_size);
	le32(o, cd_offset);
	le16(o, 0);
	if (!strbuf_ok(o))
		return -EFBIG;
	*ret = strbuf_detach(o, ret_n);
	return 0;
}
