"""The index layer: embeddings, FAISS, BM25 over jieba tokens, fusion, filters and the hybrid retriever."""
