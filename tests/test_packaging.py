"""pyproject.toml and environment.yml pin the same versions; .ci/run runs the README's test command."""

import re
import tomllib
from pathlib import Path

import yaml


def pins_from(requirements):
    out = {}
    for req in requirements:
        m = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([\w.]+)", req.strip())
        if m:
            out[re.sub(r"\[.*\]", "", m.group(1)).lower()] = m.group(2)
    return out


def test_environment_and_pyproject_pin_the_same_versions():
    project = tomllib.loads(Path("pyproject.toml").read_text())["project"]
    pyproject = pins_from(project["dependencies"] + sum(project["optional-dependencies"].values(), []))
    env = yaml.safe_load(Path("environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    environment = pins_from(pip_section)
    assert pyproject == environment
    assert all(req.startswith("-e") or "==" in req for req in pip_section)


def test_ci_runs_exactly_the_readme_test_command():
    readme = Path("README.md").read_text()
    ci = Path(".ci/run").read_text()
    command = next(line.strip() for line in ci.splitlines() if line.strip() and not line.startswith("#")
                   and not line.startswith("set ") and not line.startswith("cd "))
    assert command in readme
