"""Route tables per area, merged into `tests/test_route_matrix.py`.

Each module defines `ROUTES` (name → Route) and `WRITE_ROUTES` (name → kwargs function) for
its own routes, so areas built in parallel never edit the same table.
"""

# The matrix imports every module here and merges its tables; a module imported first on its
# own (by another test file) would import the matrix half-way through its own import, and the
# matrix would then merge it before its tables exist. Importing the matrix first, whoever
# asks for a route module, keeps the order right.
import tests.test_route_matrix  # noqa: F401
