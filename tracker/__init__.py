"""tracker: a 督查督办 progress tracker whose data is YAML files in git."""
__version__ = "0.1.0"
