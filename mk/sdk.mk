# SDKs: generated from schema.json by Pulumi's own code generators, used as a
# Go library by tools/sdkgen, then built with each language's own toolchain.

SDKGEN := build/bin/sdkgen
SDKGEN_SOURCES := $(wildcard tools/sdkgen/*.go) tools/sdkgen/go.mod tools/sdkgen/go.sum
# Go builds need only the Go module proxy; GOWORK=off keeps a stray go.work out.
GO_ENV := GOWORK=off GOFLAGS=-mod=readonly

.PHONY: sdks sdkgen

$(SDKGEN): $(SDKGEN_SOURCES)
	mkdir -p $(dir $@)
	cd tools/sdkgen && $(GO_ENV) go build -o $(abspath $@) .

sdkgen: $(SDKGEN) ## Build the SDK generator (tools/sdkgen).

sdks: $(SDKGEN) ## Regenerate sdk/{python,nodejs,go,dotnet} from schema.json.
	$(SDKGEN) -schema schema.json -out sdk

# The Node SDK's lockfile. @pulumi/pulumi is resolved at NODE_PULUMI_VERSION,
# the newest release that supports the machines' Node 20, inside the range the
# generated package.json allows; the generated package.json is left untouched.
NODE_PULUMI_VERSION := 3.248.0

.PHONY: sdk-nodejs-lock
sdk-nodejs-lock: ## Re-resolve sdk/nodejs/package-lock.json (pins @pulumi/pulumi, typescript).
	rm -rf build/sdk-lock && mkdir -p build/sdk-lock
	cp sdk/nodejs/package.json build/sdk-lock/
	cd build/sdk-lock && npm install --package-lock-only --ignore-scripts --no-audit --no-fund \
		--save-prefix='^' @pulumi/pulumi@$(NODE_PULUMI_VERSION)
	python3 -c 'import json, sys; a, b = (json.load(open(f))["dependencies"] for f in sys.argv[1:]); sys.exit(a != b)' \
		build/sdk-lock/package.json sdk/nodejs/package.json \
		|| { echo "@pulumi/pulumi@$(NODE_PULUMI_VERSION) is outside the generated package.json's range" >&2; exit 1; }
	cp build/sdk-lock/package-lock.json sdk/nodejs/package-lock.json
	rm -rf build/sdk-lock
