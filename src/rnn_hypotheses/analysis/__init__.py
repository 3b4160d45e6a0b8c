"""Pure-array analyses of trained networks (connectivity, centrality, statistics, ...)."""
