# crisisdesk: `make test` is the one test command; .ci/run calls it.
GO ?= go
RACE_PKGS = ./internal/clock/... ./internal/session/... ./internal/server/... ./internal/jobs/... ./internal/live/... ./internal/fastpath/... ./internal/public/...

.PHONY: test vet fmt-check build run vendor-static

test: fmt-check vet
	$(GO) test -count=1 ./...
	$(GO) test -race -count=1 $(RACE_PKGS)

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

build:
	$(GO) build -o crisisdesk ./cmd/crisisdesk

run:
	$(GO) run ./cmd/crisisdesk serve

vendor-static:
	./scripts/vendor-static.sh
