"""Benchmarks of this project beside the stock llama-index pipeline (`make bench`); kb never imports it."""
