"""benchmarks/dag_time.py on hand-made job provenance: the sums, shares, span and the record it writes."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))  # it imports record beside it
    spec = importlib.util.spec_from_file_location("dag_time", ROOT / "benchmarks" / "dag_time.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "dag_time", module)
    spec.loader.exec_module(module)
    return module


def write_job(folder: Path, name: str, rule: str, started: str, wall: float, **wildcards):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.log.provenance.json").write_text(json.dumps(
        {"rule": rule, "wildcards": {"scale": "quick", **wildcards}, "started": started, "wall_time_s": wall}))


@pytest.fixture
def logs(tmp_path):
    day = "2026-12-02T10:00:"
    write_job(tmp_path / "table2/a", "s0", "train_table2", day + "00+00:00", 30.0, method="adam", pde="wave")
    write_job(tmp_path / "table2/b", "s1", "train_table2", day + "10+00:00", 10.0, method="adam", pde="burgers")
    write_job(tmp_path / "table2/c", "s0", "train_table2", day + "20+00:00", 20.0, method="gdnd", pde="wave")
    write_job(tmp_path, "claims", "claims_report", "2026-12-02T10:01:00+00:00", 40.0)
    (tmp_path / "broken.log.provenance.json").write_text("{not json")
    return tmp_path


def test_sums_job_seconds_per_group_largest_first(monkeypatch, logs):
    dag_time = load(monkeypatch)
    jobs = dag_time.read_jobs(logs)
    assert len(jobs) == 4  # the broken file is skipped, not fatal
    by_rule = dag_time.job_seconds(jobs, ("rule",))
    assert [(r["rule"], r["jobs"], r["job-s"]) for r in by_rule] == [("train_table2", 3, 60.0),
                                                                       ("claims_report", 1, 40.0)]
    assert sum(r["share"] for r in by_rule) == pytest.approx(1.0)
    by_method = {r["method"]: r["job-s"] for r in dag_time.job_seconds(jobs, ("method",))}
    assert by_method == {"adam": 40.0, "gdnd": 20.0, "": 40.0}
    assert dag_time.span_s(jobs) == pytest.approx(100.0)  # 10:00:00 to 10:01:00 + 40 s


def test_writes_a_record_and_refuses_a_missing_folder(monkeypatch, logs, tmp_path, capsys):
    dag_time = load(monkeypatch)
    out = tmp_path / "out"
    monkeypatch.setattr(sys, "argv", ["benchmarks/dag_time.py", "--logs", str(logs), "--by", "rule", "pde",
                                      "--out", str(out)])
    dag_time.main()
    record = json.loads((out / "dag_time.json").read_text())
    assert [(r["rule"], r["pde"], r["job-s"]) for r in record["rows"]] == [
        ("train_table2", "wave", 50.0), ("claims_report", "", 40.0), ("train_table2", "burgers", 10.0)]
    assert "4 jobs, 100 job-s" in capsys.readouterr().out
    monkeypatch.setattr(sys, "argv", ["benchmarks/dag_time.py", "--logs", str(tmp_path / "nowhere")])
    with pytest.raises(SystemExit, match="run the DAG first"):
        dag_time.main()
