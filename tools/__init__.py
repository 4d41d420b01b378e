"""Repository tooling run by make: release steps (``tools.release``) and generators of checked-in files."""
