# SDKs: generated from schema.json by Pulumi's own code generators, used as a
# Go library by tools/sdkgen, then built with each language's own toolchain.
#
#   make sdks             regenerate sdk/{python,nodejs,go,dotnet,java} from schema.json
#   make sdk-build        build the Python, TypeScript, Go and Java SDKs (below)
#   make sdk-python       wheel + sdist into build/sdk/python/
#   make sdk-python-venv  a fresh virtualenv with only that wheel and its
#                         dependencies, for the consumer checks in tests/sdk_build
#   make sdk-nodejs       npm ci (locked) + tsc, packed as build/sdk/nodejs/*.tgz
#   make sdk-go           go build ./... and go vet ./... in sdk/go
#   make sdk-java         Maven build of sdk/java into build/sdk/java/, installed
#                         into the local Maven repository
#   make sdk-nodejs-lock  re-resolve sdk/nodejs/package-lock.json
#
# Java's generator (pulumi-java) needs an older pkg/v3 than the others, so it
# is its own Go module and binary, tools/sdkgen-java, which sdkgen runs.
# .NET is generated into sdk/dotnet but not compiled: there is no .NET
# toolchain on the build machines. Builds happen under build/sdk/, never in
# sdk/, so that sdk/ holds exactly what the generators wrote.

