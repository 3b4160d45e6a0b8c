"""Reproducible analyses of trained continuous-time ReLU RNNs."""
