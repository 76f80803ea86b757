"""Benchmark: pinnlab against Rathore et al.'s PyTorch code (opt_for_pinns), side by side in one process.

Both codes build the same problem — Convection β = 40, ``--n-res`` residual points drawn from the interior of the
``--grid`` (257 × 101), the source's initial and periodic-boundary points, 3 hidden tanh layers — on the SAME points
(the source's ``get_data`` draw, fed to pinnlab) and the SAME weights (pinnlab's Glorot initialisation copied into the
source's ``PINN``). The loss terms of both must agree (max relative difference ≤ 1e-4, else the script stops); the
gradient and one Hessian-vector product are compared too. Then, per width, each operation is timed for both, their
calls interleaved (a PyTorch call, a pinnlab call, ...) so that a change of the machine's load falls on both alike, in
ms per unit (median of ``--repeats``; each side's first call, which compiles pinnlab's programs and warms PyTorch
up, is not counted):

  Adam step          pinnlab: its training chunks (``--chunk`` steps in one compiled ``lax.scan``), and one step
                     per call; PyTorch: ``opt.step(closure)`` as its ``train`` loop (the closure: zero_grad,
                     predict, loss_func, backward)
  L-BFGS iteration   ``--lbfgs-iterations`` iterations from the initialisation: pinnlab's L-BFGS phase in one
                     chunk; PyTorch: one ``LBFGS.step`` (history 100, strong Wolfe, max_iter 20 as the source), per
                     inner iteration
  loss + gradient    pinnlab: the compiled value_and_grad of the objective; PyTorch: the closure
  HVP                one Hessian-vector product as Lanczos and the Nyström sketch call it: pinnlab's compiled
                     ``curvature.hvp`` at (params, points); PyTorch: ``pyhessian.hessian_vector_product`` on the
                     retained graph of the gradient (built once, not timed — the source's Lanczos reuses it)
  Nyström sketch     the HVPs of a rank-``--rank`` sketch, per HVP (fewer repeats: a fifth): pinnlab's whole
                     ``optim.nncg.nystrom`` (its QR, Cholesky and SVD included); PyTorch: the HVPs of
                     ``NysNewtonCG.update_preconditioner`` (its ``_hvp_vmap``, chunk_size 1) — its Cholesky
                     fallback fails on the indefinite Hessian at an initialisation, so the whole cannot be timed there
  HVP in NNCG's CG   a Nyström-preconditioned CG solve of (H + μI) d = ∇L with ``--cg-iterations`` iterations,
                     per HVP: pinnlab's ``optim.nncg.pcg`` compiled as ``NNCG.step`` builds it; PyTorch:
                     ``nys_newton_cg._nystrom_pcg`` with ``NysNewtonCG._hvp``, as its ``step``; both with
                     pinnlab's sketch as the preconditioner (the same linear system)

    python benchmarks/vs_pytorch.py --reference-src /path/to/opt_for_pinns [--widths 50 200] [--repeats 10]
                                    [--out DIR]

``--reference-src``: a checkout of https://github.com/pratikrathore8/opt_for_pinns (its root or its ``src``), never
copied into this repository. Without it, or without PyTorch, the script times pinnlab alone (on pinnlab's own draw
of the points) and says why. ``--out DIR`` writes the table as ``vs_pytorch.{md,json}`` with provenance
(``record.py``), the PyTorch version and threads and the reference's commit added.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import dataclasses
import hashlib
import importlib.util
import io
import os
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
from record import add_out_option, write_record  # benchmarks/ is the script's folder

from pinnlab.allocator import describe, keep_freed_memory
from pinnlab.config import load_config
from pinnlab.curvature import flat_objective, hvp
from pinnlab.evaluate import Reference
from pinnlab.experiments.table2 import resolve as resolve_run
from pinnlab.nets import count_parameters
from pinnlab.optim.nncg import NNCGSettings, nystrom, nystrom_preconditioner, pcg
from pinnlab.training.methods import build_phases
from pinnlab.training.trainer import Trainer

SCALE, PDE = "paper", "convection"  # the paper scale's Convection protocol is Rathore et al.'s setup
BETA = 40.0
SOURCE_ADAM_LR = 1e-4  # the source's best Convection runs' (its config/convection_*_best.sh); cost ignores it
AGREEMENT = 1e-4
"""Largest relative difference of a loss term between the two codes at the same weights and points."""
REFERENCE_MODULES = ("models", "train_utils", "pyhessian", "opts.nys_newton_cg")
OPERATIONS = {
    "adam_chunk": "Adam step, pinnlab in its {chunk}-step chunks",
    "adam_single": "Adam step, pinnlab one step per call",
    "lbfgs": "L-BFGS iteration",
    "loss_grad": "loss + gradient",
    "hvp": "one HVP (as Lanczos and the Nyström sketch call it)",
    "sketch_hvp": "Nyström sketch, per HVP",
    "cg_hvp": "HVP inside NNCG's CG loop",
}


# ----------------------------------------------------------------------------------------------- the reference


def load_reference(path: str) -> types.SimpleNamespace:
    """opt_for_pinns' modules, imported from ``path`` (its root or its ``src``) as the package ``opt_for_pinns_src``
    — a name of our own, so that its ``src`` cannot shadow another package of that name."""
    src = Path(path).expanduser().resolve()
    src = src / "src" if (src / "src" / "train_utils.py").is_file() else src
    if not (src / "train_utils.py").is_file():
        raise SystemExit(f"--reference-src {path}: no train_utils.py there or in its src/; "
                         "give a checkout of github.com/pratikrathore8/opt_for_pinns")
    # train_utils imports wandb at module level for its logging, which the timed code never calls
    if "wandb" not in sys.modules and importlib.util.find_spec("wandb") is None:
        sys.modules["wandb"] = types.ModuleType("wandb")
    spec = importlib.util.spec_from_file_location("opt_for_pinns_src", src / "__init__.py",
                                                  submodule_search_locations=[str(src)])
    package = importlib.util.module_from_spec(spec)
    sys.modules["opt_for_pinns_src"] = package
    modules = {name.split(".")[-1]: importlib.import_module(f"opt_for_pinns_src.{name}") for name in REFERENCE_MODULES}
    return types.SimpleNamespace(path=src, **modules)


def reference_provenance(ref) -> dict:
    """The reference's git commit (when ``path`` is in a git checkout) and a hash of the modules timed."""
    def git(*command):
        return subprocess.run(["git", "-C", str(ref.path), *command], capture_output=True, text=True, check=True,
                              timeout=10).stdout.strip()
    try:
        # only the reference's own checkout: not a repository that happens to hold a copy of it
        own = Path(git("rev-parse", "--show-toplevel")) in (ref.path, ref.path.parent)
        commit = git("rev-parse", "HEAD") if own else "unknown (not a git checkout)"
    except (OSError, subprocess.SubprocessError):
        commit = "unknown (not a git checkout)"
    digest = hashlib.sha256()
    for name in REFERENCE_MODULES:
        digest.update((ref.path / (name.replace(".", "/") + ".py")).read_bytes())
    return {"reference": str(ref.path), "reference commit": commit,
            "reference sha256 (timed modules)": digest.hexdigest()[:16]}