SDKGEN := build/bin/sdkgen
SDKGEN_SOURCES := $(wildcard tools/sdkgen/*.go) tools/sdkgen/go.mod tools/sdkgen/go.sum
SDKGEN_JAVA := build/bin/sdkgen-java
SDKGEN_JAVA_SOURCES := $(wildcard tools/sdkgen-java/*.go) tools/sdkgen-java/go.mod tools/sdkgen-java/go.sum
SDK_BUILD := build/sdk
# Go builds use only the checked-in go.mod/go.sum and the Go module proxy.
# The checksum database answers 404 for github.com/pulumi/pulumi-java/pkg, so
# that one module is exempt from the lookup; its hash is in
# tools/sdkgen-java/go.sum, which the go command checks it against.
SDK_GO_ENV := GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false" GONOSUMDB=github.com/pulumi/pulumi-java/pkg

sdk_files = $(shell find sdk/$(1) -type f -not -path '*/node_modules/*' 2>/dev/null)

.PHONY: sdks sdkgen sdk-build sdk-python sdk-python-venv sdk-nodejs sdk-go sdk-java sdk-nodejs-lock

TEST_PREREQS += sdkgen sdk-build sdk-python-venv

$(SDKGEN): $(SDKGEN_SOURCES)
	mkdir -p $(dir $@)
	cd tools/sdkgen && $(SDK_GO_ENV) go vet . && $(SDK_GO_ENV) go build -o $(abspath $@) .

$(SDKGEN_JAVA): $(SDKGEN_JAVA_SOURCES)
	mkdir -p $(dir $@)
	cd tools/sdkgen-java && $(SDK_GO_ENV) go vet . && $(SDK_GO_ENV) go build -o $(abspath $@) .

sdkgen: $(SDKGEN) $(SDKGEN_JAVA) ## Build the SDK generators (tools/sdkgen, tools/sdkgen-java).

sdks: $(SDKGEN) $(SDKGEN_JAVA) ## Regenerate sdk/{python,nodejs,go,dotnet,java} from schema.json.
	$(SDKGEN) -schema schema.json -out sdk -java-gen $(SDKGEN_JAVA)

sdk-build: sdk-python sdk-nodejs sdk-go sdk-java ## Build the Python, TypeScript, Go and Java SDKs with their toolchains.

# Python: `python -m build` (isolated, setuptools from PyPI) makes the sdist
# and the wheel the examples install; SOURCE_DATE_EPOCH makes the wheel the same
# bytes for the same sources, so regenerating an unchanged SDK reinstalls nothing.
sdk-python: $(SDK_BUILD)/python.stamp ## Build the Python SDK's wheel and sdist into build/sdk/python/.
$(SDK_BUILD)/python.stamp: $(VENV_STAMP) $(call sdk_files,python)
	rm -rf $(SDK_BUILD)/python && mkdir -p $(SDK_BUILD)/python
	SOURCE_DATE_EPOCH=315532800 $(PY) -m build --outdir $(SDK_BUILD)/python sdk/python
	touch $@

# A virtualenv of its own with the wheel installed as a user installs it (its
# dependencies pinned by requirements/dev.txt), so nothing from .venv can hide a
# missing file or dependency. Built here rather than inside pytest, so the
# tests' time is the tests' own; rebuilt whole whenever the wheel changes.
SDK_PYTHON_VENV := $(SDK_BUILD)/python-venv
sdk-python-venv: $(SDK_PYTHON_VENV)/.installed ## A fresh virtualenv with the Python SDK's wheel installed.
$(SDK_PYTHON_VENV)/.installed: $(SDK_BUILD)/python.stamp requirements/dev.txt
	rm -rf $(SDK_PYTHON_VENV)
	$(PYTHON) -m venv $(SDK_PYTHON_VENV)
	$(SDK_PYTHON_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
		-c requirements/dev.txt $(SDK_BUILD)/python/pulumi_envstack-$$(cat $(VERSION_FILE))-py3-none-any.whl
	touch $@

# TypeScript: a staged copy of sdk/nodejs gets `npm ci` from the committed
# lockfile (skipped while node_modules was installed from the same lockfile),
# then `tsc`; bin/ with package.json is packed as Pulumi's SDKs ship.
SDK_NODE := $(SDK_BUILD)/nodejs
sdk-nodejs: $(SDK_BUILD)/nodejs.stamp ## Compile the TypeScript SDK and pack it into build/sdk/nodejs/.
$(SDK_BUILD)/nodejs.stamp: $(call sdk_files,nodejs)
	mkdir -p $(SDK_NODE)/package
	find $(SDK_NODE)/package -mindepth 1 -maxdepth 1 -not -name node_modules -exec rm -rf {} +
	find sdk/nodejs -mindepth 1 -maxdepth 1 -not -name node_modules -not -name bin \
		-exec cp -R {} $(SDK_NODE)/package/ \;
	if ! cmp -s sdk/nodejs/package-lock.json $(SDK_NODE)/package/node_modules/.installed-from-lock; then \
		cd $(SDK_NODE)/package && npm ci --ignore-scripts --no-audit --no-fund \
		&& cp package-lock.json node_modules/.installed-from-lock; \
	fi
	cd $(SDK_NODE)/package && node_modules/.bin/tsc
	cp $(SDK_NODE)/package/package.json $(SDK_NODE)/package/README.md $(SDK_NODE)/package/bin/
	rm -f $(SDK_NODE)/*.tgz
	cd $(SDK_NODE)/package/bin && npm pack --ignore-scripts --silent --pack-destination $(abspath $(SDK_NODE)) >/dev/null
	touch $@

# Go: build and vet the module as a consumer's `go get` would see it.
sdk-go: $(SDK_BUILD)/go.stamp ## go build ./... and go vet ./... in sdk/go.
$(SDK_BUILD)/go.stamp: $(call sdk_files,go)
	mkdir -p $(SDK_BUILD)
	cd sdk/go && $(SDK_GO_ENV) go build ./... && $(SDK_GO_ENV) go vet ./...
	touch $@

# Java: the generated Gradle build cannot run here (no Gradle), so
# tools/sdk_java/maven_project.py stages a Maven project under build/sdk/java/
# from what the generated build.gradle declares (pom.xml from
# tools/sdk_java/pom.xml.in, a copy of the sources, version.txt and
# plugin.json), and Maven compiles, packs and installs it into the local Maven
# repository against com.pulumi:pulumi from Maven Central. Maven runs offline
# (-o) first and goes to the network only when its cache lacks something, so
# a warm cache builds without any network. classpath.txt is the SDK's compile
# classpath, for the consumer checks in tests/sdk_build.
SDK_JAVA := $(SDK_BUILD)/java
SDK_JAVA_PROJECT := $(SDK_JAVA)/package
MVN := mvn -B -q --no-transfer-progress
# maven-dependency-plugin without a version: Maven takes it from the project's
# <pluginManagement> (tools/sdk_java/pom.xml.in, examples/java/pom.xml), the one
# place it is pinned; tests/sdk_build/test_maven_plugin_pins.py holds them equal.
MVN_DEPENDENCY := org.apache.maven.plugins:maven-dependency-plugin
# $(1): the Maven arguments; $(2): where the offline attempt's log goes (shown
# only if the online retry fails too, since then it may say more).
mvn_offline_first = $(MVN) -o $(1) >$(2) 2>&1 || $(MVN) $(1) || { cat $(2); exit 1; }
sdk-java: $(SDK_BUILD)/java.stamp ## Build the Java SDK with Maven into build/sdk/java/ and install it locally.
$(SDK_BUILD)/java.stamp: $(VENV_STAMP) $(call sdk_files,java) tools/sdk_java/pom.xml.in tools/sdk_java/maven_project.py
	$(PY) tools/sdk_java/maven_project.py sdk/java tools/sdk_java/pom.xml.in $(SDK_JAVA_PROJECT)
	$(call mvn_offline_first,-f $(SDK_JAVA_PROJECT)/pom.xml install \
		$(MVN_DEPENDENCY):build-classpath -Dmdep.outputFile=$(abspath $(SDK_JAVA))/classpath.txt,$(SDK_JAVA)/offline.log)
	touch $@

# The Node SDK's lockfile. @pulumi/pulumi is resolved at NODE_PULUMI_VERSION,
# the newest release that supports the machines' Node 20, inside the range the
# generated package.json allows; the generated package.json is left untouched.
NODE_PULUMI_VERSION := 3.248.0

sdk-nodejs-lock: ## Re-resolve sdk/nodejs/package-lock.json (pins @pulumi/pulumi, typescript).
	rm -rf $(SDK_BUILD)/lock && mkdir -p $(SDK_BUILD)/lock
	cp sdk/nodejs/package.json $(SDK_BUILD)/lock/
	cd $(SDK_BUILD)/lock && npm install --package-lock-only --ignore-scripts --no-audit --no-fund \
		--save-prefix='^' @pulumi/pulumi@$(NODE_PULUMI_VERSION)
	python3 -c 'import json, sys; a, b = (json.load(open(f))["dependencies"] for f in sys.argv[1:]); sys.exit(a != b)' \
		$(SDK_BUILD)/lock/package.json sdk/nodejs/package.json \
		|| { echo "@pulumi/pulumi@$(NODE_PULUMI_VERSION) is outside the generated package.json's range" >&2; exit 1; }
	cp $(SDK_BUILD)/lock/package-lock.json sdk/nodejs/package-lock.json
	rm -rf $(SDK_BUILD)/lock
