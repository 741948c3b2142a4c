"""Builds ODT fixtures in memory the way LibreOffice writes them (an uncompressed `mimetype` first,
then content.xml, styles.xml, meta.xml and META-INF/manifest.xml), so the tests show exactly what
each file holds."""

from __future__ import annotations

import io
import zipfile

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'office:version="1.3"'
)
MIMETYPE = "application/vnd.oasis.opendocument.text"

# LibreOffice's named styles, as in a new Writer document: headings carry their outline level.
STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NAMESPACES}><office:styles>
<style:style style:name="Standard" style:family="paragraph" style:class="text"/>
<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard">
 <style:text-properties fo:font-size="14pt"/></style:style>
<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading">
 <style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1">
 <style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2"/>
<style:style style:name="Emphasis" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard"/>
</office:styles></office:document-styles>"""

# The automatic styles LibreOffice writes for direct formatting.
AUTOMATIC = """
<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Text_20_body">
 <style:paragraph-properties fo:text-align="center"/></style:style>
<style:style style:name="P2" style:family="paragraph" style:parent-style-name="Text_20_body">
 <style:paragraph-properties fo:break-before="page"/></style:style>
<style:style style:name="P3" style:family="paragraph" style:parent-style-name="Text_20_body">
 <style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="T2" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="T3" style:family="text">
 <style:text-properties style:text-underline-style="solid" style:text-line-through-style="none"/></style:style>
<style:style style:name="T4" style:family="text"><style:text-properties style:text-line-through-style="solid"/></style:style>
<text:list-style style:name="L1"><text:list-level-style-bullet text:level="1" text:bullet-char="•"/>
 <text:list-level-style-number text:level="2" style:num-format="1"/></text:list-style>
<text:list-style style:name="L2"><text:list-level-style-number text:level="1" style:num-format="1"/></text:list-style>
"""


def content(body: str, automatic: str = AUTOMATIC) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NAMESPACES}>'
        f"<office:automatic-styles>{automatic}</office:automatic-styles>"
        f"<office:body><office:text>"
        '<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>'
        f"{body}</office:text></office:body></office:document-content>"
    )


def meta(title: str = "", initial_creator: str = "", creator: str = "") -> str:
    fields = "".join(
        f"<{tag}>{value}</{tag}>"
        for tag, value in (
            ("dc:title", title),
            ("meta:initial-creator", initial_creator),
            ("dc:creator", creator),
        )
        if value
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {NAMESPACES}><office:meta>'
        f"<meta:generator>LibreOffice/24.2.7.2$Linux_X86_64</meta:generator>{fields}</office:meta></office:document-meta>"
    )


MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def pack(members: dict[str, str | bytes], mimetype: str | None = MIMETYPE) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype is not None:
            archive.writestr("mimetype", mimetype, zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def document(
    body: str, meta_xml: str | None = None, automatic: str = AUTOMATIC, **extra: str | bytes
) -> bytes:
    members: dict[str, str | bytes] = {
        "content.xml": content(body, automatic),
        "styles.xml": STYLES,
        "meta.xml": meta_xml if meta_xml is not None else meta(),
        "META-INF/manifest.xml": MANIFEST,
    }
    members.update({name.replace("__", "/"): data for name, data in extra.items()})
    return pack(members)


STYLED_BODY = """
<text:p text:style-name="Title">The Salt Road</text:p>
<text:h text:style-name="Heading_20_1" text:outline-level="1">Chapter One: The Well</text:h>
<text:p text:style-name="Text_20_body">She drew <text:span text:style-name="T1">cold</text:span> water from the
 <text:span text:style-name="T2">old</text:span> well<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p text:style-name="Footnote">Dug in <text:span text:style-name="T2">1802</text:span>.</text:p></text:note-body></text:note>, and the<text:s text:c="3"/>rope<text:tab/>creaked.</text:p>
<text:p text:style-name="Text_20_body"><text:s text:c="4"/>Her mother called:<text:line-break/>“Mind the <text:span text:style-name="T3">edge</text:span>!”<office:annotation><dc:creator>Editor</dc:creator><text:p>cut this?</text:p></office:annotation></text:p>
<text:soft-page-break/>
<text:list xml:id="list1" text:style-name="L1"><text:list-item><text:p>bread</text:p></text:list-item><text:list-item><text:p>salt</text:p><text:list><text:list-item><text:p>coarse</text:p></text:list-item></text:list></text:list-item></text:list>
<text:p text:style-name="P1">* * *</text:p>
<text:p text:style-name="P3">The road went <text:span text:style-name="T4">east</text:span> west.</text:p>
<text:h text:style-name="Heading_20_2" text:outline-level="2">A Smaller Heading</text:h>
<text:p text:style-name="P1">o0o</text:p>
<text:h text:style-name="Heading_20_1" text:outline-level="1">Chapter Two</text:h>
<text:p text:style-name="Text_20_body">They followed the <text:a xlink:type="simple" xlink:href="https://example.org/map">old map</text:a> and the <text:a xlink:href="file:///home/ines/notes.odt">notes</text:a><text:note text:id="ftn2" text:note-class="footnote"><text:note-citation>2</text:note-citation><text:note-body><text:p>Lost since.</text:p></text:note-body></text:note>.</text:p>
<text:p text:style-name="Text_20_body"><draw:frame draw:name="Image1" svg:width="2cm" svg:height="2cm"><draw:image xlink:href="Pictures/1.png"/></draw:frame>At the coast they stopped.</text:p>
"""


def styled_document() -> bytes:
    return document(STYLED_BODY, meta("Working draft", "Ines Calloway", "Someone Else"))


PAGE_BREAK_BODY = """
<text:p text:style-name="Text_20_body">Low Tide</text:p>
<text:p text:style-name="Text_20_body">The water went out further than anyone in the village remembered.</text:p>
<text:p text:style-name="P2">High Tide</text:p>
<text:p text:style-name="Text_20_body">By evening the pier was half as long, and nobody remarked on it.</text:p>
"""


def page_break_document() -> bytes:
    return document(PAGE_BREAK_BODY, meta(title="Tides", creator="Ines Calloway"))
