"""The one training loop of every method, for one run or for several seeds of one run trained together.

Seeds of one run (same PDE, method, network, points spec, budget; ``check_group``) share one compiled program:
``jax.vmap`` over their parameter pytrees and their data (points or point-drawing keys, weighting keys), so each
seed computes what its separate run computes — up to rounding, tested. A single run is the same loop with one
seed, its chunks compiled without ``vmap`` (the state keeps a leading seed axis of length 1, dropped inside the
compiled function). Per seed, and whether alone or together: a warm start from the run it continues, metrics rows
(each loss term, weights, L2RE, wall time, optimizer diagnostics, probes) at every chunk end, a checkpoint every
``checkpoint_every`` steps and at phase ends (the same file either way, so either can resume the other), resume
with identical numbers, and divergence — a seed whose loss turns non-finite is recorded as diverged at that step
and keeps its last finite parameters while the others go on.

Where vmapping helps: on a GPU one program over S seeds costs far less than S programs (the device is far from
full at these sizes); on a CPU the cores are already busy and it mostly saves compilation. Runs with a custom
objective (PCPINN: host-side solves) or probes (Fig. 1a) train one seed at a time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
from tqdm.auto import tqdm

from pinnlab.errors import PinnlabError
from pinnlab.evaluate import Reference
from pinnlab.layout import CHECKPOINT_FILE
from pinnlab.training import checkpoint
from pinnlab.training.run import Outcome, Run
from pinnlab.training.trainer import Trainer

PER_SEED = ("seed", "continues")
"""Provenance entries in which seeds of one run may differ."""


def stack(trees):
    """Trees of the same structure stacked along a new leading (seed) axis, on the device (stacked on the host:
    eager device operations compile one small program per shape, which dominates short runs)."""
    def stacked(*leaves):
        if jnp.issubdtype(leaves[0].dtype, jax.dtypes.prng_key):  # typed keys have no host form
            return jnp.stack(leaves)
        return np.stack([np.asarray(x) for x in leaves])

    return jax.device_put(jax.tree.map(stacked, *trees))


def unstack(tree, i: int):
    return jax.tree.map(lambda leaf: leaf[i], tree)


def host(tree):
    """A tree's values on the host (numpy): slicing them per seed then costs no device program."""
    return jax.device_get(tree)


def over_seeds(fn, n: int, in_axes):
    """``fn`` over a leading seed axis: vmapped for several seeds, for one seed called on the seed's slice (the
    same computation as an unbatched run)."""
    if n > 1:
        return jax.vmap(fn, in_axes=in_axes)

    def one(*args):
        args = [unstack(a, 0) if axis == 0 else a for a, axis in zip(args, in_axes)]
        return jax.tree.map(lambda leaf: leaf[None], fn(*args))

    return one


def guarded(chunk, n: int):
    """``chunk`` over the seeds, then per seed: whether its new state and losses are finite, and the new state where
    it is finite and the seed alive, its old state elsewhere (a diverged seed keeps its last finite state) — all in
    one compiled program."""
    batched = over_seeds(chunk, n, (0, 0, 0, None, 0))

    def run(params, opt_state, weights, start, data, alive):
        new, terms = batched(params, opt_state, weights, start, data)
        finite = jax.vmap(lambda t: jnp.all(jnp.stack([jnp.all(jnp.isfinite(x)) for x in jax.tree.leaves(t)])))(
            (new[0], terms))
        take = finite & alive

        def keep(fresh, old):
            return jnp.where(take.reshape((n,) + (1,) * (fresh.ndim - 1)), fresh, old)

        return jax.tree.map(keep, new, (params, opt_state, weights)), terms, finite

    return jax.jit(run)


def _shared(run: Run) -> dict:
    return {k: v for k, v in run.resolved.items() if k not in PER_SEED}


def seeds_of_one_run(runs: list[Run]) -> bool:
    """Whether ``runs`` differ in nothing but their seed (and the run each continues)."""
    return all(_shared(run) == _shared(runs[0]) for run in runs)


def check_group(runs: list[Run]) -> None:
    if not runs:
        raise PinnlabError("train needs at least one run")
    for run in runs:
        if _shared(run) != _shared(runs[0]):
            raise PinnlabError(f"{run.label} differs from {runs[0].label} in more than its seed: "
                               "only seeds of one run can be trained together")
    if len(runs) > 1 and (runs[0].objective is not None or runs[0].probes):
        raise PinnlabError(f"{runs[0].label}: runs with a custom objective (PCPINN) or probes (Fig. 1a) train one "
                           "seed at a time")


def _readable(path: Path) -> bool:
    try:
        with np.load(path, allow_pickle=False) as data:
            return "meta" in data.files
    except Exception:  # noqa: BLE001 - any unreadable file means "no usable checkpoint"
        return False


