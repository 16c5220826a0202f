/* leitstand person show|export|erase: data-subject requests on the command line.
 * Room: cli. A person is named by email; without --client every client's record
 * of that address is meant (an export holds them all, an erasure erases them all). */
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "service/dsr.h"
#include "service/persons.h"
#include "store/keyring.h"

static const char help[] =
        "Usage: leitstand person show   --db PATH --email ADDRESS [--client CODE]\n"
        "       leitstand person export --db PATH --email ADDRESS [--client CODE] [--request N] -o FILE.zip\n"
        "       leitstand person erase  --db PATH --email ADDRESS [--client CODE] [--request N]\n\n"
        "Data-subject requests (GDPR Art. 15, 17, 20; docs/privacy.md).\n"
        "  show     the person records with this email and their tickets\n"
        "  export   everything stored about the person as a ZIP: person.json, tickets.json with replies,\n"
        "           notes and history, tickets.csv, messages.csv, access_log.csv/json (who read their\n"
        "           data, from the audit log), consents.csv/json, README.txt\n"
        "  erase    replace the person's name, email, phone and company by its pseudonym in the person\n"
        "           record and in every ticket, reply, note and history value; tickets, times and\n"
        "           outcomes stay, so every KPI is unchanged. Cannot be undone.\n\n"
        "  --db PATH        database file (default $LEITSTAND_DB, then var/leitstand.db)\n"
        "  --email ADDRESS  the person's email address (any case)\n"
        "  --client CODE    only this client's record of the person\n"
        "  -o, --output F   the ZIP file to write (export)\n"
        "  --request N      export, erase: close data-subject request N of the register as done\n"
        "  --key-file F     master key file (default $LEITSTAND_KEY_FILE, then DB.key)\n"
        "  --help           show this help\n";

static int write_file(const char *path, const char *data, size_t n)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, data + off, n - off);
		if (w < 0) {
			int r = -errno;
			close(fd);
			unlink(tmp);
			return r;
		}
		off += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		int r = -errno;
		unlink(tmp);
		return r;
	}
	return 0;
}

int cmd_person(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"db", required_argument, NULL, 'd'},       {"email", required_argument, NULL, 'e'},
	        {"client", required_argument, NULL, 'c'},   {"output", required_argument, NULL, 'o'},
	        {"key-file", required_argument, NULL, 'k'}, {"request", required_argument, NULL, 'r'},
	        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
	};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc < 2)
		return cli_usage("person", "missing subcommand: show, export or erase");
	const char *sub = argv[1];
	if (strcmp(sub, "show") != 0 && strcmp(sub, "export") != 0 && strcmp(sub, "erase") != 0)
		return cli_usage("person", "unknown subcommand '%s': use show, export or erase", sub);
	const char *db = NULL, *email = NULL, *client = NULL, *out = NULL;
	int64_t request = 0;
	int c, r;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'e': email = optarg; break;
		case 'c': client = optarg; break;
		case 'o': out = optarg; break;
		case 'k': keyring_set_key_file(optarg); break;
		case 'r':
			if (parse_i64(optarg, 1, INT64_MAX, &request) < 0)
				return cli_usage("person", "--request must be a request number");
			break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage("person", "unknown or incomplete option '%s'", argv[optind]);
		}
	}
	if (optind < argc - 1)
		return cli_usage("person", "unexpected argument '%s'", argv[optind + 1]);
	if (!email || !*email)
		return cli_usage("person", "--email is required");
	if (strcmp(sub, "export") == 0 && !out)
		return cli_usage("person", "export needs -o FILE.zip");
	struct cli_ctx ctx;
	if ((r = cli_ctx_open(&ctx, "person", cli_db_path(db), 0)))
		return r;
	struct person *v;
	size_t n;
	if (persons_find(&ctx.svc, client, email, &v, &n) < 0) {
		r = cli_fail("person", &ctx.err);
		goto done;
	}
	if (n == 0) {
		r = cli_failf("person", "no person with this email%s%s", client ? " in client " : "",
		              client ? client : "");
		goto done;
	}
	if (strcmp(sub, "show") == 0) {
		for (size_t i = 0; i < n; i++) {
			const char **nums;
			size_t nn;
			if (persons_ticket_numbers(&ctx.svc, v[i].id, &nums, &nn) < 0) {
				r = cli_fail("person", &ctx.err);
				goto done;
			}
			printf("%s  client %s  id %lld  %s <%s>%s%s  %zu ticket%s\n", v[i].pseudonym, v[i].client_code,
			       (long long)v[i].id, v[i].name ? v[i].name : "-", v[i].email ? v[i].email : "-",
			       v[i].phone ? "  " : "", v[i].phone ? v[i].phone : "", nn, nn == 1 ? "" : "s");
		}
		r = 0;
	} else if (strcmp(sub, "export") == 0) {
		char *zip;
		size_t zn;
		if (persons_export(&ctx.svc, v, n, &zip, &zn) < 0) {
			r = cli_fail("person", &ctx.err);
			goto done;
		}
		int w = write_file(out, zip, zn);
		xfree(zip);
		if (w < 0) {
			r = cli_failf("person", "-o %s: %s", out, strerror(-w));
			goto done;
		}
		printf("exported %zu person record%s to %s (%zu bytes)\n", n, n == 1 ? "" : "s", out, zn);
		r = 0;
	} else {
		r = 0;
		for (size_t i = 0; i < n; i++) {
			struct erase_summary e;
			if (persons_erase(&ctx.svc, v[i].id, &e) < 0) {
				r = cli_fail("person", &ctx.err);
				goto done;
			}
			printf("erased %s in client %s: %lld ticket%s kept, %lld text value%s replaced\n", e.pseudonym,
			       v[i].client_code, (long long)e.tickets, e.tickets == 1 ? "" : "s", (long long)e.replaced,
			       e.replaced == 1 ? "" : "s");
		}
	}
	if (r == 0 && request && strcmp(sub, "show") != 0) {
		if (dsr_complete(&ctx.svc, request, strcmp(sub, "export") == 0 ? "exported" : "erased") < 0)
			r = cli_fail("person", &ctx.err);
		else
			printf("request %lld closed as done\n", (long long)request);
	}
done:
	cli_ctx_close(&ctx);
	return r;
}
