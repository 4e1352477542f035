"""Which listed entities take the curated table's Chinese and Uyghur names."""

from __future__ import annotations

from tamga.match.known import curated_targets, other_script_names
from tamga.model import Entity, Name


def _entity(entity_id: str, schema: str, *names: str) -> Entity:
    entity = Entity(id=entity_id, schema=schema)
    entity.names.extend(Name(full=n, kind="primary" if i == 0 else "aka") for i, n in enumerate(names))
    return entity


TARGETS = (
    _entity("curated:hikvision", "Organization", "Hangzhou Hikvision Digital Technology Co., Ltd.",
            "Hikvision", "海康威视"),
    _entity("curated:dahua", "Organization", "Zhejiang Dahua Technology Co., Ltd.", "Dahua", "大华"),
    _entity("curated:xpcc", "Organization", "Xinjiang Production and Construction Corps", "XPCC",
            "新疆生产建设兵团", "شىنجاڭ ئىشلەپچىقىرىش قۇرۇلۇش بىڭتۇەنى"),
    _entity("curated:chen", "Person", "Chen Quanguo", "陈全国"),
)  # fmt: skip


def test_an_entity_bearing_a_targets_name_word_for_word_takes_its_other_scripts() -> None:
    listed = [
        _entity("ofac-cons:1", "Organization", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD."),
        _entity("ofac-sdn:2", "Organization", "XINJIANG PRODUCTION AND CONSTRUCTION CORPS"),
        _entity("ofac-sdn:3", "Person", "CHEN, Quanguo"),
    ]
    found = other_script_names(listed, TARGETS)
    assert found == {
        0: ["海康威视"],  # Latin aliases are not taken
        1: ["新疆生产建设兵团", "شىنجاڭ ئىشلەپچىقىرىش قۇرۇلۇش بىڭتۇەنى"],
        2: ["陈全国"],
    }


def test_a_one_word_alias_a_person_or_the_table_itself_does_not_link() -> None:
    listed = [
        _entity("ofac-sdn:1", "Organization", "DAHUA"),  # one word may be another firm's name
        _entity("ofac-sdn:2", "Person", "XINJIANG PRODUCTION AND CONSTRUCTION CORPS"),  # not a company
        _entity("ofac-sdn:3", "Organization", "CHEN QUANGUO"),  # a firm named after him is not him
        _entity("curated:hikvision", "Organization", "Hangzhou Hikvision Digital Technology Co., Ltd."),
        _entity("ofac-sdn:4", "Organization", "HIKVISION DIGITAL"),  # a different name
    ]
    assert other_script_names(listed, TARGETS) == {}


def test_a_name_the_entity_already_has_is_not_added_again() -> None:
    listed = [_entity("ofac-sdn:1", "Person", "CHEN, Quanguo", "陈全国")]
    assert other_script_names(listed, TARGETS) == {}


def test_the_shipped_table_gives_the_names_of_the_main_xinjiang_targets() -> None:
    names = {n.full for target in curated_targets() for n in target.names}
    assert {"海康威视", "旷视科技", "新疆生产建设兵团", "艾尔肯·吐尼亚孜"} <= names
    # a language label before a name is not part of it
    assert "شىنجاڭ ئىشلەپچىقىرىش قۇرۇلۇش بىڭتۇەنى" in names
    assert not any(name.startswith("Uyghur:") for name in names)
