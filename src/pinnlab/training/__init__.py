"""Training: the one loop (one run or several seeds together), the runs it trains, optimizer phases per method,
loss-weighting schemes, checkpoints and run artifacts."""
