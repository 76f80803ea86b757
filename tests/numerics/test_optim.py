"""Second-order optimizers against known truths: dense Hessians, exact low-rank matrices, known minima."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pandas as pd
import pytest

from conftest import exact_reference
from pinnlab.curvature import flat_objective, hvp
from pinnlab.losses import loss_terms, weighted_total
from pinnlab.nets import make_network
from pinnlab.optim.lbfgs import LBFGS
from pinnlab.optim.nncg import NNCG, NNCGSettings, nystrom, nystrom_preconditioner, pcg
from pinnlab.pdes import make_pde
from pinnlab.sampling import PointSpec, fixed_points
from pinnlab.training.artifacts import load_warm_start, write_run
from pinnlab.training.loop import train
from pinnlab.training.run import OptaxPhase, Phase, Run


def pde_objective(pde, net):
    def objective(params, batch, weights):
        terms = loss_terms(pde, net, params, batch)
        return weighted_total(terms, weights), terms
    return objective


@pytest.mark.parametrize("name", ["convection", "wave", "burgers"])
def test_hvp_equals_dense_hessian_times_vector(name):
    pde = make_pde(name)
    with jax.enable_x64(True):
        net, params = make_network(2, 5, 2, seed=0)
        params = jax.tree.map(lambda x: x.astype(jnp.float64), params)
        points = {k: jnp.asarray(v, jnp.float64) for k, v in
                  fixed_points(pde, PointSpec(kind="qmc", n_res=20, n_initial=8, n_boundary=8), 0).items()}
        weights = {k: 1.0 for k in pde.term_names()}
        f, w, _ = flat_objective(pde_objective(pde, net), params, points, weights)
        v = jax.random.normal(jax.random.key(1), w.shape, jnp.float64)
        dense = jax.hessian(f)(w) @ v
        np.testing.assert_allclose(hvp(f, w, v), dense, rtol=1e-9, atol=1e-10 * float(jnp.abs(dense).max()))


def test_nystrom_is_exact_for_low_rank_psd_matrices():
    with jax.enable_x64(True):
        b = jax.random.normal(jax.random.key(0), (40, 5), jnp.float64)
        a = b @ b.T
        u, lam = nystrom(lambda v: a @ v, jax.random.key(1), 40, 8, dtype=jnp.float64)
        np.testing.assert_allclose(u @ jnp.diag(lam) @ u.T, a, atol=1e-9 * float(jnp.abs(a).max()))
        np.testing.assert_allclose(lam[:5], jnp.linalg.eigvalsh(a)[::-1][:5], rtol=1e-9)


def test_nystrom_is_the_same_whatever_the_hvp_batch():
    """``hvp_batch`` only changes how the sketch's products are scheduled (one after another, k at a time, all at
    once), never the result; the compiled program's loop says the schedule is what the setting says."""
    with jax.enable_x64(True):
        b = jax.random.normal(jax.random.key(0), (30, 30), jnp.float64)
        a = b + b.T

        def sketch(batch):
            run = lambda k: nystrom(lambda v: a @ v, k, 30, 12, batch, jnp.float64)  # noqa: E731
            return str(jax.make_jaxpr(run)(jax.random.key(3))), run(jax.random.key(3))

        results = {batch: sketch(batch) for batch in (1, 4, 0)}
        for batch in (4, 0):
            for got, want in zip(results[batch][1], results[1][1]):
                np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)
        # one after another: a scan of 12 products; 4 at a time: a scan of 3 vmapped products; all at once: no scan
        assert "length=12" in results[1][0] and "length=3" in results[4][0] and "scan" not in results[0][0]


def test_nystrom_preconditioned_cg_beats_plain_cg():
    with jax.enable_x64(True):
        key = jax.random.key(0)
        q, _ = jnp.linalg.qr(jax.random.normal(key, (200, 200), jnp.float64))
        spectrum = jnp.concatenate([jnp.logspace(6, 2, 10), jnp.linspace(1.0, 2.0, 190)])  # a few outliers
        a = (q * spectrum) @ q.T
        b = jax.random.normal(jax.random.key(1), (200,), jnp.float64)
        mu, tol = 1e-3, 1e-8 * float(jnp.linalg.norm(b))
        u, lam = nystrom(lambda v: a @ v, jax.random.key(2), 200, 20, dtype=jnp.float64)
        matvec = lambda v: a @ v + mu * v  # noqa: E731
        x_pc, k_pc = pcg(matvec, b, jnp.zeros(200), nystrom_preconditioner(u, lam, mu), tol, 1000)
        x_cg, k_cg = pcg(matvec, b, jnp.zeros(200), lambda r: r, tol, 1000)
        for x in (x_pc, x_cg):
            assert float(jnp.linalg.norm(matvec(x) - b)) <= 1.01 * tol
        assert int(k_pc) < int(k_cg) / 3, (int(k_pc), int(k_cg))


