"""A printable handout of the current worked example, as a PDF.

Classifier: one example's whole pass — every unit's forward values, the loss, the
chain rule with numbers for every parameter, and the update — with the diagram.
Newton: the function and its derivatives, the iteration table with the convergence
columns, the arithmetic of every step, and the plot.

The document is a QTextDocument written with QPdfWriter: the text stays selectable
(and searchable) in any PDF viewer; formulas are typeset by mathtext at print
resolution and embedded as images, each followed by its numbers in plain text. The
GUI holds no maths: everything printed comes from the core's records.
"""
from __future__ import annotations

import html
import math

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from core.convergence import convergence_of
from core.notation import NumberRole, format_factor, format_number, subscript
from core.records import BackwardStep, ForwardStep, LossStep, UpdateStep

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
_PRINT_DPI = 300
# The numbers have the digits the app's views give them (core.notation).
VALUE, DERIVATIVE = NumberRole.VALUE, NumberRole.DERIVATIVE
ITERATE, FULL = NumberRole.ITERATE, NumberRole.FULL


def _e(text: str) -> str:
    return html.escape(text, quote=False)


class _Builder:
    """Collects HTML and the formula images it refers to."""

    def __init__(self, title: str):
        self.parts: list[str] = []
        self.images: dict[str, QImage] = {}
        self.title = title

    def heading(self, text: str, level: int = 2) -> None:
        self.parts.append(f"<h{level}>{_e(text)}</h{level}>")

    def paragraph(self, text: str, escape: bool = True) -> None:
        self.parts.append(f"<p>{_e(text) if escape else text}</p>")

    def formula(self, latex: str, fallback: str, point_size: float = 13.0) -> None:
        """A typeset formula (an image) followed by nothing else on its line; the
        plain ``fallback`` is printed instead when mathtext cannot typeset it."""
        from gui import mathtext
        image = None
        if latex:
            mathtext._load()
            image = mathtext.render(latex, point_size, "#000000", _PRINT_DPI / 96.0)
        if image is None:
            self.paragraph(fallback)
            return
        name = f"formula{len(self.images)}"
        self.images[name] = image
        width = image.width() / image.devicePixelRatio()
        self.parts.append(f'<p><img src="{name}" width="{width:.0f}"></p>')

    def picture(self, image: QImage | None, width: int = 560) -> None:
        if image is None or image.isNull():
            return
        name = f"picture{len(self.images)}"
        self.images[name] = image
        self.parts.append(f'<p align="center"><img src="{name}" width="{width}"></p>')

    def table(self, header: list[str], rows: list[list[str]], bold_row: int = -1) -> None:
        cells = "".join(f"<th>{_e(h)}</th>" for h in header)
        body = [f"<tr>{cells}</tr>"]
        for i, row in enumerate(rows):
            tag = "b" if i == bold_row else "span"
            body.append("<tr>" + "".join(f"<td align='right'><{tag}>{_e(c)}</{tag}></td>"
                                         for c in row) + "</tr>")
        self.parts.append("<table border='1' cellspacing='0' cellpadding='3'>"
                          + "".join(body) + "</table>")

    def document(self) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultStyleSheet(
            "body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; }"
            "h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 12px; }"
            "th { background-color: #e8e8e8; }")
        for name, image in self.images.items():
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        document.setHtml(f"<html><body><h1>{_e(self.title)}</h1>{''.join(self.parts)}"
                         "</body></html>")
        document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, self.title)
        return document


