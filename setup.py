# Everything is in pyproject.toml. This shim exists for `scrapyd-deploy`, which builds the
# project's egg with `python setup.py bdist_egg` (and would otherwise write a setup.py of its own).
from setuptools import setup

setup()
