"""API endpoints of the registers."""


def register(router):
    """Add the registers' viewsets to the API router."""
