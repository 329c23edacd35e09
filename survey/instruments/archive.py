"""Earlier instrument versions kept as files: `modules/instruments/archive/<slug>.v<N>.yaml`.

A campaign whose GPs answered version N keeps version N after the live file moves on, so its
waves are never mixed. The database holds the frozen copy of every version that has
responses; the archive file lets a version be read (and checked) where no copy is stored yet,
e.g. a fresh database, a test, or a campaign created but not yet started. Pure.
"""
import hashlib
import re
from pathlib import Path

from survey.contentfiles import Problem, relative_name
from survey.instruments.definition import Instrument, load_instrument

ARCHIVE_NAME = re.compile(r"^(?P<slug>[a-z0-9]+(-[a-z0-9]+)*)\.v(?P<version>[1-9][0-9]*)$")


def live_file_hash(path: Path, slug: str) -> str:
    """The content hash the file had as ``<slug>.yaml`` (content_hash covers the file name), so an
    archived file matches the copy frozen while it was live."""
    digest = hashlib.sha256()
    digest.update(f"{slug}.yaml".encode())
    digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_archive(content_dir: Path) -> tuple[dict[tuple[str, int], Instrument], list[Problem]]:
    """Every archived version by (slug, version), validated like a live file."""
    folder = content_dir / "instruments" / "archive"
    found, problems = {}, []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        name = relative_name(path, content_dir)
        match = ARCHIVE_NAME.match(path.stem)
        if not match:
            problems.append(Problem(name, "", "an archived instrument is named <slug>.v<version>.yaml"))
            continue
        slug, number = match["slug"], int(match["version"])
        instrument, found_problems = load_instrument(path, content_dir, check_name=False)
        problems += found_problems
        if instrument is None:
            continue
        if instrument.version != number:
            problems.append(Problem(name, "version", f"the file name says version {number} but the file says "
                                                     f"{instrument.version}"))
            continue
        found[(slug, number)] = Instrument(slug, instrument.data, live_file_hash(path, slug))
    return found, problems
