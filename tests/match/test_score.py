"""The scorer's batched similarities agree with the plain ones, and its rules hold."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tamga.match.score import (
    Spelled,
    alike_spans,
    compare_tokens,
    is_nasab,
    paired_similarities,
    similarity_matrix,
    spans,
    token_similarity,
    vowelless_similarity,
)

TOKENS = [
    "megvii", "megviii", "parshin", "parshyn", "chaliy", "tjalyj", "michajlovitj", "mikhailovich",
    "ali", "li", "a", "ab", "zheng", "zhang", "shchegolev", "sjtjogolev", "mky", "mekki", "cooper",
    "copper", "erkin", "aierken", "tuniyazerkin",
]  # fmt: skip


@pytest.mark.parametrize("vowelless", [False, True])
def test_the_matrix_equals_pair_by_pair_similarity(vowelless: bool) -> None:
    matrix = similarity_matrix(TOKENS, TOKENS, vowelless)
    plain = vowelless_similarity if vowelless else token_similarity
    for (i, a), (j, b) in itertools.product(enumerate(TOKENS), repeat=2):
        assert matrix[i, j] == pytest.approx(plain(a, b), abs=1e-9), (a, b)


def test_tokens_taken_from_a_spelled_list_compare_as_the_tokens_themselves() -> None:
    # A token with "ch" has two spelling keys (ч or х): its second key must follow it.
    everything = Spelled(TOKENS)
    at = [6, 0, 7, 22, 14]
    taken = everything.take(at)
    assert taken.tokens == [TOKENS[i] for i in at] and taken.more_at == [0, 2, 4]
    assert (similarity_matrix(TOKENS, taken) == similarity_matrix(TOKENS, taken.tokens)).all()
    assert (similarity_matrix(taken, TOKENS) == similarity_matrix(taken.tokens, TOKENS)).all()


def test_tokens_taken_keep_the_skeletons_worked_out_already() -> None:
    everything = Spelled(TOKENS)
    everything.skeletons()
    at = np.array([6, 0, 7, 22, 14])
    taken = everything.take(at)
    skeletons, lengths = taken.skeletons()
    fresh = Spelled([TOKENS[i] for i in at])
    assert skeletons == fresh.skeletons()[0] and lengths.tolist() == fresh.skeletons()[1].tolist()
    assert (similarity_matrix(TOKENS, taken) == similarity_matrix(TOKENS, fresh)).all()


def test_pairs_compare_as_the_matrix_does() -> None:
    # Every pair, in scattered order, from lists that hold the words in another order than each other.
    query, listed = Spelled(TOKENS), Spelled(TOKENS[::-1])
    at = list(itertools.product(range(len(TOKENS)), repeat=2))
    at_query = np.array([i for i, _ in at[::-1]])
    at_listed = np.array([j for _, j in at[::-1]])
    pairs = paired_similarities(query, listed, at_query, at_listed)
    matrix = similarity_matrix(TOKENS, TOKENS[::-1])
    assert (pairs == matrix[at_query, at_listed]).all()
    for k in range(len(at)):
        a, b = TOKENS[at_query[k]], TOKENS[::-1][at_listed[k]]
        assert pairs[k] == pytest.approx(token_similarity(a, b), abs=1e-9), (a, b)
    assert len(paired_similarities(query, listed, np.zeros(0, dtype=int), np.zeros(0, dtype=int))) == 0


def test_compare_with_a_matrix_gives_the_plain_result() -> None:
    query, listed = ("aleksej", "michajlovitj", "tjalyj"), ("chaliy", "aleksey", "mikhailovich")
    query_spans, listed_spans = spans(query), spans(listed)
    matrix = similarity_matrix([t for _, t in query_spans], [t for _, t in listed_spans])
    columns = list(range(len(listed_spans)))
    batched = compare_tokens(query, listed, True, alike=alike_spans(matrix, query_spans), columns=columns)
    plain = compare_tokens(query, listed, True)
    assert batched.score == pytest.approx(plain.score) and batched.parts == plain.parts


def test_one_typo_in_a_long_word() -> None:
    assert token_similarity("megviii", "megvii") == 0.95
    assert token_similarity("megvi", "megva") < 0.95  # too short for the rule


def test_a_shared_patronymic_counts_less_than_a_shared_name() -> None:
    # Given name and patronymic agree, the surnames do not: not the same man.
    other = compare_tokens(
        ("alexander", "alexandrovich", "ivanov"), ("savin", "alexander", "alexandrovich"), True
    )
    same = compare_tokens(
        ("alexander", "alexandrovich", "ivanov"), ("ivanov", "alexander", "alexandrovich"), True
    )
    assert same.score == 1.0 and other.score < 0.7


def test_a_company_match_on_one_common_word_stays_below_an_alert() -> None:
    def weight(token: str) -> float:  # "rose" a person's name, "group" and "technology" vocabulary
        return {"rose": 2.0, "group": 0.1, "technology": 0.2}.get(token, len(token))

    weak = compare_tokens(("rose",), ("rose", "group"), False, weight)
    assert weak.method == "weak" and weak.score == 0.85
    strong = compare_tokens(("megvii",), ("megvii", "technology"), False, weight)
    assert strong.method == "tokens" and strong.score > 0.85


def test_a_title_one_side_leaves_out_costs_nothing() -> None:
    # "SHAH, Mullah Mohammed" on one list, "Mohammed SHAH" on another; "Colonel Rambo" and "Rambo"
    assert compare_tokens(("mohammed", "shah"), ("shah", "mullah", "mohammed"), True).score == 1.0
    assert compare_tokens(("colonel", "rambo"), ("rambo",), True).score == 1.0
    # given by both, it still aligns; an organisation's "General" is a word like any other
    both = compare_tokens(("hajji", "abdallah"), ("hajji", "abdallah"), True)
    assert both.score == 1.0 and len(both.parts) == 2
    assert compare_tokens(("general", "trading"), ("trading",), False).score < 0.7


def test_a_surname_is_not_taken_for_a_title() -> None:
    # "Lord" is an honorific in rigour's table and a surname too: left out, it still costs
    assert compare_tokens(("john", "lord"), ("john",), True).score < 0.7


def test_a_query_may_name_a_person_more_fully_than_the_list() -> None:
    # "Joseph Rao Kony" against "KONY, Joseph": a middle name the list leaves out costs little
    # more than a listed one the query leaves out; against "KONY, Joseph Okello" the names conflict.
    fuller = compare_tokens(("joseph", "rao", "kony"), ("kony", "joseph"), True)
    shorter = compare_tokens(("joseph", "kony"), ("kony", "joseph", "rao"), True)
    conflicting = compare_tokens(("joseph", "rao", "kony"), ("kony", "joseph", "okello"), True)
    assert shorter.score - 0.1 < fuller.score < shorter.score
    assert conflicting.score < fuller.score - 0.15


def test_an_initial_stands_for_one_name_not_two_written_together() -> None:
    # "Mr. O" is no match for "Odarka Zayets", read as "odarkazayets"; "O. Zayets" is
    assert compare_tokens(("odarka", "zayets"), ("mr", "o"), True).score < 0.5
    assert compare_tokens(("odarka", "zayets"), ("o", "zayets"), True).score > 0.9


def test_an_initial_left_out_costs_nothing() -> None:
    # "Walid ALSHEHRI" for "ALSHEHRI, Waleed Abdullah M.": the "M." says next to nothing
    with_initial = compare_tokens(("walid", "alshehri"), ("alshehri", "waleed", "abdullah", "m"), True)
    without = compare_tokens(("walid", "alshehri"), ("alshehri", "waleed", "abdullah"), True)
    assert with_initial.score == pytest.approx(without.score)


def test_an_arabic_patronymic_left_out_costs_little() -> None:
    # "DRISSI, Noureddine Ben Ali Ben Belkassem": "son of Ali, son of Belkassem"
    listed = ("drissi", "noureddine", "benali", "benbelkassem")
    assert compare_tokens(("drissi", "noureddine"), listed, True).score > 0.86
    # a name is not a patronymic for beginning with the same letters
    assert is_nasab("benali") and is_nasab("binmohammed")
    assert not is_nasab("benjamin") and not is_nasab("bennett") and not is_nasab("benoit")
