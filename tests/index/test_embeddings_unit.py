from index.embeddings import resolve_prompts


def test_prompts_follow_the_model():
    assert resolve_prompts("intfloat/multilingual-e5-small", {}, None, None) == ("query: ", "passage: ")
    assert resolve_prompts("BAAI/bge-small-zh-v1.5", {}, None, None) == (
        "为这个句子生成表示以用于检索相关文章：",
        "",
    )
    assert resolve_prompts("some/model", {"query": "Q: ", "document": "D: "}, None, None) == ("Q: ", "D: ")
    assert resolve_prompts("intfloat/multilingual-e5-small", {}, "问：", None) == ("问：", "")
    assert resolve_prompts("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2", {}, None, None) == (
        "",
        "",
    )
