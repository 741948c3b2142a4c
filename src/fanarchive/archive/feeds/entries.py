"""The parts of a work's entry that plain Atom feeds and OPDS catalogues share."""

from __future__ import annotations

from lxml import etree, html

from fanarchive.archive.feeds import links
from fanarchive.archive.feeds.xml import clean, sub, timestamp
from fanarchive.archive.web.blurbs import Blurb
from fanarchive.domain.tags import TAG_KINDS


def kind_scheme(kind: str) -> str:
    """A category scheme per tag kind: the catalogue listing that kind's tags, so the scheme is a
    resolvable IRI that ends in the kind's name."""
    return links.url("opds_kind", kind)


def add_work_basics(entry: etree._Element, blurb: Blurb) -> None:
    work = blurb.work
    sub(entry, "id", links.work_url(work.pk))
    sub(entry, "title", work.title)
    for pseud, username in blurb.authors:
        author = sub(entry, "author")
        sub(author, "name", pseud)
        sub(author, "uri", links.user_url(username))
    sub(entry, "updated", timestamp(work.updated))
    sub(entry, "published", timestamp(work.published))
    for kind in TAG_KINDS:
        for tag in blurb.tags_of(kind):
            sub(entry, "category", attrs={"scheme": kind_scheme(kind), "term": tag.name, "label": tag.name})
    sub(entry, "link", attrs={"rel": "alternate", "type": links.HTML, "href": links.work_url(work.pk)})


def summary_text(summary_html: str) -> str:
    """Stored summary HTML as plain text, one paragraph per line, for OPDS (whose schema allows
    only text summaries)."""
    if not summary_html.strip():
        return ""
    fragment = html.fragment_fromstring(clean(summary_html), create_parent="div")
    blocks = [" ".join(child.text_content().split()) for child in fragment]
    lead = " ".join((fragment.text or "").split())
    return "\n\n".join(part for part in [lead, *blocks] if part)


def work_details_html(blurb: Blurb) -> str:
    """AO3's feed content: byline, summary and the main facts, as escaped HTML for a content
    element. The stored summary is already sanitised HTML; everything else goes through lxml."""
    work = blurb.work
    byline = html.Element("p")
    byline.text = "by "
    for index, (pseud, username) in enumerate(blurb.authors):
        if index:
            byline[-1].tail = ", "
        anchor = etree.SubElement(byline, "a", href=links.user_url(username))
        anchor.text = clean(pseud)
    if not blurb.authors:
        byline.text = "by Anonymous"
    facts = html.Element("ul")
    rows: list[tuple[str, str]] = [
        (kind.plural_label, ", ".join(tag.name for tag in tags)) for kind, tags in blurb.tag_groups
    ]
    rows += [("Words", f"{work.word_count:,}"), ("Chapters", blurb.chapters_label)]
    if work.language:
        rows.append(("Language", work.language))
    for label, value in rows:
        item = etree.SubElement(facts, "li")
        item.text = clean(f"{label}: {value}")
    return "".join(
        [
            html.tostring(byline, encoding="unicode"),
            work.summary,
            html.tostring(facts, encoding="unicode"),
        ]
    )
