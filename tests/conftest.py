import numpy as np
import pytest

from pinnlab.evaluate import Reference
from pinnlab.pdes import tensor_grid


def exact_reference(pde) -> Reference:
    """In-memory reference of a PDE with a closed-form solution (no file needed)."""
    import jax

    axes = pde.eval_axes()
    with jax.enable_x64(True):
        values = np.asarray(jax.vmap(pde.exact)(jax.numpy.asarray(tensor_grid(axes))))
    return Reference(axes, values.reshape([len(a) for a in axes]), {})


@pytest.fixture
def small_config():
    """The repository's config, validated, with tiny protocols for fast tests."""
    from pinnlab.config import load_config

    return load_config("config/config.yaml")
