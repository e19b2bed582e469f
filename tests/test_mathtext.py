"""The formula typesetter: real images for valid LaTeX, plain text otherwise."""
from gui import mathtext


def test_render_gives_an_image_that_grows_with_the_point_size(qapp):
    mathtext._load()
    small = mathtext.render(r"\frac{\partial L}{\partial w_{11}}", 12)
    big = mathtext.render(r"\frac{\partial L}{\partial w_{11}}", 24)
    assert small is not None and big is not None
    assert big.height() > 1.6 * small.height()
    assert big.width() > 1.6 * small.width()


def test_render_refuses_bad_latex_without_raising(qapp):
    mathtext._load()
    assert mathtext.render(r"\frac{", 12) is None


def test_label_shows_typeset_formula_or_fallback_text(qtbot):
    mathtext._load()
    label = mathtext.MathLabel(r"\hat{y} = \sigma(z)", "ŷ = σ(z)")
    qtbot.addWidget(label)
    assert label.pixmap() is not None and not label.pixmap().isNull()
    assert label.text() == ""
    label.set_latex(r"\frac{", "broken formula")
    assert label.text() == "broken formula"
