/* The libFuzzer entry points, declared once for the targets and for replay.c.
 *
 * Each fuzz_<name>.c defines LLVMFuzzerTestOneInput (and optionally
 * LLVMFuzzerInitialize). Built by scripts/fuzz.sh with clang
 * -fsanitize=fuzzer,address,undefined it is a libFuzzer binary; built by Meson
 * with replay.c it is a test that feeds corpus/fuzz_<name>/ through the same
 * function under the suite's sanitizers. A property violation calls
 * fuzz_fail(), which prints the input and aborts: libFuzzer then saves the
 * input as a crash file. */
#pragma once
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Reports a violated property for the given input and aborts. */
void fuzz_fail(const uint8_t *data, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4), noreturn));
/* The input as a NUL-terminated string (malloc'ed; caller frees). Bytes after
 * an embedded NUL are kept but invisible to C string functions. */
char *fuzz_cstring(const uint8_t *data, size_t size);
