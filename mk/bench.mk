# `make bench`: the benchmarks, each measured against its floor in one
# run (medians of several runs, ratios taken in the same run), printed as one
# table and written as JSON under bench/results/. The test suite's set-up
# (TEST_PREREQS: SDK builds and the like) runs first and is not timed; it is
# expanded in the recipe because the mk/*.mk files that add to it may be
# included after this one. BENCH_ARGS passes options to bench/run.py, e.g.
# `make bench BENCH_ARGS="--only cold-start,overhead --repeats 3"`.

.PHONY: bench bench-representative
BENCH_ARGS ?=

bench: $(VENV_STAMP) ## Time cold starts, component overhead, policy throughput and the suite against their floors.
	$(MAKE) --no-print-directory $(TEST_PREREQS)
	$(PY) -m bench.run $(BENCH_ARGS)

bench-representative: $(VENV_STAMP) ## Copy the newest full `make bench` run to bench/results/representative.json.
	$(PY) -m bench.representative
