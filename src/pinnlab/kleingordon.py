"""Klein–Gordon and gradient pathologies: models M1–M4 of Wang, Teng and Perdikaris (SIAM JSC 2021, Sec. 3.2).

M1 plain PINN; M2 learning-rate annealing (the ``annealing`` scheme of ``pinnlab.weighting``); M3 the modified
MLP (``nets.ModifiedMLP``); M4 both. Every model is a run of the shared training loop: Adam on fresh uniform
batches each step (``batch`` points for the residual and for each condition term), artifacts under
``results/<scale>/kleingordon/klein_gordon/<model>/w<width>/s<seed>/``.

The loss is the source's: L_r + λ_ics (L_ic + L_ic_t) + λ_bcs (L_bc_x0 + L_bc_x1), the two weights shared
inside their groups (``GROUPS``). What the figures and the table show is computed in
``pinnlab.kleingordon_analysis``, so that a change there re-runs no training.
"""

from __future__ import annotations

from pathlib import Path

import optax

from pinnlab.artifacts import run_dir
from pinnlab.config import pde_from_config, scale_config
from pinnlab.errors import unknown_name
from pinnlab.methods import adam_schedule
from pinnlab.sampling import PointSpec
from pinnlab.train import OptaxPhase, Phase, Run

PDE_NAME = "klein_gordon"
EXPERIMENT = "kleingordon"
MODELS = {  # model -> (network architecture, learning-rate annealing)
    "M1": ("mlp", False),
    "M2": ("mlp", True),
    "M3": ("modified_mlp", False),
    "M4": ("modified_mlp", True),
}
GROUPS = {"ics": ("ic", "ic_t"), "bcs": ("bc_x0", "bc_x1")}
"""The source's two weighted loss terms and the condition terms each sums (``Klein_Gordon_model_tf.py``)."""


def resolve_kleingordon_run(cfg: dict, scale: str, model: str, seed: int) -> Run:
    if model not in MODELS:
        raise unknown_name("Klein–Gordon model", model, MODELS)
    block = scale_config(cfg, scale)["kleingordon"]
    architecture, annealing = MODELS[model]
    pde = pde_from_config(cfg, PDE_NAME)
    network = dict(block["network"], architecture=architecture)
    weighting = ({"scheme": "annealing", "every": block["annealing"]["every"], "ema": block["annealing"]["ema"],
                  "groups": GROUPS} if annealing else None)
    phase = Phase("adam", block["iterations"], OptaxPhase(optax.adam(adam_schedule(block["adam"]))),
                  weighting=weighting)
    n = block["batch"]
    points = PointSpec(kind="uniform", n_res=n, n_initial=n, n_boundary=n, resample=True)
    resolved = {"scale": scale, "experiment": EXPERIMENT, "pde": PDE_NAME, "pde_constants": vars(pde),
                "method": model, "seed": seed, "network": network, "weighting": weighting,
                "block": {k: v for k, v in block.items() if k not in ("models", "seeds", "gradient_points")},
                "loss_convention": cfg["loss_convention"], "matmul_precision": cfg["matmul_precision"]}
    return Run(pde=pde, phases=[phase], network=network, points=points, seed=seed, log_every=block["log_every"],
               checkpoint_every=block["checkpoint_every"], loss_convention=cfg["loss_convention"],
               label=f"{scale}/kleingordon/{model}/s{seed}", resolved=resolved)


def kleingordon_run_dir(cfg: dict, scale: str, model: str, seed: int) -> Path:
    width = scale_config(cfg, scale)["kleingordon"]["network"]["width"]
    return run_dir(cfg["results_dir"], scale, EXPERIMENT, PDE_NAME, model, width, seed)
