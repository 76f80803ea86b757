"""The prepared GPU check (benchmarks/gpu_check.py) at smoke size on the CPU: every operation timed, the cell group
trained end to end, the record complete; and a budget too small for anything skips everything it lists."""

import csv
import importlib.util
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("gpu_check", ROOT / "benchmarks" / "gpu_check.py")
gpu_check = importlib.util.module_from_spec(spec)
sys.modules["gpu_check"] = gpu_check  # its dataclass looks itself up there
spec.loader.exec_module(gpu_check)


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def test_smoke_check_times_every_operation_and_trains_the_cell_group(tmp_path):
    out = tmp_path / "gpu"
    gpu_check.main(["--out", str(out), "--config", str(ROOT / "config/config.yaml"), "--scale", "smoke",
                    "--pdes", "reaction", "--seeds", "2", "--cell", "reaction", "--cell-methods", "adam",
                    "--budget-s", "600", "--commit", "abc123"])
    record = json.loads((out / "record.json").read_text())
    assert record["failed"] == [] and record["skipped"] == []
    assert record["git_commit"] == "abc123" and record["scale"] == "smoke"
    timed = rows(out / "step_times.csv")
    assert {r["operation"] for r in timed if r["seeds"] == "2"} == set(gpu_check.VMAPPED)
    assert [r["operation"] for r in timed if r["seeds"] == "1"] == ["adam", "lbfgs", "pcpinn"]  # the cell's 1 seed
    for r in timed:
        assert float(r["ms_per_step"]) > 0
        assert math.isclose(float(r["ms_per_step_per_seed"]) * int(r["seeds"]), float(r["ms_per_step"]),
                            rel_tol=1e-2)
    # the wider PINN-NTK network is the one timed for its step and update
    ntk = next(r for r in timed if r["operation"] == "pinn_ntk")
    adam = next(r for r in timed if r["operation"] == "adam")
    assert ntk["network"] != adam["network"] or int(ntk["params"]) >= int(adam["params"])
    cell = rows(out / "cell_reaction_adam.csv")
    assert [int(c["seed"]) for c in cell] == [0]  # the smoke scale's seeds
    assert cell[0]["status"] == "ok" and 0 < float(cell[0]["final_l2re"]) < 10
    assert int(cell[0]["steps_completed"]) == int(cell[0]["iterations"])
    assert record["cells"][0]["measured_s"] > 0 and record["cells"][0]["predicted_s"] > 0


def test_a_spent_budget_skips_and_lists_everything(tmp_path):
    out = tmp_path / "gpu"
    gpu_check.main(["--out", str(out), "--config", str(ROOT / "config/config.yaml"), "--scale", "smoke",
                    "--pdes", "reaction", "wave", "--seeds", "2", "1", "--budget-s", "0"])
    record = json.loads((out / "record.json").read_text())
    assert rows(out / "step_times.csv") == [] and record["failed"] == []
    skipped = [s["what"] for s in record["skipped"]]
    # the cell's steps at its 1 seed, cell adam, 2 PDEs × 6 vmapped ops, cell adam_lbfgs, 2 × 3 one-seed ops, 2 PCPINN
    assert len(skipped) == 2 + 1 + 12 + 1 + 6 + 2
    assert any("cell group reaction/adam_lbfgs" in s for s in skipped)
