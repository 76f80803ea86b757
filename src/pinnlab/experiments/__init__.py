"""The experiments of the DAG, one module per rule family: how its runs are resolved from the config, and the job
functions of its compute rules (each named after its rule; ``workflow/scripts/job.py`` calls them). The figures and
tables drawn from their artifacts are ``pinnlab.report``'s."""
