"""pinnlab.host_memory: a Fig. 1b job's memory from the measured line, and the committed record it reads."""

import json

import pytest
import yaml

from pinnlab import host_memory

REPO = host_memory.FIG1B_RECORD.parents[3]


def write_record(path, rows):
    path.write_text(json.dumps({"rows": rows}))
    return path


def test_the_need_is_the_measured_line_at_the_widest_width_scaled_to_the_points(tmp_path):
    record = write_record(tmp_path / "r.json", [{"pde": "wave", "points": 1000, "base MB": 500.0,
                                                 "MB per width": 1.0}])
    # the part that grows with width grows with the points too; the base does not
    assert host_memory.fig1b_need_mb(100, 2000, "wave", record) == round(host_memory.MARGIN * (500 + 100 * 2))
    assert host_memory.fig1b_need_mb(100, 1000, "wave", record) == round(host_memory.MARGIN * 600)
    assert host_memory.fig1b_need_mb(100, 1000, "burgers", record) == 0  # not measured: nothing declared


def test_a_missing_record_says_how_to_restore_or_remake_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="benchmarks/fig1b_memory.py"):
        host_memory.fig1b_lines(tmp_path / "none.json")


def test_the_committed_record_measures_every_fig1b_pde_of_every_scale():
    cfg = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    lines = host_memory.fig1b_lines()
    for name, scale in cfg["scales"].items():
        for pde in scale["fig1b"]["pdes"]:
            line = lines[pde]
            assert line["MB per width"] > 0 and line["base MB"] > 0, (name, pde)
            # the need grows with the widest network: more than the base alone
            need = host_memory.fig1b_need_mb(max(scale["fig1b"]["widths"]), line["points"], pde)
            assert need > host_memory.MARGIN * line["base MB"], (name, pde)


def test_this_machine_has_some_memory():
    assert host_memory.machine_mb() > 100
