"""The kinds of document a title names (工作要点, 实施方案, 条例, 法 ...), and which of them are legal norms."""

from __future__ import annotations

DOC_TYPES = (
    "工作要点",
    "实施方案",
    "行动方案",
    "工作方案",
    "实施意见",
    "指导意见",
    "实施细则",
    "管理办法",
    "暂行办法",
    "实施办法",
    "方案",
    "条例",
    "规定",
    "办法",
    "细则",
    "决定",
    "意见",
    "通知",
    "规划",
    "计划",
    "解释",
    "规则",
    "法",
)
# Legal norms (laws, regulations, rules, judicial interpretations: article-structured and binding) as
# against policy and work documents (plans, programmes, opinions, notices). Search keeps the two apart.
LEGAL_TYPES = frozenset(
    (
        "条例",
        "规定",
        "办法",
        "管理办法",
        "暂行办法",
        "实施办法",
        "细则",
        "实施细则",
        "决定",
        "解释",
        "规则",
        "法",
    )
)