def why_pinnlab_alone(reference_src: str | None) -> str | None:
    """Why the PyTorch side cannot run, or None when it can."""
    if not reference_src:
        return "no --reference-src given (a checkout of github.com/pratikrathore8/opt_for_pinns)"
    if importlib.util.find_spec("torch") is None:
        return "PyTorch is not installed"
    return None


# ----------------------------------------------------------------------------------------------- the problem


def pinnlab_trainer(cfg: dict, width: int, args) -> tuple[Trainer, dict]:
    """pinnlab's Convection run at ``width`` with the benchmark's point counts, and its protocol."""
    cfg = copy.deepcopy(cfg)
    cfg["loss_convention"] = "mean"  # the source's nn.MSELoss, whatever the config trains with
    proto = cfg["scales"][SCALE]["protocols"][PDE]
    proto["network"] = {**proto["network"], "width": width, "depth": args.depth}
    proto["points"] = {**proto["points"], "kind": "grid", "grid": list(args.grid), "n_res": args.n_res}
    run = resolve_run(cfg, SCALE, PDE, "adam", args.seed)
    if run.pde.beta != BETA:
        raise SystemExit(f"the config's Convection has β = {run.pde.beta}; this benchmark compares β = {BETA}")
    axes = tuple(np.linspace(lo, hi, 3) for lo, hi in zip(run.pde.lower, run.pde.upper))
    return Trainer(run, Reference(axes, np.ones([3] * run.pde.dim), {})), proto  # evaluation is not timed


