"""The real-engine floor (``bench/engine_raw``) pins the installed pulumi-aws, or the bench refuses it.

Both programs of the real-engine comparison pin their plugin's version, so the
engine caches both schemas alike. These read the floor's program file; no
engine runs.
"""

import shutil
from pathlib import Path

import pytest
import yaml

from bench import engine as engine_bench


def test_every_resource_of_the_checked_in_floor_pins_the_installed_pulumi_aws() -> None:
    engine_bench.floor_pins_the_installed_pulumi_aws()


def test_a_floor_with_a_stale_pin_is_refused_naming_the_resource(tmp_path: Path) -> None:
    program = tmp_path / "engine_raw"
    shutil.copytree(engine_bench.RAW_PROGRAM, program)
    project = yaml.safe_load((program / "Pulumi.yaml").read_text())
    project["resources"]["table"]["options"]["version"] = "6.0.0"
    (program / "Pulumi.yaml").write_text(yaml.safe_dump(project))
    with pytest.raises(ValueError, match=r"pin version \S+ on table$"):
        engine_bench.floor_pins_the_installed_pulumi_aws(program)
