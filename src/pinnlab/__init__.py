"""pinnlab: reproducibility artifact for "PINN Training via NTK: Insights and Limitations" (JAX/Flax)."""

__version__ = "0.1.0"
