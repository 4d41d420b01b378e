# SDKs: generated from schema.json by Pulumi's own code generators, used as a
# Go library by tools/sdkgen, then built with each language's own toolchain.
#
#   make sdks             regenerate sdk/{python,nodejs,go,dotnet} from schema.json
#   make sdk-build        build the Python, TypeScript and Go SDKs (below)
#   make sdk-python       wheel + sdist into build/sdk/python/
#   make sdk-nodejs       npm ci (locked) + tsc, packed as build/sdk/nodejs/*.tgz
#   make sdk-go           go build ./... and go vet ./... in sdk/go
#   make sdk-nodejs-lock  re-resolve sdk/nodejs/package-lock.json
#
# .NET is generated into sdk/dotnet but not compiled: there is no .NET
# toolchain on the build machines. Builds happen under build/sdk/, never in
# sdk/, so that sdk/ holds exactly what the generators wrote.

SDKGEN := build/bin/sdkgen
SDKGEN_SOURCES := $(wildcard tools/sdkgen/*.go) tools/sdkgen/go.mod tools/sdkgen/go.sum
SDK_BUILD := build/sdk
# Go builds use only the checked-in go.mod/go.sum and the Go module proxy.
SDK_GO_ENV := GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false"

sdk_files = $(shell find sdk/$(1) -type f -not -path '*/node_modules/*' 2>/dev/null)

.PHONY: sdks sdkgen sdk-build sdk-python sdk-nodejs sdk-go sdk-nodejs-lock

TEST_PREREQS += sdkgen sdk-build

$(SDKGEN): $(SDKGEN_SOURCES)
	mkdir -p $(dir $@)
	cd tools/sdkgen && $(SDK_GO_ENV) go vet . && $(SDK_GO_ENV) go build -o $(abspath $@) .

sdkgen: $(SDKGEN) ## Build the SDK generator (tools/sdkgen).

sdks: $(SDKGEN) ## Regenerate sdk/{python,nodejs,go,dotnet} from schema.json.
	$(SDKGEN) -schema schema.json -out sdk

sdk-build: sdk-python sdk-nodejs sdk-go ## Build the Python, TypeScript and Go SDKs with their toolchains.

# Python: `python -m build` (isolated, setuptools from PyPI) makes the sdist
# and the wheel the examples install; SOURCE_DATE_EPOCH makes the wheel the same
# bytes for the same sources, so regenerating an unchanged SDK reinstalls nothing.
sdk-python: $(SDK_BUILD)/python.stamp ## Build the Python SDK's wheel and sdist into build/sdk/python/.
$(SDK_BUILD)/python.stamp: $(VENV_STAMP) $(call sdk_files,python)
	rm -rf $(SDK_BUILD)/python && mkdir -p $(SDK_BUILD)/python
	SOURCE_DATE_EPOCH=315532800 $(PY) -m build --outdir $(SDK_BUILD)/python sdk/python
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
