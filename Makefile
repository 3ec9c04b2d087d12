# bordersim — set-up and everyday commands. Every target installs what is missing first,
# so on a fresh Debian machine with Swift, `make demo` and `make test` are all it takes.
SWIFT    ?= swift
APT_PKGS := libgsl-dev libhdf5-dev libglpk-dev hdf5-tools pkg-config g++ python3 python3-venv
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE  := .build/release
VENV     := .venv

.PHONY: deps build demo test bench clean venv install install-user notebooks notebooks-venv fuzz sanitize
.PHONY: serve-deps browser-deps browser-venv

# Debian packages, installed non-interactively and only when missing.
deps:
	@missing=""; for p in $(APT_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product bordersim

demo: build
	$(RELEASE)/bordersim run scenarios/land-port.yaml --out results/land-port.h5 --force

test: deps venv notebooks-venv browser-deps browser-venv
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(VENV)/bin/python Tests/ScenariosTests/check_schema.py .build/debug/bordersim
	BORDERSIM=.build/debug/bordersim $(VENV)/bin/python -m pytest -q Tests/python

# Python tools for the checks (jsonschema, PyYAML, h5py, pandas, xarray + h5netcdf, pytest, scipy), in .venv, installed only when missing.
venv:
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV)
	@$(VENV)/bin/python -c 'import jsonschema, yaml, h5py, pandas, pytest, xarray, h5netcdf, scipy' 2>/dev/null || \
	  $(VENV)/bin/pip install -q --disable-pip-version-check jsonschema pyyaml h5py pandas pytest xarray h5netcdf scipy

# The tool on the PATH: PREFIX/bin (default /usr/local/bin; sudo only if that is not writable),
# or `make install-user` for ~/.local/bin without root.
PREFIX ?= /usr/local
install: build
	@bin="$(DESTDIR)$(PREFIX)/bin"; sudo=""; \
	mkdir -p "$$bin" 2>/dev/null || sudo="$(SUDO)"; [ -w "$$bin" ] || sudo="$(SUDO)"; \
	$$sudo mkdir -p "$$bin" && $$sudo install -m 755 $(RELEASE)/bordersim "$$bin/bordersim" && \
	echo "installed $$bin/bordersim" && \
	case ":$$PATH:" in *":$(PREFIX)/bin:"*) ;; *) echo "note: $(PREFIX)/bin is not on your PATH; add it: export PATH=\"$(PREFIX)/bin:\$$PATH\"";; esac

install-user:
	@$(MAKE) --no-print-directory install PREFIX="$(HOME)/.local"

# The analysis notebooks (notebooks-export/): Jupyter, matplotlib, SciPy, SALib, scikit-learn in the same .venv, only when missing.
notebooks-venv: venv
	@$(VENV)/bin/python -c 'import nbclient, nbconvert, nbformat, ipykernel, matplotlib, scipy, SALib, sklearn' 2>/dev/null || \
	  $(VENV)/bin/pip install -q --disable-pip-version-check nbclient nbconvert nbformat ipykernel matplotlib scipy SALib scikit-learn

# Runs every notebook top to bottom at full size (a cell error fails the target) and writes the executed
# notebooks-export/NAME.ipynb, NAME.html (self-contained) and thumbnails/NAME.png. make test runs them reduced.
notebooks: deps notebooks-venv
	$(SWIFT) build --product bordersim
	BORDERSIM=.build/debug/bordersim $(VENV)/bin/python notebooks-export/run.py

# Benchmarks: release mode, ratios against baselines measured in the same run. The bordersim
# binary is built too (the scenario and simpy groups time it as a whole process), and SimPy,
# pinned, goes into .venv for the SimPy land port (bench/simpy_land_port.py).
SIMPY := simpy==4.1.1
bench: deps venv
	@$(VENV)/bin/python -c 'import simpy; assert simpy.__version__ == "$(SIMPY:simpy==%=%)"' 2>/dev/null || \
	  $(VENV)/bin/pip install -q --disable-pip-version-check $(SIMPY)
	$(SWIFT) build -c release --scratch-path .build-release --product bordersim
	$(SWIFT) build -c release --scratch-path .build-release --product bordersim-bench
	.build-release/release/bordersim-bench

