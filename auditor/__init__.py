"""Treaty Audit: read trade agreements and audit their clauses on culture in the digital environment."""

__version__ = "0.1.0"
