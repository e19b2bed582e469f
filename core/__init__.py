"""Stepwise's maths: pure NumPy (+ SymPy), no Qt. Usable from a shell or notebook."""
