"""Build the installable program (a PyInstaller folder bundle) and smoke-test it.

    python build_installer.py            # build dist/FrontDesk/ and test it
    python build_installer.py --no-test  # build only

The bundle carries Qt's widgets only (PySide6-Essentials); the Qt modules this
program never uses are left out, and so is the ICD-10-CM source package (the
program reads the compact index in resources/).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
NAME = "FrontDesk"
UNUSED_MODULES = (
    "simple_icd_10_cm",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtNetwork",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDBus",
    "PySide6.QtConcurrent",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtXml",
    "tkinter",
    "pytest",
    "hypothesis",
)


def pyinstaller_arguments(dist: Path, work: Path) -> list[str]:
    separator = os.pathsep
    arguments = [
        str(ROOT / "frontdesk" / "__main__.py"),
        "--name", NAME,
        "--onedir",
        "--windowed",
        "--noconfirm",
        "--clean",
        "--distpath", str(dist),
        "--workpath", str(work),
        "--specpath", str(work),
        "--add-data", f"{ROOT / 'resources'}{separator}resources",
        "--copy-metadata", "frontdesk",  # the entry points that lead the core to the Qt shell
        "--collect-submodules", "ui",
    ]  # fmt: skip
    for module in UNUSED_MODULES:
        arguments += ["--exclude-module", module]
    return arguments


def build(dist: Path, work: Path) -> Path:
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        sys.exit("PyInstaller is missing: pip install -e '.[installer]'")
    pyinstaller.run(pyinstaller_arguments(dist, work))
    return dist / NAME


def smoke_test(bundle: Path) -> None:
    """Run the frozen program's demo, check and selftest (Qt, offscreen) on a scratch database."""
    executable = bundle / (NAME + (".exe" if sys.platform == "win32" else ""))
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "smoke.db"
        environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        for command in ("demo", "check", "selftest"):
            result = subprocess.run(
                [str(executable), "--db", str(database), command],
                capture_output=True, text=True, timeout=120, check=False, env=environment,
            )  # fmt: skip
            print(result.stdout.strip())
            if result.returncode != 0:
                sys.exit(f"smoke test failed at '{command}':\n{result.stderr}")
    size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"{bundle}: smoke test passed; bundle size {size / 2**20:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-test", action="store_true", help="skip the smoke test")
    args = parser.parse_args()
    dist, work = ROOT / "dist", ROOT / "build"
    shutil.rmtree(dist / NAME, ignore_errors=True)
    bundle = build(dist, work)
    if not args.no_test:
        smoke_test(bundle)


if __name__ == "__main__":
    main()
