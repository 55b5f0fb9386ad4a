# 直联 Zhilian — the two commands a newcomer needs are `make run` and `make test`.
GO ?= go
export GOFLAGS ?= -mod=mod

.PHONY: run test test-go test-faults test-ha test-mp lint bench build ha-test common-passwords s3-server

## run: start the API on :8080 with local MySQL/Redis, migrations, demo data, fake WeChat
run:
	$(GO) run ./cmd/server

## test: every test (Go against real MariaDB/Redis, the fault tests, the short HA scenario, then the mini-program)
test: lint test-go test-faults test-ha test-mp

lint:
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

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-X main.version=$(VERSION) -X main.commit=$(COMMIT)" -o bin/zhilian ./cmd/server

## bench: benchmarks (booking race, stats) — not part of `make test`
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x ./...

## common-passwords: regenerate model/common_passwords.txt (the refused-password
## list) from the pinned npm package @zxcvbn-ts/language-common (MIT)
common-passwords:
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent @zxcvbn-ts/language-common@4.1.3 >/dev/null && tar xzf *.tgz && \
	  node -e 'process.stdout.write(require("./package/src/passwords.json").join("\n") + "\n")' > $(CURDIR)/model/common_passwords.txt && \
	  cp package/LICENSE.txt $(CURDIR)/model/common_passwords.LICENSE && rm -rf $$tmp
