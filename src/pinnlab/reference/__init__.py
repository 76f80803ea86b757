"""Reference solutions made in the repository (no downloads)."""
