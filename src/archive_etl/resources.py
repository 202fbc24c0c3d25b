"""Where the files that travel with archive-etl are: inside the installed package (a wheel
carries `seeds/` and `sql/`) or at the root of the repository (a checkout)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parents[1]


def bundled(name: str) -> Path:
    """`name` (a folder such as "seeds" or "sql") shipped in the wheel, else the repository's."""
    packaged = PACKAGE_DIR / name
    return packaged if packaged.is_dir() else REPO_ROOT / name


def code_version(*folders: str) -> str:
    """A hash of the Python source of some of the package's folders ("read", "parse"): a stage's
    version, which changes whenever any of its code does."""
    import hashlib

    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((PACKAGE_DIR / folder).rglob("*.py")):
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
