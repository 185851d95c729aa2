"""api/encoding.py: TextDecoder's host decoders (modes, single-byte tables, streaming) and UTF-8 encoding."""
import pytest

from workerd_py.api.encoding import CJK, FATAL, SURROGATES, StreamDecoders, decode, utf8_encode


def test_utf8_encode_replaces_lone_surrogates():
    assert utf8_encode("aé€😀") == "aé€😀".encode()
    assert utf8_encode("\ud800x\udc00") == "\ufffdx\ufffd".encode()


def test_utf8_bom_and_errors():
    assert decode("utf-8", b"\xef\xbb\xbfa", 0, False) == "a"
    assert decode("utf-8", b"\xef\xbb\xbfa", 0, True) == "\ufeffa"
    assert decode("utf-8", b"a\xffb\xc3", False, False) == "a\ufffdb\ufffd"
    assert decode("utf-8", memoryview(b"ab"), False, False) == "ab"
    with pytest.raises(TypeError, match="Failed to decode input."):
        decode("utf-8", b"a\xff", FATAL, False)
    with pytest.raises(TypeError):
        decode("utf-8", b"a\xff", True, False)


@pytest.mark.parametrize("enc, data, text", [
    ("windows-1252", b"\x80\x81\xe9\x9f\x8d", "€\x81éŸ\x8d"),
    ("koi8-u", b"\xae\xbe", "ўЎ"),
    ("macintosh", b"\xdb\x80", "€Ä"),
    ("x-mac-cyrillic", b"\x80\xff", "А€"),
    ("ibm866", b"\x80\xff", "А\xa0"),
    ("iso-8859-2", b"\xa1\xb1", "Ąą"),
    ("windows-874", b"\x80\xdb", "€\ufffd"),
    ("x-user-defined", b"A\x80\xff", "A\uf780\uf7ff"),
    ("shift_jis", b"\x82\xa0", "あ"),
    ("euc-kr", b"\xb0\xa1", "가"),
    ("big5", b"\xa4\x40", "一"),
    ("iso-2022-jp", b"\x1b$B0!\x1b(B", "亜"),
])
def test_legacy_encodings(enc, data, text):
    assert decode(enc, data, 0, False) == text


def test_single_byte_fatal():
    with pytest.raises(TypeError):
        decode("windows-874", b"\xdb", FATAL, False)


def test_utf16_modes():
    lone = b"\x00\xd8a\x00"
    assert decode("utf-16le", lone, 0, False) == "\ufffda"
    assert decode("utf-16le", lone, SURROGATES, False) == "\ud800a"
    # kept even by a fatal decoder; other errors still raise
    assert decode("utf-16le", b"\x00\xd8", SURROGATES | FATAL, False) == "\ud800"
    with pytest.raises(TypeError):
        decode("utf-16le", b"a\x00b", SURROGATES | FATAL, False)
    # only UTF-16LE keeps them
    assert decode("utf-16be", b"\xdc\x00", SURROGATES, False) == "\ufffd"
    assert decode("utf-16le", b"\xff\xfea\x00", 0, False) == "a"


def test_gb18030_0x80():
    assert decode("gbk", b"\x80a", 0, False) == "\ufffda"
    assert decode("gbk", b"\x80a", CJK, False) == "\u20aca"
    assert decode("gb18030", b"\x80", CJK | FATAL, False) == "\u20ac"
    with pytest.raises(TypeError):
        decode("gb18030", b"\x81", CJK | FATAL, False)


def test_stream_decoders():
    d = StreamDecoders()
    assert d.decode(1, "utf-8", b"\xef\xbb", 0, False, True) == ""
    assert d.decode(1, "utf-8", b"\xbf\xe2\x82", 0, False, True) == ""
    assert d.decode(1, "utf-8", b"\xac", 0, False, True) == "€"
    assert d.decode(1, "utf-8", b"\xef\xbb\xbf", 0, False, False) == "\ufeff"   # only a leading BOM goes
    assert 1 not in d.decoders
    assert d.decode(2, "utf-8", b"a\xe2", 0, False, True) == "a"
    assert d.decode(2, "utf-8", b"", 0, False, False) == "\ufffd"
    assert d.decode(3, "utf-8", b"\xe2", FATAL, False, True) == ""
    with pytest.raises(TypeError):
        d.decode(3, "utf-8", b"", FATAL, False, False)          # incomplete at the end
    assert 3 not in d.decoders
    assert d.decode(4, "windows-1252", b"\x80", 0, False, True) + d.decode(4, "windows-1252", b"\x81", 0, False, False) == "€\x81"
    assert d.decode(5, "shift_jis", b"\x82", 0, False, True) + d.decode(5, "shift_jis", b"\xa0", 0, False, False) == "あ"
