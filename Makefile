# SegFault Arena. The README's two commands:
#   make run    set up, build, start the arena on embedded defaults (http://127.0.0.1:8080)
#   make test   set up, then run every test CI runs
SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(PATH)
GO ?= go
BIN := bin/segfault
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# -timeout is a hang-only bound per test binary, not a speed target: the
# execution package takes about 4 min on the 2-core machine alone and ran
# past 20 min at load ~40 (issue 12).
GOTEST_FLAGS ?= -count=1 -timeout 60m

.PHONY: all setup build run test test-go test-conformance vet web test-web e2e e2e-1 e2e-2 verify-problems toolchains bench bench-go clean

all: build

setup:
	@bash scripts/setup.sh

build: setup web
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/segfault

run: build
	./$(BIN) serve

vet:
	$(GO) vet ./...

# Go tests: every package, SQLite and PostgreSQL conformance, sandbox and judge on runc.
# Tests that run the segfault binary use the one just built (SEGFAULT_TEST_BIN).
test-go: build
	@mkdir -p artifacts
	SEGFAULT_TEST_BIN=$(CURDIR)/$(BIN) $(GO) test $(GOTEST_FLAGS) -p 2 ./... 2>&1 | tee artifacts/go-test.log; exit $${PIPESTATUS[0]}

# The one store conformance suite, verbose, so the log shows it passing on
# both SQLite and PostgreSQL (CI fails instead of skipping when PostgreSQL is down).
test-conformance:
	$(GO) test -count=1 -v -run 'TestConformance' ./internal/store/sqlite ./internal/store/postgres 2>&1 \
		| tee artifacts/conformance.log | grep -E '^(ok|FAIL|\s{0,8}--- (PASS|FAIL|SKIP): TestConformance(/(sqlite|postgres)(/[A-Za-z]+)?)? )' ; exit $${PIPESTATUS[0]}

# The SPA is built into internal/web/dist and embedded in the binary. It is
# built again only when a file under web/ is newer than the last build, so
# make test (binary, web tests, e2e) builds it once, not three times.
WEB_STAMP := web/node_modules/.package-lock.json
WEB_BUILT := web/node_modules/.segfault-web-built
$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
web: setup $(WEB_STAMP)
	@if [ -f $(WEB_BUILT) ] && [ -f internal/web/dist/index.html ] && \
		[ -z "$$(find web -path web/node_modules -prune -o -type f -newer $(WEB_BUILT) -print -quit)" ]; then \
		echo "web: build up to date"; \
	else \
		cd web && npm run build && touch ../$(WEB_BUILT); \
	fi
test-web: web
	cd web && npm test
e2e: build
	cd web && SEGFAULT_E2E_BIN=$(CURDIR)/$(BIN) SEGFAULT_E2E_SCREENSHOTS=$(CURDIR)/artifacts/screenshots npm run e2e
# make test runs the e2e files in two halves, each in its own lane.
e2e-1 e2e-2: build
	cd web && SEGFAULT_E2E_BIN=$(CURDIR)/$(BIN) SEGFAULT_E2E_SCREENSHOTS=$(CURDIR)/artifacts/screenshots npm run e2e -- --shard=$(subst e2e-,,$@)/2

verify-problems: build
	@if ls problems/*/problem.yaml >/dev/null 2>&1; then \
		./$(BIN) problem verify --bundled --parallel 2 problems/*/ ; \
	else echo "no bundled problems yet"; fi

# The judge's toolchain cache (/var/cache/segfault: the Go standard library
# compiled for Go submissions) is shared by every worker on the host and
# built by the first one to start. On a fresh machine that takes 1.5-5
# minutes of a loaded 2-core VM; prepared here once, before the test
# packages start workers in parallel, so no test waits for it (or builds it
# several times at once). Running a Go program in runc also proves the
# sandbox works before the suites that need it.
toolchains: build
	@d=$$(mktemp -d) && printf 'package main\n\nfunc main() { println("toolchains ready") }\n' > $$d/ready.go && \
		./$(BIN) run $$d/ready.go </dev/null; rc=$$?; rm -rf $$d; [ $$rc -eq 0 ] || exit $$rc; \
		./$(BIN) languages --wait >/dev/null

# stage runs one make target and appends its wall time and the CPU time of
# its processes (user + system, sandboxed programs and services not
# counted) to artifacts/stage-times.txt: the README's CI time table comes
# from there. On a shared machine the wall time follows the load; the CPU
# time much less. A failed stage is marked and the next ones still run, so
# one CI run shows every failure; make test fails at the end.
stage_sh = exec 3>&1 4>&2; TIMEFORMAT='%R %U %S'; \
	t=$$( { time $(MAKE) --no-print-directory $(1) 1>&3 2>&4; } 2>&1 ); rc=$$?; \
	echo "$$t" | awk -v s=$(1) -v f="$$([ $$rc = 0 ] || echo '  FAILED')" \
		'{ printf "%-18s %5.0f s wall %6.0f s CPU%s\n", s, $$1, $$2 + $$3, f }' | tee -a artifacts/stage-times.txt
stage = @$(stage_sh)
# lanes runs lanes of stages side by side: the first lane in the
# foreground, each other one (stages separated by "+", run in order) with
# its output in artifacts/lane-N.log, printed when every lane is done. The
# Go tests keep the CPU busy; e2e and verify-problems mostly wait (match
# clocks, the problems' TLE submissions), so running them beside test-go
# costs it little and saves their whole wall time (issue 12's 15 minutes).
lane_sh = $(foreach st,$(subst +, ,$(1)),( $(call stage_sh,$(st)) );)
lanes = @pids=""; n=0; for lane in $(wordlist 2,99,$(1)); do n=$$((n+1)); \
	( for st in $${lane//+/ }; do ( $(call stage_sh,$$st) ); done ) >artifacts/lane-$$n.log 2>&1 & pids="$$pids $$!"; done; \
	$(call lane_sh,$(firstword $(1))) wait $$pids; n=0; for lane in $(wordlist 2,99,$(1)); do n=$$((n+1)); \
	echo "=== $$lane (ran beside $(firstword $(1))) ==="; cat artifacts/lane-$$n.log; done

test: setup
	@mkdir -p artifacts && : > artifacts/stage-times.txt
	$(call stage,vet)
	$(call stage,build)
	$(call stage,toolchains)
	$(call stage,test-conformance)
	$(call lanes,test-go test-web+e2e-1 verify-problems+e2e-2)
	@if grep -q FAILED artifacts/stage-times.txt; then echo "make test: failed stages:"; grep FAILED artifacts/stage-times.txt; exit 1; fi

# Benchmarks print figures for the README's performance table; they never
# pass or fail on a figure (make test runs their smoke versions, such as
# judge's TestBenchSmoke and the loadtest smoke). Load tests are commands:
# segfault loadtest judge|ws|matches, flags in the table's "how measured".
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/auth ./internal/arena/matchmaking ./internal/sandbox ./internal/judge ./internal/execution
bench: build bench-go
	./$(BIN) bench judge

clean:
	rm -rf bin artifacts
