"""A generated customer file for load tests: a realistic mix of scripts, with planted true matches.

A bank's customer base is mostly names that match nothing, written in Latin, Cyrillic, Chinese
and Arabic script, persons and companies, with a small share of designated parties hidden among
them, spelt a little differently from the list. The file made here has that shape, so that a run
measures throughput on the kind of input it will meet, and the planted rows measure recall. The
same seed gives the same file, byte for byte.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tamga.model import Entity


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


LATIN_GIVEN = _words(
    "James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard "
    "Susan Thomas Jessica Charles Sarah Daniel Karen Matthew Lisa Anthony Nancy Mark Sandra Paul Ashley "
    "Steven Emily Andrew Donna Joshua Michelle Kevin Carol Brian Amanda George Melissa Lukas Hannah "
    "Jonas Lena Leon Marie Felix Sophie Pierre Camille Louis Chloe Antoine Manon Giulia Marco Chiara "
    "Luca Sofia Javier Lucia Carlos Carmen Diego Elena Jorge Ana Joao Beatriz Piotr Agnieszka Tomasz "
    "Katarzyna Mehmet Ayse Mustafa Fatma Emre Zeynep Nguyen Minh Raj Priya Arjun Ananya Kwame Amara"
)
LATIN_FAMILY = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
    "Wilson Anderson Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker "
    "Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Muller Schmidt "
    "Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Dubois Lefebvre Moreau Laurent Girard "
    "Rossi Russo Ferrari Esposito Bianchi Romano Fernandes Pereira Oliveira Silva Costa Kowalski "
    "Nowak Wisniewski Yilmaz Kaya Demir Celik Sahin Tran Pham Patel Sharma Singh Mensah Okafor Andersson"
)
SYLLABLES = _words(
    "ba be bi bo bu da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si "
    "so ta te ti to va ve vi wa ya za zo ber dan fel gar hol kin lar mar nor ster ton vik wen"
)
CYRILLIC_GIVEN = _words(
    "Александр Сергей Дмитрий Андрей Алексей Максим Евгений Иван Михаил Николай Владимир Павел "
    "Артём Олег Юрий Виктор Игорь Роман Денис Антон Константин Григорий Борис Фёдор Тимур"
)
PATRONYMICS = {"Павел": "Павлович"}
CYRILLIC_FAMILY = _words(
    "Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков Алексеев "
    "Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров "
    "Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров"
)
HAN_FAMILY = _words(
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹"
)
HAN_GIVEN = _words(
    "伟 芳 娜 秀 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 桂 华 建 国 文 玉 兰 英 红 春 晓 宇 浩 "
    "鑫 鹏 辉 婷 雪 琳 欣 怡 子 轩 思 雨 博 晨 阳 嘉 俊 泽 然 一 诗 梦 佳 新 海"
)
ARABIC_NAMES = _words(
    "محمد أحمد علي حسن حسين عبدالله عمر خالد يوسف إبراهيم مصطفى سعيد عادل طارق كريم سامي ماجد فيصل "
    "ناصر جمال رشيد سليم منصور هشام وليد زياد فاطمة عائشة مريم خديجة زينب سارة ليلى نور هدى"
)
ARABIC_FAMILY = _words("العلي الحسن الخطيب الشامي المصري النجار الحداد القاسم الزين البكري السيد العمري")
ORG_WORDS = _words(
    "Global Northern Atlantic Pacific United General Advanced Digital Green Blue Star Summit Pioneer "
    "Harbor River Mountain Golden Silver Prime Vertex Alpha Delta Horizon Crescent Metro Urban Royal "
    "Trading Logistics Consulting Engineering Foods Textiles Motors Pharma Energy Systems Software "
    "Capital Holdings Ventures Partners Foods Agro Marine Steel Plastics Media Travel Medical Solar"
)
LEGAL_FORMS = ("Ltd", "LLC", "Inc", "GmbH", "S.A.", "B.V.", "S.r.l.", "PLC", "AG", "Co., Ltd.")
CYRILLIC_ORG = ("ООО «{}»", "АО «{}»", "ЗАО «{}»")
CYRILLIC_ORG_WORDS = _words(
    "Альфа Восток Гранит Сибирь Вектор Меридиан Импульс Прогресс Стройинвест Техносервис"
)
HAN_ORG = ("{}{}有限公司", "{}{}科技有限公司", "{}{}贸易有限公司")
COUNTRIES = ("US", "GB", "DE", "FR", "IT", "ES", "RU", "CN", "AE", "TR", "IN", "BR", "NG", "PL", "VN")

# Shares of the generated rows, by kind; the planted share is set by ``planted``.
MIX = (
    ("latin_person", 0.45),
    ("latin_org", 0.15),
    ("cyrillic_person", 0.11),
    ("cyrillic_org", 0.03),
    ("han_person", 0.10),
    ("han_org", 0.04),
    ("arabic_person", 0.12),
)


@dataclass(frozen=True)
class SyntheticRow:
    case_id: str
    name: str
    schema: str | None
    country: str | None
    planted: str | None  # the id of the listed entity this row was made from


def _invented_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _latin_person(rng: random.Random) -> str:
    family = _invented_word(rng) if rng.random() < 0.3 else rng.choice(LATIN_FAMILY)
    given = rng.choice(LATIN_GIVEN)
    if rng.random() < 0.2:
        given += " " + rng.choice(LATIN_GIVEN)
    return f"{given} {family}" if rng.random() < 0.8 else f"{family.upper()}, {given}"


def _latin_org(rng: random.Random) -> str:
    words = [rng.choice(ORG_WORDS) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.5:
        words.insert(0, _invented_word(rng))
    return " ".join(words) + " " + rng.choice(LEGAL_FORMS)


def _cyrillic_person(rng: random.Random) -> str:
    given = rng.choice(CYRILLIC_GIVEN)
    father = rng.choice(CYRILLIC_GIVEN)
    patronymic = PATRONYMICS.get(father) or (
        father[:-2] + "ьевич" if father.endswith("ий") else
        father[:-1] + "евич" if father.endswith(("й", "ь")) else father + "ович"
    )  # fmt: skip
    return f"{rng.choice(CYRILLIC_FAMILY)} {given} {patronymic}"


def _cyrillic_org(rng: random.Random) -> str:
    word = rng.choice(CYRILLIC_ORG_WORDS)
    if rng.random() < 0.5:
        word += "-" + rng.choice(CYRILLIC_ORG_WORDS)
    return rng.choice(CYRILLIC_ORG).format(word)


def _han_person(rng: random.Random) -> str:
    return rng.choice(HAN_FAMILY) + "".join(rng.choice(HAN_GIVEN) for _ in range(rng.randint(1, 2)))


def _han_org(rng: random.Random) -> str:
    return rng.choice(HAN_ORG).format(rng.choice(HAN_GIVEN) + rng.choice(HAN_GIVEN), rng.choice(HAN_GIVEN))


def _arabic_person(rng: random.Random) -> str:
    parts = [rng.choice(ARABIC_NAMES), rng.choice(ARABIC_NAMES)]
    parts.append(rng.choice(ARABIC_FAMILY) if rng.random() < 0.6 else rng.choice(ARABIC_NAMES))
    return " ".join(parts)


MAKERS = {
    "latin_person": (_latin_person, "Person"),
    "latin_org": (_latin_org, "Organization"),
    "cyrillic_person": (_cyrillic_person, "Person"),
    "cyrillic_org": (_cyrillic_org, "Organization"),
    "han_person": (_han_person, "Person"),
    "han_org": (_han_org, "Organization"),
    "arabic_person": (_arabic_person, "Person"),
}


def misspell(name: str, rng: random.Random) -> str:
    """Light spelling noise, as a clerk's typing or another transcription gives: one letter of one
    long word dropped, doubled, swapped with its neighbour or a vowel changed; or none at all."""
    words = name.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words or rng.random() < 0.3:
        return name
    i = rng.choice(long_words)
    word = words[i]
    at = rng.randrange(1, len(word) - 1)
    edit = rng.choice(("drop", "double", "swap", "vowel"))
    if edit == "drop":
        word = word[:at] + word[at + 1 :]
    elif edit == "double":
        word = word[:at] + word[at] + word[at:]
    elif edit == "swap":
        word = word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
    else:
        vowels = [j for j, c in enumerate(word) if c.lower() in "aeiou" and j > 0]
        if vowels:
            j = rng.choice(vowels)
            swap = {"a": "e", "e": "i", "i": "e", "o": "u", "u": "o"}[word[j].lower()]
            word = word[:j] + (swap.upper() if word[j].isupper() else swap) + word[j + 1 :]
    words[i] = word
    return " ".join(words)


def _as_customer_writes(full: str, rng: random.Random) -> str:
    """A listed "FAMILY, Given" turned round as a customer record would hold it, most of the time."""
    if ", " in full and rng.random() < 0.7:
        family, _, given = full.partition(", ")
        full = f"{given} {family.title()}"
    return full


def plantable(entities: Sequence[Entity], source: str = "ofac-sdn") -> list[Entity]:
    """The entities of ``source`` fit to plant: persons and organisations with a Latin primary name."""
    return [
        e
        for e in entities
        if e.source == source
        and e.schema in ("Person", "Organization")
        and e.names
        and e.names[0].script == "Latin"
        and len(e.names[0].full) >= 6
    ]


def generate(
    rows: int, planted_from: Sequence[Entity], seed: int = 8, planted: float = 0.01
) -> Iterator[SyntheticRow]:
    """``rows`` customer rows; a share ``planted`` of them are names of ``planted_from`` with light
    spelling noise, spread evenly through the file (one in every 1/planted rows, at a random place)."""
    rng = random.Random(seed)
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    every = max(1, round(1 / planted)) if planted > 0 and planted_from else 0
    slot = rng.randrange(every) if every else -1
    for n in range(rows):
        if every and n % every == 0:
            slot = rng.randrange(every)
        if every and n % every == slot:
            entity = rng.choice(planted_from)
            name = misspell(_as_customer_writes(entity.names[0].full, rng), rng)
            schema = entity.schema if rng.random() < 0.5 else None
            yield SyntheticRow(f"c{n + 1:09d}", name, schema, None, entity.id)
            continue
        make, schema = MAKERS[rng.choices(kinds, weights)[0]]
        yield SyntheticRow(
            f"c{n + 1:09d}",
            make(rng),
            schema if rng.random() < 0.5 else None,
            rng.choice(COUNTRIES) if rng.random() < 0.3 else None,
            None,
        )


def write_csv(rows: Iterator[SyntheticRow], path: Path) -> dict[str, str]:
    """Write the rows as a ``tamga screen`` input CSV; returns the planted rows' expected entity ids."""
    truth = {}
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("case_id", "name", "schema", "country"))
        for row in rows:
            writer.writerow((row.case_id, row.name, row.schema or "", row.country or ""))
            if row.planted is not None:
                truth[row.case_id] = row.planted
    return truth
