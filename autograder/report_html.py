"""The class report: one self-contained HTML page for the instructor.

Score distribution, each question's average, each test's pass rate and the most common failure
messages, with the submissions that need a look (errors, unreadable files, duplicates,
identical submissions). Plots are drawn with matplotlib's Agg canvas (no display, no global
pyplot state) and embedded as PNG data URIs, so the page is one file that can be mailed or
opened anywhere. Nothing in it depends on the time or the order of grading.
"""

from __future__ import annotations

import base64
import html
import io
import re
import statistics
from collections import Counter, defaultdict

from autograder.gradebook import Row, number

_NUMBER = re.compile(r"(?<![A-Za-z_\d.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARRAY = re.compile(r"array\([^()]*\)|\[[^\[\]]*\]")
_FILE = re.compile(r"[\w.-]+\.(?:py|ipynb|zip)\b")


def failure_pattern(message: str) -> str:
    """A failure message without what varies between students, so that the same mistake on
    different random inputs counts as one: its first sentence, with numbers as '#', arrays as
    '[...]' and file names as '<file>'."""
    first = message.strip().splitlines()[0] if message.strip() else "(no message)"
    text = _FILE.sub("<file>", first)
    sentence = re.match(r"(.+?\.)\s+[A-Z]", text)
    if sentence:
        text = sentence.group(1)
    for _ in range(3):  # nested brackets, innermost first
        text = _ARRAY.sub("[...]", text)
    text = _NUMBER.sub("#", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= 220 else text[:217] + "..."


def prepare() -> None:
    """Import the plotting modules the report uses (they cost about half a second)."""
    import matplotlib.figure  # noqa: F401
    import matplotlib.ticker  # noqa: F401
    from matplotlib.backends import backend_agg  # noqa: F401


def _png(fig) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode()


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    fig.set_layout_engine("constrained")
    return fig


def score_histogram(totals: list[float], max_score: float) -> str:
    from matplotlib.ticker import MaxNLocator

    fig = _figure(6.4, 3.2)
    ax = fig.add_subplot()
    top = max(max_score, max(totals, default=0.0), 1.0)
    n_bins = int(min(top, 25)) if float(top).is_integer() else 20
    bins = [top * i / n_bins for i in range(n_bins + 1)]
    ax.hist(totals, bins=bins, color="#3b6ea8", edgecolor="white")
    ax.set_xlim(0, top)
    ax.set_xlabel(f"total score (out of {number(max_score)})")
    ax.set_ylabel("submissions")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Score distribution")
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def pass_rate_chart(labels: list[str], rates: list[float]) -> str:
    height = max(2.5, 0.28 * len(labels) + 1.0)
    fig = _figure(7.6, height)
    ax = fig.add_subplot()
    positions = list(range(len(labels)))[::-1]
    colors = ["#2e8b57" if r >= 0.8 else "#d9a21b" if r >= 0.5 else "#c0392b" for r in rates]
    ax.barh(positions, [100 * r for r in rates], color=colors)
    ax.set_yticks(positions, labels, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("submissions passing (%)")
    ax.set_title("Pass rate of each test")
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def question_chart(labels: list[str], means: list[float]) -> str:
    fig = _figure(6.4, 3.0)
    ax = fig.add_subplot()
    ax.bar(labels, [100 * m for m in means], color="#6c5ba7")
    ax.set_ylim(0, 100)
    ax.set_ylabel("average (% of the points)")
    ax.set_title("Average score by question")
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:60em;
padding:0 1em;color:#222}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;white-space:nowrap}
.cards{display:flex;flex-wrap:wrap;gap:.8em;margin:1em 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.5em .9em;min-width:7em}
.card b{display:block;font-size:1.4em}
code{font-size:.85em;background:#f6f6f6;padding:0 .2em}
img{max-width:100%;height:auto}
.row{display:flex;gap:1em;flex-wrap:wrap}.row img{max-width:calc(50% - .5em);min-width:20em;flex:1}
"""


def class_report(assignment: str, rows: list[Row],
                 questions: list[tuple[int, float, list[str]]]) -> str:
    """The report's HTML (deterministic for the same rows)."""
    e = html.escape
    counted = [r for r in rows if r.chosen]  # a student's extra submissions are not counted
    graded = [r for r in counted if r.total is not None]
    totals = [r.total for r in graded]
    max_score = sum(points for _, points, _ in questions)
    by_status = Counter(r.status for r in rows)

    # each test: pass rate over the counted submissions that were graded
    tests: dict[str, dict] = {}
    failures: dict[str, Counter] = defaultdict(Counter)
    examples: dict[tuple[str, str], str] = {}
    for row in graded:
        if row.report is None:
            continue
        for t in row.report.tests:
            info = tests.setdefault(t.number, {"name": t.name, "points": t.max_score,
                                               "passed": 0, "run": 0})
            info["run"] += 1
            if t.status == "passed":
                info["passed"] += 1
            else:
                pattern = failure_pattern(t.output)
                failures[t.number][pattern] += 1
                examples.setdefault((t.number, pattern), t.output.strip())
    order = sorted(tests, key=lambda n: tuple(int(p) for p in n.split(".")))

    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{e(assignment)}: class report</title>", f"<style>{_STYLE}</style>",
             "</head>", "<body>", f"<h1>{e(assignment)}: class report</h1>"]
    cards = [("submissions", len(rows)), ("students", len({r.student for r in rows}))]
    cards += [(s, by_status.get(s, 0)) for s in ("graded", "unreadable", "duplicate", "error")]
    if totals:
        cards += [("mean", f"{statistics.fmean(totals):.1f} / {number(max_score)}"),
                  ("median", f"{number(statistics.median(totals))}"),
                  ("full marks", sum(1 for t in totals if t >= max_score - 1e-9))]
    parts.append('<div class="cards">' + "".join(
        f'<div class="card"><b>{e(str(v))}</b>{e(k)}</div>' for k, v in cards) + "</div>")
    parts.append("<p>Counted: each student's chosen submission that was graded "
                 f"({len(graded)}); a student's other submissions (duplicates) and submissions "
                 "whose grading failed are left out of the statistics.</p>")

    q_labels, q_means, q_rows = [], [], []
    for q, points, functions in questions:
        got = [r.points(q) for r in graded]
        got = [g for g in got if g is not None]
        mean = statistics.fmean(got) / points if got and points else 0.0
        q_labels.append(f"q{q}")
        q_means.append(mean)
        q_rows.append(f"<tr><td>q{q}</td><td>{e(', '.join(functions))}</td>"
                      f'<td class="n">{number(points)}</td><td class="n">{100 * mean:.0f}%</td></tr>')
    parts.append('<h2>Score distribution and questions</h2><div class="row">')
    parts.append(f'<img alt="histogram of total scores" src="data:image/png;base64,'
                 f'{score_histogram(totals, max_score)}">')
    parts.append(f'<img alt="average score by question" src="data:image/png;base64,'
                 f'{question_chart(q_labels, q_means)}">')
    parts.append("</div>")
    parts.append("<table><thead><tr><th>question</th><th>functions</th><th>points</th>"
                 "<th>average</th></tr></thead><tbody>" + "".join(q_rows) + "</tbody></table>")

    parts.append("<h2>Tests</h2>")
    if order:
        labels = [f"{n} {tests[n]['name'][:48]}" for n in order]
        rates = [tests[n]["passed"] / tests[n]["run"] for n in order]
        parts.append(f'<img alt="pass rate of each test" src="data:image/png;base64,'
                     f'{pass_rate_chart(labels, rates)}">')
        body = []
        for n in order:
            info = tests[n]
            common = failures[n].most_common(1)
            top = (f"<code>{e(common[0][0])}</code> ({common[0][1]})" if common else "")
            body.append(f"<tr><td>{e(n)}</td><td>{e(info['name'])}</td>"
                        f'<td class="n">{number(info["points"])}</td>'
                        f'<td class="n">{100 * info["passed"] / info["run"]:.0f}%</td>'
                        f"<td>{top}</td></tr>")
        parts.append("<table><thead><tr><th>test</th><th>checks</th><th>points</th>"
                     "<th>passing</th><th>most common failure</th></tr></thead><tbody>"
                     + "".join(body) + "</tbody></table>")
    else:
        parts.append("<p>No submission was graded.</p>")

    parts.append("<h2>Most common failure messages</h2>")
    everything = Counter()
    for n, counter in failures.items():
        for pattern, count in counter.items():
            everything[(n, pattern)] += count
    ranked = sorted(everything.items(), key=lambda kv: (-kv[1], tuple(
        int(p) for p in kv[0][0].split(".")), kv[0][1]))[:15]
    if ranked:
        body = []
        for (n, pattern), count in ranked:
            example = examples[(n, pattern)]
            example = example if len(example) <= 600 else example[:597] + "..."
            body.append(f'<tr><td class="n">{count}</td><td>{e(n)} {e(tests[n]["name"])}</td>'
                        f"<td><code>{e(pattern)}</code><details><summary>example</summary>"
                        f"<pre>{e(example)}</pre></details></td></tr>")
        parts.append("<p>Numbers in the messages are replaced by # so that the same mistake on "
                     "different inputs is counted together.</p>")
        parts.append("<table><thead><tr><th>count</th><th>test</th><th>message</th></tr>"
                     "</thead><tbody>" + "".join(body) + "</tbody></table>")
    else:
        parts.append("<p>No test failed.</p>")

    attention = [r for r in sorted(rows, key=Row.sort_key)
                 if r.status != "graded" or any(n.startswith("identical to") for n in r.notes)]
    parts.append("<h2>Submissions to look at</h2>")
    if attention:
        body = [f"<tr><td>{e(r.student)}</td><td>{e(r.status)}</td><td><code>{e(r.file)}</code>"
                f"</td><td>{e('; '.join(r.notes))}</td></tr>" for r in attention]
        parts.append("<table><thead><tr><th>student</th><th>status</th><th>file</th>"
                     "<th>why</th></tr></thead><tbody>" + "".join(body) + "</tbody></table>")
    else:
        parts.append("<p>None: every submission was read and graded.</p>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
