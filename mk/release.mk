# Release: one version everywhere, every artifact in dist/, each SDK published to
# the internal registry of its kind. The steps live in tools/release/ (versions,
# distributions, and one publisher per registry); docs/publishing.md walks
# through a release from version bump to published.
#
#   make version VERSION=1.2.0        stamp, regenerate schema and SDKs, check
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

.PHONY: version dist publish publish-python publish-npm publish-maven publish-go check-versions goproxy

# The Java example names the SDK release it uses in a Maven property;
# `make version` moves it with the rest (the Java SDK itself is generated).
JAVA_EXAMPLE_POM := examples/java/pom.xml

version: $(VENV_STAMP) ## Set the release version everywhere: make version VERSION=x.y.z
	@test -n "$(VERSION)" || { echo "usage: make version VERSION=x.y.z" >&2; exit 2; }
	$(PY) -m tools.release stamp "$(VERSION)"
	sed -i -E 's|<envstack\.version>[^<]*</envstack\.version>|<envstack.version>$(VERSION)</envstack.version>|' $(JAVA_EXAMPLE_POM)
	grep -q '<envstack.version>$(VERSION)</envstack.version>' $(JAVA_EXAMPLE_POM)
	$(MAKE) --no-print-directory schema
	$(MAKE) --no-print-directory sdks
	$(PY) -m tools.release check

check-versions: $(VENV_STAMP) ## Fail unless every copy of the version agrees with VERSION.
	$(PY) -m tools.release check

dist: $(VENV_STAMP) $(DIST_PREREQS) ## Build wheels, sdists, the npm tarball and the plugin tarball into dist/.
	@case "$(DIST_DIR)" in ""|/|.|./|..|../) echo "DIST_DIR must name a directory of its own" >&2; exit 2;; esac
	rm -rf "$(DIST_DIR)" && mkdir -p "$(DIST_DIR)"
	$(PY) -m tools.release dist "$(DIST_DIR)"

publish: publish-python publish-npm publish-maven publish-go ## Publish the release to every internal registry (see mk/release.mk).

# Silent recipes: make must not echo a command line, whatever the URLs hold.
publish-python: $(VENV_STAMP) ## Upload dist/'s wheels and sdists with twine: REPOSITORY_URL=...
	@$(PY) -m tools.release publish "$(REPOSITORY_URL)" "$(DIST_DIR)"

publish-npm: $(VENV_STAMP) ## npm publish dist/'s TypeScript SDK: NPM_REGISTRY_URL=... with NPM_TOKEN set.
	@$(PY) -m tools.release publish-npm "$(NPM_REGISTRY_URL)" "$(DIST_DIR)"

publish-maven: $(VENV_STAMP) sdk-java ## mvn deploy the Java SDK (jar, POM, sources, javadoc): MAVEN_REPOSITORY_URL=...
	@$(PY) -m tools.release publish-maven "$(MAVEN_REPOSITORY_URL)"

publish-go: $(VENV_STAMP) goproxy ## Write the Go SDK's module into a module proxy's folder: GOPROXY_DIR=...
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

TEST_PREREQS += goproxy verdaccio
