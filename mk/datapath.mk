# The data path on moto: the handler's own tests, the load and fault
# tests and the deployed-stack suite's proof run in `make test` with the rest;
# these targets run them alone. `make bench` runs bench/datapath.py (the full
# 10,000-message load and the fault table) through bench/run.py;
# `make bench-datapath` runs it alone. DATAPATH_ARGS passes options, e.g.
# `make bench-datapath DATAPATH_ARGS="--messages 2000"`.

.PHONY: test-handler test-datapath bench-datapath
DATAPATH_ARGS ?=

test-handler: $(VENV_STAMP) ## The Lambda handler against moto (tests/handler_moto).
	$(VENV)/bin/pytest tests/handler_moto --no-cov

test-datapath: $(VENV_STAMP) ## Load, poison and faults through the handler on moto (tests/datapath_moto).
	$(VENV)/bin/pytest tests/datapath_moto --no-cov

bench-datapath: $(VENV_STAMP) ## 10,000 messages and the four faults on moto: throughput and fault table.
	$(PY) -m bench.datapath $(DATAPATH_ARGS)

