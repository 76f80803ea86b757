"""Hessian spectra by Lanczos on Hessian-vector products: spectral norm and stochastic Lanczos quadrature.

``lanczos`` runs m steps of the Lanczos process on a symmetric operator given by its matvec (here
forward-over-reverse HVPs, ``pinnlab.curvature.hvp``) with full re-orthogonalisation against all previous
vectors (twice, "twice is enough"), as PyHessian and Rathore et al.'s ``pyhessian.py`` do. The Ritz values
(eigenvalues of the tridiagonal T) approximate the extreme eigenvalues first: the largest |Ritz value| is the
spectral norm ‖∇²L‖ (the Hessian is symmetric). When the Krylov space is exhausted (β ≈ 0, on tiny networks)
the process restarts from a fresh random vector orthogonal to the previous ones, so T stays exact.

``slq_density``: stochastic Lanczos quadrature (Ghorbani, Krishnan and Xiao 2019; Lin, Saad and Yang 2016):
for each of several random starts, nodes = Ritz values, weights = squared first components of T's
eigenvectors; the density is their Gaussian-smoothed mixture averaged over runs, normalised to integrate to 1
on its grid (σ² = 5e-5 · max(1, λ_max − λ_min), Rathore et al.'s notebook).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

STARTS = ("rademacher", "gaussian")


def _start_vector(key, dim, dtype, start):
    if start == "rademacher":
        v = jax.random.rademacher(key, (dim,), dtype)
    elif start == "gaussian":
        v = jax.random.normal(key, (dim,), dtype)
    else:
        raise ValueError(f"unknown Lanczos start {start!r}; valid: {STARTS}")
    return v / jnp.linalg.norm(v)


def lanczos(matvec, dim: int, iterations: int, key, dtype=jnp.float32, start: str = "rademacher"):
    """(alphas, betas) of the m × m tridiagonal T, m = min(iterations, dim); betas[k] couples k and k+1."""
    m = min(iterations, dim)
    tiny = jnp.finfo(dtype).eps ** 0.75
    keys = jax.random.split(key, m + 1)
    basis = jnp.zeros((m, dim), dtype).at[0].set(_start_vector(keys[0], dim, dtype, start))

    def orthogonalise(w, basis):
        for _ in range(2):
            w = w - basis.T @ (basis @ w)
        return w

    def body(k, carry):
        basis, alphas, betas = carry
        v = basis[k]
        w = matvec(v)
        alpha = v @ w
        w = orthogonalise(w, basis)  # full re-orthogonalisation (rows beyond k are still zero)
        beta = jnp.linalg.norm(w)
        # Krylov space exhausted: continue from a random vector orthogonal to the basis (T decouples)
        # (Gaussian, whatever the start: a ±1 vector can lie exactly in the span of the previous ones)
        fresh = orthogonalise(_start_vector(keys[k + 1], dim, dtype, "gaussian"), basis)
        restart = beta < tiny * (1 + jnp.abs(alpha))
        nxt = jnp.where(restart, fresh / jnp.linalg.norm(fresh), w / jnp.where(restart, 1.0, beta))
        basis = jax.lax.cond(k + 1 < m, lambda b: b.at[k + 1].set(nxt), lambda b: b, basis)
        return basis, alphas.at[k].set(alpha), betas.at[k].set(jnp.where(restart, 0.0, beta))

    _, alphas, betas = jax.lax.fori_loop(0, m, body, (basis, jnp.zeros(m, dtype), jnp.zeros(m, dtype)))
    return alphas, betas[:-1]


def ritz(alphas, betas):
    """Ritz values (ascending) and quadrature weights (squared first eigenvector components)."""
    t = jnp.diag(alphas) + jnp.diag(betas, 1) + jnp.diag(betas, -1)
    values, vectors = jnp.linalg.eigh(t)
    return values, vectors[0] ** 2


def spectral_norm(matvec, dim: int, iterations: int, key, dtype=jnp.float32, start: str = "rademacher"):
    """max |λ(∇²L)| from the Ritz values of one Lanczos run, and the extreme Ritz values."""
    values, _ = ritz(*lanczos(matvec, dim, iterations, key, dtype, start))
    return jnp.max(jnp.abs(values)), values[0], values[-1]


def slq_density(nodes: np.ndarray, weights: np.ndarray, grid_points: int = 100_000, margin: float = 0.01,
                sigma_squared_factor: float = 5e-5):
    """Gaussian-smoothed spectral density from SLQ runs: ``nodes``, ``weights`` of shape (runs, m).

    Returns (grid, density) with ∫ density = 1 on the grid, which spans the Ritz values plus a margin. The grid is
    fine (10⁵ points, as Rathore et al.'s notebook) because the kernels are narrow next to the spread of outliers.
    """
    nodes, weights = np.asarray(nodes, np.float64), np.asarray(weights, np.float64)
    lo, hi = nodes.min(), nodes.max()
    span = max(hi - lo, 1e-12)
    grid = np.linspace(lo - margin * span - 3e-3, hi + margin * span + 3e-3, grid_points)
    sigma2 = sigma_squared_factor * max(1.0, hi - lo)
    density = np.zeros_like(grid)
    for theta, tau in zip(nodes, weights):
        for t, w in zip(theta, tau / tau.sum()):  # one node at a time: memory stays at the grid's size
            density += w * np.exp(-((grid - t) ** 2) / (2 * sigma2)) / np.sqrt(2 * np.pi * sigma2)
    density /= np.trapezoid(density, grid)
    return grid, density
