import os

import numpy as np
import pytest

from pinnlab.evaluate import Reference
from pinnlab.pdes import tensor_grid


@pytest.fixture(scope="session", autouse=True)
def shared_compilation_cache(tmp_path_factory):
    """One JAX compilation cache for the DAGs that the tests run in their copies of the repository. Each copy would
    start with an empty ``.jax_cache`` and compile the same smoke-scale programs again; the DAG's jobs take the
    environment's cache over the config's (workflow/scripts/job.py), so the later DAGs load what the first compiled.
    A cache set in the environment already is kept."""
    with pytest.MonkeyPatch.context() as patch:
        if "JAX_COMPILATION_CACHE_DIR" not in os.environ:
            patch.setenv("JAX_COMPILATION_CACHE_DIR", str(tmp_path_factory.mktemp("jax_cache")))
        yield


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
