# crisisdesk: `make test` is the one test command; .ci/run calls it.
GO ?= go
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2
RACE_PKGS = ./internal/clock/... ./internal/session/... ./internal/server/... ./internal/jobs/... ./internal/live/... ./internal/fastpath/... ./internal/public/...
# testsum runs go test -json, prints failures and lists every skipped test
# with its reason at the end; under CI a skipped test fails the run.
TESTSUM = $(GO) run ./scripts/testsum

# The store tests run on PostgreSQL too. When CRISISDESK_TEST_POSTGRES is
# not set and a server answers on 127.0.0.1:5432 (as .ci/run makes sure),
# its test database is used; set the variable empty to leave it out.
PG_DEFAULT = postgres://postgres@127.0.0.1:5432/test?sslmode=disable
ifeq ($(origin CRISISDESK_TEST_POSTGRES),undefined)
CRISISDESK_TEST_POSTGRES := $(shell pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo '$(PG_DEFAULT)')
endif
export CRISISDESK_TEST_POSTGRES

.PHONY: test vet fmt-check staticcheck build run vendor-static

test: fmt-check vet staticcheck
	$(TESTSUM) $(GO) test -json -count=1 -timeout 45m ./...
	$(TESTSUM) $(GO) test -json -race -count=1 $(RACE_PKGS)

vet:
	$(GO) vet ./...

# staticcheck at a pinned version, fetched through the Go module proxy.
staticcheck:
	$(GO) run $(STATICCHECK) ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

build:
	$(GO) build -o crisisdesk ./cmd/crisisdesk

run:
	$(GO) run ./cmd/crisisdesk serve

vendor-static:
	./scripts/vendor-static.sh
