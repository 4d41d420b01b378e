# Examples: one consumer program per language in examples/. What their tests
# run on is installed here: tests/engine_automation runs the Python,
# TypeScript, Go and Java programs under the real engine through their
# Automation APIs (mk/examples_automation.mk compiles the drivers), and
# tests/examples_files checks the project and stack files.
#
#   make examples-deps   the built Python SDK wheel in .venv and the
#                        TypeScript example's locked node_modules
#   make test-examples   tests/examples_files alone
#
# The SDKs come from mk/sdk.mk's builds (build/sdk/); each step below reruns
# only when its inputs changed, so repeated `make test` runs skip them.

EXAMPLES_BUILD := build/examples
EXAMPLES_GO_ENV := GOWORK=off GOFLAGS=-mod=readonly
EXAMPLES_TS := examples/typescript

.PHONY: examples-deps test-examples

TEST_PREREQS += examples-deps

EXAMPLES_DEPS := $(EXAMPLES_BUILD)/python-sdk.stamp $(EXAMPLES_TS)/node_modules/.sdk-copied

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

test-examples: $(VENV_STAMP) ## The examples' project and stack file checks.
	$(VENV)/bin/pytest tests/examples_files --no-cov