@dataclass
class SourceProblem:
    """The reference's model, points and loss, built by its own functions as its ``train`` does."""

    ref: types.SimpleNamespace
    model: object
    x: tuple
    t: tuple
    loss_func: object
    initial: dict

    def reset(self) -> None:
        self.model.load_state_dict(self.initial)

    def loss_terms(self) -> dict:
        loss_res, loss_bc, loss_ic = self.loss_func(self.x, self.t, self.ref.train_utils.predict(self.x, self.t,
                                                                                                self.model))
        return {"res": loss_res, "bc": loss_bc, "ic": loss_ic}

    def closure(self, opt=None):
        """``train``'s closure: zero the gradients, predict, the loss terms, their sum, backward."""
        def closure():
            (opt or self.model).zero_grad()
            loss = sum(self.loss_terms().values())
            loss.backward()
            return loss
        return closure

    def graph_gradient(self) -> tuple:
        """∇L with its graph kept for Hessian-vector products (``create_graph=True``, as NNCG's closure)."""
        import torch

        return torch.autograd.grad(sum(self.loss_terms().values()), list(self.model.parameters()), create_graph=True)


def source_points(ref, args) -> tuple[tuple, tuple]:
    """The source's points: ``get_data`` after ``set_random_seed``, as its ``train``. Its ``device='cpu'`` path
    returns NumPy arrays that its model cannot take (it ran on GPUs); any other device string makes the float32
    tensors with ``requires_grad`` that training uses, and ``'cpu:0'`` keeps them on the CPU."""
    ref.train_utils.set_random_seed(args.seed)
    x_range, t_range, _, _ = ref.train_utils.get_pde(PDE, ["beta", str(BETA)], "mse")
    x, t, _ = ref.train_utils.get_data(x_range, t_range, args.grid[0], args.grid[1], random=True,
                                       num_res_samples=args.n_res, device="cpu:0")
    return x, t


def pinnlab_batch(x: tuple, t: tuple) -> dict:
    """The source's points as pinnlab's batch: residual, initial (t = 0) and periodic (the face x = 0, whose term
    pinnlab writes u(0, t) − u(2π, t) and the source u(2π, t) − u(0, t))."""
    def stack(xs, ts):
        return jnp.asarray(np.hstack([xs.detach().numpy(), ts.detach().numpy()]), dtype=jnp.float32)
    x_res, x_left, _, x_lower = x
    t_res, t_left, _, t_lower = t
    return {"res": stack(x_res, t_res), "ic": stack(x_left, t_left), "bc": stack(x_lower, t_lower)}


def source_order(tree) -> list:
    """A pinnlab parameter pytree (or a vector shaped like one) as the source's ``model.parameters()``: per layer
    the weight (out × in: the transpose of pinnlab's kernel) then the bias."""
    import torch

    def array(leaf):  # a Param of the parameter tree, or a plain array of a gradient or vector tree
        return np.asarray(leaf.get_value() if hasattr(leaf, "get_value") else leaf)

    layers = tree["layers"]
    out = []
    for i in sorted(layers.keys()):
        kernel, bias = array(layers[i]["kernel"]), array(layers[i]["bias"])
        out += [torch.from_numpy(kernel.T.copy()), torch.from_numpy(bias.copy())]
    return out


