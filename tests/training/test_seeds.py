"""Seeds trained together (one vmapped program) equal the same seeds trained separately."""

import dataclasses

import jax
import numpy as np
import pytest

from pinnlab.config import load_config
from pinnlab.errors import PinnlabError
from pinnlab.evaluate import Reference
from pinnlab.experiments.kleingordon import resolve as resolve_kleingordon_run
from pinnlab.experiments.table2 import resolve as resolve_run
from pinnlab.layout import CHECKPOINT_FILE
from pinnlab.reference.build import build_reference
from pinnlab.training.loop import train, train_runs


def dummy_reference(pde):
    axes = tuple(np.linspace(lo, hi, 5) for lo, hi in zip(pde.lower, pde.upper))
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, pde.dim)
    return Reference(axes, np.asarray(jax.vmap(pde.exact)(grid)).reshape([5] * pde.dim), {})


def assert_same(together, separate, rtol):
    for a, b in zip(together, separate):
        assert a.status == b.status == "ok"
        for x, y in zip(jax.tree.leaves(a.params), jax.tree.leaves(b.params)):
            np.testing.assert_allclose(x, y, rtol=rtol, atol=rtol * 1e-2)
        assert [r["step"] for r in a.metrics] == [r["step"] for r in b.metrics]
        np.testing.assert_allclose([r["l2re"] for r in a.metrics], [r["l2re"] for r in b.metrics], rtol=rtol)
        np.testing.assert_allclose([r["loss"] for r in a.metrics], [r["loss"] for r in b.metrics], rtol=rtol)


@pytest.mark.parametrize("method", ["adam", "adam_lbfgs"])
def test_vmapped_seeds_equal_separate_runs(tmp_path, method):
    cfg = load_config("config/config.yaml")
    runs = [resolve_run(cfg, "smoke", "convection", method, seed) for seed in (0, 1, 2)]
    reference = dummy_reference(runs[0].pde)
    separate = [train(r, reference, tmp_path / f"alone{r.seed}", progress=False) for r in runs]
    together = train_runs(runs, reference, [tmp_path / f"vmap{r.seed}" for r in runs], progress=False)
    # L-BFGS's line search branches on values: rounding differences may take another branch later on
    assert_same(together, separate, rtol=1e-4 if method == "adam" else 1e-3)
    assert together[0].metrics[-1]["l2re"] != together[1].metrics[-1]["l2re"]  # the seeds really differ


def test_vmapped_seeds_with_fresh_batches_and_annealing(tmp_path):
    cfg = load_config("config/config.yaml")
    runs = [resolve_kleingordon_run(cfg, "smoke", "M2", seed) for seed in (0, 1)]
    build_reference(runs[0].pde, tmp_path / "kg.npz")
    from pinnlab.evaluate import load_reference

    reference = load_reference(tmp_path / "kg.npz")
    separate = [train(r, reference, tmp_path / f"alone{r.seed}", progress=False) for r in runs]
    together = train_runs(runs, reference, [tmp_path / f"vmap{r.seed}" for r in runs], progress=False)
    assert_same(together, separate, rtol=1e-4)
    assert together[0].metrics[-1]["weight_bc_x0"] != together[1].metrics[-1]["weight_bc_x0"]


def test_seed_checkpoints_resume_the_group(tmp_path):
    cfg = load_config("config/config.yaml")
    runs = [resolve_run(cfg, "smoke", "convection", "adam", seed) for seed in (0, 1)]
    reference = dummy_reference(runs[0].pde)
    dirs = [tmp_path / f"s{r.seed}" for r in runs]
    whole = train_runs(runs, reference, [tmp_path / f"w{r.seed}" for r in runs], progress=False)
    # separate runs stopped at their first checkpoint (same fingerprint, a shorter phase) leave the files
    # that an interrupted group leaves: the group resumes from them
    for r, d in zip(runs, dirs):
        first_part = dataclasses.replace(r.phases[0], steps=r.checkpoint_every)
        train(dataclasses.replace(r, phases=[first_part]), reference, d, progress=False)
        assert (d / CHECKPOINT_FILE).exists()
    resumed = train_runs(runs, reference, dirs, progress=False)
    assert all(o.resumed_from == runs[0].checkpoint_every for o in resumed)
    assert_same(resumed, whole, rtol=1e-5)


def test_only_seeds_of_one_run_go_together(tmp_path):
    cfg = load_config("config/config.yaml")
    runs = [resolve_run(cfg, "smoke", "convection", "adam", 0),
            resolve_run(cfg, "smoke", "wave", "adam", 1)]
    with pytest.raises(PinnlabError, match="more than its seed"):
        train_runs(runs, dummy_reference(runs[0].pde), [tmp_path / "a", tmp_path / "b"], progress=False)
    pc = [resolve_run(cfg, "smoke", "convection", "pcpinn", s) for s in (0, 1)]
    with pytest.raises(PinnlabError, match="one seed at a time"):
        train_runs(pc, dummy_reference(pc[0].pde), [tmp_path / "a", tmp_path / "b"], progress=False)


