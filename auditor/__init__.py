"""Treaty Audit: read trade agreements and audit their clauses on culture in the digital environment."""

from pathlib import Path

__version__ = "0.1.0"

# Where the shared corpus and gold data sit beside the repository in development and CI.
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"
# The shipped classifier (trained by `auditor train`), found wherever a command runs.
MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
