"""Ship the top-level ``sample_visits/`` inside the wheel as ``irp_field/sample_visits/``.

The bundles live at the top of the repository, where people read and review them;
``irp-field demo`` must find them in any installed wheel: one built from the checkout
(``pip install .``, ``pip wheel .``) or from the sdist (``python -m build``), which
carries them through MANIFEST.in. One copy, not a second under ``irp_field/`` kept
identical by a test (every change made twice), nor a link (a Windows checkout makes a
link a text file).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithSampleVisits(build_py):
    def run(self) -> None:
        super().run()
        source = Path(__file__).parent / "sample_visits"
        if source.is_dir():
            target = Path(self.build_lib) / "irp_field" / "sample_visits"
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target)


setup(cmdclass={"build_py": BuildWithSampleVisits})
