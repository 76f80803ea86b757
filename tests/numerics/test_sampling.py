import jax
import numpy as np
import pytest

from pinnlab.errors import PinnlabError
from pinnlab.pdes import make_pde
from pinnlab.sampling import PointSpec, fixed_points, uniform_points


def test_grid_points_follow_rathore_et_al():
    pde = make_pde("convection")
    pts = fixed_points(pde, PointSpec(kind="grid", n_res=10000, grid=(257, 101)), seed=0)
    assert pts["res"].shape == (10000, 2) and pts["ic"].shape == (257, 2) and pts["bc"].shape == (101, 2)
    # residual points are distinct interior nodes: no x end point, no t = 0
    assert len(np.unique(pts["res"], axis=0)) == 10000
    assert pts["res"][:, 0].min() > 0 and pts["res"][:, 0].max() < 2 * np.pi - 1e-6 and pts["res"][:, 1].min() > 0
    assert np.all(pts["ic"][:, 1] == 0) and np.all(pts["bc"][:, 0] == 0)


def test_wave_grid_has_one_term_per_condition():
    pts = fixed_points(make_pde("wave"), PointSpec(kind="grid", n_res=100, grid=(257, 101)), seed=1)
    assert {k: len(v) for k, v in pts.items()} == {"res": 100, "ic": 257, "ic_t": 257, "bc_x0": 101, "bc_x1": 101}
    assert np.all(pts["bc_x1"][:, 0] == 1.0)


def test_qmc_points_lie_on_their_faces_and_split_evenly():
    pde = make_pde("heat2d_lt")
    pts = fixed_points(pde, PointSpec(kind="qmc", n_res=512, n_initial=64, n_boundary=128), seed=3)
    assert pts["res"].shape == (512, 3) and pts["ic"].shape == (64, 3) and pts["bc"].shape == (128, 3)
    assert np.all(pts["ic"][:, 2] == 0)
    on_face = np.isclose(pts["bc"][:, :2], 0) | np.isclose(pts["bc"][:, :2], 1)
    assert np.all(on_face.any(axis=1))
    assert [int(on_face[:, 0].sum()), int(on_face[:, 1].sum())] == [64, 64]
    assert pts["res"][:, 2].max() > 50  # spans the long time interval


def test_fixed_points_are_deterministic_per_seed():
    pde, spec = make_pde("burgers"), PointSpec(kind="qmc", n_res=64, n_initial=16, n_boundary=16)
    a, b, c = (fixed_points(pde, spec, s) for s in (0, 0, 1))
    assert all(np.array_equal(a[k], b[k]) for k in a) and not np.array_equal(a["res"], c["res"])


def test_uniform_resampling_depends_only_on_the_key():
    pde = make_pde("klein_gordon")
    spec = PointSpec(kind="uniform", n_res=128, n_initial=128, n_boundary=128, resample=True)
    key = jax.random.key(0)
    a = uniform_points(pde, spec, jax.random.fold_in(key, 5))
    b = uniform_points(pde, spec, jax.random.fold_in(key, 5))
    c = uniform_points(pde, spec, jax.random.fold_in(key, 6))
    assert np.array_equal(a["res"], b["res"]) and not np.array_equal(a["res"], c["res"])
    assert np.all(np.asarray(a["bc_x1"])[:, 0] == 1.0)


def test_bad_point_specs_are_explained():
    with pytest.raises(PinnlabError, match="exceeds"):
        fixed_points(make_pde("convection"), PointSpec(kind="grid", n_res=10**6, grid=(11, 11)), 0)
    with pytest.raises(PinnlabError, match="needs 2 sizes"):
        fixed_points(make_pde("convection"), PointSpec(kind="grid", n_res=10, grid=(11,)), 0)
    with pytest.raises(PinnlabError, match="resample"):
        PointSpec.from_config({"kind": "grid", "n_res": 10, "grid": [11, 11], "resample": True})
