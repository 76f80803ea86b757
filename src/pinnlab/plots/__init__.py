"""Figures, drawn from cached artifacts only (never trains). One module per figure."""
