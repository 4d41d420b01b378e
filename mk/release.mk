# Release: one version everywhere, every artifact in dist/, uploaded with twine.
# The steps live in tools/release/{versions,distributions,publishing}.py;
# docs/publishing.md walks through a release from version bump to published.
#
#   make version VERSION=1.2.0                    stamp, regenerate schema and SDKs, check
#   make dist                                     build every artifact into dist/
#   make publish REPOSITORY_URL=https://pypi.internal.example/
#                                                 upload dist/'s wheels and sdists
#
# ENVSTACK_PLUGIN_DOWNLOAD_URL, when set for `make schema`/`make version`, becomes the
# schema's pluginDownloadURL (the team's artifact server); unset, the repository's releases.

DIST_DIR ?= dist
REPOSITORY_URL ?=
# `make dist` packs the TypeScript SDK that mk/sdk.mk's sdk-nodejs compiled.
DIST_PREREQS ?= sdk-nodejs

.PHONY: version dist publish check-versions

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

# Silent recipe: make must not echo a command line, whatever REPOSITORY_URL holds.
publish: $(VENV_STAMP) ## Upload dist/'s wheels and sdists with twine: make publish REPOSITORY_URL=...
	@$(PY) -m tools.release publish "$(REPOSITORY_URL)" "$(DIST_DIR)"
