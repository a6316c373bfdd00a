#!/usr/bin/env python
"""Django's manage.py; the `charter` command does the same once installed."""

from charter.cli import main

if __name__ == "__main__":
    main()