# Coverage-guided fuzzing (libFuzzer, issue 14) of the scenario loader, the plan loader and the
# result-file readers, FUZZ_SECONDS each (default 60). Inputs that crash land in Tests/fuzz/MODE/
# (crash-*, as libFuzzer names them): keep them there, and `make test` replays them.
FUZZ_SECONDS ?= 60
FUZZ_MODES   ?= scenario plan results
fuzz: deps
	$(SWIFT) build --scratch-path .build-fuzz --sanitize=fuzzer -Xswiftc -DFUZZING --product bordersim-fuzz
	@for mode in $(FUZZ_MODES); do \
	  mkdir -p Tests/fuzz/$$mode .build-fuzz/corpus/$$mode; \
	  seeds=Tests/fuzz/seeds/$$mode; \
	  echo "make fuzz: $$mode for $(FUZZ_SECONDS) s"; \
	  BORDERSIM_FUZZ=$$mode BORDERSIM_FUZZ_DIR=scenarios .build-fuzz/debug/bordersim-fuzz .build-fuzz/corpus/$$mode $$seeds \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=30 -rss_limit_mb=2048 -max_len=$$( [ $$mode = results ] && echo 262144 || echo 65536 ) \
	    -artifact_prefix=Tests/fuzz/$$mode/ -print_final_stats=1 || exit 1; \
	done

# The unit tests under AddressSanitizer and ThreadSanitizer (the parallel replication runner and
# the trace recorder must be clean). Slow: not part of `make test`. Leaks inside Foundation,
# XCTest and libcurl are suppressed by name (Tests/sanitize/lsan.supp says which and why);
# the bordersim processes the tests start are held to no leak at all.
sanitize: deps
	$(SWIFT) build --build-tests --scratch-path .build-asan --sanitize=address
	@# The XCTest process ends with LeakSanitizer listing objects held only by the suppressed library
	@# leaks ("Indirect leak"): those are not failures. A failed test, an ASan error (which stops the
	@# run before its summary) or any direct leak is.
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/sanitize/lsan.supp $(SWIFT) test --skip-build --scratch-path .build-asan \
	  --sanitize=address > .build-asan/test.log 2>&1 || true
	@grep -E "Executed [0-9]+ tests" .build-asan/test.log | tail -1
	@grep -qE "Executed [0-9]+ tests" .build-asan/test.log && ! grep -qE "Executed [0-9]+ tests, with [1-9][0-9]* failures" .build-asan/test.log \
	  && ! grep -q "^Direct leak" .build-asan/test.log && ! grep -q "ERROR: AddressSanitizer" .build-asan/test.log \
	  || { echo "make sanitize: AddressSanitizer found a problem (.build-asan/test.log)"; exit 1; }
	$(SWIFT) build --build-tests --scratch-path .build-tsan --sanitize=thread
	TSAN_OPTIONS=halt_on_error=1 $(SWIFT) test --skip-build --scratch-path .build-tsan --sanitize=thread

clean:
	rm -rf .build .build-release .build-fuzz .build-asan .build-tsan

# `bordersim serve` draws its charts with Debian's Chart.js (served from /usr/share/javascript/chart.js);
# the browser test drives Debian's headless Chromium with Selenium (in .venv). Installed only when missing.
SERVE_PKGS   := libjs-chart.js
BROWSER_PKGS := chromium chromium-driver
serve-deps:
	@$(MAKE) --no-print-directory deps APT_PKGS="$(SERVE_PKGS)"

browser-deps: serve-deps
	@$(MAKE) --no-print-directory deps APT_PKGS="$(BROWSER_PKGS)"

browser-venv: venv
	@$(VENV)/bin/python -c 'import selenium' 2>/dev/null || \
	  $(VENV)/bin/pip install -q --disable-pip-version-check selenium
