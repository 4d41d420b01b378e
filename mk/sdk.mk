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
