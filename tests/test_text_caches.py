"""Tokenizers and their caches are built once per dictionary and reused across calls (issue 18): the
backend of an analyzer is shared by every analyzer of the same words, the keyword extractor is kept
with its theme dictionary, and the dictionary constants are kept on disk between sessions."""

from __future__ import annotations

import json

import pytest

from surveykit.text import _backends
from surveykit.text.counts import _extractor, theme_counts
from surveykit.text.themes import bundled_themes, load_themes

TEXTS = ["客服态度很好，快递很快！", "价格太贵了", "质量不错，包装破损", "无"]


def test_two_loads_of_one_file_share_the_tokenizer_and_count_alike():
    path = bundled_themes("customer_service")
    a, b = load_themes(path), load_themes(path)
    assert a is not b and a.analyzer is not b.analyzer
    assert a.analyzer._backend is b.analyzer._backend  # built once per process for the same words
    assert theme_counts(TEXTS, a).table.equals(theme_counts(TEXTS, b).table)
    other = load_themes({"schema_version": 1, "themes": {"price": {"name": "价格", "keywords": ["价格", "贵"]}}})
    assert other.analyzer._backend is not a.analyzer._backend  # other words, another tokenizer


def test_the_keyword_extractor_is_built_once_per_dictionary():
    themes = load_themes("customer_service")
    first = _extractor(themes, "tfidf")
    assert _extractor(themes, "tfidf") is first and _extractor(themes, "textrank") is not first
    assert first.tokenizer is themes.analyzer.jieba_tokenizer()  # the dictionary's words, never jieba's global
    kw = theme_counts(TEXTS * 3, themes).keywords(top=3)
    assert len(kw) == 3 and kw["word"].is_unique


def test_constants_are_kept_on_disk_and_recomputed_when_unreadable(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYKIT_CACHE_DIR", str(tmp_path))
    calls = []

    def compute():
        calls.append(1)
        return [[3, 5], 7]

    assert _backends.stored("test", ["词", 1], compute) == [[3, 5], 7]
    (path,) = tmp_path.glob("tokenizer-test-*.json")
    assert _backends.stored("test", ["词", 1], compute) == [[3, 5], 7] and len(calls) == 1  # read back
    assert _backends.stored("test", ["词", 2], compute) and len(calls) == 2  # another key
    path.write_text("{not json", encoding="utf-8")
    assert _backends.stored("test", ["词", 1], compute) == [[3, 5], 7] and len(calls) == 3
    assert json.loads(path.read_text(encoding="utf-8")) == [[3, 5], 7]  # and written again


def test_an_empty_cache_dir_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYKIT_CACHE_DIR", "")
    assert _backends.cache_dir() is None
    assert _backends.stored("test", None, lambda: 42) == 42
    monkeypatch.setenv("SURVEYKIT_CACHE_DIR", str(tmp_path / "ro"))
    (tmp_path / "ro").write_text("a file where the folder should be")  # cannot be written: computed, no error
    assert _backends.stored("test", None, lambda: 43) == 43


@pytest.mark.parametrize("entries", [(("客服态度", None), ("性价比", None)), (("快递小哥", 5),)])
def test_stored_frequencies_equal_jieba_s_own(entries, tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYKIT_CACHE_DIR", str(tmp_path))
    _backends.jieba_frequencies.cache_clear()
    try:
        computed = _backends.jieba_frequencies(entries)
        _backends.jieba_frequencies.cache_clear()
        assert _backends.jieba_frequencies(entries) == computed  # read back from disk
        tok = _backends.new_jieba()
        for word, freq in entries:
            tok.add_word(word, freq)
        assert computed[0] == tuple(tok.FREQ[w] for w, _ in entries)
    finally:
        _backends.jieba_frequencies.cache_clear()
