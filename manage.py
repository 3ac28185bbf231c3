#!/usr/bin/env python
"""Django's command-line utility; `schakel` wraps the same commands."""

import sys

from schakel.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv))
