# SegFault Arena. The README's two commands:
#   make run    set up, build, start the arena on embedded defaults (http://127.0.0.1:8080)
#   make test   set up, then run every test CI runs
SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(PATH)
GO ?= go
BIN := bin/segfault
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
GOTEST_FLAGS ?= -count=1 -timeout 20m

.PHONY: all setup build run test test-go test-conformance vet web test-web e2e verify-problems bench clean

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
test-go:
	$(GO) test $(GOTEST_FLAGS) -p 2 ./... 2>&1 | tee artifacts/go-test.log; exit $${PIPESTATUS[0]}

# The one store conformance suite, verbose, so the log shows it passing on
# both SQLite and PostgreSQL (CI fails instead of skipping when PostgreSQL is down).
test-conformance:
	$(GO) test -count=1 -v -run 'TestConformance' ./internal/store/sqlite ./internal/store/postgres 2>&1 \
		| tee artifacts/conformance.log | grep -E '^(ok|FAIL|\s{0,8}--- (PASS|FAIL|SKIP): TestConformance(/(sqlite|postgres)(/[A-Za-z]+)?)? )' ; exit $${PIPESTATUS[0]}

# The SPA is built into internal/web/dist and embedded in the binary.
WEB_STAMP := web/node_modules/.package-lock.json
$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
web: setup $(WEB_STAMP)
	cd web && npm run build
test-web: web
	cd web && npm test
e2e: build
	cd web && SEGFAULT_E2E_BIN=$(CURDIR)/$(BIN) SEGFAULT_E2E_SCREENSHOTS=$(CURDIR)/artifacts/screenshots npm run e2e

verify-problems: build
	@if ls problems/*/problem.yaml >/dev/null 2>&1; then \
		./$(BIN) problem verify --bundled --parallel 2 problems/*/ ; \
	else echo "no bundled problems yet"; fi

test: setup
	@mkdir -p artifacts
	$(MAKE) vet
	$(MAKE) test-conformance
	$(MAKE) test-go
	$(MAKE) test-web
	$(MAKE) e2e
	$(MAKE) verify-problems

bench: build
	./$(BIN) bench judge

clean:
	rm -rf bin artifacts
