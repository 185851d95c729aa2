"""api/formdata.py: the multipart/form-data parser behind Body.formData()."""
import pytest

from workerd_py.api.formdata import host_functions, parse_multipart


def test_fields_and_files():
    body = (b"preamble\r\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n"
            b"--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\nContent-Type: a/b\r\n\r\n"
            b"\x00\xff\r\n\r\n--b--\r\nepilogue")
    assert parse_multipart(body, "b") == ["a", "one", None, None, "f", b"\x00\xff\r\n", "x.bin", "a/b"]


def test_tolerances():
    assert parse_multipart(b'--b\nContent-Disposition: form-data; name="a"\n\nv\n--b--', "b") == ["a", "v", None, None]
    assert parse_multipart(b"--b--", "b") == []
    # an empty filename is a plain field; quoted-pair escapes are undone; tokens are accepted
    body = b'--b\r\nContent-Disposition: form-data; name="a\\"b"; filename=""\r\n\r\nv\r\n--b--'
    assert parse_multipart(body, "b") == ['a"b', "v", None, None]
    assert parse_multipart(b"--b\r\nContent-Disposition: form-data; name=t\r\n\r\n\r\n--b--", "b") == ["t", "", None, None]


@pytest.mark.parametrize("body, message", [
    (b"", "No initial boundary"),
    (b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n', "No subsequent boundary"),
    (b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--b', "No subsequent boundary"),
    (b"--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--", "No valid Content-Disposition"),
    (b"--b\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b--", "missing a name"),
    (b'--b\r\nContent-Disposition: attachment; name="a"\r\n\r\nv\r\n--b--', 'must have the value "form-data"'),
    (b'--b\r\nContent-Disposition: form-data; name="a"\r\nv\r\n--b--', "header termination"),
    (b'--bX\r\n', "not succeeded by CRLF"),
])
def test_errors_are_type_errors(body, message):
    with pytest.raises(TypeError, match=message):
        parse_multipart(body, "b")


def test_host_functions():
    assert host_functions(None)["parseMultipart"] is parse_multipart
