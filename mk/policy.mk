# Policy pack (policy/): the CrossGuard pack run through the Analyzer gRPC protocol.
#
#   make policy-demo    run the pack over dev, staging and prod and reject a broken sample
#   make policy-test    the pack's own tests (direct unit tests and the gRPC protocol tests)
#   make policy-data    regenerate the pack's Lambda runtime table from the pinned cfn-lint's AWS data
#
# `make demo` runs policy-demo after the resource trees; `make test` runs the
# pack's tests with everything else (tests/policy_unit, tests/policy_grpc).

.PHONY: policy-demo policy-test policy-data

DEMO_STEPS += policy-demo

policy-demo: $(VENV_STAMP) ## Run the policy pack over the three environments and reject a broken sample.
	$(PY) -m envstack_testkit.policy_demo

policy-test: $(VENV_STAMP) ## The policy pack's unit and gRPC tests, with its branch coverage enforced.
	$(VENV)/bin/pytest tests/policy_unit tests/policy_grpc -p no:cacheprovider \
		-o addopts="" --cov=envstack_policy --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=100

policy-data: $(VENV_STAMP) ## Regenerate the Lambda runtime table (policy/envstack_policy/lambda_runtimes.py) from cfn-lint.
	$(PY) tools/policy_data.py policy/envstack_policy/lambda_runtimes.py
