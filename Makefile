# Patrol ALPR — the two commands of the README are `make run` and `make test`.
SHELL  := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
GO     ?= go
BIN    := bin/patrol-alpr
SERVER := bin/patrol-alpr-server
BENCH  ?= ../shared/alpr-bench
# Fyne reads the interface language from the locale at start-up and logs an error for C or
# POSIX (a bare Debian's default), which is not a language: the app speaks US English.
ifneq ($(filter C C.% POSIX,$(or $(LC_ALL),$(LC_MESSAGES),$(LANG),C)),)
export LC_MESSAGES := en_US.UTF-8
endif
# Every build and test uses the same flags so the (slow, cgo) go-gl and gocv objects are built once.
# no_emoji: Fyne then bundles no colour emoji font. It parsed its 4 MB into every text style's
# font map (about 14 MB of the heap, and 4 MB of the binary), for glyphs no screen shows.
export GOFLAGS := $(strip $(GOFLAGS) -tags=no_emoji)

PKGS_RACE = $$($(GO) list ./... | grep -v '^patrol-alpr$$')

.PHONY: setup build build-server run server loadtest test test-short bench eval model screenshots package package-server package-test clean

setup:
	@scripts/setup

build: setup
	$(GO) build -o $(BIN) .

build-server: setup
	$(GO) build -o $(SERVER) ./cmd/patrol-alpr-server

# With no configuration the app starts in classroom mode with built-in demo feeds. Without a
# display (a headless machine) it runs under Xvfb and says so.
run: build
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "run: no display; starting under Xvfb (screenshot: make screenshots)"; \
	  xvfb-run -a -s "-screen 0 1024x768x24" ./$(BIN) $(ARGS); \
	else ./$(BIN) $(ARGS); fi

# The agency server. With nothing configured it runs its own PostgreSQL cluster under its data
# folder (/var/lib/patrol-alpr-server as root, else ~/.local/share/patrol-alpr-server), makes
# the agency CA and a demo car, and serves HTTPS on 127.0.0.1:8443. ARGS adds flags, e.g.
# ARGS="-dsn postgres://alpr@db/alpr -listen :8443".
server: build-server
	./$(SERVER) serve $(ARGS)

LOADTEST := bin/patrol-alpr-loadtest
# Issue 18's load test: simulated cars on loopback, each with its own certificate, against the
# real server on a fresh data folder (its own PostgreSQL); 500 cars x 5 min; ends with p99-ms,
# lost, duplicates. ARGS: -growth | -every 10s | -cars N -duration D | -dsn DSN
loadtest: build-server
	$(GO) build -o $(LOADTEST) ./cmd/patrol-alpr-loadtest
	./$(LOADTEST) -server $(SERVER) $(ARGS)

# Every test, headless: the packages under -race, then package main (which starts the real
# binary under Xvfb) without -race so the OpenGL binding is compiled only once, and the car's
# whole-system tests on Fyne's test driver, which runs fyne.Do on the caller's goroutine and
# so races by itself under -race (they skip themselves there).
# The server's tests start their own PostgreSQL clusters (postgresql-15) and Chromium.
test: setup
	$(GO) vet ./...
	$(GO) test -race -timeout 20m $(PKGS_RACE)
	$(GO) test -timeout 10m .
	$(GO) test -timeout 10m -run 'TestClassroomScenarios|TestOneFaultStaysInItsPlace' ./car
	# The reader on the benchmark photos and on synthetic traffic (skipped under -race as too
	# slow there).
	$(GO) test -timeout 10m -run 'Dev$$|^TestTraffic|^TestPhantomPlates' ./ocr

test-short: setup
	$(GO) test -short ./...

# Benchmarks named in the issues; medians over -count runs (use benchstat to compare runs).
bench: setup
	$(GO) test -run '^$$' -bench . -benchmem -count 3 -timeout 60m $$($(GO) list ./... | grep -v /engine)
	$(GO) test -run '^$$' -bench FrameToAlert -benchtime 20x -count 3 -timeout 30m ./engine

# Reader accuracy, speed and state naming, each set whole and then its two halves by file name
# (ocr.HalfOf): choices (parameters, models) are made on tune and checked on held.
#  - dev: the openalpr benchmark photos beside the checkout.
#  - crops: its plate crops, each read whole. The recognizer trained on 90 % of them, so their
#    plate figures are not a clean check; the state classifier trained on the tune half only.
#    Then the same crops through the whole reader (eval --in-canvas): the state named for the
#    crop the localiser cuts, the closest thing here to a state-labelled photo.
#  - hard: synthetic photos of what dev lacks (night, infrared, motion blur, oblique, small,
#    dirt, frames over the state name), some with a burned-in clock or a shop sign; fixed seed.
#  - dev degraded: dev's own photos as a camera sees plates dev rarely shows (small, motion
#    blur, night, oblique, hard JPEG), each keeping its name and so its half; fixed seed.
HARD      ?= /tmp/patrol-alpr-hard-2101
HARD_SEED := 2101
DEGRADED      ?= /tmp/patrol-alpr-dev-degraded-4301
DEGRADED_SEED := 4301
eval: build
	@if [ -d "$(BENCH)/dev" ]; then echo "== dev photos"; ./$(BIN) eval --halves "$(BENCH)/dev"; \
	else echo "eval: $(BENCH)/dev not found; skipped"; fi
	@if [ -d "$(BENCH)/crops" ]; then echo; echo "== plate crops (state; plate figures on training data)"; \
	  ./$(BIN) eval --halves "$(BENCH)/crops" | grep -v '^  miss'; \
	  echo; echo "== plate crops through the whole reader (each pasted into a grey canvas 3x its size; the state the reader names for the plate it cut)"; \
	  ./$(BIN) eval --halves --in-canvas "$(BENCH)/crops" | grep -v '^  miss'; fi
	@[ -f "$(HARD)/labels.csv" ] || $(GO) run ./synth/cmd/synthphotos -dir "$(HARD)" -n 140 -seed $(HARD_SEED)
	@echo; echo "== synthetic hard photos (seed $(HARD_SEED); synth draws no state's design but California's, so their state lines do not measure real plates)"; \
	  ./$(BIN) eval --halves "$(HARD)"
	@if [ -d "$(BENCH)/dev" ]; then [ -f "$(DEGRADED)/labels.csv" ] || \
	  $(GO) run ./ocr/cmd/degradephotos -src "$(BENCH)/dev" -dir "$(DEGRADED)" -seed $(DEGRADED_SEED); \
	  echo; echo "== dev photos degraded (seed $(DEGRADED_SEED): small, motion, night, oblique, jpeg; each photo in its own half)"; \
	  ./$(BIN) eval --halves "$(DEGRADED)"; fi

# Rebuild the recognizer from scratch (synthetic plates + crops); see ocr/train/README.md.
model: build
	@scripts/setup train
	$(MAKE) -C ocr/train BIN=$(CURDIR)/$(BIN) CROPS=$(abspath $(BENCH))/crops

screenshots: build
	scripts/screenshots

# The car app and the agency server as Debian packages in bin/, each checked by starting it
# from an unpacked copy.
package: setup package-server
	scripts/package

package-server: setup
	scripts/package-server

# Installs each package into a throwaway Debian 12 root and starts it (--version), verifies the
# server's unit and runs its command line until /healthz answers, then SIGTERM. Needs root and
# a Debian mirror (debootstrap, apt); minutes, so not part of make test. See scripts/package-test.
package-test: package
	scripts/package-test

clean:
	rm -rf bin
