"""The handout PDF: selectable text with the lecture's numbers, typeset formulas,
A4 and Letter."""
from __future__ import annotations

import re

import numpy as np
import pytest

from core.data import LECTURE_EXAMPLES, MOOD_LABEL, count_words
from core.network import Network
from core.newton import newton_minimize
from core.walk import walk
from gui.handout import classifier_handout, newton_handout, write_pdf

pypdf = pytest.importorskip("pypdf")

X = np.array([count_words(s) for s, _ in LECTURE_EXAMPLES])
Y = np.array([MOOD_LABEL[m] for _, m in LECTURE_EXAMPLES])
FORMULAS = [("g(x)", r"e^{x} - \ln{x}", "exp(x) - ln(x)"),
            ("g'(x)", r"e^{x} - \frac{1}{x}", "exp(x) - 1/x"),
            ("g''(x)", r"e^{x} + \frac{1}{x^{2}}", "exp(x) + 1/x^2")]


def text_of(path) -> tuple[str, list]:
    """The PDF's text with all white space removed (extractors space glyphs freely)."""
    reader = pypdf.PdfReader(str(path))
    text = "".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", "", text), reader.pages


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_newton_handout_has_the_lecture_iterates_as_text(qapp, tmp_path):
    path = tmp_path / "newton.pdf"
    write_pdf(newton_handout(newton_minimize("exp(x) - ln(x)", 0.05), FORMULAS), str(path))
    text, pages = text_of(path)
    for value in ("0.0972", "0.1832", "0.3205", "0.4773", "0.5578", "0.5671"):
        assert value in text, value
    assert "0.567143" in text and squash("Converged to a minimum") in text
    assert "|eₖ₊₁|/|eₖ|²" in text and "0.9442" in text        # ratio beside its constant
    width, height = (float(v) for v in pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)            # A4 in points


def test_classifier_handout_has_every_gradient_with_its_value(qapp, tmp_path):
    records = list(walk(Network((2, 2, 1), 0), X, Y, 0.5, example=0))
    path = tmp_path / "classifier.pdf"
    write_pdf(classifier_handout(records, "Aack aack aack!", 0), str(path), page="Letter")
    text, pages = text_of(path)
    assert squash("∂L/∂w₁₁ = 3 · 0.2456 · (−0.3788) · 0.2493 · (−2.11) = 0.1468") in text
    for name in ("w₁", "w₂", "b", "w₁₁", "w₂₁", "b₁", "w₁₂", "w₂₂", "b₂"):
        assert f"∂L/∂{name}=" in text, name
    assert "a₁=σ(z₁)=0.5663" in text and "L=0.7467" in text
    assert "z₂=3·(−0.0934)+0·0.0742+0=−0.2802" in text          # weights as on the diagram
    assert squash("Loss before the update 0.7467, after 0.5456") in text
    width, height = (float(v) for v in pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (612, 792)            # US Letter in points


def test_formulas_are_typeset_images_in_the_pdf(qapp, tmp_path):
    path = tmp_path / "newton.pdf"
    write_pdf(newton_handout(newton_minimize("exp(x) - ln(x)", 0.05), FORMULAS), str(path))
    _, pages = text_of(path)
    assert len(pages[0].images) >= 4            # g, g′, g″ and the update rule


def test_an_unknown_page_size_is_refused(qapp, tmp_path):
    document = newton_handout(newton_minimize("x^2 - 2", 1.0), [])
    with pytest.raises(ValueError, match="A4 or Letter"):
        write_pdf(document, str(tmp_path / "x.pdf"), page="A3")


def test_file_menu_writes_the_handout_of_the_tab_on_show(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from gui.main_window import MainWindow
    window = MainWindow(restore=False)
    qtbot.addWidget(window)
    window.show()
    tab = window.classifier_tab
    for _ in range(8):                          # mid-pass: the handout is still the whole pass
        tab.step()
    path = tmp_path / "classifier"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(path), "PDF, US Letter (*.pdf)"))
    window.handout_action.trigger()
    text, pages = text_of(tmp_path / "classifier.pdf")     # .pdf added
    assert squash("∂L/∂w₁₁ = 3 · 0.2456 · (−0.3788) · 0.2493 · (−2.11) = 0.1468") in text
    assert "Aackaackaack!" in text and len(pages[0].images) >= 1     # the diagram too
    assert round(float(pages[0].mediabox.upper_right[0])) == 612      # Letter, as chosen

    window.tabs.setCurrentIndex(1)
    newton = window.newton_tab
    newton.wait_parsed()
    newton.load_preset(0)
    assert newton.wait_parsed()
    newton.wait_parsed()
    window.export_handout(str(tmp_path / "newton.pdf"))
    text, pages = text_of(tmp_path / "newton.pdf")
    for value in ("0.0972", "0.1832", "0.3205", "0.4773", "0.5578", "0.5671"):
        assert value in text, value
    assert len(pages[0].images) >= 5            # g, g′, g″ and the rule typeset, and the plot


def test_a_handout_of_nothing_says_why(qtbot, tmp_path):
    from gui.main_window import MainWindow
    window = MainWindow(restore=False)
    qtbot.addWidget(window)
    tab = window.classifier_tab
    tab.model.remove_rows(range(tab.model.rowCount()))
    assert tab.model.rowCount() == 0
    with pytest.raises(ValueError, match="sentence table is empty"):
        window.export_handout(str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_letter_paper_where_it_is_the_office_paper():
    from gui.handout import page_for_locale
    assert page_for_locale("US") == "Letter" and page_for_locale("ca") == "Letter"
    assert page_for_locale("GB") == "A4" and page_for_locale("DE") == "A4"
