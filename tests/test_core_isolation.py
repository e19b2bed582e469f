"""core/ is the model layer: importing it must never pull in Qt, pyqtgraph or gui."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import sys, pkgutil, importlib
import core
for info in pkgutil.iter_modules(core.__path__):
    importlib.import_module("core." + info.name)
leaked = sorted(m for m in sys.modules
                if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph", "gui"))
print("LEAKED:" + ",".join(leaked))
"""


def test_importing_every_core_module_leaves_qt_unimported():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "LEAKED:\n" in out.stdout or out.stdout.strip() == "LEAKED:", out.stdout


def test_core_sources_do_not_mention_qt():
    for path in (ROOT / "core").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for banned in ("PySide6", "pyqtgraph", "from gui", "import gui"):
            assert banned not in text, f"{path.name} mentions {banned}"
