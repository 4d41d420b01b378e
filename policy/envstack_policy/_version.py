"""The package version, stamped from the repository's VERSION file by `make version`."""

VERSION = "0.2.0"