def flatten(tensors):
    """A list of torch tensors as one flat vector (the source's ``torch.cat([g.view(-1) ...])``)."""
    import torch

    return torch.cat([x.reshape(-1) for x in tensors])


def source_problem(ref, trainer: Trainer, x: tuple, t: tuple) -> SourceProblem:
    """The source's ``PINN`` (``num_layer`` = depth + 1) with pinnlab's initial weights copied in."""
    import torch

    model = ref.models.PINN(in_dim=2, hidden_dim=trainer.net.width, out_dim=1, num_layer=trainer.net.depth + 1)
    model.apply(ref.train_utils.init_weights)  # as ``train``; overwritten by pinnlab's draw just below
    with torch.no_grad():
        for p, value in zip(model.parameters(), source_order(trainer.params0), strict=True):
            p.copy_(value)
    _, _, loss_func, _ = ref.train_utils.get_pde(PDE, ["beta", str(BETA)], "mse")
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    return SourceProblem(ref, model, x, t, loss_func, initial)


# ----------------------------------------------------------------------------------------------- agreement


def relative_difference(a, b) -> float:
    a, b = np.ravel(np.asarray(a, np.float64)), np.ravel(np.asarray(b, np.float64))
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), np.finfo(np.float32).tiny))


def check_agreement(side: PinnlabSide, source: SourceProblem, key) -> dict:
    """Relative differences of the loss terms (each), the gradient and one HVP between the two codes; stops the
    benchmark when a loss term differs by more than ``AGREEMENT``."""
    source.reset()
    terms = {k: v.item() for k, v in source.loss_terms().items()}
    (_, ours), grad = side.loss_grad_fn(side.params, side.batch, side.weights)
    loss_diff = max(relative_difference(ours[k], terms[k]) for k in terms)
    if loss_diff > AGREEMENT:
        raise SystemExit(f"the loss terms differ: pinnlab {({k: float(v) for k, v in ours.items()})}, "
                         f"PyTorch {terms}; max relative difference {loss_diff:.2e} > {AGREEMENT:g}")
    graph_grad = source.graph_gradient()
    v_flat = jax.random.normal(key, side.w.shape)
    source_v = source_order(side.unravel(v_flat))
    source_hv = source.ref.pyhessian.hessian_vector_product(list(graph_grad), list(source.model.parameters()),
                                                            source_v)
    ours_hv = source_order(side.unravel(side.hessian_times(v_flat)))
    return {"loss terms": loss_diff,
            "gradient": relative_difference(flatten(source_order(grad)), flatten(graph_grad).detach()),
            "HVP": relative_difference(flatten(ours_hv), flatten(source_hv))}


# ----------------------------------------------------------------------------------------------- timing


@dataclass
class Timed:
    """One operation ready to time: ``run(state)`` does it and returns how many units it did (steps, iterations,
    HVPs); ``setup()`` (not timed) gives it a fresh ``state`` each call."""

    run: Callable[[object], int]
    setup: Callable[[], object] | None = None
    sketch: bool = False  # the sketch takes a fifth of the repeats: each call is ``rank`` HVPs

    def once(self) -> float:
        """ms per unit of one call."""
        state = self.setup() if self.setup else None
        t0 = time.perf_counter()
        units = self.run(state)
        return (time.perf_counter() - t0) / units * 1e3


def compiled(fn: Callable[[], object], units: int) -> Timed:
    """A compiled pinnlab call, waited for (JAX dispatches asynchronously)."""
    return Timed(lambda _: (jax.block_until_ready(fn()), units)[1])


def median_ms(timers: list[Timed], repeats: int) -> list[float]:
    """Median ms per unit of each timer over ``repeats`` calls, the timers' calls interleaved so that a change of
    the machine's load falls on both codes alike; each timer's first call (compilation, warm-up) is not counted."""
    for timer in timers:
        timer.once()
    samples = [[] for _ in timers]
    for _ in range(repeats):
        for timer, sample in zip(timers, samples):
            sample.append(timer.once())
    return [statistics.median(sample) for sample in samples]


