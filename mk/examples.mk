# Examples: one consumer program per language in examples/. What their tests
# run on is built here: tests/engine_automation runs the Python, TypeScript, Go
# and Java programs under the real engine through their Automation APIs
# (mk/automation.mk), and tests/examples_mocks checks the stack files and runs
# the YAML program through Pulumi YAML's engine as a library.
#
#   make examples-deps   the built Python SDK wheel in .venv, the TypeScript
#                        example's locked node_modules, the compiled YAML
#                        engine test
#   make test-examples   tests/examples_mocks alone
#
# The SDKs come from mk/sdk.mk's builds (build/sdk/); each step below reruns
# only when its inputs changed, so repeated `make test` runs skip them.

EXAMPLES_BUILD := build/examples_mocks
EXAMPLES_GO_ENV := GOWORK=off GOFLAGS=-mod=readonly
EXAMPLES_TS := examples/typescript
YAML_ENGINE := tests/examples_mocks/yaml_engine

.PHONY: examples-deps test-examples

TEST_PREREQS += examples-deps

EXAMPLES_DEPS := $(EXAMPLES_BUILD)/python-sdk.stamp $(EXAMPLES_TS)/node_modules/.sdk-copied \
	$(EXAMPLES_BUILD)/yaml_engine.test

examples-deps: $(EXAMPLES_DEPS) ## Install and compile what the example tests run.

# The wheel `make sdk-python` built, as a user would pip-install it.
$(EXAMPLES_BUILD)/python-sdk.stamp: build/sdk/python.stamp $(VENV_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall \
		build/sdk/python/pulumi_envstack-*.whl
	mkdir -p $(dir $@) && touch $@

# `npm ci` from the committed lockfile, once per lockfile; the SDK it copies in
# (.npmrc: install-links) is `make sdk-nodejs`'s bin/.
$(EXAMPLES_TS)/node_modules/.installed-from-lock: $(EXAMPLES_TS)/package-lock.json $(EXAMPLES_TS)/package.json \
		| build/sdk/nodejs.stamp
	cd $(EXAMPLES_TS) && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline
	cp $(EXAMPLES_TS)/package-lock.json $@

# A rebuilt SDK only replaces that copy, as npm would, without reinstalling
# the other 200-odd packages.
EXAMPLES_TS_SDK := $(EXAMPLES_TS)/node_modules/@envstack/pulumi-envstack
$(EXAMPLES_TS)/node_modules/.sdk-copied: build/sdk/nodejs.stamp $(EXAMPLES_TS)/node_modules/.installed-from-lock
	rm -rf $(EXAMPLES_TS_SDK) && cp -R build/sdk/nodejs/package/bin $(EXAMPLES_TS_SDK)
	touch $@

# The YAML engine harness, compiled once; tests/examples_mocks runs it per case.
$(EXAMPLES_BUILD)/yaml_engine.test: $(wildcard $(YAML_ENGINE)/*.go) $(YAML_ENGINE)/go.mod $(YAML_ENGINE)/go.sum
	mkdir -p $(dir $@)
	cd $(YAML_ENGINE) && $(EXAMPLES_GO_ENV) go test -c -o $(abspath $@) .

test-examples: examples-deps ## The stack file checks and the YAML program under Pulumi YAML's engine.
	$(VENV)/bin/pytest tests/examples_mocks --no-cov
