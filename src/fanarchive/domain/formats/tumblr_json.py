"""Post JSON from tumblr's API: a v2 `/posts` response (`{"response": {"posts": [...]}}`), a bare
list of posts, or one post. Each post becomes a work.

Legacy posts carry their text by type (`answer` posts: `asking_name`, `question`, `answer`; `text`
posts: `title`, `body`; others a `caption` or `description`); Neue Post Format posts carry `content`
blocks, and an `ask` layout marks the blocks that are the ask. A reblog's own content is only what
the reblogger added: the trail of earlier posts is kept in metadata, and a reblog that added nothing
takes its text from the trail's first post."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fanarchive.domain.formats._json import load_json
from fanarchive.domain.formats._tumblr_npf import blocks_html, display_order
from fanarchive.domain.formats._tumblr_titles import made_title
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.tags import TagKind
from fanarchive.domain.text import count_words, html_to_text
from fanarchive.domain.work import ParsedChapter, ParsedWork, Prompt, Source

# 1e11 seconds is the year 5138; as milliseconds it is 1973, before tumblr.
_MILLISECONDS = 10**11
_LEGACY_TEXT = {
    "text": "body",
    "photo": "caption",
    "video": "caption",
    "audio": "caption",
    "link": "description",
}


def _posts(data: Any) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("response"), dict):
        data = data["response"]
    if isinstance(data, dict) and isinstance(data.get("posts"), list):
        return list(data["posts"])
    if isinstance(data, list):
        return data
    if (
        isinstance(data, dict)
        and ("content" in data or "type" in data)
        and ("id" in data or "blog_name" in data)
    ):
        return [data]
    raise ParseError(
        'not tumblr post JSON: expected {"response": {"posts": [...]}}, a list of posts or one post'
    )


def _blog_name(post: dict[str, Any]) -> str | None:
    blog = post.get("blog")
    name = post.get("blog_name") or (blog.get("name") if isinstance(blog, dict) else None)
    return str(name) if name else None


def _post_date(work: ParsedWork, timestamp: float) -> str | None:
    """tumblr gives unix seconds; exports made by other tools give milliseconds, which as seconds
    would lie tens of thousands of years ahead."""
    seconds = timestamp / 1000 if abs(timestamp) >= _MILLISECONDS else timestamp
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        work.metadata["timestamp"] = timestamp
        work.doubts.append(f"The post's timestamp {timestamp!r} is not a date; none was set.")
        return None


class TumblrJsonParser:
    name = "tumblr-json"
    surest = 0.95
    description = "tumblr API post JSON (v2 /posts response, a list of posts or one post; legacy and NPF)"

    def sniff(self, source: SourceFile) -> float:
        head = source.head(16384).lstrip(b"\xef\xbb\xbf \t\r\n")
        if not head.startswith((b"{", b"[")):
            return 0.0
        if b'"blog_name"' in head and (b'"post_url"' in head or b'"asking_name"' in head):
            return 0.95
        if b'"content"' in head and b'"layout"' in head and b'"blog"' in head:
            return 0.85
        return 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        text = source.text()
        data = load_json(text)
        posts = _posts(data)
        works: list[ParsedWork] = []
        for number, post in enumerate(posts, start=1):
            if not isinstance(post, dict) or not ("content" in post or "type" in post):
                raise ParseError(f"post {number} is not a tumblr post (it has neither `type` nor `content`)")
            works.append(self._work(post))
        if not works:
            raise ParseError("the JSON holds no posts")
        return works

    def _work(self, post: dict[str, Any]) -> ParsedWork:
        post_id = post.get("id_string") or post.get("id")
        work = ParsedWork(
            title=str(post.get("title") or "").strip(),
            source=Source(
                format=self.name,
                site="tumblr.com",
                url=str(post["post_url"]) if post.get("post_url") else None,
                id=str(post_id) if post_id is not None else None,
            ),
        )
        if blog := _blog_name(post):
            work.authors.append(blog)
        if isinstance(post.get("timestamp"), int | float) and not isinstance(post["timestamp"], bool):
            work.published = _post_date(work, post["timestamp"])
        for tag in post.get("tags") or []:
            work.add_tag(TagKind.FREEFORM, str(tag).strip())
        if isinstance(post.get("note_count"), int) and post["note_count"] >= 0:
            work.stats["notes"] = post["note_count"]
        for key in ("type", "slug", "reblogged_from_name", "reblogged_root_name", "source_url"):
            if post.get(key):
                work.metadata[key] = post[key]
        unsupported: list[str] = []
        if isinstance(post.get("content"), list):
            html = self._npf(work, post, unsupported)
        else:
            html = self._legacy(work, post)
        trail = self._trail(post, unsupported)
        if trail:
            work.metadata["reblog_trail"] = trail
            first = next(
                item for item in post["trail"] if isinstance(item, dict) and not item.get("is_current_item")
            )
            if not html_to_text(html).strip():
                if isinstance(first.get("content"), list):
                    html = self._npf(work, first, unsupported)
                else:
                    html = trail[0]["html"]
                work.authors = [trail[0]["blog"]] if trail[0]["blog"] else work.authors
                work.doubts.append(
                    "The post is a reblog that added nothing; its text and author are those of the first post in its trail."
                )
        if unsupported:
            work.metadata["unsupported_blocks"] = sorted(set(unsupported))
            work.doubts.append(
                f"Blocks with no text form ({', '.join(sorted(set(unsupported)))}) were left out of the text."
            )
        html = sanitize_html(html)
        work.chapters.append(ParsedChapter(number=1, html=html, words=count_words(html)))
        if not work.title:
            made = made_title(html) or made_title(work.prompt.text if work.prompt else "")
            work.title = made or f"tumblr post {work.source.id or ''}".strip()
            work.doubts.append(f"The post has no title; {work.title!r} was made from its first words.")
        return work

    @staticmethod
    def _legacy(work: ParsedWork, post: dict[str, Any]) -> str:
        kind = post.get("type")
        if kind == "answer":
            asker = str(post.get("asking_name") or "Anonymous")
            work.metadata["asker"] = asker
            work.prompt = Prompt(
                asker=None if asker.lower() == "anonymous" else asker,
                text=sanitize_html(f"<p>{post.get('question') or ''}</p>"),
            )
            return str(post.get("answer") or "")
        if kind == "quote":
            source = f"<p>— {post['source']}</p>" if post.get("source") else ""
            return f"<blockquote><p>{post.get('text') or ''}</p></blockquote>{source}"
        if kind == "chat":
            lines = [
                f"<p><strong>{d.get('label', '')}</strong> {d.get('phrase', '')}</p>"
                for d in post.get("dialogue") or []
            ]
            return "".join(lines) or str(post.get("body") or "")
        field = _LEGACY_TEXT.get(str(kind), "body")
        if kind not in _LEGACY_TEXT:
            work.doubts.append(f"Posts of type {kind!r} are read only for their `body`.")
        return str(post.get(field) or "")

    @staticmethod
    def _npf(work: ParsedWork, post: dict[str, Any], unsupported: list[str]) -> str:
        content: list[dict[str, Any]] = [b for b in post["content"] if isinstance(b, dict)]
        ask, rest, ask_layout = display_order({**post, "content": content})
        if ask_layout is not None:
            attribution = ask_layout.get("attribution") or {}
            blog = attribution.get("blog") if isinstance(attribution, dict) else None
            name = str(blog.get("name")) if isinstance(blog, dict) and blog.get("name") else None
            work.metadata["asker"] = name or "Anonymous"
            work.prompt = Prompt(
                asker=name,
                text=sanitize_html(blocks_html([content[i] for i in ask], unsupported)),
            )
        first = content[rest[0]] if rest else {}
        if not work.title and first.get("type") == "text" and first.get("subtype") == "heading1":
            # NPF has no title field; a post that opens with a big heading is titled by it.
            work.title = " ".join(str(first.get("text") or "").split())
            rest = rest[1:]
            if work.title:
                work.doubts.append(f"The post's opening heading {work.title!r} was read as its title.")
        return blocks_html([content[i] for i in rest], unsupported)

    @staticmethod
    def _trail(post: dict[str, Any], unsupported: list[str]) -> list[dict[str, Any]]:
        trail: list[dict[str, Any]] = []
        for item in post.get("trail") or []:
            # Legacy trails end with the post itself; only earlier posts are a reblog trail.
            if not isinstance(item, dict) or item.get("is_current_item"):
                continue
            blog: dict[str, Any] = item["blog"] if isinstance(item.get("blog"), dict) else {}
            name = blog.get("name") or item.get("broken_blog_name")
            item_post: dict[str, Any] = item["post"] if isinstance(item.get("post"), dict) else {}
            if isinstance(item.get("content"), list):
                blocks = [b for b in item["content"] if isinstance(b, dict)]
                ask, rest, _layout = display_order({"content": blocks, "layout": item.get("layout")})
                html = blocks_html([blocks[i] for i in ask + rest], unsupported)
            else:
                html = str(item.get("content_raw") or item.get("content") or "")
            trail.append(
                {"blog": str(name) if name else None, "post_id": str(item_post.get("id") or "") or None,
                 "html": sanitize_html(html)}
            )  # fmt: skip
        return trail


PARSERS = [TumblrJsonParser()]
