"""The deals table and its totals by company and by year.

Amounts are never converted between currencies: a total is kept per currency and written as a sum
("€1.2B + $33M"). A deal's value is its stated total; when it states none, the sum of its upfront and
milestone payments, marked as such.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import get_args

from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import Currency, Deal, Lang, Money, text
from carnk_tui.views import format as fmt
from carnk_tui.views.dashboard import filtered_deals
from carnk_tui.views.filters import Filters
from carnk_tui.views.i18n import label, t

#: the deals table's columns: column id -> interface string key
COLUMNS: dict[str, str] = {
    "name": "f.deal",
    "date": "f.date",
    "kind": "f.kind",
    "upfront": "f.upfront",
    "milestones": "f.milestones",
    "total": "f.total",
    "equity": "f.equity",
    "royalties": "f.royalties",
    "parties": "f.parties",
}
#: the totals tables' columns (the first is the company or the year)
TOTAL_COLUMNS: dict[str, str] = {
    "count": "col.deal_count",
    "upfront": "f.upfront",
    "milestones": "f.milestones",
    "value": "col.deal_value",
    "equity": "f.equity",
}
#: marks a value computed as upfront + milestones where the deal states no total
SUM_MARK = "Σ "
_CURRENCIES: tuple[str, ...] = get_args(Currency)


@dataclass
class Amounts:
    """Money summed per currency; `up_to` when any part is an upper bound."""

    by_currency: dict[str, float] = field(default_factory=dict)
    up_to: bool = False

    def add(self, money: Money | None) -> None:
        if money is None:
            return
        self.by_currency[money.currency] = self.by_currency.get(money.currency, 0.0) + money.amount
        self.up_to = self.up_to or money.up_to

    def merge(self, other: Amounts) -> None:
        for currency, amount in other.by_currency.items():
            self.by_currency[currency] = self.by_currency.get(currency, 0.0) + amount
        self.up_to = self.up_to or other.up_to

    def __bool__(self) -> bool:
        return bool(self.by_currency)

    @property
    def size(self) -> float:
        """For sorting only: the amounts added regardless of currency."""
        return sum(self.by_currency.values())

    def format(self, lang: Lang) -> str:
        if not self.by_currency:
            return ""
        parts = [fmt.money(Money(amount=self.by_currency[c], currency=c), lang)  # type: ignore[arg-type]
                 for c in sorted(self.by_currency, key=lambda c: _CURRENCIES.index(c) if c in _CURRENCIES else 99)]
        prefix = t("up_to", lang) + " " if self.up_to else ""
        return prefix + " + ".join(parts)


def deal_value(deal: Deal) -> tuple[Amounts, bool]:
    """A deal's value and whether it was computed (upfront + milestones) rather than stated."""
    value = Amounts()
    if deal.total is not None:
        value.add(deal.total)
        return value, False
    value.add(deal.upfront)
    value.add(deal.milestones)
    return value, True


def royalties(deal: Deal, lang: Lang) -> str:
    """The royalty terms in a few words, the highest rate when published (the deal's record has them in full)."""
    if deal.royalties is None:
        return ""
    if deal.royalties.up_to_percent is not None:
        return t("royalty.up_to", lang, pct=f"{deal.royalties.up_to_percent:g}")
    return t("deals.royalties_yes", lang)


@dataclass(frozen=True)
class DealRow:
    id: str
    cells: dict[str, str]
    sort: dict[str, tuple]
    #: the total was computed from upfront and milestones
    computed: bool = False


def deal_row(deal: Deal, kb: KnowledgeBase, lang: Lang) -> DealRow:
    value, computed = deal_value(deal)
    total = value.format(lang)
    cells = {
        "name": text(deal.name, lang),
        "date": deal.date,
        "kind": label("deal_kind", deal.kind, lang),
        "upfront": fmt.money(deal.upfront, lang),
        "milestones": fmt.money(deal.milestones, lang),
        "total": (SUM_MARK + total if computed and total else total),
        "equity": fmt.money(deal.equity, lang),
        "royalties": royalties(deal, lang),
        "parties": fmt.names(deal.parties, kb, lang),
    }
    sort: dict[str, tuple] = {key: (value_.casefold(),) for key, value_ in cells.items()}
    for key, money in (("upfront", deal.upfront), ("milestones", deal.milestones), ("equity", deal.equity)):
        sort[key] = (money is None, -(money.amount if money else 0))
    sort["total"] = (not value, -value.size)
    sort["royalties"] = (deal.royalties is None, -((deal.royalties and deal.royalties.up_to_percent) or 0))
    return DealRow(deal.id, cells, sort, computed)


def deal_rows(kb: KnowledgeBase, lang: Lang, filters: Filters | None = None) -> list[DealRow]:
    """Every deal the filters let through (a deal follows the filters through its parties)."""
    return [deal_row(d, kb, lang) for d in listed_deals(kb, filters)]


def listed_deals(kb: KnowledgeBase, filters: Filters | None = None) -> list[Deal]:
    return filtered_deals(kb, filters or Filters())


# ------------------------------------------------------------------ totals
@dataclass
class Total:
    """Deals added up for one company or one year."""

    key: str
    label: str
    count: int = 0
    upfront: Amounts = field(default_factory=Amounts)
    milestones: Amounts = field(default_factory=Amounts)
    value: Amounts = field(default_factory=Amounts)
    equity: Amounts = field(default_factory=Amounts)

    def add(self, deal: Deal) -> None:
        self.count += 1
        self.upfront.add(deal.upfront)
        self.milestones.add(deal.milestones)
        self.equity.add(deal.equity)
        self.value.merge(deal_value(deal)[0])

    def cells(self, lang: Lang) -> dict[str, str]:
        return {"count": str(self.count), "upfront": self.upfront.format(lang),
                "milestones": self.milestones.format(lang), "value": self.value.format(lang),
                "equity": self.equity.format(lang)}

    def sort(self) -> dict[str, tuple]:
        return {"key": (self.label.casefold(),), "count": (-self.count,), "upfront": (-self.upfront.size,),
                "milestones": (-self.milestones.size,), "value": (-self.value.size,), "equity": (-self.equity.size,)}


def totals_by_company(kb: KnowledgeBase, lang: Lang, deals: Iterable[Deal]) -> list[Total]:
    """Every party's deals added up, largest value first."""
    totals: dict[str, Total] = {}
    for deal in deals:
        for party in dict.fromkeys(deal.parties):
            record = kb.get(party)
            name = name_of(record, lang) if record is not None else party
            totals.setdefault(party, Total(party, name)).add(deal)
    return sorted(totals.values(), key=lambda x: (-x.value.size, -x.count, x.label.casefold()))


def totals_by_year(deals: Iterable[Deal]) -> list[Total]:
    """Deals added up by the year they were signed, oldest first."""
    totals: dict[str, Total] = {}
    for deal in deals:
        year = deal.date[:4]
        totals.setdefault(year, Total(year, year)).add(deal)
    return [totals[year] for year in sorted(totals)]
