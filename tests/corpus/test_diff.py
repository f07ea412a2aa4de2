from corpus.diff import diff_documents, heading_key, sections
from corpus.models import Document, DocumentMeta, Heading


def doc(text: str, titles: list[tuple[int, str]]) -> Document:
    outline = []
    for level, title in titles:
        at = text.index(title)
        outline.append(Heading(level, "cn", title, at, at + len(title)))
    return Document("d", "d.txt", "text", None, text, DocumentMeta(), outline)


def test_heading_key_ignores_numbering_and_punctuation():
    assert (
        heading_key("(三)强化企业单位主体责任")
        == heading_key("（五）强化企业单位主体责任，")
        == "强化企业单位主体责任"
    )
    assert heading_key("二、深化风险防范体系,提升防范化解能力") == "深化风险防范体系提升防范化解能力"


OLD = "一、队伍建设\n街道队伍不少于10人。\n二、宣传教育\n开展宣传月活动。\n三、旧任务\n已完成的事项。\n"
NEW = "一、队伍建设\n街道队伍不少于15人。\n二、宣传教育\n开展宣传月活动。\n三、新任务\n新增的事项。\n"


def test_sections_run_to_the_next_heading_at_their_level():
    d = doc(OLD, [(1, "一、队伍建设"), (1, "二、宣传教育"), (1, "三、旧任务")])
    (key, side), *_ = sections(d.text, d.outline)
    assert key == "队伍建设" and d.text[side.body_start : side.end].strip() == "街道队伍不少于10人。"


def test_changed_added_removed_and_unchanged_sections_each_cite_their_side():
    old = doc(OLD, [(1, "一、队伍建设"), (1, "二、宣传教育"), (1, "三、旧任务")])
    new = doc(NEW, [(1, "一、队伍建设"), (1, "二、宣传教育"), (1, "三、新任务")])
    changes = {c.key: c for c in diff_documents(old, new)}
    assert {k: c.change for k, c in changes.items()} == {
        "队伍建设": "changed",
        "宣传教育": "unchanged",
        "新任务": "added",
        "旧任务": "removed",
    }
    changed = changes["队伍建设"]
    assert (
        "10人" in OLD[changed.old.start : changed.old.end]
        and "15人" in NEW[changed.new.start : changed.new.end]
    )
    assert 0 < changed.similarity < 1
    assert changes["新任务"].old is None and changes["旧任务"].new is None
