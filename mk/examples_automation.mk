# The Python, TypeScript, Go and Java examples under the real engine, each
# run inline by its own language's Automation API (envstack_testkit.automation).
#
#   make automation-deps   compile each language's driver once: the TypeScript
#                          example and its driver with the example's own tsc,
#                          the Go example's test binary (automation_test.go),
#                          the Java example with Maven and its driver with javac
#   make test-automation   tests/engine_automation alone
#
# Each rule reruns only when its inputs changed. The Python driver needs no
# build: it runs with .venv's Python and the SDK wheel examples-deps installs.

AUTOMATION_BUILD := build/engine_automation
AUTOMATION_DRIVERS := testkit/envstack_testkit/automation
AUTOMATION_TSC := $(EXAMPLES_TS)/node_modules/.bin/tsc
EXAMPLES_JAVA := examples/java

.PHONY: automation-deps test-automation

AUTOMATION_DEPS := $(EXAMPLES_BUILD)/python-sdk.stamp $(AUTOMATION_BUILD)/typescript/driver.js \
	$(AUTOMATION_BUILD)/go_automation.test $(AUTOMATION_BUILD)/java.stamp

TEST_PREREQS += automation-deps

automation-deps: $(AUTOMATION_DEPS) ## Compile each language's Automation API driver.

# The demo previews the Python example: its SDK must be installed.
demo: $(EXAMPLES_BUILD)/python-sdk.stamp

# The example as `pulumi up` would compile it (package.json's build: tsc), into bin/.
$(EXAMPLES_TS)/bin/index.js: $(EXAMPLES_TS)/index.ts $(EXAMPLES_TS)/tsconfig.json $(EXAMPLES_TS)/node_modules/.sdk-copied
	cd $(EXAMPLES_TS) && node_modules/.bin/tsc -p .
	touch $@

$(AUTOMATION_BUILD)/typescript/driver.js: $(AUTOMATION_DRIVERS)/typescript/driver.ts \
		$(AUTOMATION_DRIVERS)/typescript/tsconfig.json $(EXAMPLES_TS)/bin/index.js
	$(AUTOMATION_TSC) -p $(AUTOMATION_DRIVERS)/typescript
	touch $@

# The Go example's tests, compiled once: automation_test.go calls its program.
# -trimpath keeps source paths out of the build cache's keys, so the release
# tests' consumer of the published module (a fresh GOMODCACHE elsewhere)
# reuses these compiled packages.
$(AUTOMATION_BUILD)/go_automation.test: $(wildcard examples/go/*.go) examples/go/go.mod examples/go/go.sum \
		build/sdk/go.stamp
	mkdir -p $(dir $@)
	cd examples/go && $(EXAMPLES_GO_ENV) go test -trimpath -c -o $(abspath $@) .

# Java: Maven compiles the example as the Java language host would, against the
# SDK `make sdk-java` installed into the local Maven repository (offline first,
# as mk/sdk.mk does), and writes its classpath; javac compiles the driver
# against it. java.classpath is what the harness runs the driver with.
$(AUTOMATION_BUILD)/java.stamp: build/sdk/java.stamp $(EXAMPLES_JAVA)/pom.xml \
		$(shell find $(EXAMPLES_JAVA)/src -name '*.java' 2>/dev/null) $(AUTOMATION_DRIVERS)/java/RunAutomation.java
	mkdir -p $(AUTOMATION_BUILD)
	$(call mvn_offline_first,-f $(EXAMPLES_JAVA)/pom.xml compile \
		$(MVN_DEPENDENCY):build-classpath -Dmdep.outputFile=$(abspath $(AUTOMATION_BUILD))/java-dependencies.txt,$(AUTOMATION_BUILD)/java-offline.log)
	rm -rf $(AUTOMATION_BUILD)/java-driver && mkdir -p $(AUTOMATION_BUILD)/java-driver
	javac -Xlint:all -Werror -d $(AUTOMATION_BUILD)/java-driver \
		-cp $(EXAMPLES_JAVA)/target/classes:$$(cat $(AUTOMATION_BUILD)/java-dependencies.txt) \
		$(AUTOMATION_DRIVERS)/java/RunAutomation.java
	echo "$(abspath $(AUTOMATION_BUILD))/java-driver:$(abspath $(EXAMPLES_JAVA))/target/classes:$$(cat $(AUTOMATION_BUILD)/java-dependencies.txt)" \
		> $(AUTOMATION_BUILD)/java.classpath
	touch $@

test-automation: $(VENV_STAMP) engine automation-deps ## The examples under the real engine through their Automation APIs.
	$(VENV)/bin/pytest tests/engine_automation --no-cov
