"""The release pipeline behind ``make version``, ``make dist`` and ``make publish``."""
