"""Helpers of the tests that open pages in a headless browser."""
