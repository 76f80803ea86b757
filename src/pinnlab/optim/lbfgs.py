"""L-BFGS from optax with its zoom line search (strong Wolfe conditions).

Rathore et al. use ``torch.optim.LBFGS(history_size=100, line_search_fn="strong_wolfe")`` with a unit
initial step; here ``optax.lbfgs`` with memory 100 and ``optax.scale_by_zoom_linesearch`` (at most 25
evaluations per line search, as torch's ``max_ls``, first trial step 1). One step of this phase is one
L-BFGS iteration (a direction and its line search): the unit in which the source counts iterations.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optax


class LBFGS:
    reuses_values = True  # the line search's loss and gradient at the accepted point (``step``)

    def __init__(self, memory: int = 100, max_linesearch_steps: int = 25):
        self.tx = optax.lbfgs(
            memory_size=memory,
            linesearch=optax.scale_by_zoom_linesearch(max_linesearch_steps=max_linesearch_steps,
                                                      initial_guess_strategy="one"),
        )

    def init(self, params):
        # optax's line-search info starts weakly typed and leaves a step strongly typed: without this the compiled
        # chunk would see two input types and be traced and compiled twice per phase (seconds a job on a CPU)
        return jax.tree.map(lambda x: jnp.asarray(x, dtype=x.dtype), self.tx.init(params))

    def step(self, objective, params, state, batch, weights, first=None):
        """One L-BFGS iteration. The line search has already evaluated the loss and gradient at the accepted point:
        reuse them, except on the phase's ``first`` step (a fresh state holds none). ``first`` (a scalar bool that is
        the same for every seed) keeps that choice a real branch when seeds are vmapped; without it optax decides
        from the state's stored value, a per-seed condition that ``vmap`` turns into computing both branches — an
        extra loss and gradient in every iteration (docs/performance.md)."""
        def value_fn(p):
            return objective(p, batch, weights)[0]

        if first is None:
            value, grad = optax.value_and_grad_from_state(value_fn)(params, state=state)
        else:
            value, grad = jax.lax.cond(first, lambda: jax.value_and_grad(value_fn)(params),
                                       lambda: (optax.tree.get(state, "value"), optax.tree.get(state, "grad")))
        updates, state = self.tx.update(grad, state, params, value=value, grad=grad, value_fn=value_fn)
        return optax.apply_updates(params, updates), state, {"loss": value}

    def diagnostics(self, state) -> dict:
        search = optax.tree.get(state, "info")
        return {"linesearch_steps": jnp.asarray(search.num_linesearch_steps, jnp.float32)}
