"""Front Desk: the core of the clinic program (data, rules, documents). Imports no Qt."""

__version__ = "0.1.0"