# ---------------------------------------------------------------------------- classifier
def classifier_handout(records, sentence: str, example: int,
                       diagram: QImage | None = None) -> QTextDocument:
    """One example's full pass, from the core's walk records (core.walk.walk)."""
    b = _Builder(f"Stepwise — back-propagation on “{sentence}” (example {example + 1})")
    b.paragraph("The 2-layer sigmoid network of the lecture, one training example: "
                "forward pass, log-loss, the chain rule for every parameter, and the "
                "gradient-descent update p ← p − α·∂L/∂p.")
    b.picture(diagram)
    forward = [r for r in records if isinstance(r, ForwardStep)]
    b.heading("Forward pass")
    for step in forward:
        b.formula(step.equation_latex, step.z_label)
        terms = " + ".join(f"{format_number(x, VALUE)}·{format_factor(w, VALUE)}"
                           for x, w in zip(step.inputs, step.weights))
        b.paragraph(f"{step.z_label} = {terms} + {format_factor(step.bias, VALUE)} = "
                    f"{format_number(step.z, VALUE)},   "
                    f"{step.unit_label} = σ({step.z_label}) = {format_number(step.a, VALUE)}")
    for loss in (r for r in records if isinstance(r, LossStep)):
        b.heading("Loss")
        b.formula(loss.equation_latex, "L(y, ŷ) = −y ln ŷ − (1−y) ln(1−ŷ)")
        b.paragraph(f"y = {format_number(loss.y, VALUE)}, ŷ = {format_number(loss.y_hat, VALUE)}:  "
                    f"L = {format_number(loss.loss, VALUE)}"
                    + (f"   (mean over the rows: {format_number(loss.mean_loss, VALUE)})"
                       if len(loss.loss_rows) > 1 else ""))
    b.heading("Back-propagation: the chain rule for every parameter")
    for step in (r for r in records if isinstance(r, BackwardStep)):
        label = step.parameter.label
        b.parts.append(f"<h3>∂L/∂{_e(label)}</h3>")
        b.formula(step.chain_latex, f"∂L/∂{label}")
        factors = " · ".join(format_factor(f.value, DERIVATIVE) for f in step.factors)
        b.paragraph(f"∂L/∂{label} = {factors} = {format_number(step.gradient_example, DERIVATIVE)}")
        b.formula(step.simplified_latex, "")
        if len(step.row_gradients) > 1:
            b.paragraph(f"Mean over the {len(step.row_gradients)} rows: ∂L/∂{label} = "
                        f"{format_number(step.gradient, DERIVATIVE)}")
        b.paragraph(f"Update (applied at the update step): {label} ← "
                    f"{format_number(step.value, VALUE)} − {format_number(step.learning_rate, VALUE)}"
                    f" · {format_factor(step.gradient, DERIVATIVE)} = "
                    f"{format_number(step.new_value, VALUE)}")
    for update in (r for r in records if isinstance(r, UpdateStep)):
        b.heading(f"Update (α = {format_number(update.learning_rate, VALUE)})")
        b.table(["parameter", "old", "∂L/∂p", "new"],
                [[ref.label, format_number(old, VALUE), format_number(grad, DERIVATIVE),
                  format_number(new, VALUE)] for ref, old, grad, new in update.changes])
        b.paragraph(f"Loss before the update {format_number(update.loss_before, VALUE)}, after "
                    f"{format_number(update.loss_after, VALUE)}.")
    return b.document()


