"""`irp-field --help` start-up, beside `python -c "import sqlite_utils"` in the same run.

Target (foundation issue): within 1.5x of the peer. Both run as fresh processes, ten
times each, interleaved; the medians are compared.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import compile_package

TARGET = 1.5
RUNS = 10


def _command() -> list[str]:
    script = Path(sys.executable).with_name("irp-field")
    if script.exists():
        return [str(script), "--help"]
    found = shutil.which("irp-field")
    return [found, "--help"] if found else [sys.executable, "-m", "irp_field", "--help"]


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> dict[str, float]:
    compile_package()
    ours_command = _command()
    peer_command = [sys.executable, "-c", "import sqlite_utils"]
    _time(ours_command), _time(peer_command)  # warm the file cache
    ours, peer = [], []
    for _ in range(RUNS):
        ours.append(_time(ours_command))
        peer.append(_time(peer_command))
    ours_median, peer_median = statistics.median(ours), statistics.median(peer)
    ratio = ours_median / peer_median
    print(
        f"irp-field --help: {ours_median * 1000:.0f} ms; python -c 'import sqlite_utils': "
        f"{peer_median * 1000:.0f} ms; ratio {ratio:.2f}x (target <= {TARGET}x) "
        f"{'OK' if ratio <= TARGET else 'MISSED'}"
    )
    return {"ours": ours_median, "peer": peer_median, "ratio": ratio, "target": TARGET}


if __name__ == "__main__":
    main()
