"""Run the command line: ``python -m govreport``."""
import sys

from .cli import main

sys.exit(main())
