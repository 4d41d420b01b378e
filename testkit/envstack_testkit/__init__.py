"""Harnesses shared by envstack's tests, demo and benchmarks (not shipped to users)."""
