# Pitstop: the one entry point for building, running and testing.
GO        ?= go
BIN       ?= bin/pitstop
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
PKGS      := ./...
FUZZTIME  ?= 10s

.PHONY: all build run demo test test-race test-sweeps lint fmt bench golden fuzz clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/pitstop

## run: the wizard on your own config
run: build
	./$(BIN)

## demo: the wizard on the built-in sandbox (no account or network needed)
demo: build
	./$(BIN) demo

## test: vet and the race-enabled test suite (what CI runs); fetches Debian's
## prometheus and promtool first when missing, for the exporter's end-to-end test
PROMETHEUS_DIR ?= $(CURDIR)/.cache/prometheus
## The race detector's runtime sleeps a second before each test binary exits
## (for goroutines still running to report): 37 binaries, two at a time, made
## that ~18 s of the suite's wall time. Races found while the tests run fail
## the test that ran, as before; set GORACE to have the sleep back.
GORACE ?= atexit_sleep_ms=0
## go test starts the packages' tests in the order it is given them, two at a
## time on two cores: the longest go first, so no long one is left running
## alone at the end (each package is still tested once).
SLOW_PKGS := ./internal/tui ./internal/quality ./internal/serve ./internal/cli ./internal/markdown ./internal/kb ./internal/spfflat
## -trimpath keys the build cache on the sources rather than on the checkout's
## folder: a fresh clone of code built before (CI, another worktree) reuses the
## compiled packages instead of compiling all of them again (vet and the race
## build took 88 s wall in a clean clone; 24 s with -trimpath). Through GOFLAGS
## it reaches vet, the tests and the binary a test builds: all share the cache.
TEST_GOFLAGS = $(shell $(GO) env GOFLAGS) -trimpath
## go test skips its own vet pass, a subset of what go vet has just checked
## (the test files included). The test binaries are linked without symbol
## table and DWARF (-s -w): a panic's or a race's stack still names every
## function and line (from the binary's own tables), and each link takes a
## third less time. The binary the quality tests run is built
## plain, with vet's flags: its packages are the ones vet compiled (a -race
## binary would let one compile serve vet, the tests and it, 25 s less with
## an empty build cache, but its runs cost the suite 27 s of CPU every time).
## The sweeps (tests named TestSweep…, see internal/race) take a sample of
## their range under -race, where each step costs several times more and finds
## nothing the first did not; they run again over the whole range without
## -race, in the packages that have one.
SWEEP_PKGS = $(sort $(dir $(shell grep -rl --include='*_test.go' '^func TestSweep' internal cmd)))
## The two passes run side by side: the race pass keeps both cores busy but
## for its waits (servers that answer late on purpose), which the sweeps fill.
test:
	@bash scripts/prometheus-tools.sh "$(PROMETHEUS_DIR)"
	GOFLAGS="$(TEST_GOFLAGS)" $(GO) vet $(PKGS)
	@$(MAKE) --no-print-directory -j2 --output-sync=line test-race test-sweeps

## test-race: the whole suite under the race detector (no vet)
test-race:
	PATH="$$PATH:$(PROMETHEUS_DIR)" GORACE="$(GORACE)" GOFLAGS="$(TEST_GOFLAGS)" $(GO) test -race -vet=off -ldflags='-s -w' -count=1 $(SLOW_PKGS) $(PKGS)

## test-sweeps: the sweeps over their whole range, without the race detector
test-sweeps:
	GOFLAGS="$(TEST_GOFLAGS)" $(GO) test -vet=off -ldflags='-s -w' -count=1 -run '^TestSweep' $(addprefix ./,$(SWEEP_PKGS))

lint:
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run ./cmd/pitstop kb lint

fmt:
	gofmt -w $$(git ls-files '*.go')

## bench: Go benchmarks plus whole-process figures against peers (see BENCHMARKS.md);
## BENCH_BASELINE=<git revision> measures that revision beside this tree ("before")
BENCH_OUT ?= bench-results
BENCH_BASELINE ?=
bench:
	@mkdir -p $(BENCH_OUT)
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS) | tee $(BENCH_OUT)/go.txt
	BENCH_OUT=$(BENCH_OUT) BENCH_BASELINE=$(BENCH_BASELINE) GO=$(GO) bash scripts/bench.sh

## golden: refresh the golden views after an intended change
golden:
	$(GO) test ./internal/tui/... -update

## fuzz: every fuzz target for FUZZTIME each (corpora in each package's testdata/fuzz)
FUZZMINIMIZE ?= 5s
fuzz:
	@for spec in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs grep -ho '^func Fuzz[A-Za-z0-9_]*' | sort -u | sed 's/func //'); do \
		pkg=$$(dirname $$(grep -rl --include='*_test.go' "^func $$spec(" . | head -1)); \
		echo "== $$pkg $$spec"; \
		$(GO) test -run '^$$' -fuzz "^$$spec$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) $$pkg || exit 1; \
	done

clean:
	rm -rf bin
