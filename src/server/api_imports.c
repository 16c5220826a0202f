/* Imports uploaded over HTTP, run as jobs. Room: server.
 * POST /api/v1/imports?client=&source=… takes the file itself as the body (plain or
 * gzip; any content type), answers 202 with the queued job; GET …/{id} shows its
 * state, the rows read so far while it runs, and the summary or error at the end. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/parse.h"
#include "jobs/importer.h"
#include "server/api.h"
#include "server/json.h"
#include "service/imports.h"
#include "sla/duration.h"

static json_t *json_raw(const char *text)
{
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;
	return v ? v : json_null();
}

static json_t *json_import_job(const struct import_job *j)
{
	json_t *o =
	        json_pack("{s:I,s:s,s:s,s:s,s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)j->id, "client",
	                  j->client_code, "source", j->source, "state", j->state, "options", json_raw(j->options),
	                  "bytes", (json_int_t)j->bytes, "created_by", json_str_or_null(j->created_by), "created_at",
	                  json_time(j->created_at), "started_at", json_time(j->started_at), "finished_at",
	                  json_time(j->finished_at), "result", json_raw(j->result), "error", json_raw(j->error));
	struct import_worker *w = import_worker_current();
	size_t rows;
	if (w && strcmp(j->state, "running") == 0 && import_worker_progress(w, j->id, &rows))
		json_object_set_new(o, "rows_read", json_integer((json_int_t)rows));
	else if (j->result)
		json_object_set_new(o, "rows_read", json_incref(json_object_get(json_object_get(o, "result"), "rows")));
	else
		json_object_set_new(o, "rows_read", json_null());
	return o;
}

/* The upload directory's entry for the new file must survive a crash too. */
static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	close(fd);
	return r;
}

int api_imports_submit(struct request *rq)
{
	struct import_job_input in = {
	        .client = request_query(rq, "client"),
	        .source = request_query(rq, "source"),
	        .tz = request_query(rq, "tz"),
	        .mapping = request_query(rq, "mapping"),
	        .events = true,
	        .file = rq->upload_path,
	        .bytes = rq->upload_bytes,
	};
	const char *v;
	int64_t n;
	if ((v = request_query(rq, "max_errors"))) {
		if (parse_i64(v, 0, 1000000000, &n) < 0)
			return reply_errorf(rq, "invalid_parameter", "max_errors", "max_errors must be 0 or more");
		in.max_errors = (size_t)n;
	}
	if ((v = request_query(rq, "events"))) {
		if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
			return reply_errorf(rq, "invalid_parameter", "events", "events must be true or false");
		in.events = v[0] == 't';
	}
	if ((v = request_query(rq, "interval"))) {
		struct lserr de;
		if (duration_parse(v, "interval", &n, &de) < 0 || n < 60 || n > 86400)
			return reply_errorf(rq, "invalid_parameter", "interval",
			                    "interval must be a duration from 1m to 24h, e.g. 15m, 30m or 1h");
		in.interval_seconds = (int)n;
	}
	if (!rq->upload_path || rq->upload_bytes == 0)
		return reply_errorf(rq, "invalid_parameter", NULL,
		                    "the body must be the file to import (plain or gzip)");
	if (sync_dir(server_upload_dir()) < 0)
		return reply_errorf(rq, "internal", NULL, "the upload could not be stored");
	struct import_job j;
	int r = imports_job_submit(&rq->svc, &in, &j);
	if (r < 0)
		return reply_error(rq, r);
	/* the job owns the file now */
	close(rq->upload_fd);
	rq->upload_fd = -1;
	xfree(rq->upload_path);
	rq->upload_path = NULL;
	struct import_worker *w = import_worker_current();
	if (w)
		import_worker_kick(w);
	return reply_json(rq, 202, json_import_job(&j));
}

int api_imports_get(struct request *rq)
{
	int64_t id;
	if (parse_i64(rq->params[0], 1, INT64_MAX, &id) < 0)
		return reply_errorf(rq, "not_found", "id", "import '%.40s' does not exist", rq->params[0]);
	struct import_job j;
	int r = imports_job_get(&rq->svc, id, &j);
	return r < 0 ? reply_error(rq, r) : reply_json(rq, 200, json_import_job(&j));
}

int api_imports_list(struct request *rq)
{
	struct import_job *v;
	size_t n;
	int r = imports_job_list(&rq->svc, request_query(rq, "client"), &v, &n);
	if (r < 0)
		return reply_error(rq, r);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_import_job(&v[i]));
	return reply_json(rq, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}
