# Zoom for Mattermost: the verbs.
#   make run          devhost (Mattermost in a box) with the real bundle and the Zoom simulator
#   make test         every test: Go unit/app/fuzz seeds, webapp components, e2e through the loader, browser
#   make dist         dist/zoom-<version>.tar.gz for System Console upload (all five platforms)
#   make bundle-local dist/zoom-<version>-<os>-<arch>.tar.gz: this machine's executable only,
#                     what run, test and bench load (a fresh clone builds one binary, not five)
#   make deploy       upload and enable the bundle on a running server (see README)
#   make check-style  gofmt, go vet, eslint, tsc
#   make bench        figures: Zoom/host calls, webhook latency, bundle size

GO          ?= go
NPM         ?= npm
PLUGIN_ID   := $(shell sed -n 's/^[[:space:]]*"id":[[:space:]]*"\([^"]*\)".*/\1/p' plugin.json | head -n 1)
VERSION     := $(shell sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' plugin.json | head -n 1)
BUNDLE      := dist/$(PLUGIN_ID)-$(VERSION).tar.gz
PLATFORMS   := linux-amd64 linux-arm64 darwin-amd64 darwin-arm64 windows-amd64
NATIVE      := $(shell $(GO) env GOOS)-$(shell $(GO) env GOARCH)
LOCAL_BUNDLE := dist/$(PLUGIN_ID)-$(VERSION)-$(NATIVE).tar.gz
GO_SOURCES  := $(shell find server -name '*.go' -not -name '*_test.go') go.mod go.sum
# Explicit roots: webapp/node_modules ships Go files of its own that ./... would visit.
GO_PACKAGES := ./server/... ./build/...
export GOFLAGS := -buildvcs=false

.PHONY: all run test go-test fuzz-brief e2e webapp-test browser-test dist bundle-local server webapp \
        deploy check-style manifest bench clean node-deps devhost-web chromium

all: check-style test dist

## ---- manifest -------------------------------------------------------------
manifest:
	$(GO) run ./build/manifest apply

## ---- server ---------------------------------------------------------------
server: $(foreach p,$(PLATFORMS),server/dist/plugin-$(p)$(if $(findstring windows,$(p)),.exe,))

server/dist/plugin-%: $(GO_SOURCES)
	@mkdir -p server/dist
	CGO_ENABLED=0 GOOS=$(word 1,$(subst -, ,$(basename $*))) GOARCH=$(word 2,$(subst -, ,$(basename $*))) \
		$(GO) build -trimpath -ldflags '-s -w' -o $@ ./server

## ---- webapp ---------------------------------------------------------------
webapp/node_modules/.installed: webapp/package.json webapp/package-lock.json
	cd webapp && $(NPM) ci --no-audit --no-fund
	@touch $@

node-deps: webapp/node_modules/.installed

webapp: webapp/dist/main.js

webapp/dist/main.js: webapp/node_modules/.installed $(shell find webapp/src -type f 2>/dev/null) webapp/package.json webapp/build.mjs webapp/tsconfig.json
	cd webapp && $(NPM) run build

## ---- bundle ---------------------------------------------------------------
# pack <bundle> <platforms>: a private staging folder and a rename keep readers of the
# bundle (tests, a concurrent make) from ever seeing half of one.
define pack
	$(GO) run ./build/manifest check
	mkdir -p dist && stage=$$(mktemp -d dist/.stage-XXXXXX) && \
	mkdir -p $$stage/$(PLUGIN_ID)/server/dist $$stage/$(PLUGIN_ID)/webapp/dist && \
	cp plugin.json $$stage/$(PLUGIN_ID)/ && \
	cp -r assets $$stage/$(PLUGIN_ID)/ && \
	{ [ ! -d public ] || cp -r public $$stage/$(PLUGIN_ID)/; } && \
	for p in $(2); do cp server/dist/plugin-$$p* $$stage/$(PLUGIN_ID)/server/dist/ || exit 1; done && \
	cp webapp/dist/main.js $$stage/$(PLUGIN_ID)/webapp/dist/ && \
	tar -C $$stage -czf $$stage.tar.gz $(PLUGIN_ID) && \
	mv $$stage.tar.gz $(1) && rm -rf $$stage
	@echo "bundle: $(1)"
endef

BUNDLE_INPUTS := plugin.json $(GO_SOURCES) $(shell find assets -type f 2>/dev/null) webapp/dist/main.js

dist: $(BUNDLE)

$(BUNDLE): $(BUNDLE_INPUTS)
	$(MAKE) -j2 server
	$(call pack,$@,$(PLATFORMS))

bundle-local: $(LOCAL_BUNDLE)

$(LOCAL_BUNDLE): $(BUNDLE_INPUTS) server/dist/plugin-$(NATIVE)$(if $(findstring windows,$(NATIVE)),.exe,)
	$(call pack,$@,$(NATIVE))

deploy: dist
	$(GO) run ./build/deploy $(BUNDLE)

## ---- run ------------------------------------------------------------------
devhost-web:
	$(MAKE) -C build/devhost/web

# The devhost as a binary, so that it compiles while npm installs (make -j) and its
# run leaves no build folder in the temp folder.
DEVHOST := build/out/devhost
$(DEVHOST): $(GO_SOURCES) $(shell find build/devhost -name '*.go' 2>/dev/null)
	$(GO) build -o $@ ./build/devhost/cmd/devhost

# A first run downloads (Go modules, npm packages) while it compiles: the three
# parts build side by side. RUN_FLAGS go to the devhost, e.g.
# RUN_FLAGS='-addr 127.0.0.1:0' (build/coldstart).
RUN_FLAGS ?=
run:
	$(MAKE) -j3 bundle-local devhost-web $(DEVHOST)
	$(DEVHOST) -bundle $(LOCAL_BUNDLE) $(RUN_FLAGS)

## ---- tests ----------------------------------------------------------------
test: go-test fuzz-brief webapp-test e2e browser-test

go-test:
	$(GO) run ./build/manifest check
	$(GO) test -count=1 $(GO_PACKAGES)

# Each fuzz target runs its seed corpus in go-test; here each also explores briefly.
FUZZ_TIME ?= 4s
FUZZ_TARGETS := \
	./server/store:FuzzDecodeSecret \
	./server/app:FuzzParseOAuthState \
	./server/app:FuzzParseScheduleWhen \
	./server/command:FuzzParseCommand \
	./server/zoom:FuzzParseWebhook \
	./server/zoom:FuzzVerifySignature
fuzz-brief:
	@for spec in $(FUZZ_TARGETS); do \
		pkg=$${spec%%:*}; fn=$${spec##*:}; \
		echo "fuzz $$pkg $$fn"; \
		$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZ_TIME) $$pkg || exit 1; \
	done

webapp-test: node-deps
	cd webapp && $(NPM) test

e2e: bundle-local
	ZOOM_BUNDLE=$(CURDIR)/$(LOCAL_BUNDLE) $(GO) test -count=1 -tags e2e ./e2e/...

chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -q && apt-get install -y -q chromium)

browser-test: bundle-local devhost-web chromium
	ZOOM_BUNDLE=$(CURDIR)/$(LOCAL_BUNDLE) $(MAKE) -C build/devhost/web browser-test

bench: bundle-local
	ZOOM_BUNDLE=$(CURDIR)/$(LOCAL_BUNDLE) $(GO) run ./build/bench

## ---- style ----------------------------------------------------------------
check-style: node-deps
	@unformatted=$$(gofmt -l server build e2e 2>/dev/null); \
		if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(GO_PACKAGES)
	$(GO) vet -tags e2e ./e2e/...
	cd webapp && $(NPM) run lint && $(NPM) run typecheck

clean:
	rm -rf dist server/dist webapp/dist build/out