# ---------------------------------------------------------------------------- Newton
def newton_handout(run, formulas: list[tuple[str, str, str]],
                   plot: QImage | None = None) -> QTextDocument:
    """A Newton run (core.newton.NewtonRun): ``formulas`` are (name latex, latex,
    plain text) of the function and the derivatives the method uses, e.g.
    ("g'(x)", "e^{x} - \\frac{1}{x}", "exp(x) - 1/x")."""
    minimise = run.mode == "minimise"
    f, df = ("g′", "g″") if minimise else ("f", "f′")
    what = "minimise g" if minimise else "find a root of f"
    b = _Builder(f"Stepwise — Newton's method: {what}, from x₀ = {format_number(run.x0, ITERATE)}")
    for name, latex, plain in formulas:
        b.formula(f"{name} = {latex}", f"{name} = {plain}")
    rule = "x_{k+1} = x_k - \\frac{g'(x_k)}{g''(x_k)}" if minimise else \
        "x_{k+1} = x_k - \\frac{f(x_k)}{f'(x_k)}"
    b.formula(rule, f"x_(k+1) = x_k − {f}(x_k)/{df}(x_k)")
    b.picture(plot)
    data = convergence_of(run)
    header = ["k", "xₖ", f"{f}(xₖ)", f"{df}(xₖ)", "xₖ₊₁"]
    if data is not None:
        header += ["|eₖ|", "digits", data.ratio_title]
    rows = []
    for step in run.steps:
        row = [str(step.k), format_number(step.x, ITERATE), format_number(step.value, DERIVATIVE),
               format_number(step.slope, DERIVATIVE), format_number(step.x_next, ITERATE)]
        if data is not None:
            ratio = data.ratios[step.k]
            row += [format_number(data.errors[step.k], DERIVATIVE), str(data.digits[step.k]),
                    "—" if math.isnan(ratio) else format_number(ratio, DERIVATIVE)]
        rows.append(row)
    b.heading("Iterations")
    b.table(header, rows)
    if data is not None and data.order == 2 and not math.isnan(data.constant):
        b.paragraph(f"x* ≈ {format_number(data.root, FULL)}. The ratio |eₖ₊₁|/|eₖ|² approaches the "
                    f"constant |F″(x*)/(2F′(x*))| = {format_number(data.constant, DERIVATIVE)}: quadratic "
                    "convergence, the correct digits doubling each step.")
    b.heading("Each step with numbers")
    for step in run.steps:
        k, k1 = subscript(step.k), subscript(step.k + 1)
        # as on screen, then rounded as the notes print their iterates (0.0972, 0.1832)
        b.paragraph(f"x{k1} = x{k} − {f}(x{k}) / {df}(x{k}) = {format_number(step.x, ITERATE)} − "
                    f"({format_number(step.value, DERIVATIVE)}) / "
                    f"({format_number(step.slope, DERIVATIVE)}) = "
                    f"{format_number(step.x_next, ITERATE)}  ≈ {format_number(step.x_next, VALUE)}")
    b.heading("Outcome")
    b.paragraph(run.message)
    return b.document()



# ---------------------------------------------------------------------------- writing
def write_pdf(document: QTextDocument, path: str, page: str = "A4") -> None:
    """Print ``document`` to a PDF at ``path`` on A4 or Letter paper."""
    if page not in PAGE_SIZES:
        raise ValueError(f"page size {page!r}: choose A4 or Letter")
    writer = QPdfWriter(path)
    writer.setTitle(document.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
    writer.setCreator("Stepwise")
    writer.setResolution(_PRINT_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(PAGE_SIZES[page]), QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    # lay the text out at ~96 dpi page width so 10 pt reads as 10 pt on paper
    document.setPageSize(QSizeF(rect.width() * 96.0 / _PRINT_DPI,
                                rect.height() * 96.0 / _PRINT_DPI))
    document.print_(writer)


# ---------------------------------------------------------------------------- from a tab
def tab_handout(tab) -> QTextDocument:
    """The handout of what ``tab`` (a ClassifierTab or a NewtonTab) shows now: the
    classifier's current example's whole pass, or the Newton tab's run. Raises
    ValueError with a sentence for the user when there is nothing to print."""
    if tab.session_key == "classifier":
        stepper = tab.stepper
        dataset = tab.model.dataset()
        if len(dataset) == 0:
            raise ValueError("The sentence table is empty: add a sentence first.")
        records = list(stepper.steps)
        if not records:                # before the pass's first step: the pass to come
            from core.walk import walk
            records = list(walk(stepper.network, dataset.features, dataset.labels,
                                stepper.learning_rate, example=stepper.example,
                                mode=stepper.mode))
        return classifier_handout(records, dataset.sentences[stepper.example], stepper.example,
                                  tab.diagram.grab().toImage())
    run = tab.run
    if run is None:
        raise ValueError("There is no Newton run yet: type a function first.")
    minimise = run.mode == "minimise"
    function = tab.function
    names = ("g(x)", "g'(x)", "g''(x)") if minimise else ("f(x)", "f'(x)")
    formulas = []
    for name in names:               # the function, then each derivative of the last
        formulas.append((name, function.latex(), function.text))
        function = function.derivative()
    return newton_handout(run, formulas, tab.plots.grab().toImage())


def page_for_locale(country_code: str) -> str:
    """Letter where Letter is the office paper (the Americas' Letter countries and
    the Philippines), A4 elsewhere; ``country_code`` is ISO 3166 alpha-2."""
    return "Letter" if country_code.upper() in {"US", "CA", "MX", "PH", "CL", "CO", "VE",
                                                "GT", "CR", "PA", "DO", "PR"} else "A4"
