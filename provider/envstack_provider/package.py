"""Package-level schema metadata: names per language, description, links.

The component analyzer infers resources, inputs and outputs from the code but
knows nothing of how the package is published. This module holds what it
cannot infer, so that ``schema.json``, the served schema and every generated
SDK agree on the package names. The names sit under a neutral ``envstack``
namespace, never Pulumi's own ``@pulumi`` scope.
"""

import os
from typing import Any

PACKAGE_NAME = "envstack"
PYTHON_PACKAGE = "pulumi_envstack"
NPM_PACKAGE = "@envstack/pulumi-envstack"
GO_IMPORT_BASE_PATH = "github.com/envstack/envstack/sdk/go/envstack"
DOTNET_NAMESPACE = "EnvStack"
JAVA_BASE_PACKAGE = "com.envstack"

PLUGIN_DOWNLOAD_URL_VARIABLE = "ENVSTACK_PLUGIN_DOWNLOAD_URL"
DEFAULT_PLUGIN_DOWNLOAD_URL = "github://api.github.com/envstack/envstack"
"""Where the engine fetches ``pulumi-resource-envstack-v<version>-<os>-<arch>.tar.gz``
when a program needs the plugin and it is not installed: the repository's
releases, unless the environment names the team's artifact server when the
schema (and so every SDK) is generated; see docs/publishing.md."""

DEPENDENCY_FLOORS: dict[str, str] = {"pulumi": "3.272.0", "pulumi-aws": "7.51.1"}
"""The oldest pulumi and pulumi-aws envstack supports: the versions the repository tests with.

The one place they are set. The published SDK's requirements are derived from
them (``schema.json``, ``make schema``, then ``make sdks``); the files that
cannot import this (the provider's and the pack's ``pyproject.toml`` and
``requirements.txt``, ``requirements/dev.in``) are pinned to them by
``tests/release_registries/test_dependency_floors.py``.
"""


def within_major(floor: str) -> str:
    """``3.272.0`` -> ``>=3.272.0,<4.0.0``: from the floor up to the next major release."""
    return f">={floor},<{int(floor.split('.', maxsplit=1)[0]) + 1}.0.0"


METADATA: dict[str, Any] = {
    "displayName": "envstack",
    "description": "One typed component that deploys the same serverless data stack (S3, DynamoDB, SQS, Lambda, SNS, IAM) into dev, staging or prod on AWS.",
    "keywords": ["pulumi", "aws", "category/cloud", "kind/component"],
    "license": "Apache-2.0",
    "publisher": "envstack",
    "repository": "https://github.com/envstack/envstack",
    # Pulumi's "pack" mode: the Go generator writes the SDK's go.mod (module
    # github.com/envstack/envstack/sdk/go, one level above importBasePath) and
    # every generator stamps the schema's version into its SDK.
    "meta": {"supportPack": True},
}

LANGUAGE: dict[str, dict[str, Any]] = {
    "python": {
        "packageName": PYTHON_PACKAGE,
        "respectSchemaVersion": True,
        "pyproject": {"enabled": True},
        # The published SDK's floors are DEPENDENCY_FLOORS; pulumi itself
        # needs Python 3.10+, the repository 3.11. Checked by tests/release_registries.
        "pythonRequires": ">=3.11",
        "requires": {name: within_major(floor) for name, floor in DEPENDENCY_FLOORS.items()},
    },
    "nodejs": {
        "packageName": NPM_PACKAGE,
        "respectSchemaVersion": True,
        # @pulumi/pulumi 3.248.0 is the newest release that supports Node 20;
        # sdk/nodejs/package-lock.json pins it for `npm ci`. The SDK's own
        # compiler and Node types are pinned exactly.
        "dependencies": {"@pulumi/pulumi": "^3.248.0"},
        "devDependencies": {"@types/node": "20.19.43"},
        "typescriptVersion": "5.9.3",
    },
    "go": {
        "importBasePath": GO_IMPORT_BASE_PATH,
        "respectSchemaVersion": True,
        "generateResourceContainerTypes": True,
    },
    "csharp": {
        "rootNamespace": DOTNET_NAMESPACE,
        "respectSchemaVersion": True,
    },
    "java": {
        # Java package com.envstack.envstack; Maven group com.envstack,
        # artifact envstack (the schema's name).
        "basePackage": JAVA_BASE_PACKAGE,
        # The generator's Gradle build files, without the Nexus publishing
        # plugin; they carry the SDK's version, plugin server and
        # dependencies, and mk/sdk.mk's Maven build reads the same values.
        "buildFiles": "gradle",
        # The Java SDK of the pulumi-java release whose generator writes sdk/java.
        "dependencies": {"com.pulumi:pulumi": "1.16.0"},
    },
}


def plugin_download_url() -> str:
    """The schema's ``pluginDownloadURL``, read when the schema is generated."""
    return os.environ.get(PLUGIN_DOWNLOAD_URL_VARIABLE) or DEFAULT_PLUGIN_DOWNLOAD_URL


def complete(inferred: dict[str, Any]) -> dict[str, Any]:
    """Return the inferred schema with the package metadata and language names added."""
    return {**inferred, **METADATA, "pluginDownloadURL": plugin_download_url(), "language": LANGUAGE}
