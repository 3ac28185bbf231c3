"""Route tables per area, merged into `tests/test_route_matrix.py`.

Each module defines `ROUTES` (name → Route) and `WRITE_ROUTES` (name → kwargs function) for
its own routes, so areas built in parallel never edit the same table.
"""
