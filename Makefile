# Stamp — the two commands that matter: `make run` and `make test`.
# Both install what is missing on Debian/Ubuntu (scripts/deps.sh) first.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin
GO ?= go
BIN := bin

# The version lives in FyneApp.toml; go build does not read that file, so the
# Makefile passes it (and the git commit) to the linker. A plain go build says
# "dev". (make dist reads them from the commit it packages: scripts/dist.sh.)
VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
COMMIT := $(shell git describe --always --dirty 2>/dev/null)
VERSION_LDFLAGS := -X stamp/internal/version.Version=$(VERSION) -X stamp/internal/version.Commit=$(COMMIT)

# Stamp's own OAuth 2 client IDs (README.md, "Your own client ID"): optional,
# from the environment or a git-ignored oauth-client-ids.mk beside this file,
# for example
#   STAMP_GOOGLE_CLIENT_ID ?= 1234-abc.apps.googleusercontent.com
#   STAMP_GOOGLE_CLIENT_SECRET ?= GOCSPX-...
#   STAMP_MICROSOFT_CLIENT_ID ?= 00000000-0000-0000-0000-000000000000
# (with ?= the environment still wins; make build STAMP_...=... always does).
# scripts/oauth-ldflags.sh turns them into -X stamp/oauth.… flags for make
# build and make dist; none set is a development build, which has none.
-include oauth-client-ids.mk
export STAMP_GOOGLE_CLIENT_ID STAMP_GOOGLE_CLIENT_SECRET STAMP_MICROSOFT_CLIENT_ID

# Packaging tools, pinned, installed from the Go module proxy into bin/tools.
FYNE_TOOLS_VERSION := v1.7.4
GO_WINRES_VERSION := v0.3.3
NFPM_VERSION := v2.48.0
FYNE := $(BIN)/tools/fyne-$(FYNE_TOOLS_VERSION)/fyne
GO_WINRES := $(BIN)/tools/go-winres-$(GO_WINRES_VERSION)/go-winres
NFPM := $(BIN)/tools/nfpm-$(NFPM_VERSION)/nfpm

# The packages without Fyne run under the race detector, and so does ui: its
# tests run the UI work handed over from goroutines (runOnUI) on the test
# goroutine, so a widget touched without the hand-over is a race -race
# reports. cmd/stamp (little more than wiring) runs without it, to spare one
# more cgo race build of Fyne.
PURE_PKGS = $$($(GO) list ./... | grep -v -E '^stamp/(ui|cmd/stamp)(/|$$)')
UI_PKGS = ./ui/...
APP_PKGS = ./cmd/stamp/...

.PHONY: all deps test-deps build run test vet unit window-test dist dist-check bench clean

all: build

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh build test

build: deps
	@# The flags are not echoed: Google's client secret stays out of build logs.
	@oauth=$$(scripts/oauth-ldflags.sh) && ids=none && { [ -z "$$oauth" ] || ids="built in"; } && \
	  echo "$(GO) build -ldflags \"$(VERSION_LDFLAGS) [client IDs: $$ids]\" -o $(BIN)/stamp ./cmd/stamp" && \
	  $(GO) build -ldflags "$(VERSION_LDFLAGS) $$oauth" -o $(BIN)/stamp ./cmd/stamp && \
	  echo "$(GO) build -ldflags \"[client IDs: $$ids]\" -o $(BIN)/stamp-send ./cmd/stamp-send" && \
	  $(GO) build -ldflags "$$oauth" -o $(BIN)/stamp-send ./cmd/stamp-send

run: build
	./$(BIN)/stamp

vet:
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) build ./compose/... ./smtpclient/... ./account/... ./oauth/... ./discover/... ./instance/... ./outbox/... ./i18n/... ./contacts/... ./mailto/...
	GOOS=darwin CGO_ENABLED=0 $(GO) vet ./compose/... ./smtpclient/... ./account/... ./oauth/... ./internal/... ./discover/... ./instance/... ./outbox/... ./i18n/... ./contacts/... ./mailto/... ./cmd/stamp-send/...
	GOOS=windows CGO_ENABLED=0 $(GO) vet ./compose/... ./smtpclient/... ./account/... ./oauth/... ./internal/... ./discover/... ./instance/... ./outbox/... ./i18n/... ./contacts/... ./mailto/... ./cmd/stamp-send/...

# scripts/gotest.sh keeps each run's verbose log in test-output/ and lists
# every skipped test with its reason (the full-disk tests in ui need root).
unit:
	scripts/gotest.sh unit-pure -race -count=1 $(PURE_PKGS)
	scripts/gotest.sh unit-ui -race -count=1 $(UI_PKGS)
	scripts/gotest.sh unit-app -count=1 $(APP_PKGS)

window-test: build
	scripts/window-test.sh $(BIN)/stamp
	scripts/window-test-zh.sh $(BIN)/stamp
	scripts/window-test-ime.sh $(BIN)/stamp

test: test-deps vet unit window-test
	scripts/test-server.sh
	scripts/test-keyring.sh
	scripts/fuzz-short.sh
	scripts/secret-audit.sh --self-test
	scripts/secret-audit.sh

# make dist: dist/Stamp-VERSION-linux-amd64.tar.xz (fyne package: binary,
# desktop entry, icon, and a Makefile with install/user-install),
# dist/stamp_VERSION-1_amd64.deb (nfpm, packaging/nfpm.yaml),
# dist/Stamp-VERSION-windows-amd64.zip (Stamp.exe cross-built with mingw-w64)
# and dist/Stamp-VERSION-setup.exe (NSIS, packaging/windows/stamp.nsi), all
# built from the committed HEAD.
# macOS is built on a Mac: see README.md, "Packaging". make dist-check unpacks
# and inspects them, installs the .deb into a throw-away root, and starts the
# Linux binary under Xvfb. Neither is part of make test (a cold make dist
# cross-builds Fyne for Windows: many minutes).
dist: $(FYNE) $(GO_WINRES) $(NFPM)
	@scripts/deps.sh build dist
	FYNE="$(FYNE)" GO_WINRES="$(GO_WINRES)" NFPM="$(NFPM)" scripts/dist.sh

dist-check:
	@scripts/deps.sh test dist
	scripts/dist-check.sh

$(FYNE):
	GOBIN="$(CURDIR)/$(@D)" $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_TOOLS_VERSION)

$(GO_WINRES):
	GOBIN="$(CURDIR)/$(@D)" $(GO) install github.com/tc-hib/go-winres@$(GO_WINRES_VERSION)

$(NFPM):
	GOBIN="$(CURDIR)/$(@D)" $(GO) install github.com/goreleaser/nfpm/v2/cmd/nfpm@$(NFPM_VERSION)

# Benchmarks (docs/performance.md); not part of test. Takes a few minutes.
bench:
	scripts/bench.sh

clean:
	rm -rf $(BIN) dist test-output