class PinnlabSide:
    """pinnlab's operations at its initial parameters, built by pinnlab's own functions."""

    def __init__(self, trainer: Trainer, proto: dict, args, batch: dict | None = None):
        self.trainer, self.proto, self.args = trainer, proto, args
        if batch is not None:  # the source's points, in place of pinnlab's draw (the chunks read trainer.data)
            trainer.data["fixed"] = batch
        self.params, self.batch = trainer.params0, trainer.batch(0)
        self.weights = {k: jnp.float32(1.0) for k in trainer.term_names}
        _, self.w, self.unravel = flat_objective(trainer.objective, self.params, self.batch, self.weights)
        self.loss_grad_fn = jax.jit(jax.value_and_grad(trainer.objective, has_aux=True))
        # Parameters and points are arguments, not constants baked into the program, as in a training step.
        self.hvp_fn = jax.jit(self._hvp_at)
        self.settings = NNCGSettings(rank=args.rank, mu=args.mu)

    def _hvp_at(self, params, batch, weights, v):
        """One HVP as ``NNCG.step`` builds it: the flat objective at (params, points), forward over reverse."""
        f, w, _ = flat_objective(self.trainer.objective, params, batch, weights)
        return hvp(f, w, v)

    def hessian_times(self, v):
        return self.hvp_fn(self.params, self.batch, self.weights, v)

    def _steps(self, phase, length: int) -> Timed:
        """``length`` steps of ``phase`` from the initialisation in one compiled chunk, as training runs them."""
        chunk, opt_state = self.trainer.chunk(phase, length), phase.optimizer.init(self.params)
        return compiled(lambda: chunk(self.params, opt_state, self.weights, jnp.int32(0)), length)

    def adam_chunk(self) -> Timed:
        return self._steps(build_phases("adam", self.proto)[0], self.args.chunk)

    def adam_single(self) -> Timed:
        return self._steps(build_phases("adam", self.proto)[0], 1)

    def lbfgs(self) -> Timed:
        return self._steps(build_phases("adam_lbfgs", self.proto)[-1], self.args.lbfgs_iterations)

    def loss_grad(self) -> Timed:
        return compiled(lambda: self.loss_grad_fn(self.params, self.batch, self.weights), 1)

    def hvp(self) -> Timed:
        v = jax.random.normal(jax.random.key(0), self.w.shape)
        return compiled(lambda: self.hessian_times(v), 1)

    def _sketch(self):
        """The compiled Nyström sketch as ``NNCG.step`` builds it, and its first result (the CG's preconditioner)."""
        if not hasattr(self, "_sketched"):
            rank, hvp_batch = self.settings.rank, self.settings.hvp_batch

            def sketch(params, batch, weights, key):
                f, w, _ = flat_objective(self.trainer.objective, params, batch, weights)
                return nystrom(lambda v: hvp(f, w, v), key, w.size, rank, hvp_batch, w.dtype)
            sketch = jax.jit(sketch)
            run = lambda: sketch(self.params, self.batch, self.weights, jax.random.key(1))  # noqa: E731
            self._sketched = run, run()  # the first call compiles
        return self._sketched

    def sketch_hvp(self) -> Timed:
        run, _ = self._sketch()
        return dataclasses.replace(compiled(run, self.settings.rank), sketch=True)

    def preconditioner_for_source(self) -> tuple:
        """The sketch's (U, Λ̂) as torch tensors, U's rows in the source's parameter order."""
        import torch

        _, (basis, eigenvalues) = self._sketch()
        columns = [flatten(source_order(self.unravel(basis[:, j]))) for j in range(basis.shape[1])]
        return torch.stack(columns, dim=1), torch.from_numpy(np.asarray(eigenvalues).copy())

    def cg_hvp(self) -> Timed:
        """A CG solve of ``--cg-iterations`` iterations as in ``NNCG.step`` (the source's stopping rule: tol 1e-16,
        go on through negative curvature), per HVP (iterations + 1: the first residual costs one)."""
        cfg, iterations = self.settings, self.args.cg_iterations

        def solve(params, batch, weights, basis, eigenvalues, b):
            f, w, _ = flat_objective(self.trainer.objective, params, batch, weights)
            return pcg(lambda v: hvp(f, w, v) + cfg.mu * v, b, jnp.zeros_like(b),
                       nystrom_preconditioner(basis, eigenvalues, cfg.mu), cfg.cg_tol, iterations, False)

        _, preconditioner = self._sketch()
        solve = jax.jit(solve)
        grad = jax.grad(lambda w: self.trainer.objective(self.unravel(w), self.batch, self.weights)[0])(self.w)
        # int() waits for the result; CG stops before the cap only where the curvature is exactly zero
        return Timed(lambda _: int(solve(self.params, self.batch, self.weights, *preconditioner, grad)[1]) + 1)


