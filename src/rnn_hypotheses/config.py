"""Checks of config.yaml that a JSON schema cannot express, and derived names."""

from __future__ import annotations


class ConfigError(ValueError):
    """A config value is invalid; the message names its key."""


def check_config(config: dict) -> None:
    """Cross-key checks run after schema validation.

    Raises
    ------
    ConfigError
        Naming the offending key, e.g. ``model.dt_ms`` when dt >= tau.
    """
    model = config["model"]
    if model["dt_ms"] >= model["tau_ms"]:
        raise ConfigError(f"model.dt_ms ({model['dt_ms']}) must be smaller than model.tau_ms "
                          f"({model['tau_ms']}): the Euler factor dt/tau must be below 1")
    for name, task in config["tasks"].items():
        if task["settle_ms"] >= task["trial_ms"]:
            raise ConfigError(f"tasks.{name}.settle_ms ({task['settle_ms']}) must be shorter "
                              f"than tasks.{name}.trial_ms ({task['trial_ms']})")
        if task["trial_ms"] < 2 * model["dt_ms"]:
            raise ConfigError(f"tasks.{name}.trial_ms must span at least two steps of "
                              f"model.dt_ms")
        if name == "perception" and len(task["input_levels"]) != len(task["output_targets"]):
            raise ConfigError("tasks.perception.output_targets needs one target per entry of "
                              "tasks.perception.input_levels")
        if name == "decision":
            low, high = task["input_range"]
            if not low < high:
                raise ConfigError("tasks.decision.input_range must be [low, high] with low < high")
    n_nets = config["networks_per_task"]
    if config["slowpoints"]["example_net"] >= n_nets:
        raise ConfigError(f"slowpoints.example_net ({config['slowpoints']['example_net']}) must "
                          f"be below networks_per_task ({n_nets})")
    # the steady-state window is taken from the end of the simulated trials (rule latent)
    dt = model["dt_ms"]
    if round(config["latent"]["steady_ms"] / dt) > round(config["simulation"]["duration_ms"] / dt):
        raise ConfigError(f"latent.steady_ms ({config['latent']['steady_ms']}) is longer than "
                          f"the simulated trials (simulation.duration_ms = "
                          f"{config['simulation']['duration_ms']})")


def network_ids(config: dict) -> list[str]:
    """Names of the networks of each task: net00, net01, ..."""
    n = config["networks_per_task"]
    width = max(2, len(str(n - 1)))
    return [f"net{k:0{width}d}" for k in range(n)]


def network_seed(config: dict, net: str) -> int:
    """Seed of a network named by :func:`network_ids`."""
    return config["first_seed"] + int(net.removeprefix("net"))
