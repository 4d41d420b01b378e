"""GetPluginInfo and GetSchema, as ``pulumi package add`` and the engine call them."""

import json
from pathlib import Path

from envstack_provider.component import TYPE_TOKEN
from envstack_testkit.provider_harness import ProviderProcess, plugin_version, served_schema

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_plugin_info_reports_the_version_in_the_version_file(provider: ProviderProcess) -> None:
    expected = (REPO_ROOT / "VERSION").read_text().strip()
    assert plugin_version(provider) == expected


def test_served_schema_is_the_checked_in_schema_json(provider: ProviderProcess) -> None:
    checked_in = json.loads((REPO_ROOT / "schema.json").read_text())
    assert json.loads(served_schema(provider)) == checked_in


def test_served_schema_names_the_package_of_every_sdk_language(provider: ProviderProcess) -> None:
    schema = json.loads(served_schema(provider))
    assert schema["name"] == "envstack"
    language = schema["language"]
    assert language["python"]["packageName"] == "pulumi_envstack"
    assert language["nodejs"]["packageName"] == "@envstack/pulumi-envstack"
    assert language["go"]["importBasePath"] == "github.com/envstack/envstack/sdk/go/envstack"
    assert language["csharp"]["rootNamespace"] == "EnvStack"
    assert language["java"]["basePackage"] == "com.envstack"


def test_served_schema_declares_the_component_with_its_twelve_outputs(provider: ProviderProcess) -> None:
    resource = json.loads(served_schema(provider))["resources"][TYPE_TOKEN]
    assert resource["isComponent"] is True
    assert resource["requiredInputs"] == ["environment"]
    outputs = [
        "bucketName", "bucketArn", "tableName", "tableArn", "functionName", "functionArn",
        "queueUrl", "queueArn", "dlqUrl", "dlqArn", "topicArn", "roleArn",
    ]  # fmt: skip
    assert sorted(resource["properties"]) == sorted(outputs)
    assert sorted(resource["required"]) == sorted(outputs)
