# The two commands of the README: `make run` and `make test`. Each sets up .venv on first use.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast viz bench browser bytecode compiled clean

# The project and its test tools are installed by uv (itself installed by pip into the virtualenv): 37 s
# against pip's 65 on a 2-core machine, the same versions (docs/performance.md). It compiles the packages'
# bytecode as pip does: with PYTHONDONTWRITEBYTECODE set, every process would otherwise compile what it
# imports (3.0 against 1.2 CPU s for the model's imports). Should uv fail, pip does it.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { py=$$(scripts/find-python) && echo "creating $(VENV) with $$py" && $$py -m venv $(VENV); }
	@$(BIN)/python -m pip install --quiet 'uv>=0.5' \
		&& $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test]' \
		|| { echo "uv failed: installing with pip instead"; \
			$(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet -e '.[test]'; }
	@touch $(STAMP)

# The project's own modules compiled once to __pycache__ (git-ignored). pip compiles what it installs, but
# not an editable project, and where PYTHONDONTWRITEBYTECODE is set (as on our 2-core machines) Python
# would otherwise compile the 60 modules again in every process: about 0.08 of the 1.3 CPU s that each
# engine worker, CLI call and test worker spends importing (docs/performance.md). Up to date: ~0.06 s.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q conflict_sim experiments tests benchmarks

# The model's hot modules compiled to C by Cython, into conflict_sim/_compiled/ (git-ignored; about 16 s
# on 2 cores, nothing to do while their sources are unchanged). Without a C compiler the model runs as
# Python, the same numbers more slowly (conflict_sim/compiled.py, docs/performance.md).
compiled: $(STAMP)
	@$(BIN)/python -m conflict_sim.compile

# The default comparison: baseline and the main countermeasure packages on Chengzhong at the 1:4
# household sample (the coarsest that keeps the dynamics, docs/model.md), 20 replications x 3 years
# (warm-up 1 year): 120 runs, about 4-5 minutes on a quiet 2-core machine (docs/performance.md).
ARMS := baseline,channels_open,fengqiao_grid,fast_fair,reformed_evaluation,combined_harmonious

run: bytecode compiled
	$(BIN)/conflict-sim compare chengzhong --arms $(ARMS) --replications 20 \
		--set households_per_agent=4 --out results/compare/chengzhong

# The suite on every core (pytest-xdist), a module's tests in one worker so that its module fixtures
# and caches run once (--dist loadfile), modules handed out in collection order, where tests/conftest.py
# puts the heavy ones first (without --no-loadscope-reorder xdist would order them by test count), with
# the 20 slowest tests listed at the end. (--dist loadgroup would split finer, but pytest-xdist 3.8 cannot
# regroup test ids under pytest 9: its groups are silently ignored.)
PYTEST_PARALLEL := -n auto --dist loadfile --no-loadscope-reorder --durations=20

# The bytecode, the compiled modules and the browser (Debian's Chromium, for the end-to-end tests) are set
# up side by side: on a fresh machine the browser takes about 20 s, mostly waiting on downloads and disk.
test:
	@$(MAKE) --no-print-directory -j2 bytecode compiled browser
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

test-fast: bytecode compiled
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not slow and not browser"

browser:
	@scripts/install-browser

viz: compiled
	$(BIN)/conflict-sim viz

bench: compiled
	$(BIN)/python benchmarks/bench_model.py

clean:
	rm -rf $(VENV) .pytest_cache conflict_sim/_compiled
