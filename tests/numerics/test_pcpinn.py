"""The PCPINN loss: gradient against finite differences, the preconditioner's effect, a smoke run."""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest
from jax.flatten_util import ravel_pytree

from conftest import exact_reference
from pinnlab.config import load_config
from pinnlab.experiments.table2 import resolve as resolve_run
from pinnlab.nets import make_network
from pinnlab.pcpinn.discretisation import discretise
from pinnlab.pcpinn.loss import PCPINNObjective
from pinnlab.pcpinn.preconditioner import condition_numbers
from pinnlab.pdes import make_pde
from pinnlab.training.loop import train


@pytest.mark.parametrize("name, grid", [("convection", (16, 11)), ("wave", (17, 11)), ("burgers", (17, 11)),
                                        ("heat2d_lt", (5, 5, 6))])
def test_ilu_preconditioned_system_is_better_conditioned(name, grid):
    disc = discretise(make_pde(name), grid)
    cond = condition_numbers(disc.A, 1e-6, 30)
    assert cond["cond_PinvA"] < cond["cond_A"] / 10
    # with a coarser ILU the improvement is smaller but still there
    loose = condition_numbers(disc.A, 1e-1, 1)
    assert loose["cond_PinvA"] < loose["cond_A"]


class FakeTrainer:
    def __init__(self, net):
        self.net = net


@pytest.mark.parametrize("name, grid", [("reaction", (12, 6)), ("wave", (9, 7))])
def test_pcpinn_gradient_matches_finite_differences(name, grid):
    pde = make_pde(name)
    with jax.enable_x64(True):
        net, params = make_network(2, 5, 1, seed=0)
        params = jax.tree.map(lambda x: x.astype(jnp.float64), params)
        objective = PCPINNObjective(pde, {"grid": grid, "drop_tol": 1e-1, "fill_factor": 1, "rebuild_every": 10,
                                               "linearisation": "newton"})
        fn = objective.bind(FakeTrainer(net))
        objective.before_chunk(0, params)  # builds P (a loose ILU: P⁻¹ is then far from A⁻¹)
        flat, unravel = ravel_pytree(params)
        f = lambda w: fn(unravel(w), None, {"pc": 1.0})[0]  # noqa: E731
        grad = jax.grad(f)(flat)
        direction = jax.random.normal(jax.random.key(1), flat.shape, jnp.float64)
        h = 1e-6
        fd = (f(flat + h * direction) - f(flat - h * direction)) / (2 * h)
        assert float(grad @ direction) == pytest.approx(float(fd), rel=1e-6)
        # and forward-over-reverse (NNCG's HVPs) works through the host solves
        hv = jax.jvp(jax.grad(f), (flat,), (direction,))[1]
        fd_hv = (jax.grad(f)(flat + h * direction) - jax.grad(f)(flat - h * direction)) / (2 * h)
        np.testing.assert_allclose(hv, fd_hv, rtol=1e-5, atol=1e-8 * float(jnp.abs(fd_hv).max()))


def test_smoke_pcpinn_run_lowers_the_loss_and_the_error(tmp_path):
    cfg = load_config("config/config.yaml")
    for pde in ("burgers", "convection"):
        run = resolve_run(cfg, "smoke", pde, "pcpinn", 0)
        ref = exact_reference(run.pde) if run.pde.has_exact else None
        if ref is None:
            from pinnlab.evaluate import Reference
            from pinnlab.reference.burgers import solve
            axes = run.pde.eval_axes()
            ref = Reference(axes, solve(run.pde, axes)[0], {})
        out = train(run, ref, tmp_path / pde, progress=False)
        m = pd.DataFrame(out.metrics)
        assert out.status == "ok" and m.loss_pc.iloc[-1] < m.loss_pc.iloc[0] and m.l2re.iloc[-1] < m.l2re.iloc[0]


