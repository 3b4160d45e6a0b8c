"""One module per figure: data frames in, matplotlib Figure out (no analysis here)."""