class SourceSide:
    """The reference's operations at the same weights and points, as its training code runs them."""

    def __init__(self, source: SourceProblem, args, preconditioner):
        """``preconditioner()``: (U, Λ̂) of a Nyström sketch in the source's parameter order, for the CG."""
        self.source, self.args, self.preconditioner = source, args, preconditioner

    def adam(self) -> Timed:
        """``opt.step(closure)`` with ``get_opt('adam')``, steps in a row as ``train`` runs them."""
        self.source.reset()
        opt = self.source.ref.train_utils.get_opt("adam", {"lr": SOURCE_ADAM_LR}, self.source.model.parameters())
        closure = self.source.closure(opt)
        return Timed(lambda _: (opt.step(closure), 1)[1])

    adam_chunk = adam_single = adam  # PyTorch has one way to step, timed beside each of pinnlab's

    def lbfgs(self) -> Timed:
        """One ``LBFGS.step`` from the initialisation (``get_opt('lbfgs')``: history 100, strong Wolfe, max_iter
        ``--lbfgs-iterations``), per inner iteration; a fresh optimizer each call, as at the source's switch."""
        def setup():
            self.source.reset()
            return self.source.ref.train_utils.get_opt(
                "lbfgs", {"history_size": 100, "max_iter": self.args.lbfgs_iterations}, self.source.model.parameters())

        def run(opt):
            opt.step(self.source.closure(opt))
            return opt.state[opt._params[0]]["n_iter"]
        return Timed(run, setup)

    def loss_grad(self) -> Timed:
        self.source.reset()
        closure = self.source.closure()
        return Timed(lambda _: (closure(), 1)[1])

    def hvp(self) -> Timed:
        """``pyhessian.hessian_vector_product`` on the gradient graph that ``pyhessian.hessian`` builds once."""
        import torch

        self.source.reset()
        ref = self.source.ref
        h = ref.pyhessian.hessian(self.source.model, ref.train_utils.predict, self.source.loss_func,
                                  (self.source.x, self.source.t), device="cpu")
        v = [torch.randn_like(p) for p in h.params]
        return Timed(lambda _: (ref.pyhessian.hessian_vector_product(h.gradsH, h.params, v), 1)[1])

    def _nncg(self):
        """``NysNewtonCG`` with the source's NNCG settings and the flat gradient with its graph, as its ``step``
        gets them from the closure (``create_graph=True``)."""
        if not hasattr(self, "_nncg_state"):
            self.source.reset()
            opt = self.source.ref.nys_newton_cg.NysNewtonCG(
                self.source.model.parameters(), lr=1.0, rank=self.args.rank, mu=self.args.mu,
                cg_max_iters=self.args.cg_iterations, line_search_fn="armijo")
            self._nncg_state = opt, flatten(self.source.graph_gradient())
        return self._nncg_state

    def sketch_hvp(self) -> Timed:
        """The sketch's HVPs as ``update_preconditioner`` makes them: ``_hvp_vmap`` over the rank orthonormal test
        vectors. Its Cholesky, and the eigen-shift fallback it tries when the sketched core is indefinite, come
        after; the fallback fails at an initialisation (Convection's Hessian is indefinite there)."""
        import torch

        opt, g = self._nncg()
        test = torch.linalg.qr(torch.randn(g.numel(), opt.rank), mode="reduced")[0].t()
        sketch = opt._hvp_vmap(g, opt._params_list)
        return Timed(lambda _: (sketch(test), opt.rank)[1], sketch=True)

    def cg_hvp(self) -> Timed:
        """``_nystrom_pcg`` as ``NysNewtonCG.step`` calls it (warm start from zero), per HVP it made."""
        import torch

        opt, g = self._nncg()
        opt.U, opt.S = self.preconditioner()
        calls = []

        def counted_hvp(v):
            calls.append(1)
            return opt._hvp(g, opt._params_list, v)

        def run(x0):
            calls.clear()
            with contextlib.redirect_stdout(io.StringIO()):  # its "PCG did not converge" line, expected at the cap
                self.source.ref.nys_newton_cg._nystrom_pcg(counted_hvp, g, x0, opt.mu, opt.U, opt.S, opt.rank,
                                                           opt.cg_tol, opt.cg_max_iters)
            return len(calls)
        return Timed(run, setup=lambda: torch.zeros(g.numel()))


