"""The one training loop of every method.

A run is a sequence of optimizer phases (Adam; later L-BFGS, NNCG, ...). Steps are jit-compiled and
run ``log_every`` at a time inside ``lax.scan`` (one dispatch per chunk, no host synchronisation
inside it). At every chunk end the loop records a metrics row (each loss term, weights, L2RE, wall
time), updates the progress bar, checks for divergence and, every ``checkpoint_every`` steps, writes a
checkpoint from which an interrupted run resumes with the same numbers.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import optax
from tqdm.auto import tqdm

from pinnlab import checkpoint
from pinnlab.errors import PinnlabError
from pinnlab.evaluate import Reference, l2_relative_error
from pinnlab.losses import loss_terms, weighted_total
from pinnlab.nets import Network, Params, network_for
from pinnlab.pdes import PDE
from pinnlab.sampling import PointSpec, fixed_points, uniform_points

CHECKPOINT_FILE = "checkpoint.npz"


class OptaxPhase:
    """A first-order optax transformation driven by the gradient of the weighted loss."""

    def __init__(self, tx: optax.GradientTransformation):
        self.tx = tx

    def init(self, params):
        return self.tx.init(params)

    def step(self, objective, params, opt_state, batch, weights):
        (_, terms), grads = jax.value_and_grad(objective, has_aux=True)(params, batch, weights)
        updates, opt_state = self.tx.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, terms


@dataclass(frozen=True)
class Phase:
    name: str
    steps: int
    optimizer: OptaxPhase
    weighting: dict | None = None  # a loss-weighting scheme of ``pinnlab.weighting`` for this phase


@dataclass(frozen=True)
class WarmStart:
    """A finished run that this one continues (GDND continues Adam+L-BFGS with NNCG).

    Its metrics become the first rows of this run's metrics and its steps count in this run's.
    """

    params_path: Path
    metrics: list
    step: int
    wall_time_s: float
    status: str
    diverged_at: int | None = None


@dataclass
class Run:
    """Everything a training run needs, resolved from the config (see ``pinnlab.config``)."""

    pde: PDE
    phases: list[Phase]
    network: dict  # width, depth, input_normalization
    points: PointSpec
    seed: int
    log_every: int
    checkpoint_every: int
    loss_convention: str = "mean"
    label: str = ""
    resolved: dict = field(default_factory=dict)  # the config that defines the run, for provenance
    warm_start: WarmStart | None = None
    # Diagnostics recorded with every metrics row: factories ``probe(trainer)`` returning a function
    # ``params -> dict`` (e.g. the NTK drift of Fig. 1a).
    probes: list = field(default_factory=list)
    # A loss other than the PINN loss terms (PCPINN): an object with ``term_names``, ``bind(trainer) ->
    # objective``, ``before_chunk(step, params)``, ``host_state()`` and ``restore(state)``.
    objective: object | None = None

    @property
    def start_step(self) -> int:
        return self.warm_start.step if self.warm_start else 0

    @property
    def iterations(self) -> int:
        """Total steps, those of a warm start included."""
        return self.start_step + sum(p.steps for p in self.phases)

    def phase_at(self, step: int) -> tuple[int, int]:
        """(index of the phase that runs step ``step``, the step where that phase ends)."""
        end = self.start_step
        for i, phase in enumerate(self.phases):
            end += phase.steps
            if step < end:
                return i, end
        return len(self.phases) - 1, end

    def phase_end(self, index: int) -> int:
        return self.start_step + sum(p.steps for p in self.phases[:index + 1])

    def fingerprint(self) -> str:
        text = json.dumps(self.resolved, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class Outcome:
    params: Params
    network: Network
    metrics: list[dict]
    status: str  # "ok" | "diverged"
    diverged_at: int | None
    wall_time_s: float
    resumed_from: int


def _finite(tree) -> bool:
    return all(bool(jnp.all(jnp.isfinite(x))) for x in jax.tree.leaves(tree))


class Trainer:
    def __init__(self, run: Run, reference: Reference):
        self.run = run
        pde = run.pde
        self.net, self.params0 = network_for(pde, run.network, run.seed)
        self.custom = run.objective
        self.term_names = self.custom.term_names if self.custom else pde.term_names()
        # Everything that differs between seeds besides the parameters: the points (or the key that draws
        # them each step) and the key of a weighting scheme's points. Passed to the compiled chunks as an
        # argument, so that several seeds can share one program (``pinnlab.seeds``).
        key = jax.random.key(run.seed)
        if run.points.resample:
            self.data = {"sample_key": jax.random.fold_in(key, 1)}
        else:
            self.data = {"fixed": {k: jnp.asarray(v) for k, v in fixed_points(pde, run.points, run.seed).items()}}
        self.data["weight_key"] = jax.random.fold_in(key, 2)
        self.eval_points = jnp.asarray(reference.points, dtype=jnp.float32)
        self.eval_values = jnp.asarray(reference.values, dtype=jnp.float32)
        self._chunks: dict = {}
        if self.custom:
            self.objective = self.custom.bind(self)
        measure = jax.jit(self.measure_fn)  # the data an argument, as for the chunks
        self._measure = lambda params, step, weights: measure(params, step, weights, self.data)
        self.probes = [make(self) for make in run.probes]

    def batch(self, step, data=None):
        data = self.data if data is None else data
        if "fixed" in data:
            return data["fixed"]
        return uniform_points(self.run.pde, self.run.points, jax.random.fold_in(data["sample_key"], step))

    def objective(self, params, batch, weights):
        """The PINN loss Σ λ_i L_i (replaced by ``run.objective`` when the run has one)."""
        terms = loss_terms(self.run.pde, self.net, params, batch, self.run.loss_convention)
        return weighted_total(terms, weights), terms

    def before_chunk(self, step, params):
        if self.custom:
            self.custom.before_chunk(step, params)

    def measure_fn(self, params, step, weights, data):
        """(loss terms on the step's batch, L2RE on the evaluation grid): a metrics row's numbers."""
        _, terms = self.objective(params, self.batch(step, data), weights)
        pred = jax.vmap(lambda z: self.net.apply(params, z))(self.eval_points)
        return terms, l2_relative_error(pred, self.eval_values)

    def chunk_fn(self, phase: Phase, length: int):
        """``run_chunk(params, opt_state, weights, start, data)``: ``length`` steps of ``phase`` in one
        ``lax.scan`` from step ``start`` (not compiled; ``chunk`` compiles it for this run's data)."""
        reweight = None
        if phase.weighting:
            from pinnlab.weighting import make_weight_update

            reweight = make_weight_update(phase.weighting, self.run.pde, self.net, self.run.loss_convention)

        def run_chunk(params, opt_state, weights, start, data):
            def body(carry, step):
                params, opt_state, weights = carry
                batch = self.batch(step, data)
                if reweight is not None:
                    weights = jax.lax.cond(step % phase.weighting["every"] == 0,
                                           lambda: reweight(params, step, weights, batch, data["weight_key"]),
                                           lambda: weights)
                params, opt_state, terms = phase.optimizer.step(self.objective, params, opt_state, batch, weights)
                return (params, opt_state, weights), terms

            return jax.lax.scan(body, (params, opt_state, weights), start + jnp.arange(length))

        return run_chunk

    def compiled_chunk(self, phase: Phase, length: int):
        """``chunk_fn`` compiled, the data an argument: seeds and re-runs of one protocol share one program,
        which the persistent compilation cache then serves to every job of a sweep."""
        key = (phase.name, length)
        if key not in self._chunks:
            self._chunks[key] = jax.jit(self.chunk_fn(phase, length))
        return self._chunks[key]

    def chunk(self, phase: Phase, length: int):
        """``(params, opt_state, weights, start)`` → ``length`` steps of ``phase`` on this run's data."""
        compiled = self.compiled_chunk(phase, length)
        return lambda p, s, w, start: compiled(p, s, w, start, self.data)

    def metrics_row(self, step, phase, wall, params, weights, opt_state=None) -> dict:
        terms, l2re = self._measure(params, step, weights)
        row = metrics_row(step, phase.name, wall, terms, l2re, weights, self.term_names)
        if opt_state is not None and hasattr(phase.optimizer, "diagnostics"):
            row |= {k: float(v) for k, v in phase.optimizer.diagnostics(opt_state).items()}
        for probe in self.probes:
            row |= {k: float(v) for k, v in probe(params).items()}
        return row


def metrics_row(step, phase_name, wall, terms, l2re, weights, term_names) -> dict:
    """One metrics row from measured numbers: each term, the weighted loss, the weights and the L2RE."""
    terms = {k: float(v) for k, v in terms.items()}
    row = {"step": step, "phase": phase_name, "wall_time_s": round(wall, 4),
           "loss": sum(float(weights[k]) * v for k, v in terms.items())}
    row |= {f"loss_{k}": v for k, v in terms.items()}
    row |= {f"weight_{k}": float(weights[k]) for k in term_names}
    row["l2re"] = float(l2re)
    return row


def train(run: Run, reference: Reference, run_dir: Path, *, progress: bool = True,
          on_chunk_end: Callable[[int], None] | None = None) -> Outcome:
    """Train ``run``, resuming from ``run_dir/checkpoint.npz`` when it belongs to the same run.

    ``on_chunk_end(step)`` is called after each chunk (after any checkpoint); tests use it to
    interrupt a run.
    """
    if run.checkpoint_every % run.log_every:
        raise PinnlabError(f"checkpoint_every ({run.checkpoint_every}) must be a multiple of "
                           f"log_every ({run.log_every})")
    run_dir = Path(run_dir)
    trainer = Trainer(run, reference)
    params = trainer.params0
    weights = {k: jnp.float32(1.0) for k in trainer.term_names}
    step, wall, metrics, resumed_from = run.start_step, 0.0, [], 0
    if run.warm_start is not None:
        warm = run.warm_start
        params = checkpoint.load_params(warm.params_path, params)
        metrics, wall = list(warm.metrics), warm.wall_time_s
        if warm.status != "ok":  # nothing to continue: the run it builds on diverged
            print(f"[pinnlab] {run.label}: the run it continues ({warm.params_path.parent}) diverged", flush=True)
            return Outcome(params=params, network=trainer.net, metrics=metrics, status="diverged",
                           diverged_at=warm.diverged_at, wall_time_s=wall, resumed_from=0)
    phase_index, phase_end = run.phase_at(step)
    opt_state = run.phases[phase_index].optimizer.init(params)

    ckpt_path = run_dir / CHECKPOINT_FILE
    if ckpt_path.exists():
        meta = json.loads(str(np.load(ckpt_path, allow_pickle=False)["meta"])) if _readable(ckpt_path) else {}
        if meta.get("fingerprint") == run.fingerprint():
            phase_index = meta["phase_index"]
            template_opt = run.phases[phase_index].optimizer.init(params)
            params, opt_state, saved_weights, meta, extra = checkpoint.load_checkpoint(ckpt_path, params,
                                                                                      template_opt)
            if trainer.custom and extra:
                trainer.custom.restore(extra)
            weights = {k: jnp.float32(saved_weights[k]) for k in trainer.term_names}
            step, wall, metrics = meta["step"], meta["wall_time_s"], meta["metrics"]
            resumed_from = step
            phase_end = run.phase_end(phase_index)  # the saved state's phase
            print(f"[pinnlab] resuming {run.label} from step {step} ({ckpt_path})", flush=True)
        else:
            print(f"[pinnlab] ignoring {ckpt_path}: it belongs to another configuration or is unreadable",
                  flush=True)

    if not metrics:
        trainer.before_chunk(0, params)
        metrics.append(trainer.metrics_row(0, run.phases[0], 0.0, params, weights))

    bar = tqdm(total=run.iterations, initial=step, desc=run.label, unit="it", disable=not progress,
               mininterval=2.0, dynamic_ncols=True)
    status, diverged_at = "ok", None
    while step < run.iterations:
        if step >= phase_end:  # enter the next phase with a fresh optimizer state
            phase_index, phase_end = run.phase_at(step)
            opt_state = run.phases[phase_index].optimizer.init(params)
        phase = run.phases[phase_index]
        length = min(run.log_every - step % run.log_every, phase_end - step)
        trainer.before_chunk(step, params)
        t0 = time.perf_counter()
        (new_params, new_opt_state, weights), terms = trainer.chunk(phase, length)(
            params, opt_state, weights, jnp.int32(step))
        finite = _finite(terms) and _finite(new_params)
        wall += time.perf_counter() - t0
        if not finite:
            bad = [int(np.argmax(~np.isfinite(np.asarray(v)))) for v in terms.values()
                   if not np.all(np.isfinite(np.asarray(v)))]
            diverged_at = step + (min(bad) if bad else length - 1)
            status = "diverged"
            metrics.append({"step": diverged_at, "phase": phase.name, "wall_time_s": round(wall, 4),
                            "loss": math.nan, "l2re": math.nan})
            print(f"[pinnlab] {run.label} diverged at step {diverged_at} (non-finite loss); "
                  "keeping the last finite parameters", flush=True)
            break
        params, opt_state = new_params, new_opt_state
        step += length
        row = trainer.metrics_row(step, phase, wall, params, weights, opt_state)
        metrics.append(row)
        bar.update(length)
        bar.set_postfix(loss=f"{row['loss']:.3e}", l2re=f"{row['l2re']:.3e}", refresh=False)
        if step % run.checkpoint_every == 0 or step == phase_end:
            meta = {"fingerprint": run.fingerprint(), "step": step, "phase_index": phase_index,
                    "wall_time_s": wall, "metrics": metrics}
            extra = trainer.custom.host_state() if trainer.custom else {}
            checkpoint.save_checkpoint(ckpt_path, params, opt_state, weights, meta, extra)
        if on_chunk_end is not None:
            on_chunk_end(step)
    bar.close()
    return Outcome(params=params, network=trainer.net, metrics=metrics, status=status,
                   diverged_at=diverged_at, wall_time_s=wall, resumed_from=resumed_from)


def _readable(path: Path) -> bool:
    try:
        with np.load(path, allow_pickle=False) as data:
            return "meta" in data.files
    except Exception:  # noqa: BLE001 - any unreadable file means "no usable checkpoint"
        return False