def _resume(runs, run_dirs, trainers):
    """(step, walls, metrics, params, opt_state, weights, phase_index) from every seed's checkpoint when all exist,
    belong to these runs and stopped at the same step; ``None`` otherwise (start afresh)."""
    paths = [Path(d) / CHECKPOINT_FILE for d in run_dirs]
    if not any(p.exists() for p in paths):
        return None
    metas = [json.loads(str(np.load(p, allow_pickle=False)["meta"])) if _readable(p) else {} for p in paths]
    if any(m.get("fingerprint") != r.fingerprint() for m, r in zip(metas, runs)) or \
            len({(m["step"], m["phase_index"]) for m in metas}) != 1:
        print(f"[pinnlab] ignoring the checkpoints in {', '.join(map(str, run_dirs))}: they belong to another "
              "configuration, stopped at different steps or are unreadable", flush=True)
        return None
    phase_index = metas[0]["phase_index"]
    loaded = []
    for path, trainer in zip(paths, trainers):
        template = runs[0].phases[phase_index].optimizer.init(trainer.params0)
        loaded.append(checkpoint.load_checkpoint(path, trainer.params0, template))
        if trainer.custom and loaded[-1][4]:
            trainer.custom.restore(loaded[-1][4])
    return (metas[0]["step"], [m["wall_time_s"] for m in metas], [m["metrics"] for m in metas],
            stack([x[0] for x in loaded]), stack([x[1] for x in loaded]),
            stack([{k: jnp.float32(v) for k, v in x[2].items()} for x in loaded]), phase_index)


def train_one_by_one(runs: list[Run], reference: Reference, run_dirs, *, progress: bool = True):
    """Each of ``runs`` (seeds of one run) trained alone, one after another: yields (run, run_dir, outcome) as each
    finishes, so that the caller can write its artifacts before the next starts.

    Seeds of one run without a custom objective share the compiled chunks and metrics function, as vmapped seeds
    do (they differ only in the data passed to them): the later seeds skip tracing and compiling, seconds per seed
    on a CPU. A custom objective (PCPINN's preconditioner, on the host) is the seed's own: its runs build their own.
    """
    share = seeds_of_one_run(runs) and all(run.objective is None for run in runs)
    programs: dict = {}
    for run, run_dir in zip(runs, run_dirs):
        outcome = train_runs([run], reference, [Path(run_dir)], progress=progress, programs=programs if share else None)
        yield run, run_dir, outcome[0]


def train(run: Run, reference: Reference, run_dir: Path, *, progress: bool = True,
          on_chunk_end: Callable[[int], None] | None = None) -> Outcome:
    """Train one run (``train_runs`` with one seed)."""
    return train_runs([run], reference, [run_dir], progress=progress, on_chunk_end=on_chunk_end)[0]


