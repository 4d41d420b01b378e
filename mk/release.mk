# Release: one version everywhere, every artifact in dist/, each SDK published to
# the internal registry of its kind. The steps live in tools/release/ (versions,
# distributions, and one publisher per registry); docs/publishing.md walks
# through a release from version bump to published.
#
#   make version VERSION=1.2.0        refuse a bump smaller than CHANGELOG.md and schema-tools
#                                     require, stamp, regenerate schema and SDKs, check
#   make changelog-schema             schema-tools' report into VERSION's changelog entry
#   make release-artifacts            releases/VERSION/: schema.json and the upgrade baselines
#   make release-history              earlier releases rebuilt from git (releases/*/COMMIT)
#   make dist                         build every artifact into dist/
#   make publish REPOSITORY_URL=https://pypi.internal.example/ \
#       NPM_REGISTRY_URL=https://npm.internal.example/ \
#       MAVEN_REPOSITORY_URL=https://maven.internal.example/releases \
#       GOPROXY_DIR=/srv/goproxy      all four below, in that order
#   make publish-python               dist/'s wheels and sdists, with twine (TWINE_* or ~/.pypirc)
#   make publish-npm                  @envstack/pulumi-envstack, npm publish (NPM_TOKEN)
#   make publish-maven                com.envstack:envstack with sources and javadoc, mvn deploy
#                                     (credentials: settings.xml <server> envstack-internal)
#   make publish-go                   github.com/envstack/envstack/sdk/go into a GOPROXY folder
#
# ENVSTACK_PLUGIN_DOWNLOAD_URL, when set for `make schema`/`make version`, becomes the
# schema's pluginDownloadURL (the team's artifact server); unset, the repository's releases.

DIST_DIR ?= dist
REPOSITORY_URL ?=
NPM_REGISTRY_URL ?=
MAVEN_REPOSITORY_URL ?=
GOPROXY_DIR ?=
# `make dist` packs the TypeScript SDK that mk/sdk.mk's sdk-nodejs compiled.
DIST_PREREQS ?= sdk-nodejs


.PHONY: changelog-schema check-changelog version dist publish publish-python publish-npm publish-maven publish-go check-versions goproxy

# `make version` refuses a malformed version (and a major of 2 or more while the
# Go SDK's module path has no /vN), then a version smaller than CHANGELOG.md's
# entry ([x.y.z], or [Unreleased], which it renames) or schema-tools' comparison
# with the last release (releases/<version>/schema.json) requires; then it
# stamps every copy (the changelog's heading too), regenerates the schema and
# SDKs, and writes the comparison's report into the entry.
version: $(VENV_STAMP) ## Set the release version everywhere: make version VERSION=x.y.z
	@test -n "$(VERSION)" || { echo "usage: make version VERSION=x.y.z" >&2; exit 2; }
	$(PY) -m tools.release validate "$(VERSION)"
	$(MAKE) --no-print-directory schema schema-tools
	$(PY) -m tools.release check-release "$(VERSION)"
	$(PY) -m tools.release stamp "$(VERSION)"
	$(MAKE) --no-print-directory schema
	$(MAKE) --no-print-directory sdks
	$(PY) -m tools.release changelog-schema
	$(PY) -m tools.release check

changelog-schema: $(VENV_STAMP) schema-tools ## Write schema-tools' comparison with the last release into VERSION's changelog entry.
	$(PY) -m tools.release changelog-schema

check-changelog: $(VENV_STAMP) ## Fail unless CHANGELOG.md has a dated entry for VERSION (make publish runs it first).
	@$(PY) -m tools.release check-changelog

check-versions: $(VENV_STAMP) ## Fail unless every copy of the version agrees with VERSION.
	$(PY) -m tools.release check

dist: $(VENV_STAMP) $(DIST_PREREQS) ## Build wheels, sdists, the npm tarball and the plugin tarball into dist/.
	@case "$(DIST_DIR)" in ""|/|.|./|..|../) echo "DIST_DIR must name a directory of its own" >&2; exit 2;; esac
	rm -rf "$(DIST_DIR)" && mkdir -p "$(DIST_DIR)"
	$(PY) -m tools.release dist "$(DIST_DIR)"

publish: publish-python publish-npm publish-maven publish-go ## Publish the release to every internal registry (see mk/release.mk).

# Silent recipes: make must not echo a command line, whatever the URLs hold.
publish-python: $(VENV_STAMP) check-changelog ## Upload dist/'s wheels and sdists with twine: REPOSITORY_URL=...
	@$(PY) -m tools.release publish "$(REPOSITORY_URL)" "$(DIST_DIR)"

publish-npm: $(VENV_STAMP) check-changelog ## npm publish dist/'s TypeScript SDK: NPM_REGISTRY_URL=... with NPM_TOKEN set.
	@$(PY) -m tools.release publish-npm "$(NPM_REGISTRY_URL)" "$(DIST_DIR)"

