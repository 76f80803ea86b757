"""Tables and figures, drawn from written artifacts only (never trains, never imports an experiment): one module per
figure or table rule, its job function named after the rule."""