def train_runs(runs: list[Run], reference: Reference, run_dirs, *, progress: bool = True,
               on_chunk_end: Callable[[int], None] | None = None, programs: dict | None = None) -> list[Outcome]:
    """Train ``runs`` (seeds of one run) together, resuming from their checkpoints in ``run_dirs`` when those
    belong to the same runs; one ``Outcome`` per run, in order. ``on_chunk_end(step)`` is called after each chunk
    (after any checkpoint); tests use it to interrupt a run. ``programs``: a dict that keeps the compiled chunks and
    metrics function for the next call (``train_one_by_one``), which must train seeds of the same run."""
    check_group(runs)
    lead, n = runs[0], len(runs)
    if lead.checkpoint_every % lead.log_every:
        raise PinnlabError(f"checkpoint_every ({lead.checkpoint_every}) must be a multiple of "
                           f"log_every ({lead.log_every})")
    trainers = [Trainer(run, reference) for run in runs]
    first = trainers[0]  # its functions serve every seed: they differ only in the data passed to them
    data = stack([t.data for t in trainers])
    params = stack([t.params0 for t in trainers])
    weights = stack([{k: jnp.float32(1.0) for k in first.term_names}] * n)
    step, walls, metrics = lead.start_step, [0.0] * n, [[] for _ in runs]
    alive, diverged_at = np.ones(n, dtype=bool), [None] * n
    if lead.warm_start is not None:
        warms = [r.warm_start for r in runs]
        params = stack([checkpoint.load_params(w.params_path, t.params0) for w, t in zip(warms, trainers)])
        metrics, walls = [list(w.metrics) for w in warms], [w.wall_time_s for w in warms]
        for i, warm in enumerate(warms):
            if warm.status != "ok":  # nothing to continue: the run it builds on diverged
                alive[i], diverged_at[i] = False, warm.diverged_at
                print(f"[pinnlab] {runs[i].label}: the run it continues ({warm.params_path.parent}) diverged",
                      flush=True)
    phase_index, phase_end = lead.phase_at(step)
    opt_state = jax.jit(jax.vmap(lead.phases[phase_index].optimizer.init))(params)
    resumed, resumed_from = _resume(runs, run_dirs, trainers), 0
    if resumed is not None:
        step, walls, metrics, params, opt_state, weights, phase_index = resumed
        phase_end, resumed_from = lead.phase_end(phase_index), step
        for i, rows in enumerate(metrics):  # a seed that diverged before the checkpoint stays diverged
            if rows and not np.isfinite(rows[-1]["loss"]):
                alive[i], diverged_at[i] = False, rows[-1]["step"]
        print(f"[pinnlab] resuming {lead.label}{f' ×{n} seeds' if n > 1 else ''} from step {step}", flush=True)

    programs = {} if programs is None else programs
    if "measure" not in programs:
        programs["measure"] = jax.jit(over_seeds(first.measure_fn, n, (0, None, 0, 0)))
    measure = programs["measure"]
    seed_params = jax.jit(unstack, static_argnums=1)  # one seed's parameters, on the device (probes, objectives)

    def record(step, phase, wall_add, opt_state):
        """A metrics row for every live seed (``opt_state`` None: no optimizer diagnostics)."""
        measured, seed_weights = host((measure(params, step, weights, data), weights))
        diagnosed = opt_state is not None and hasattr(phase.optimizer, "diagnostics")
        states = host(opt_state) if diagnosed else None
        for i in np.nonzero(alive)[0]:
            walls[i] += wall_add
            metrics[i].append(trainers[i].metrics_row(
                step, phase, walls[i], seed_params(params, i) if trainers[i].probes else None,
                unstack(seed_weights, i), unstack(states, i) if diagnosed else None, unstack(measured, i)))

    def before_chunk(step) -> bool:
        """Host-side work of custom objectives (one seed: ``check_group``); whether an objective changed."""
        changed = False
        for i, trainer in enumerate(trainers):
            if trainer.custom:
                changed |= trainer.before_chunk(step, seed_params(params, i))
        return changed

    if not metrics[0]:
        before_chunk(0)
        record(0, lead.phases[0], 0.0, None)
    chunks = programs.setdefault("chunks", {})
    bar = tqdm(total=lead.iterations, initial=step, desc=lead.label + (f" ×{n} seeds" if n > 1 else ""), unit="it",
               disable=not progress, mininterval=2.0, dynamic_ncols=True)
    while step < lead.iterations and alive.any():
        if step >= phase_end:  # enter the next phase with a fresh optimizer state
            phase_index, phase_end = lead.phase_at(step)
            opt_state = jax.jit(jax.vmap(lead.phases[phase_index].optimizer.init))(params)
        phase = lead.phases[phase_index]
        length = min(lead.log_every - step % lead.log_every, phase_end - step)
        # an objective changed mid-phase: the chunk's first step refreshes what the optimizer kept of the old one
        refresh = before_chunk(step) and phase.optimizer.reuses_values and step != phase_end - phase.steps
        if (phase.name, length, refresh) not in chunks:
            chunks[phase.name, length, refresh] = guarded(first.chunk_fn(phase, length, refresh), n)
        t0 = time.perf_counter()
        (params, opt_state, weights), terms, finite = chunks[phase.name, length, refresh](
            params, opt_state, weights, jnp.int32(step), data, jnp.asarray(alive))
        finite = np.asarray(finite)
        wall = time.perf_counter() - t0
        for i in np.nonzero(alive & ~finite)[0]:
            losses = [np.asarray(v[i]) for v in host(terms).values()]
            bad = [int(np.argmax(~np.isfinite(v))) for v in losses if not np.all(np.isfinite(v))]
            diverged_at[i] = step + (min(bad) if bad else length - 1)
            walls[i] += wall
            metrics[i].append({"step": diverged_at[i], "phase": phase.name, "wall_time_s": round(walls[i], 4),
                               "loss": float("nan"), "l2re": float("nan")})
            print(f"[pinnlab] {runs[i].label} diverged at step {diverged_at[i]} (non-finite loss); keeping its "
                  "last finite parameters", flush=True)
        alive &= finite
        if not alive.any():
            break
        step += length
        record(step, phase, wall / n, opt_state)  # the chunk's time is shared by the seeds
        bar.update(length)
        last = metrics[int(np.argmax(alive))][-1]
        bar.set_postfix(loss=f"{last['loss']:.3e}", l2re=f"{last['l2re']:.3e}", refresh=False)
        if step % lead.checkpoint_every == 0 or step == phase_end:
            state = host((params, opt_state, weights))
            for i, (run, directory) in enumerate(zip(runs, run_dirs)):
                meta = {"fingerprint": run.fingerprint(), "step": step, "phase_index": phase_index,
                        "wall_time_s": walls[i], "metrics": metrics[i]}
                extra = trainers[i].custom.host_state() if trainers[i].custom else {}
                checkpoint.save_checkpoint(Path(directory) / CHECKPOINT_FILE, *unstack(state, i), meta, extra)
        if on_chunk_end is not None:
            on_chunk_end(step)
    bar.close()
    final = host(params)
    return [Outcome(params=unstack(final, i), network=first.net, metrics=metrics[i],
                    status="ok" if diverged_at[i] is None else "diverged", diverged_at=diverged_at[i],
                    wall_time_s=walls[i], resumed_from=resumed_from) for i in range(n)]
