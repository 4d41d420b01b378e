"""Pack config options are read with their types checked and their defaults applied."""

import pytest

from envstack_policy.readers import config


def test_flag_defaults_and_reads_booleans() -> None:
    assert config.flag({}, "requireKmsKey") is False
    assert config.flag({"requireKmsKey": True}, "requireKmsKey") is True
    with pytest.raises(config.ConfigError, match="'requireKmsKey' must be true or false"):
        config.flag({"requireKmsKey": "yes"}, "requireKmsKey")


def test_text_is_optional_but_never_empty() -> None:
    assert config.text({}, "suffix") is None
    assert config.text({"suffix": "qa"}, "suffix") == "qa"
    with pytest.raises(config.ConfigError, match="'suffix' must be a non-empty string"):
        config.text({"suffix": ""}, "suffix")
    with pytest.raises(config.ConfigError):
        config.text({"suffix": 3}, "suffix")


def test_strings_defaults_and_rejects_a_bare_string() -> None:
    assert config.strings({}, "requiredTags", ("Environment",)) == ("Environment",)
    assert config.strings({"requiredTags": ["Owner", "Team"]}, "requiredTags") == ("Owner", "Team")
    with pytest.raises(config.ConfigError, match="a list of strings"):
        config.strings({"requiredTags": "Owner"}, "requiredTags")
    with pytest.raises(config.ConfigError):
        config.strings({"requiredTags": [1]}, "requiredTags")
    with pytest.raises(config.ConfigError):
        config.strings({"requiredTags": 7}, "requiredTags")


def test_string_map_defaults_to_empty_and_checks_values() -> None:
    assert config.string_map({}, "tagValues") == {}
    assert config.string_map({"tagValues": {"Owner": "data"}}, "tagValues") == {"Owner": "data"}
    with pytest.raises(config.ConfigError, match="a map of strings to strings"):
        config.string_map({"tagValues": {"Owner": 1}}, "tagValues")
    with pytest.raises(config.ConfigError):
        config.string_map({"tagValues": ["Owner"]}, "tagValues")
