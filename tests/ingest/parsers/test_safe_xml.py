"""The XML parsers resolve no entities, fetch nothing, expand no bombs."""

from __future__ import annotations

import io
import socket

import pytest
from lxml import etree

from ingest.parsers import cnipa, st96
from ingest.parsers.base import SAFE_XML_OPTIONS, Quarantined, split_elements
from iphub.records import Patent, Trademark

LAUGHS = "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
)  # 10^9 "lol"s if expanded


def test_options_are_the_safe_ones() -> None:
    assert SAFE_XML_OPTIONS["resolve_entities"] is False
    assert SAFE_XML_OPTIONS["no_network"] is True
    assert SAFE_XML_OPTIONS["load_dtd"] is False
    assert SAFE_XML_OPTIONS["huge_tree"] is False


def cnipa_doc(doctype: str, title: str) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE cn-patent-document [{doctype}]>
<cn-patent-document><cn-bibliographic-data>
<cn-publication-reference><document-id><country>CN</country><doc-number>114123456</doc-number>
<kind>A</kind><date>20220301</date></document-id></cn-publication-reference>
<application-reference><document-id><doc-number>202110123456.7</doc-number></document-id>
</application-reference><invention-title>{title}</invention-title><cn-parties/>
</cn-bibliographic-data></cn-patent-document>""".encode()


def test_iterparse_does_not_read_files_or_network() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(0.2)
        port = server.getsockname()[1]
        doctype = (
            '<!ENTITY xxe SYSTEM "file:///etc/passwd">'
            f'<!ENTITY remote SYSTEM "http://127.0.0.1:{port}/x">'
            f'<!ENTITY % dtd SYSTEM "http://127.0.0.1:{port}/dtd"> %dtd;'
        )
        items = list(cnipa.parse(io.BytesIO(cnipa_doc(doctype, "A &xxe; &remote; B"))))
        with pytest.raises(TimeoutError):
            server.accept()
    (item,) = items
    assert isinstance(item, Patent)
    assert "root:" not in item.title.text


def test_billion_laughs_not_expanded() -> None:
    doctype = '<!ENTITY lol0 "lol">' + LAUGHS
    # libxml2 refuses the amplification: the record that uses the entity is quarantined
    (item,) = list(cnipa.parse(io.BytesIO(cnipa_doc(doctype, "&lol9;"))))
    assert isinstance(item, Quarantined)
    assert "amplification" in item.reason


def test_epo_bomb_quarantines_its_record() -> None:
    from ingest.parsers import epo

    xml = f"""<?xml version="1.0"?><!DOCTYPE w [<!ENTITY lol0 "lol">{LAUGHS}]>
<world-patent-data xmlns="http://www.epo.org/exchange"><exchange-documents>
<exchange-document country="CN" doc-number="1" kind="A"><abstract>&lol9;</abstract>
</exchange-document></exchange-documents></world-patent-data>""".encode()
    (item,) = list(epo.parse(io.BytesIO(xml)))
    assert isinstance(item, Quarantined)
    assert "amplification" in item.reason


def test_utf16_file_is_transcoded_and_its_bomb_refused_record_by_record() -> None:
    doctype = '<!ENTITY lol0 "lol">' + LAUGHS
    data = cnipa_doc(doctype, "&lol9;").decode().replace('<?xml version="1.0"?>', "")
    (item,) = list(cnipa.parse(io.BytesIO(data.encode("utf-16"))))
    assert isinstance(item, Quarantined)
    assert "amplification" in item.reason


def test_iterparse_which_reads_encodings_not_cut_by_tags_refuses_the_bomb() -> None:
    """``split_elements`` reads what ``fragments`` cannot cut (an encoding only libxml2
    knows): with the same safe options."""
    doctype = '<!ENTITY lol0 "lol">' + LAUGHS
    with pytest.raises(etree.XMLSyntaxError, match="amplification"):
        list(split_elements(io.BytesIO(cnipa_doc(doctype, "&lol9;")), ("cn-patent-document",)))


def test_st96_external_entity_in_mark_is_not_resolved() -> None:
    xml = b"""<?xml version="1.0"?><!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>
<Trademark><ApplicationNumber><ApplicationNumberText>123</ApplicationNumberText>
</ApplicationNumber><MarkVerbalElementText>X&xxe;</MarkVerbalElementText></Trademark>"""
    items = list(st96.parse(io.BytesIO(xml)))
    assert len(items) == 1
    mark = items[0]
    assert not isinstance(mark, Quarantined)
    assert isinstance(mark, Trademark)
    assert mark.mark_text is not None
    assert mark.mark_text.startswith("X")
    assert len(mark.mark_text) < 10


def test_an_entity_the_document_declares_is_read_once_never_expanded_further() -> None:
    """A short plain text the document's own DTD subset declares is read in place of its
    reference (the title kept ``&acme;``); one that holds references, markup or more than 64
    characters stays as written, so nothing grows: the bomb's ``&lol9;`` is left as it is."""
    doctype = (
        '<!ENTITY acme "广州测试有限公司 Acme">'
        '<!ENTITY long "' + "x" * 65 + '">'
        '<!ENTITY tag "<b>bold</b>">'
        '<!ENTITY lol0 "lol">' + LAUGHS
    )
    title = "&acme; &lol0; &lol1; &long; &tag;"
    (p,) = list(cnipa.parse(io.BytesIO(cnipa_doc(doctype, title))))
    assert isinstance(p, Patent), p
    assert p.title.text == "广州测试有限公司 Acme lol &lol1; &long; &tag;"