def quadratic():
    with jax.enable_x64(True):
        m = jax.random.normal(jax.random.key(3), (6, 6), jnp.float64)
    a = m @ m.T + 0.5 * jnp.eye(6)
    x_star = jnp.arange(6.0)
    return (lambda p: 0.5 * (p["x"] - x_star) @ a @ (p["x"] - x_star)), x_star


def rosenbrock():
    return (lambda p: 100 * (p["x"][1] - p["x"][0] ** 2) ** 2 + (1 - p["x"][0]) ** 2), jnp.array([1.0, 1.0])


@pytest.mark.parametrize("problem", [quadratic, rosenbrock])
@pytest.mark.parametrize("make", [lambda: LBFGS(memory=10),
                                  lambda: NNCG(NNCGSettings(rank=2, mu=1e-6, cg_maxiter=50, cg_tol=1e-12))])
def test_reaches_the_known_minimum(problem, make):
    with jax.enable_x64(True):
        loss, x_star = problem()
        start = {"x": jnp.full(x_star.shape, -1.2, jnp.float64)}

        def objective(params, batch, weights):
            value = loss(params)
            return value, {"loss": value}

        opt = make()
        state = opt.init(start)
        step = jax.jit(lambda p, s: opt.step(objective, p, s, None, None))
        params = start
        for _ in range(200):
            params, state, _ = step(params, state)
        np.testing.assert_allclose(params["x"], x_star, atol=1e-6)


def small_run(method_phases, warm=None, label="gdnd-test"):
    pde = make_pde("reaction")
    return Run(pde=pde, phases=method_phases, network={"width": 10, "depth": 2},
               points=PointSpec(kind="grid", n_res=64, grid=(17, 9)), seed=0, log_every=10, checkpoint_every=10,
               label=label, warm_start=warm,
               resolved={"scale": "test", "experiment": "unit", "pde": "reaction", "method": label, "seed": 0})


def test_gdnd_lowers_the_loss_in_each_phase(tmp_path):
    parent = small_run([Phase("adam", 30, OptaxPhase(optax.adam(1e-2))), Phase("lbfgs", 30, LBFGS())],
                       label="adam_lbfgs")
    ref = exact_reference(parent.pde)
    out = train(parent, ref, tmp_path / "parent", progress=False)
    write_run(tmp_path / "parent", parent, out)
    nncg = NNCG(NNCGSettings(rank=10, precond_every=5, forcing="eisenstat_walker", cg_maxiter=30))
    child = small_run([Phase("nncg", 20, nncg)], warm=load_warm_start(tmp_path / "parent"))
    done = train(child, ref, tmp_path / "child", progress=False)
    m = pd.DataFrame(done.metrics)
    assert done.status == "ok" and list(m.phase.unique()) == ["adam", "lbfgs", "nncg"] and m.step.iloc[-1] == 80
    for phase in ("adam", "lbfgs", "nncg"):
        rows = m[m.phase == phase]
        before = m.loss[rows.index[0] - 1] if rows.index[0] > 0 else m.loss.iloc[0]
        assert rows.loss.iloc[-1] < before, phase
    assert (m[m.phase == "nncg"].cg_iterations >= 1).all()


def test_a_diverging_second_order_run_is_recorded(tmp_path):
    class BlowsUp(LBFGS):  # an optimizer whose iterate turns non-finite after a few steps
        def step(self, objective, params, state, batch, weights, first=None):
            params, state, terms = super().step(objective, params, state, batch, weights, first=first)
            count = optax.tree.get(state, "info").num_linesearch_steps  # any state leaf will do
            bad = jnp.where(terms["loss"] < 1e9, jnp.nan, 0.0) * (count >= 0)
            return jax.tree.map(lambda x: x + bad, params), state, terms

    run = small_run([Phase("adam", 10, OptaxPhase(optax.adam(1e-2))), Phase("lbfgs", 20, BlowsUp())],
                    label="adam_lbfgs")
    out = train(run, exact_reference(run.pde), tmp_path / "run", progress=False)
    assert out.status == "diverged" and out.diverged_at >= 10
    summary = write_run(tmp_path / "run", run, out)
    assert summary["status"] == "diverged"
    # the GDND run that continues it is diverged too, without running
    child = small_run([Phase("nncg", 10, NNCG(NNCGSettings(rank=4)))], warm=load_warm_start(tmp_path / "run"))
    done = train(child, exact_reference(run.pde), tmp_path / "child", progress=False)
    assert done.status == "diverged"


