"""`stats`: a user's progress per deck (new, learning, due today, mastered), recent reviews and accuracy,
their study streak, their weakest sections (bot/core/review) with drill buttons, and a PNG chart: a calendar
heatmap of 12 weeks of answers and reviews, mastery per deck and the weakest sections, in the chat's
language with names in their own script (Noto Sans SC from the pylopdf-fonts-zh-cn package).

Mastered means FSRS stability of at least `mastered_stability_days` (21 by default): the scheduler
expects the user still to recall the card three weeks after the last review.

The chart is drawn off the event loop by a ChartWorker (bot/core/chart_worker.py): in the bot, a child
process warmed with a first chart at start-up (`warm_up`), else one worker thread; other users' commands
keep being answered while it renders.
"""

from __future__ import annotations

import functools
import io
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from bot.core import i18n
from bot.core.chart_worker import ChartWorker
from bot.core.context import CommandContext
from bot.core.daily_time import local_date
from bot.core.messages import ChatKind, Reply
from bot.core.ports import Clock, Store
from bot.core.question_bank import QuestionBank
from bot.core.review import WeakTopics
from bot.core.review.model import SectionScore

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

log = logging.getLogger(__name__)
CHART_SIZE = (900, 620)  # pixels
DAYS = 30
WEEKS = 12  # the calendar heatmap
MAX_DECKS = 8
MAX_SECTIONS = 5


@dataclass(frozen=True, slots=True)
class DeckProgress:
    title: str
    new: int
    learning: int
    due_today: int
    mastered: int
    total: int


class Progress:
    def __init__(
        self,
        bank: QuestionBank,
        store: Store,
        clock: Clock,
        mastered_days: float,
        weak: WeakTopics | None = None,
        charts: ChartWorker | None = None,
    ) -> None:
        self.bank = bank
        self.store = store
        self.clock = clock
        self.mastered_days = mastered_days
        self.weak = weak  # accuracy per section, for the text and the chart
        self.charts = charts or ChartWorker()  # without a started child: a worker thread

    async def stats(self, context: CommandContext, _: str) -> list[Reply]:
        now = self.clock.now()
        today = local_date(now, context.zone)
        end_of_day = datetime.combine(today + timedelta(days=1), time(0), tzinfo=context.zone)
        states = await self.store.study_states(context.user.id)
        decks: list[DeckProgress] = []
        for deck in self.bank.for_chat(context.chat.id).decks:
            mine = [states[card.id] for card in deck.cards if card.id in states]
            decks.append(
                DeckProgress(
                    deck.title,
                    new=len(deck.cards) - len(mine),
                    learning=sum(1 for s in mine if s.state in (1, 3)),
                    due_today=sum(1 for s in mine if s.due_at < end_of_day),
                    mastered=sum(1 for s in mine if (s.stability or 0) >= self.mastered_days),
                    total=len(deck.cards),
                )
            )
        reviews = await self.store.reviews_since(context.user.id, now - timedelta(days=DAYS))
        per_day: dict[str, int] = {}
        for review in reviews:
            per_day[review.local_day] = per_day.get(review.local_day, 0) + 1
        accuracy = round(100 * sum(1 for r in reviews if r.rating >= 3) / len(reviews)) if reviews else 0
        streak = _streak(set(per_day), today)
        lines = [context.t("stats_title", name=context.user.display_name)]
        studied = [deck for deck in decks if deck.total - deck.new] or decks
        for deck in studied:
            lines.append(
                context.t("stats_deck", title=deck.title, new=deck.new, learning=deck.learning,
                          due=deck.due_today, mastered=deck.mastered, total=deck.total)
            )  # fmt: skip
        lines.append(
            context.t("stats_reviews", reviews=context.t("n_reviews", count=len(reviews)), accuracy=accuracy,
                      streak=context.t("n_days", count=streak))
        )  # fmt: skip
        weakest, buttons, activity = [], (), per_day
        if self.weak is not None:
            weakest = await self.weak.for_user(context.user.id, context.chat.id)
            drillable = await self.weak.drillable(context.user.id, context.chat.id)
            weak_lines, buttons = self.weak.stats_part(context, weakest, drillable)
            lines += ["", *weak_lines]
            since = (today - timedelta(days=7 * WEEKS)).isoformat()
            activity = await self.weak.store.activity_by_day(context.user.id, since)
        image = await self.charts.run(
            chart, activity, today, decks, weakest=weakest, language=context.language
        )
        return [Reply("\n".join(lines), buttons, private=context.chat.kind == ChatKind.GROUP, image=image)]


