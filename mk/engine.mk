# The real Pulumi engine, built offline from the Go module proxy.
#
#   make engine          the pinned Pulumi CLI and pulumi-language-yaml into
#                        build/toolchain/bin, and the plugin folder the tests
#                        and the demo put on the engine's PATH
#   make aws-metadata    regenerate the stand-in AWS plugin's metadata from
#                        pulumi-aws's SDK
#   make test-engine     tests/engine_real alone
#   make test-engine-moto  tests/engine_moto alone: the engine deploying onto moto
#   make capture-requests  capture the analyzer requests of real previews and
#                        updates into tests/policy_grpc/engine_requests/, which
#                        the pack's fast replay tests send again
#   make event-logs        record the rule breakers' preview event logs into
#                        tests/policy_unit/event_logs/, which the report's fast
#                        tests read
#
# The CLI and the YAML host are pinned by tools/engine/{cli,yaml}/go.mod and
# go.sum (two modules: pulumi-yaml v1.25.0 builds against an older pkg/v3 than
# the CLI's). Each binary is rebuilt only when its module's files change; the
# first build takes about six minutes on two cores and prints a line of
# progress every 30 seconds.

ENGINE_VERSION := v3.274.1
TOOLCHAIN := build/toolchain/bin
ENGINE_PLUGINS := build/engine/plugins
ENGINE_GO_ENV := GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false"
ENGINE_CLI := $(TOOLCHAIN)/pulumi
ENGINE_YAML := $(TOOLCHAIN)/pulumi-language-yaml
# Prints a line while a long build runs, so a first `make test` is not silent for minutes.
ENGINE_PROGRESS = ( while sleep 30; do echo "  ... still building $(1) ($$(( SECONDS / 60 )) min $$(( SECONDS % 60 )) s)"; done ) & progress=$$!; trap "kill $$progress 2>/dev/null" EXIT

.PHONY: engine aws-metadata test-engine test-engine-moto capture-requests event-logs

TEST_PREREQS += engine

engine: $(ENGINE_CLI) $(ENGINE_YAML) $(ENGINE_PLUGINS)/.stamp ## Build the pinned Pulumi CLI and YAML host, and the plugin folder.

$(ENGINE_CLI): tools/engine/cli/go.mod tools/engine/cli/go.sum tools/engine/cli/tools.go
	@echo "building the Pulumi CLI $(ENGINE_VERSION) from the Go module proxy (about 6 minutes the first time)"
	@mkdir -p $(dir $@)
	@SECONDS=0; $(call ENGINE_PROGRESS,pulumi); \
		cd tools/engine/cli && $(ENGINE_GO_ENV) go build -o $(abspath $@) \
		-ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$(ENGINE_VERSION)" \
		github.com/pulumi/pulumi/pkg/v3/cmd/pulumi; \
		echo "built $@ in $$SECONDS s"

$(ENGINE_YAML): tools/engine/yaml/go.mod tools/engine/yaml/go.sum tools/engine/yaml/tools.go
	@echo "building pulumi-language-yaml from the Go module proxy"
	@mkdir -p $(dir $@)
	@SECONDS=0; $(call ENGINE_PROGRESS,pulumi-language-yaml); \
		cd tools/engine/yaml && $(ENGINE_GO_ENV) go build -o $(abspath $@) \
		github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml; \
		echo "built $@ in $$SECONDS s"

# The plugins the engine starts, found on PATH as it finds any executable
# plugin: envstack's own (the provider package's console script, as
# `pip install envstack-provider` installs it), the stand-in AWS plugin and the
# test plugin that registers rule-breaking resources (both from the test kit).
$(ENGINE_PLUGINS)/.stamp: $(VENV_STAMP) mk/engine.mk
	rm -rf $(ENGINE_PLUGINS) && mkdir -p $(ENGINE_PLUGINS)
	ln -s $(abspath $(VENV))/bin/pulumi-resource-envstack $(ENGINE_PLUGINS)/pulumi-resource-envstack
	for plugin in aws:envstack_testkit.aws_standin envstackbroken:envstack_testkit.broken_plugin; do \
		name=$${plugin%%:*}; module=$${plugin#*:}; \
		printf '#!/bin/sh\n# Test plugin %s, run from the test kit; never on a user'"'"'s PATH.\nexec "%s" -m %s "$$@"\n' \
			"$$name" "$(abspath $(PY))" "$$module" > $(ENGINE_PLUGINS)/pulumi-resource-$$name; \
		chmod +x $(ENGINE_PLUGINS)/pulumi-resource-$$name; \
	done
	touch $@

aws-metadata: $(VENV_STAMP) ## Regenerate the stand-in AWS plugin's metadata from pulumi-aws's SDK.
	$(PY) tools/aws_metadata.py

test-engine: $(VENV_STAMP) engine ## The real-engine tests (tests/engine_real) alone.
	$(VENV)/bin/pytest tests/engine_real --no-cov

test-engine-moto: $(VENV_STAMP) engine ## The real engine deploying onto moto (tests/engine_moto) alone.
	$(VENV)/bin/pytest tests/engine_moto --no-cov

capture-requests: $(VENV_STAMP) engine ## Capture the real engine's analyzer requests as replay fixtures.
	$(PY) tools/capture_engine_requests.py

event-logs: $(VENV_STAMP) engine ## Record the real engine's event logs that envstack-policy report's fast tests read.
	$(PY) tools/record_event_logs.py
