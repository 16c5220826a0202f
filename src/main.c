/* leitstand: one binary, many commands. Dispatches to src/cli/. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: leitstand COMMAND [OPTIONS]\n\n"
	           "Service management for external service managers: tickets, SLAs, KPIs.\n\nCommands:\n");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\nEvery command takes --help. The database defaults to $LEITSTAND_DB, then var/leitstand.db.\n");
}

int main(int argc, char **argv)
{
	if (store_global_init() < 0) {
		fprintf(stderr, "leitstand: cannot configure SQLite\n");
		return 1;
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("leitstand 0.1.0\n");
		return 0;
	}
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0)
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "leitstand: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
