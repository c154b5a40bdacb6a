# Stamp — the two commands that matter: `make run` and `make test`.
# Both install what is missing on Debian/Ubuntu (scripts/deps.sh) first.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin
GO ?= go
BIN := bin

# Packages with goroutines and no Fyne run under the race detector; the
# Fyne packages (cgo GL bindings) run without it to keep builds short.
PURE_PKGS = $$($(GO) list ./... | grep -v -E '^stamp/(ui|cmd/stamp)(/|$$)')
FYNE_PKGS = ./ui/... ./cmd/stamp/...

.PHONY: all deps test-deps build run test vet unit window-test clean

all: build

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh build test

build: deps
	$(GO) build -o $(BIN)/stamp ./cmd/stamp
	$(GO) build -o $(BIN)/stamp-send ./cmd/stamp-send

run: build
	./$(BIN)/stamp

vet:
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) build ./compose/... ./smtpclient/... ./account/...

unit:
	$(GO) test -race -count=1 $(PURE_PKGS)
	$(GO) test -count=1 $(FYNE_PKGS)

window-test: build
	scripts/window-test.sh $(BIN)/stamp

test: test-deps vet unit window-test
	scripts/test-server.sh
	scripts/test-keyring.sh

clean:
	rm -rf $(BIN) dist test-output
