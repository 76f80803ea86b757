"""Optimizers beyond Adam, each exposing the training loop's phase interface.

``init(params) -> state`` and ``step(objective, params, state, batch, weights) -> (params, state, terms)``;
an optional ``diagnostics(state) -> dict`` adds columns to the metrics rows.
"""
