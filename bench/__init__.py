"""Benchmarks (`make bench`): each figure is measured with its baseline in the same run."""
