"""Diagnostics of training: neural tangent kernels (``ntk``); Hessian spectra come with Fig. 1b."""
