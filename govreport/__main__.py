"""Run the command line: ``python -m govreport``."""
from .cli import run

run()
