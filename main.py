#!/usr/bin/env python3
"""Start Stepwise: python main.py [--tab newton] [--scale 2] [--dark] [--screenshot out.png]"""
import sys

from gui.app import main

if __name__ == "__main__":
    sys.exit(main())