@pytest.mark.parametrize("together", ["vmap", "loop"])
def test_seeds_job_writes_each_seeds_artifacts(tmp_path, together):
    """What the DAG's seeds-together rule runs: one call, a run directory per seed (GDND continuing each), the
    seeds vmapped or one after another."""
    from pinnlab.experiments.table2 import train_table2_seeds
    from pinnlab.job import make_job
    from pinnlab.training.artifacts import read_summary

    cfg = load_config("config/config.yaml")
    ref = tmp_path / "ref/convection.npz"
    build_reference(resolve_run(cfg, "smoke", "convection", "adam", 0).pde, ref)

    def job(method, continues=None):
        dirs = [tmp_path / method / f"s{s}" for s in (0, 1)]
        inputs = {"reference": str(ref)} | ({"continues": [str(d / "summary.json") for d in continues]}
                                             if continues else {})
        return dirs, make_job(cfg, wildcards={"scale": "smoke", "pde": "convection", "method": method, "width": "16"},
                              input=inputs, output={"summaries": [str(d / "summary.json") for d in dirs]},
                              params={"seeds": [0, 1], "together": together}, rule="train_table2_seeds")

    parents, parent_job = job("adam_lbfgs")
    train_table2_seeds(parent_job)
    dirs, gdnd_job = job("gdnd", continues=parents)
    train_table2_seeds(gdnd_job)
    for s, d in zip((0, 1), dirs):
        summary = read_summary(d / "summary.json")
        assert summary["seed"] == s and summary["method"] == "gdnd" and summary["status"] == "ok"
        assert summary["config"]["continues"] == str(parents[s])
        assert not (d / CHECKPOINT_FILE).exists() and (d / "params.npz").exists()


def test_looped_seeds_job_equals_one_job_per_seed_pcpinn_included(tmp_path):
    """``seeds_together: loop`` (the quick scale) takes every method, PCPINN's host-side loss included, and each
    seed's run is the run its one-seed job makes: the same final parameters."""
    from pinnlab.experiments.table2 import train_table2, train_table2_seeds
    from pinnlab.job import make_job
    from pinnlab.training.artifacts import read_summary

    cfg = load_config("config/config.yaml")
    ref = tmp_path / "ref/convection.npz"
    build_reference(resolve_run(cfg, "smoke", "convection", "pcpinn", 0).pde, ref)
    wildcards = {"scale": "smoke", "pde": "convection", "method": "pcpinn", "width": "16"}
    looped = [tmp_path / "loop" / f"s{s}" for s in (0, 1)]
    train_table2_seeds(make_job(cfg, wildcards=wildcards, input={"reference": str(ref)},
                                output={"summaries": [str(d / "summary.json") for d in looped]},
                                params={"seeds": [0, 1], "together": "loop"}, rule="train_table2_seeds"))
    alone = tmp_path / "alone" / "s1"
    train_table2(make_job(cfg, wildcards=wildcards | {"seed": "1"}, input={"reference": str(ref)},
                          output={"summary": str(alone / "summary.json")}, rule="train_table2"))
    a, b = read_summary(looped[1] / "summary.json"), read_summary(alone / "summary.json")
    assert a["seed"] == b["seed"] == 1 and a["status"] == b["status"] == "ok"
    with np.load(looped[1] / "params.npz") as x, np.load(alone / "params.npz") as y:
        assert x.files == y.files
        for k in x.files:
            np.testing.assert_array_equal(x[k], y[k])
    assert read_summary(looped[0] / "summary.json")["final"] != a["final"]  # the seeds really differ


@pytest.mark.parametrize("method, shared", [("adam_lbfgs", True), ("pcpinn", False)])
def test_seeds_one_after_another_share_compiled_programs_unless_their_objective_is_their_own(
        tmp_path, monkeypatch, method, shared):
    """``train_one_by_one`` (the quick scale's seeds in one job): the later seeds reuse the first seed's compiled
    chunks, so they build none, and each seed's run equals its separate run exactly (the same program on its own
    data). A custom objective (PCPINN's host-side preconditioner) is the seed's own: each seed builds its chunks."""
    from pinnlab.training.loop import train_one_by_one
    from pinnlab.training.trainer import Trainer

    cfg = load_config("config/config.yaml")
    runs = [resolve_run(cfg, "smoke", "convection", method, seed) for seed in (0, 1)]
    reference = dummy_reference(runs[0].pde)
    separate = [train(r, reference, tmp_path / f"alone{r.seed}", progress=False) for r in runs]
    built = []
    chunk_fn = Trainer.chunk_fn
    monkeypatch.setattr(Trainer, "chunk_fn",
                        lambda self, *a, **k: built.append(self.run.seed) or chunk_fn(self, *a, **k))
    looped = [outcome for _, _, outcome in
              train_one_by_one(runs, reference, [tmp_path / f"loop{r.seed}" for r in runs], progress=False)]
    assert built.count(0) >= 1 and built.count(1) == (0 if shared else built.count(0))
    for a, b in zip(looped, separate):
        assert a.status == b.status == "ok"
        for x, y in zip(jax.tree.leaves(a.params), jax.tree.leaves(b.params)):
            np.testing.assert_array_equal(x, y)
        assert [r["l2re"] for r in a.metrics] == [r["l2re"] for r in b.metrics]
