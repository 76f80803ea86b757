"""Preconditioned PINNs (PCPINN; Liu et al., ICML 2024): discretisation, ILU preconditioner, loss."""
