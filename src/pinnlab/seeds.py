"""Several seeds of one run trained together: one compiled program, ``jax.vmap`` over the parameter pytrees.

The runs must be identical but for their seed (same PDE, method, network, points spec, budget); each seed keeps
its own initialisation, points (or point-drawing key) and weighting key (``Trainer.data``), so every seed computes
what its separate run computes — up to rounding, tested for Adam and L-BFGS. Per seed: metrics rows, a
checkpoint in its own run directory (the same file a separate run writes, so either can resume the other), and
divergence — a seed whose loss turns non-finite is recorded as diverged at that chunk and frozen at its last
finite parameters while the others go on.

Where it helps: on a GPU one program over S seeds costs far less than S programs (the device is far from full at
these sizes); on a CPU the cores are already busy and it mostly saves compilation. Runs with a custom objective
(PCPINN: host-side solves) or probes (Fig. 1a) train one seed at a time.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from pinnlab import checkpoint
from pinnlab.errors import PinnlabError
from pinnlab.evaluate import Reference
from pinnlab.train import CHECKPOINT_FILE, Outcome, Run, Trainer, _readable, metrics_row


def stack(trees):
    return jax.tree.map(lambda *leaves: jnp.stack(leaves), *trees)


def unstack(tree, i: int):
    return jax.tree.map(lambda leaf: leaf[i], tree)


def _check_group(runs: list[Run]) -> None:
    if not runs:
        raise PinnlabError("train_seeds needs at least one run")
    per_seed = ("seed", "continues")  # the seed, and the run directory of that seed's parent run

    def shared(run):
        return {k: v for k, v in run.resolved.items() if k not in per_seed}

    for run in runs:
        if shared(run) != shared(runs[0]):
            raise PinnlabError(f"{run.label} differs from {runs[0].label} in more than its seed: "
                               "only seeds of one run can be trained together")
        if run.objective is not None or run.probes:
            raise PinnlabError(f"{run.label}: runs with a custom objective (PCPINN) or probes (Fig. 1a) train one "
                               "seed at a time")


def _resume(runs, run_dirs, trainers):
    """(step, wall, metrics, params, opt_state, weights, phase_index) from every seed's checkpoint, when all
    exist, belong to these runs and stopped at the same step; ``None`` otherwise (start afresh)."""
    paths = [Path(d) / CHECKPOINT_FILE for d in run_dirs]
    if not all(p.exists() and _readable(p) for p in paths):
        return None
    metas = [json.loads(str(np.load(p, allow_pickle=False)["meta"])) for p in paths]
    if any(m.get("fingerprint") != r.fingerprint() for m, r in zip(metas, runs)) or \
            len({(m["step"], m["phase_index"]) for m in metas}) != 1:
        print("[pinnlab] the seeds' checkpoints do not match each other or this run: starting afresh", flush=True)
        return None
    phase_index = metas[0]["phase_index"]
    loaded = []
    for path, trainer in zip(paths, trainers):
        template = runs[0].phases[phase_index].optimizer.init(trainer.params0)
        loaded.append(checkpoint.load_checkpoint(path, trainer.params0, template))
    return (metas[0]["step"], [m["wall_time_s"] for m in metas], [m["metrics"] for m in metas],
            stack([x[0] for x in loaded]), stack([x[1] for x in loaded]),
            stack([{k: jnp.float32(v) for k, v in x[2].items()} for x in loaded]), phase_index)


def train_seeds(runs: list[Run], reference: Reference, run_dirs, *, progress: bool = True) -> list[Outcome]:
    """Train ``runs`` (seeds of one run) together; returns one ``Outcome`` per run, in order."""
    from tqdm import tqdm

    _check_group(runs)
    lead = runs[0]
    trainers = [Trainer(run, reference) for run in runs]
    first = trainers[0]  # its functions serve every seed: they differ only in the data passed to them
    n = len(runs)
    data = stack([t.data for t in trainers])
    params = stack([t.params0 for t in trainers])
    weights = stack([{k: jnp.float32(1.0) for k in first.term_names}] * n)
    step, walls, metrics = lead.start_step, [0.0] * n, [[] for _ in runs]
    if lead.warm_start is not None:
        warms = [r.warm_start for r in runs]
        if any(w.status != "ok" for w in warms):
            raise PinnlabError("a run these seeds continue diverged: train the seeds one at a time")
        params = stack([checkpoint.load_params(w.params_path, t.params0) for w, t in zip(warms, trainers)])
        metrics, walls = [list(w.metrics) for w in warms], [w.wall_time_s for w in warms]
    phase_index, phase_end = lead.phase_at(step)
    opt_state = jax.vmap(lead.phases[phase_index].optimizer.init)(params)
    resumed = _resume(runs, run_dirs, trainers)
    resumed_from = 0
    if resumed is not None:
        step, walls, metrics, params, opt_state, weights, phase_index = resumed
        phase_end, resumed_from = lead.phase_end(phase_index), step
        print(f"[pinnlab] resuming {n} seeds of {lead.label} from step {step}", flush=True)

    measure = jax.jit(jax.vmap(first.measure_fn, in_axes=(0, None, 0, 0)))

    def record(step, phase, wall_add, alive):
        terms, l2re = measure(params, step, weights, data)
        for i in range(n):
            if not alive[i]:
                continue
            walls[i] += wall_add
            metrics[i].append(metrics_row(step, phase.name, walls[i], unstack(terms, i), l2re[i],
                                          unstack(weights, i), first.term_names))

    alive = np.ones(n, dtype=bool)
    diverged_at = [None] * n
    if not metrics[0]:
        record(0, lead.phases[0], 0.0, alive)
    chunks: dict = {}
    bar = tqdm(total=lead.iterations, initial=step, desc=f"{lead.label} ×{n} seeds", unit="it",
               disable=not progress, mininterval=2.0, dynamic_ncols=True)
    while step < lead.iterations and alive.any():
        if step >= phase_end:
            phase_index, phase_end = lead.phase_at(step)
            opt_state = jax.vmap(lead.phases[phase_index].optimizer.init)(params)
        phase = lead.phases[phase_index]
        length = min(lead.log_every - step % lead.log_every, phase_end - step)
        key = (phase.name, length)
        if key not in chunks:
            chunks[key] = jax.jit(jax.vmap(first.chunk_fn(phase, length), in_axes=(0, 0, 0, None, 0)))
        t0 = time.perf_counter()
        (new_params, new_opt, new_weights), terms = chunks[key](params, opt_state, weights, jnp.int32(step), data)
        finite = np.asarray(jax.vmap(lambda p, t: jnp.all(jnp.stack(
            [jnp.all(jnp.isfinite(x)) for x in jax.tree.leaves((p, t))])))(new_params, terms))
        wall = time.perf_counter() - t0
        for i in np.nonzero(alive & ~finite)[0]:
            bad = [int(np.argmax(~np.isfinite(np.asarray(v[i])))) for v in terms.values()
                   if not np.all(np.isfinite(np.asarray(v[i])))]
            diverged_at[i] = step + (min(bad) if bad else length - 1)
            walls[i] += wall
            metrics[i].append({"step": diverged_at[i], "phase": phase.name, "wall_time_s": round(walls[i], 4),
                               "loss": float("nan"), "l2re": float("nan")})
            print(f"[pinnlab] {runs[i].label} diverged at step {diverged_at[i]}; keeping its last finite "
                  "parameters", flush=True)
        alive &= finite

        def keep(new, old):  # a diverged seed stays at its last finite state
            mask = jnp.asarray(alive).reshape((n,) + (1,) * (new.ndim - 1))
            return jnp.where(mask, new, old)

        params = jax.tree.map(keep, new_params, params)
        opt_state = jax.tree.map(keep, new_opt, opt_state)
        weights = jax.tree.map(keep, new_weights, weights)
        step += length
        record(step, phase, wall / n, alive)  # the chunk's time is shared by the seeds
        bar.update(length)
        if step % lead.checkpoint_every == 0 or step == phase_end:
            for i, (run, directory) in enumerate(zip(runs, run_dirs)):
                meta = {"fingerprint": run.fingerprint(), "step": step, "phase_index": phase_index,
                        "wall_time_s": walls[i], "metrics": metrics[i]}
                Path(directory).mkdir(parents=True, exist_ok=True)
                checkpoint.save_checkpoint(Path(directory) / CHECKPOINT_FILE, unstack(params, i),
                                           unstack(opt_state, i), unstack(weights, i), meta)
    bar.close()
    return [Outcome(params=unstack(params, i), network=first.net, metrics=metrics[i],
                    status="ok" if diverged_at[i] is None else "diverged", diverged_at=diverged_at[i],
                    wall_time_s=walls[i], resumed_from=resumed_from) for i in range(n)]