def test_interrupted_nonlinear_pcpinn_run_resumes_identically(tmp_path):
    from pinnlab.evaluate import Reference
    from pinnlab.reference.burgers import solve

    cfg = load_config("config/config.yaml")
    run = resolve_run(cfg, "smoke", "burgers", "pcpinn", 0)  # rebuilds P every 20 steps
    axes = run.pde.eval_axes()
    ref = Reference(axes, solve(run.pde, axes)[0], {})
    whole = train(run, ref, tmp_path / "whole", progress=False)

    def stop_at_30(step):
        if step == 30:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train(resolve_run(cfg, "smoke", "burgers", "pcpinn", 0), ref, tmp_path / "cut", progress=False,
              on_chunk_end=stop_at_30)
    resumed = train(resolve_run(cfg, "smoke", "burgers", "pcpinn", 0), ref, tmp_path / "cut",
                    progress=False)
    assert resumed.resumed_from == 20
    cols = ["step", "loss_pc", "l2re"]
    pd.testing.assert_frame_equal(pd.DataFrame(whole.metrics)[cols], pd.DataFrame(resumed.metrics)[cols])


def _burgers_reference(pde):
    from pinnlab.evaluate import Reference
    from pinnlab.reference.burgers import solve

    axes = pde.eval_axes()
    return Reference(axes, solve(pde, axes)[0], {})


def test_lbfgs_after_a_rebuild_takes_the_new_objectives_value():
    """A rebuilt preconditioner changes the PCPINN loss. L-BFGS keeps the loss and gradient of its last line search;
    the first chunk after a rebuild (``refresh``) recomputes them, otherwise it reports and builds on the old
    objective's (the stale value made a Reaction run spend its L-BFGS phase on line searches against an inf loss
    while its status stayed "ok")."""
    from pinnlab.training.trainer import Trainer

    run = resolve_run(load_config("config/config.yaml"), "smoke", "burgers", "pcpinn_adam_lbfgs", 0)
    trainer = Trainer(run, _burgers_reference(run.pde))
    lbfgs = run.phases[1]
    weights = {"pc": jnp.float32(1.0)}
    params = trainer.params0
    trainer.before_chunk(0, params)
    start = jnp.int32(run.phases[0].steps)
    (params, state, _), _ = jax.jit(trainer.chunk_fn(lbfgs, 3))(params, lbfgs.optimizer.init(params), weights, start,
                                                              trainer.data)
    old_value = float(trainer.objective(params, None, weights)[0])
    trainer.custom.settings["rebuild_every"] = 1
    assert trainer.before_chunk(int(start) + 3, params)  # rebuilt at the current prediction
    new_value = float(trainer.objective(params, None, weights)[0])
    assert abs(new_value - old_value) > 1e-3 * abs(old_value)  # the objective did change

    def first_loss(refresh):
        _, terms = jax.jit(trainer.chunk_fn(lbfgs, 1, refresh))(params, state, weights, start + 3, trainer.data)
        return float(terms["loss"][0])

    assert first_loss(True) == pytest.approx(new_value, rel=1e-5)
    assert first_loss(False) == pytest.approx(old_value, rel=1e-5)


def test_training_loop_refreshes_the_optimizer_at_mid_phase_rebuilds_only(tmp_path, monkeypatch):
    from pinnlab.training.trainer import Trainer

    run = resolve_run(load_config("config/config.yaml"), "smoke", "burgers", "pcpinn_adam_lbfgs", 0)
    run.objective.settings["rebuild_every"] = 10  # rebuilds at 10 (Adam), 20 (L-BFGS's first step), 30
    built = []
    chunk_fn = Trainer.chunk_fn

    def recording(self, phase, length, refresh=False):
        built.append((phase.name, refresh))
        return chunk_fn(self, phase, length, refresh)

    monkeypatch.setattr(Trainer, "chunk_fn", recording)
    out = train(run, _burgers_reference(run.pde), tmp_path, progress=False)
    assert out.status in ("ok", "diverged")
    # compiled once per (phase, length, refresh): Adam never refreshes; L-BFGS at 30 only (20 starts the phase)
    assert sorted(built) == [("adam", False), ("lbfgs", False), ("lbfgs", True)]
