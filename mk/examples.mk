# Examples: one consumer program per language in examples/, each run under its
# own language's mocks by tests/examples_mocks, whose recorded inputs then go
# to the real provider's Construct.
#
#   make examples-deps   what those tests run on: the built Python SDK wheel in
#                        .venv, the TypeScript example's locked node_modules,
#                        the compiled Go tests (the Go example, the YAML engine)
#                        and the Java example compiled by Maven with its mocks
#                        runner
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

EXAMPLES_JAVA := examples/java
JAVA_RUNNER := tests/examples_mocks/java/RunWithMocks.java

EXAMPLES_DEPS := $(EXAMPLES_BUILD)/python-sdk.stamp $(EXAMPLES_TS)/node_modules/.sdk-copied \
	$(EXAMPLES_BUILD)/go_example.test $(EXAMPLES_BUILD)/yaml_engine.test $(EXAMPLES_BUILD)/java.stamp

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

# Go tests compiled once; tests/examples_mocks runs each binary for all stacks.
# -trimpath keeps source paths out of the build cache's keys, so the release
# tests' consumer of the published module (a fresh GOMODCACHE elsewhere)
# reuses these compiled packages.
$(EXAMPLES_BUILD)/go_example.test: $(wildcard examples/go/*.go) examples/go/go.mod examples/go/go.sum \
		build/sdk/go.stamp
	mkdir -p $(dir $@)
	cd examples/go && $(EXAMPLES_GO_ENV) go test -trimpath -c -o $(abspath $@) .

$(EXAMPLES_BUILD)/yaml_engine.test: $(wildcard $(YAML_ENGINE)/*.go) $(YAML_ENGINE)/go.mod $(YAML_ENGINE)/go.sum
	mkdir -p $(dir $@)
	cd $(YAML_ENGINE) && $(EXAMPLES_GO_ENV) go test -c -o $(abspath $@) .

# Java: Maven compiles the example as the Java language host would, against
# the SDK `make sdk-java` installed into the local Maven repository (offline
# first, as mk/sdk.mk does), and writes its classpath; javac then compiles
# the mocks runner against it. java.classpath is what tests/examples_mocks
# runs the runner with: the runner, the example's classes, their dependencies.
$(EXAMPLES_BUILD)/java.stamp: build/sdk/java.stamp $(EXAMPLES_JAVA)/pom.xml \
		$(shell find $(EXAMPLES_JAVA)/src -name '*.java' 2>/dev/null) $(JAVA_RUNNER)
	mkdir -p $(EXAMPLES_BUILD)
	$(call mvn_offline_first,-f $(EXAMPLES_JAVA)/pom.xml compile \
		$(MVN_DEPENDENCY):build-classpath -Dmdep.outputFile=$(abspath $(EXAMPLES_BUILD))/java-dependencies.txt,$(EXAMPLES_BUILD)/java-offline.log)
	rm -rf $(EXAMPLES_BUILD)/java-runner && mkdir -p $(EXAMPLES_BUILD)/java-runner
	javac -Xlint:all -Werror -d $(EXAMPLES_BUILD)/java-runner \
		-cp $(EXAMPLES_JAVA)/target/classes:$$(cat $(EXAMPLES_BUILD)/java-dependencies.txt) $(JAVA_RUNNER)
	echo "$(abspath $(EXAMPLES_BUILD))/java-runner:$(abspath $(EXAMPLES_JAVA))/target/classes:$$(cat $(EXAMPLES_BUILD)/java-dependencies.txt)" \
		> $(EXAMPLES_BUILD)/java.classpath
	touch $@

test-examples: examples-deps ## Run the examples under each language's mocks, then Construct.
	$(VENV)/bin/pytest tests/examples_mocks --no-cov