publish-maven: $(VENV_STAMP) check-changelog sdk-java ## mvn deploy the Java SDK (jar, POM, sources, javadoc): MAVEN_REPOSITORY_URL=...
	@$(PY) -m tools.release publish-maven "$(MAVEN_REPOSITORY_URL)"

publish-go: $(VENV_STAMP) check-changelog goproxy ## Write the Go SDK's module into a module proxy's folder: GOPROXY_DIR=...
	@$(PY) -m tools.release publish-go "$(GOPROXY_DIR)"

# tools/goproxy writes a module version in the GOPROXY protocol's layout with
# golang.org/x/mod's own zip code (checked-in go.mod/go.sum, the Go module proxy).
GOPROXY_TOOL := build/bin/goproxy
goproxy: $(GOPROXY_TOOL) ## Build tools/goproxy, which lays a module version out for a Go module proxy.
$(GOPROXY_TOOL): tools/goproxy/main.go tools/goproxy/go.mod tools/goproxy/go.sum
	mkdir -p $(dir $@)
	cd tools/goproxy && $(SDK_GO_ENV) go vet . && $(SDK_GO_ENV) go build -o $(abspath $@) .

# The npm registry the release tests publish to and install from: verdaccio,
# from tools/verdaccio's lockfile (npm ci, once per lockfile).
VERDACCIO_DIR := tools/verdaccio
VERDACCIO_STAMP := $(VERDACCIO_DIR)/node_modules/.installed-from-lock
.PHONY: verdaccio
verdaccio: $(VERDACCIO_STAMP) ## Install the verdaccio npm registry the release tests run (tools/verdaccio).
$(VERDACCIO_STAMP): $(VERDACCIO_DIR)/package.json $(VERDACCIO_DIR)/package-lock.json
	cd $(VERDACCIO_DIR) && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline
	cp $(VERDACCIO_DIR)/package-lock.json $@

# Pulumi's schema-tools (tools/schema-tools: upstream v0.7.0's source with one
# patch, see its README) compares schema.json with the last release's.
SCHEMA_TOOLS := build/bin/schema-tools
.PHONY: schema-tools
schema-tools: $(SCHEMA_TOOLS) ## Build Pulumi's schema-tools (tools/schema-tools) for the release checks.
$(SCHEMA_TOOLS): $(shell find tools/schema-tools -name '*.go') tools/schema-tools/go.mod tools/schema-tools/go.sum
	mkdir -p $(dir $@)
	cd tools/schema-tools && $(ENGINE_GO_ENV) go build -o $(abspath $@) .

TEST_PREREQS += goproxy verdaccio schema-tools

# The upgrade baselines: the state `pulumi up` of examples/yaml leaves on moto
# for dev, staging and prod, recorded with this checkout's plugin under
# releases/$(VERSION)/baselines/, with schema.json beside them. Run at release
# time, after `make version`; the next release's tests/engine_upgrade preview
# its code against them.
.PHONY: release-artifacts
release-artifacts: $(VENV_STAMP) engine ## Record VERSION's schema and upgrade baselines under releases/VERSION/.
	mkdir -p releases/$$(cat VERSION)
	cp schema.json releases/$$(cat VERSION)/schema.json
	$(PY) -m envstack_testkit.upgrade $$(cat VERSION)

# Earlier releases as a user installs them: each releases/<version>/COMMIT
# names the commit the release was built from, and the release is built again
# from git history by that commit's own `make dist` (into
# build/release-history/<version>/dist), for tests/engine_upgrade's upgrade on
# moto, which serves it from a package index on loopback.
RELEASE_HISTORY := build/release-history
HISTORY_VERSIONS := $(patsubst releases/%/COMMIT,%,$(wildcard releases/*/COMMIT))
HISTORY_DISTS := $(foreach v,$(HISTORY_VERSIONS),$(RELEASE_HISTORY)/$(v)/dist/SHA256SUMS)
.PHONY: release-history
release-history: $(HISTORY_DISTS) ## Rebuild earlier releases (releases/*/COMMIT) from git history with their own make dist.
$(RELEASE_HISTORY)/%/dist/SHA256SUMS: releases/%/COMMIT $(VENV_STAMP)
	rm -rf $(RELEASE_HISTORY)/$* && mkdir -p $(RELEASE_HISTORY)/$*/src
	git archive "$$(cat releases/$*/COMMIT)" | tar -x -C $(RELEASE_HISTORY)/$*/src
	ln -s $(abspath $(VENV)) $(RELEASE_HISTORY)/$*/src/.venv
	cd $(RELEASE_HISTORY)/$*/src && touch -t 200001010000 requirements/dev.txt */pyproject.toml \
		&& PYTHONPATH="$$PWD/provider:$$PWD/testkit" $(MAKE) --no-print-directory dist DIST_DIR=$(abspath $(RELEASE_HISTORY)/$*/dist)
	test "$$(cat $(RELEASE_HISTORY)/$*/src/VERSION)" = "$*"

TEST_PREREQS += release-history
