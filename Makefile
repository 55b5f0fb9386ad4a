# 直联 Zhilian — the two commands a newcomer needs are `make run` and `make test`.
GO ?= go
export GOFLAGS ?= -mod=mod

.PHONY: run test lint-openapi lint-go test-console-build test-console-e2e test-go test-faults test-ha test-mp test-console lint bench bench-go build ha-test common-passwords s3-server console console-if-node screenshots screenshots-mp

# The staff console (console/) is built into internal/webui/dist, which the
# server embeds; a stale or missing build is rebuilt by `make run`.
CONSOLE_SRC := $(shell find console/src console/public console/scripts -type f 2>/dev/null) \
	console/index.html console/vite.config.ts console/package.json console/package-lock.json
CONSOLE_OUT := internal/webui/dist/console/index.html
CONSOLE_DEPS := console/node_modules/.package-lock.json

## run: start the API on :8080 with local MySQL/Redis, migrations, demo data, fake WeChat; the console at /console/
run: console-if-node
	$(GO) run ./cmd/server

## test: every test (Go against real MariaDB/Redis, fault tests, the short HA scenario, the mini-program, the console in Chromium)
## The suites are independent (own databases, key prefixes, ports) and mostly wait on engines, browsers and
## failovers, so they run at once: first the console build (the Go binaries embed what it writes) beside the
## OpenAPI lint, then everything else; last, alone, the fault and HA scenarios, whose timing windows (missed
## job ticks, failover times) must not depend on the other suites' load. Each suite's output is printed whole
## when it ends; make fails if any suite fails. TEST_JOBS=1 runs them one after another.
TEST_JOBS ?= 8
test:
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target test-console-build lint-openapi
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target lint-go test-go test-mp test-console-e2e
	@$(MAKE) --no-print-directory test-faults test-ha

## lint-openapi: Redocly CLI (pinned in tools/redocly) lints the merged /openapi.yaml: the recommended ruleset, warnings as errors
lint-openapi:
	@cd tools/redocly && (npm ci --no-audit --no-fund --silent || npm install --no-audit --no-fund --silent)
	$(GO) run ./cmd/openapi > tools/redocly/openapi.yaml
	cd tools/redocly && npx --no-install redocly lint --config redocly.yaml --format=stylish openapi.yaml

lint: lint-openapi lint-go

lint-go:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './miniprogram/*')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

test-go: s3-server
	$(GO) test -race -count=1 -timeout 20m $$($(GO) list ./... | grep -v /faults$$)

## test-faults: own MariaDB/Redis/server processes broken on purpose; -v prints the counts
test-faults:
	$(GO) test -count=1 -timeout 10m -v ./faults

## test-ha: the short high-availability scenario (one kill of each kind; installs galera-4, haproxy, redis-sentinel if missing)
test-ha:
	ZL_HA_TEST=short $(GO) test -count=1 -timeout 10m -run TestHA -v ./internal/hatest

## ha-test: the full high-availability scenario (three rounds of kills under load), prints the fault table
ha-test:
	ZL_HA_TEST=full $(GO) test -count=1 -timeout 15m -run TestHA -v ./internal/hatest

## s3-server: the S3-compatible server the upload tests run (SeaweedFS, built once, cached outside the repo)
s3-server:
	@bash scripts/s3-server.sh >/dev/null

test-mp:
	@if [ -f miniprogram/package.json ]; then \
	  cd miniprogram && (npm ci --no-audit --no-fund || npm install --no-audit --no-fund) && npm test; \
	else echo "no mini-program tests yet"; fi

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)

build: console
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-X main.version=$(VERSION) -X main.commit=$(COMMIT)" -o bin/zhilian ./cmd/server

$(CONSOLE_DEPS): console/package-lock.json
	cd console && (npm ci --no-audit --no-fund || npm install --no-audit --no-fund)

## console: build the staff console and /docs into internal/webui/dist (budgets enforced)
console: $(CONSOLE_OUT)
$(CONSOLE_OUT): $(CONSOLE_DEPS) $(CONSOLE_SRC)
	cd console && npm run build

# Without Node the server still runs and /console/ explains how to build it.
console-if-node:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory console; \
	else echo "npm not found: serving without the console (install Node.js 20 and run make console)"; fi

## test-console: API types up to date, type-check, unit tests, build with budgets, journeys in Chromium
test-console: $(CONSOLE_DEPS)
	@test -x "$${ZL_CHROMIUM:-/usr/bin/chromium}" || { echo "Chromium not found: apt-get install -y chromium (bash .ci/run does)"; exit 1; }
	cd console && npm test

# test-console in its two halves (console/package.json), for `make test`: everything
# up to the build (which rewrites internal/webui/dist, embedded by every Go binary), then the journeys.
test-console-build: $(CONSOLE_DEPS)
	@test -x "$${ZL_CHROMIUM:-/usr/bin/chromium}" || { echo "Chromium not found: apt-get install -y chromium (bash .ci/run does)"; exit 1; }
	cd console && npm run test:build

test-console-e2e: $(CONSOLE_DEPS)
	cd console && npm run e2e

## screenshots: docs/screenshots/*.png of the main screens at 1366×768 (and 1920×1080)
screenshots: $(CONSOLE_DEPS)
	cd console && npm run build && npx playwright test --project=screenshots

## screenshots-mp: docs/screenshots/miniprogram/*.png — every mini-program page
## in normal and elder mode, rendered from the real server's data, drawn by Chromium
screenshots-mp:
	cd miniprogram && npx jest -c jest.screens.config.js

## bench: the load bench (cmd/bench): the real server on a cached generated city, bare baselines in the same run, invariants; BENCH_FLAGS=-pprof saves profiles
bench:
	$(GO) run ./cmd/bench $(BENCH_FLAGS)

## bench-go: the Go benchmarks (booking race, stats, topics) — not part of `make test`
bench-go:
	$(GO) test -run '^$$' -bench . -benchtime 3x ./...

## common-passwords: regenerate model/common_passwords.txt (the refused-password
## list) from the pinned npm package @zxcvbn-ts/language-common (MIT)
common-passwords:
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent @zxcvbn-ts/language-common@4.1.3 >/dev/null && tar xzf *.tgz && \
	  node -e 'process.stdout.write(require("./package/src/passwords.json").join("\n") + "\n")' > $(CURDIR)/model/common_passwords.txt && \
	  cp package/LICENSE.txt $(CURDIR)/model/common_passwords.LICENSE && rm -rf $$tmp
