# Leitstand: `make run` sets up and serves the demo; `make test` runs every test.
# Both install what is missing from Debian's packages first (scripts/install-deps.sh).

BUILD      ?= build
TEST_BUILD ?= build-asan
DB         ?= var/leitstand.db
LISTEN     ?= 127.0.0.1:8080

.PHONY: all deps build run test check bench clean

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release -Db_ndebug=if-release

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

run: build
	@./scripts/run.sh $(BUILD)/leitstand $(DB) $(LISTEN)

$(TEST_BUILD)/build.ninja:
	meson setup $(TEST_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

check:
	@./scripts/check-includes.sh

test: build $(TEST_BUILD)/build.ninja check
	ninja -C $(TEST_BUILD)
	@meson test -C $(TEST_BUILD) --print-errorlogs --num-processes 2 >$(TEST_BUILD)/test-output.txt 2>&1; \
	  status=$$?; tail -n 40 $(TEST_BUILD)/test-output.txt; \
	  ./scripts/test-summary.py $(TEST_BUILD)

bench: build
	@WITH_BENCH=1 ./scripts/install-deps.sh
	@./bench/run.sh $(BUILD)/leitstand

clean:
	rm -rf $(BUILD) $(TEST_BUILD)