# ----------------------------------------------------------------------------------------------- the table


def build_sides(cfg: dict, width: int, args, ref) -> tuple[PinnlabSide, SourceSide | None, str]:
    """Both codes at ``width`` on the same points and weights, checked to agree (the agreement, as printed), or
    pinnlab alone on its own points when ``ref`` is None."""
    trainer, proto = pinnlab_trainer(cfg, width, args)
    if ref is None:
        return PinnlabSide(trainer, proto, args), None, ""
    x, t = source_points(ref, args)
    ours = PinnlabSide(trainer, proto, args, pinnlab_batch(x, t))
    source = source_problem(ref, trainer, x, t)
    agreement = ", ".join(f"{k} {v:.2e}" for k, v in check_agreement(ours, source, jax.random.key(2)).items())
    print(f"width {width}: relative differences, PyTorch vs pinnlab at the same weights and points: {agreement}",
          flush=True)
    return ours, SourceSide(source, args, ours.preconditioner_for_source), agreement


def measure_width(cfg: dict, width: int, args, ref) -> tuple[list[dict], str]:
    """Rows of one width, every operation timed for PyTorch (when ``ref``) and pinnlab, their calls interleaved;
    and the agreement of the two codes."""
    ours, theirs, agreement = build_sides(cfg, width, args, ref)
    rows = []
    for operation in args.operations:
        timers = [getattr(side, operation)() for side in (theirs, ours) if side is not None]
        repeats = max(1, args.repeats // 5) if timers[-1].sketch else args.repeats
        *torch_ms, pinnlab_ms = median_ms(timers, repeats)
        torch_ms = torch_ms[0] if torch_ms else None
        row = {"width": width, "parameters": count_parameters(ours.params),
               "operation": OPERATIONS[operation].format(chunk=args.chunk), "PyTorch ms": torch_ms,
               "pinnlab ms": pinnlab_ms, "ratio torch/pinnlab": torch_ms / pinnlab_ms if torch_ms else None}
        print_row(row)
        rows.append(row)
    return rows, agreement


HEADER = f"{'width':>5} {'params':>7}  {'operation':<52} {'PyTorch ms':>10} {'pinnlab ms':>10} {'torch/pinnlab':>13}"


def print_row(row: dict) -> None:
    def cell(x, fmt):
        return format(x, fmt) if x is not None else format("—", ">" + fmt.split(".")[0])
    print(f"{row['width']:>5} {row['parameters']:>7}  {row['operation']:<52} {cell(row['PyTorch ms'], '10.2f')} "
          f"{cell(row['pinnlab ms'], '10.2f')} {cell(row['ratio torch/pinnlab'], '13.2f')}", flush=True)


def torch_context(ref) -> dict:
    import torch

    return {"torch": torch.__version__, "torch threads": torch.get_num_threads(), **reference_provenance(ref)}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reference-src", help="opt_for_pinns checkout (its root or src/); without it pinnlab alone")
    p.add_argument("--config", default="config/config.yaml")
    p.add_argument("--widths", type=int, nargs="+", default=[50, 200])
    p.add_argument("--depth", type=int, default=3, help="hidden layers (the source's num_layers − 1)")
    p.add_argument("--n-res", type=int, default=10_000, help="residual points drawn from the grid's interior")
    p.add_argument("--grid", type=int, nargs=2, default=[257, 101], metavar=("NX", "NT"))
    p.add_argument("--seed", type=int, default=0, help="pinnlab's initialisation and the source's point draw")
    p.add_argument("--repeats", type=int, default=10, help="timed calls per operation (the sketch: a fifth)")
    p.add_argument("--chunk", type=int, default=10, help="Adam steps in one compiled pinnlab chunk")
    p.add_argument("--lbfgs-iterations", type=int, default=20, help="iterations per timed call (source's max_iter)")
    p.add_argument("--cg-iterations", type=int, default=10, help="CG iterations per timed solve")
    p.add_argument("--rank", type=int, default=NNCGSettings.rank, help="Nyström sketch size (source's: 60)")
    p.add_argument("--mu", type=float, default=NNCGSettings.mu, help="NNCG damping (source's best for convection)")
    p.add_argument("--operations", nargs="+", default=list(OPERATIONS), choices=list(OPERATIONS))
    add_out_option(p)
    return p.parse_args(argv)


NOTES = ("Same points (the source's get_data draw) and the same initial weights (pinnlab's, copied into the "
         "source's PINN) in both codes; the loss terms agreed to within 1e-4 before timing (the script prints "
         "the figure). Each operation's PyTorch and pinnlab calls interleaved. PyTorch has one Adam step (its "
         "training loop's opt.step(closure)), timed beside each of pinnlab's two. L-BFGS: iterations from the "
         "initialisation, per iteration; the two line searches need not take the same number of loss "
         "evaluations. One HVP: pinnlab's compiled standalone HVP against PyTorch's double backward on a "
         "retained gradient graph (built once, not timed). Sketch: pinnlab's whole Nyström sketch against the "
         "source's sketch HVPs alone (its Cholesky fallback fails at an initialisation). CG: per HVP of a CG "
         "solve on the same preconditioned system, preconditioner applications included.")


def main(argv=None) -> list[dict]:
    kept = keep_freed_memory()  # both libraries' calls in this process reuse freed memory (pinnlab.allocator)
    args = parse_args(argv)
    cfg = load_config(args.config)
    reason = why_pinnlab_alone(args.reference_src)
    ref = load_reference(args.reference_src) if reason is None else None
    device = jax.devices()[0]
    print(f"device: {device.platform} ({device.device_kind}); jax {jax.__version__}; Convection β = {BETA:g}, "
          f"{args.n_res} residual points of a {args.grid[0]} × {args.grid[1]} grid, {args.depth} hidden layers; "
          f"ms per unit, median of {args.repeats} calls after a first (compilation, warm-up) not counted")
    context = torch_context(ref) if ref is not None else {"PyTorch side": f"not run: {reason}"}
    print("; ".join(f"{k}: {v}" for k, v in context.items()))
    print(HEADER)
    context["allocator"] = describe(kept)
    context["load average (1 min) at the start"] = round(os.getloadavg()[0], 2)  # other work skews PyTorch most
    rows = []
    for width in args.widths:
        width_rows, agreement = measure_width(cfg, width, args, ref)
        rows += width_rows
        if agreement:
            context[f"relative differences at width {width} (loss terms ≤ {AGREEMENT:.0e} checked)"] = agreement
    context["load average (1 min) at the end"] = round(os.getloadavg()[0], 2)
    if args.out:
        write_record(args.out, "vs_pytorch", "pinnlab against Rathore et al.'s PyTorch code (opt_for_pinns), "
                     f"ms per operation, median of {args.repeats} calls, compilation and warm-up excluded", rows,
                     NOTES, context=context)
    return rows


if __name__ == "__main__":
    main()
