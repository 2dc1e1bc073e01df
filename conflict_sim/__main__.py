"""`python -m conflict_sim` runs the command line."""

import sys

from conflict_sim.cli import main

sys.exit(main())