def test_cg_on_an_indefinite_matrix_stops_only_when_asked():
    with jax.enable_x64(True):
        a = jnp.diag(jnp.array([3.0, 2.0, -1.0, 1.0]))
        b = jnp.ones(4)
        x_stop, k_stop = pcg(lambda v: a @ v, b, jnp.zeros(4), lambda r: r, 1e-12, 50, True)
        x_go, k_go = pcg(lambda v: a @ v, b, jnp.zeros(4), lambda r: r, 1e-12, 50, False)
        assert int(k_stop) < int(k_go)
        # plain CG on a nonsingular symmetric matrix still finds the solution in n steps (exact arithmetic)
        np.testing.assert_allclose(a @ x_go, b, atol=1e-8)
        assert float(b @ x_stop) > 0  # the truncated direction is still a descent direction for b


def test_lbfgs_told_its_first_step_takes_the_same_steps_and_keeps_its_branch_under_vmap():
    """``LBFGS.step(first=...)`` (what the training chunks pass) reuses the line search's value and gradient as
    optax's state-based rule does: the same iterates, exactly, on the Rosenbrock function from three starts. Under
    ``vmap`` with ``first`` shared by the seeds the choice stays a ``cond`` (one loss and gradient per iteration, not
    both branches), and each start's iterates are its unbatched ones."""
    def objective(p, batch, weights):
        value = jnp.sum(100.0 * (p[1:] - p[:-1] ** 2) ** 2 + (1.0 - p[:-1]) ** 2)
        return value, {"loss": value}

    opt = LBFGS(memory=10)
    starts = jnp.array([[-1.2, 1.0, 0.5], [0.3, -0.7, 1.1], [2.0, 2.0, -1.0]], jnp.float32)
    told = jax.jit(lambda p, state, first: opt.step(objective, p, state, None, None, first=first)[:2])
    untold = jax.jit(lambda p, state: opt.step(objective, p, state, None, None)[:2])

    def run(p, old_rule: bool):
        state = opt.init(p)
        for k in range(8):
            p, state = untold(p, state) if old_rule else told(p, state, jnp.bool_(k == 0))
        return p

    for p0 in starts:
        np.testing.assert_array_equal(run(p0, old_rule=False), run(p0, old_rule=True))

    batched = jax.vmap(lambda p, state, first: opt.step(objective, p, state, None, None, first=first)[:2],
                       in_axes=(0, 0, None))
    assert "cond[" in str(jax.make_jaxpr(batched)(starts, jax.vmap(opt.init)(starts), jnp.bool_(True)))
    p, state, step = starts, jax.vmap(opt.init)(starts), jax.jit(batched)
    for k in range(8):
        p, state = step(p, state, jnp.bool_(k == 0))
    for p0, pk in zip(starts, p):  # rounding differs between the batched and unbatched programs
        np.testing.assert_allclose(pk, run(p0, old_rule=True), rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("make", [lambda: LBFGS(memory=10),
                                  lambda: NNCG(NNCGSettings(rank=2, mu=1e-6, cg_maxiter=5, cg_tol=1e-12)),
                                  lambda: OptaxPhase(optax.adam(1e-3))])
def test_a_step_keeps_the_state_types_that_init_makes(make):
    """A training chunk is called first with ``init``'s state, then with the state its steps return: any difference
    in shape, dtype or weak type traces and compiles the chunk a second time (optax's line-search info started
    weakly typed: seconds a job). So a compiled step is traced once for both."""
    def objective(p, batch, weights):
        value = jnp.sum(100.0 * (p[1:] - p[:-1] ** 2) ** 2 + (1.0 - p[:-1]) ** 2)
        return value, {"loss": value}

    opt, traces = make(), []

    @jax.jit
    def step(p, state):
        traces.append(1)
        return opt.step(objective, p, state, None, None, first=jnp.bool_(False))[:2]

    p, state = jnp.array([-1.2, 1.0, 0.5]), None
    state = opt.init(p)
    for _ in range(3):
        p, state = step(p, state)
    assert len(traces) == 1