def _streak(days: set[str], today: date) -> int:
    """Consecutive days with a review, ending today (or yesterday, if today has none yet)."""
    day = today if today.isoformat() in days else today - timedelta(days=1)
    count = 0
    while day.isoformat() in days:
        count += 1
        day -= timedelta(days=1)
    return count


def chart(
    per_day: dict[str, int], today: date, decks: list[DeckProgress], *, weakest: list[SectionScore] | None = None,
    language: str = "en",
) -> bytes:  # fmt: skip
    """The /stats PNG: a calendar heatmap of the last 12 weeks (reviews and answers per local day, `per_day`),
    mastery per deck, and the weakest sections, with deck and section names in their own script."""
    figure = draw(per_day, today, decks, weakest or [], language)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def warm_up() -> int:
    """Import matplotlib, load the fonts (Noto Sans SC too) and draw a first chart: about a second, done in the
    chart process at start-up so the first /stats does not wait for it. Returns the PNG's size."""
    deck = DeckProgress("预热 warm-up", new=1, learning=0, due_today=0, mastered=0, total=1)
    return len(chart({}, date.today(), [deck], language="zh"))


def draw(
    per_day: dict[str, int],
    today: date,
    decks: list[DeckProgress],
    weakest: list[SectionScore],
    language: str,
) -> Figure:
    # matplotlib is imported here: it costs ~50 MB and a second at start-up, and only /stats needs it. The
    # object API (no pyplot) needs no display and keeps no global state.
    from matplotlib.figure import Figure

    font = chart_font()
    width, height = CHART_SIZE
    figure = Figure(figsize=(width / 100, height / 100), dpi=100)
    grid = figure.add_gridspec(2, 2, height_ratios=(1, 1.25), width_ratios=(1, 1.15))
    _heatmap(figure.add_subplot(grid[0, :]), per_day, today, language, font)
    _mastery(figure.add_subplot(grid[1, 0]), decks, language, font)
    _weakest(figure.add_subplot(grid[1, 1]), weakest, language, font)
    figure.tight_layout(pad=1.2)
    return figure


@functools.cache
def chart_font() -> FontProperties:
    """DejaVu Sans (bundled with matplotlib) with Noto Sans SC for the CJK glyphs it lacks (matplotlib falls back
    per glyph along the family list). Without the font package, DejaVu Sans alone: CJK names then become
    numbers ("deck 2") rather than empty boxes."""
    from matplotlib import font_manager

    try:
        import pylopdf_fonts_zh_cn

        path = pylopdf_fonts_zh_cn.sans_path()
        font_manager.fontManager.addfont(str(path))
        family = font_manager.FontProperties(fname=str(path)).get_name()
    except (ImportError, OSError, RuntimeError) as exc:
        log.warning("stats chart: no CJK font (%s); Chinese names are shown as numbers", exc)
        return font_manager.FontProperties(family=["DejaVu Sans"], size=9)
    return font_manager.FontProperties(family=["DejaVu Sans", family], size=9)


def _label(text: str, font: FontProperties, fallback: str, width: int = 30) -> str:
    """A name for an axis: its own words when the font has their glyphs, cut to `width` (CJK counts double)."""
    if len(font.get_family()) == 1 and any(ord(char) > 0x2E7F for char in text):
        return fallback  # no glyphs for it
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0x2E7F else 1
        if used > width:
            return text[: max(index - 1, 1)] + "…"
    return text


