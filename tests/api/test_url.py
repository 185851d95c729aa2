"""api/url.py: URL parsing and setters on ada-url, and the application/x-www-form-urlencoded parser."""
from workerd_py.api.url import form_parse, form_serialize, url_parse, url_set


def test_parse():
    assert url_parse("https://u:p@EXAMPLE.com:8080/a/../b?x#y") == [
        "https://u:p@example.com:8080/b?x#y", "https://example.com:8080", "https:", "u", "p",
        "example.com:8080", "example.com", "8080", "/b", "?x", "#y"]
    assert url_parse("../x", "http://a.test/b/c")[0] == "http://a.test/x"
    assert url_parse("nope") is None
    assert url_parse("x", "nope") is None


def test_set():
    assert url_set("http://a.test/", "pathname", "a b")[8] == "/a%20b"
    assert url_set("http://a.test/", "hostname", "exa mple") is None
    assert url_set("http://a.test/", "port", "99999") is None
    assert url_set("http://a.test/", "port", "8080abc")[7] == "8080"


def test_form_parse():
    assert form_parse("") == []
    assert form_parse("a+b=%20%zz&c=%E2%82%AC&d&&=e&f=") == ["a b", " %zz", "c", "€", "d", "", "", "e", "f", ""]
    # a leading '?' is data here (the caller strips one); invalid UTF-8 becomes U+FFFD
    assert form_parse("?a=1") == ["?a", "1"]
    assert form_parse("x=%E2%82") == ["x", "\ufffd"]
    assert form_parse("a=b=c") == ["a", "b=c"]


def test_form_serialize():
    assert form_serialize([]) == ""
    assert form_serialize(["a b", "é&=+*~.-_!'()"]) == "a+b=%C3%A9%26%3D%2B*%7E.-_%21%27%28%29"
    assert form_serialize(["x", "1", "x", "2"]) == "x=1&x=2"
