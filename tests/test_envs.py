"""envs/*.yaml (for --sdm conda) pin what pyproject.toml pins; every rule names one."""

from __future__ import annotations

import re
import tomllib

import yaml

from .conftest import ROOT


def test_conda_env_pins_agree_with_pyproject():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for env_file in (ROOT / "envs").glob("*.yaml"):
        env = yaml.safe_load(env_file.read_text())
        pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
        pins = [p for p in pip if not p.startswith("--")]
        assert sorted(pins) == sorted(deps), env_file.name


def test_every_rule_names_a_conda_env():
    for rules in (ROOT / "workflow/rules").glob("*.smk"):
        text = rules.read_text()
        for block in re.split(r"\n(?=rule )", text)[1:]:
            name = block.split(":")[0].removeprefix("rule ")
            if name.strip() == "all":
                continue
            match = re.search(r'conda:\s*\n\s*"([^"]+)"', block)
            assert match, f"rule {name} in {rules.name} names no conda env"
            assert (rules.parent / match.group(1)).resolve().exists()