def _heatmap(axes: Axes, per_day: dict[str, int], today: date, language: str, font: FontProperties) -> None:
    monday = today - timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    grid = [[float("nan")] * WEEKS for _ in range(7)]
    for week in range(WEEKS):
        for weekday in range(7):
            day = monday + timedelta(days=7 * week + weekday)
            if day <= today:
                grid[weekday][week] = per_day.get(day.isoformat(), 0)
    from matplotlib import colormaps

    palette = colormaps["Greens"].with_extremes(bad="white", under="#ebedf0")
    busiest = max((count for row in grid for count in row if count == count), default=0)
    # one square per day, white gaps between them, weeks left to right: the calendar people know
    axes.pcolormesh(grid, cmap=palette, vmin=0.5, vmax=max(busiest, 4), edgecolors="white", linewidth=3)
    axes.invert_yaxis()
    axes.set_xticks(
        [w + 0.5 for w in range(0, WEEKS, 2)],
        [(monday + timedelta(days=7 * w)).strftime("%m-%d") for w in range(0, WEEKS, 2)],
    )
    names = i18n.text("chart_weekdays", language).split()
    axes.set_yticks([0.5, 2.5, 4.5, 6.5], [names[0], names[2], names[4], names[6]])
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    total = sum(per_day.get((today - timedelta(days=d)).isoformat(), 0) for d in range(7 * WEEKS))
    axes.set_title(
        i18n.text("chart_activity", language, weeks=WEEKS, count=total), fontproperties=font, loc="left"
    )
    _fonts(axes, font)


def _mastery(axes: Axes, decks: list[DeckProgress], language: str, font: FontProperties) -> None:
    shown = decks[:MAX_DECKS]
    rows = range(len(shown))[::-1]
    mastered = [100 * d.mastered / d.total if d.total else 0 for d in shown]
    learning = [100 * (d.total - d.new - d.mastered) / d.total if d.total else 0 for d in shown]
    axes.barh(rows, mastered, color="#2e7d32", label=i18n.text("chart_mastered", language))
    axes.barh(rows, learning, left=mastered, color="#a5d6a7", label=i18n.text("chart_learning", language))
    labels = [
        _label(d.title, font, i18n.text("chart_deck", language, number=i + 1)) for i, d in enumerate(shown)
    ]
    axes.set_yticks(rows, labels)
    axes.set_xlim(0, 100)
    axes.set_title(i18n.text("chart_mastery", language), fontproperties=font, loc="left")
    axes.legend(prop=font, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, frameon=False)
    _fonts(axes, font)


def _weakest(axes: Axes, weakest: list[SectionScore], language: str, font: FontProperties) -> None:
    axes.set_title(i18n.text("chart_weakest", language), fontproperties=font, loc="left")
    shown = weakest[:MAX_SECTIONS]
    if not shown:
        axes.text(0.5, 0.5, i18n.text("chart_no_sections", language), ha="center", va="center", wrap=True,
                  fontproperties=font, transform=axes.transAxes, color="#555555")  # fmt: skip
        axes.set_axis_off()
        return
    rows = range(len(shown))[::-1]
    accuracy = [100 * score.accuracy for score in shown]
    axes.barh(
        rows, accuracy, color=["#c62828" if a < 50 else "#ef6c00" if a < 80 else "#2e7d32" for a in accuracy]
    )
    labels = [
        _label(
            score.section.label.rsplit(" / ", 1)[-1], font, i18n.text("chart_section", language, number=i + 1)
        )
        for i, score in enumerate(shown)
    ]
    axes.set_yticks(rows, labels)
    for row, score, value in zip(rows, shown, accuracy, strict=True):
        inside = value > 70  # a long bar carries its figure inside, in white
        axes.text(value - 2 if inside else value + 2, row, f"{round(value)}% ({score.right}/{score.answered})",
                  va="center", ha="right" if inside else "left", color="white" if inside else "black",
                  fontproperties=font)  # fmt: skip
    axes.set_xlim(0, 100)
    axes.set_xlabel(i18n.text("chart_accuracy", language), fontproperties=font)
    _fonts(axes, font)


def _fonts(axes: Axes, font: FontProperties) -> None:
    for label in (*axes.get_xticklabels(), *axes.get_yticklabels()):
        label.set_fontproperties(font)
