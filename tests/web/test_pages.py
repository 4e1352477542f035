"""The pages, rendered from the API's answers: search, entity, tracker, and what every page is sent with."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import ARABIC_NAME, HOSTILE_NAME

UNVERIFIED = "curated:17-further-subordinate-municipal-prefecture-county-public-security-bureaus-of-the-xuar-psb-individual-names-not-verified"  # noqa: E501


def test_search_results_are_rendered_and_explained(signed_in: TestClient) -> None:
    response = signed_in.get("/", params={"q": "Alkin Tuniyas", "birth_date": "1961"})
    assert response.status_code == 200
    page = response.text
    first = page.index('href="/entity/ofac-sdn:34119"')
    assert first < page.index('href="/entity/curated:erkin-tuniyaz"')  # best first
    assert (
        "‘Alkin Tuniyas’ met the listed alias ‘TUNIYAZ, Erkin’: Tuniyas≈TUNIYAZ (95%), Alkin≈Erkin (" in page
    )
    assert "birth date agrees: 1961 agrees with 1961-12 (+8 points)" in page
    assert re.search(r"90%</span>\s*<span class=\"badge alert\">match</span>", page)
    assert "Person · ofac-sdn · GLOMAG" in page and "below threshold" in page
    assert "<title>Alkin Tuniyas · Search · Tamga</title>" in page


def test_search_in_chinese_script(signed_in: TestClient) -> None:
    page = signed_in.get("/", params={"q": "艾尔肯·吐尼亚孜"}).text
    assert (
        'href="/entity/curated:erkin-tuniyaz"' in page
        and "‘艾尔肯·吐尼亚孜’ met the listed alias ‘艾尔肯·吐尼亚孜’" in page
    )


def test_search_errors_are_said_in_words(signed_in: TestClient) -> None:
    page = signed_in.get("/", params={"q": "Alken Tuniaz", "birth_date": "someday"})
    assert page.status_code == 200 and "&#39;someday&#39; is not a date" in page.text
    assert "Nothing on the lists resembles" in signed_in.get("/", params={"q": "Qqqxxzv Wwwpfk"}).text
    home = signed_in.get("/").text
    assert "Type a name" in home and "candidates for" not in home


def test_a_hostile_query_and_a_hostile_listed_name_are_text(signed_in: TestClient) -> None:
    page = signed_in.get("/", params={"q": "<script>alert('listed')</script> Trading"}).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;listed&#39;)&lt;/script&gt; Trading LLC" in page  # the listed name
    entity = signed_in.get("/entity/ftm-hostile:co-1").text
    assert "<script>alert" not in entity and "<img src=x" not in entity
    assert "&lt;img src=x onerror=window.pwned=1&gt;" in entity
    assert 'href="javascript:' not in entity  # a source URL that is not http(s) is not made a link
    assert ">javascript:alert(document.cookie)<" in entity  # but shown as the text it is
    assert HOSTILE_NAME.replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;") in entity


def test_entity_page_names_scripts_designations_relations(signed_in: TestClient) -> None:
    response = signed_in.get("/entity/ofac-sdn:34119")
    assert response.status_code == 200
    page = response.text
    assert "<h1" in page and "TUNIYAZ, Erken</h1>" in page
    assert "TUNIAZ, Alken" in page and "1961-12" in page and "Aksu, Xinjiang, China" in page
    assert "Executive Order 13818" in page and "GLOMAG" in page
    assert re.search(
        r'linked to</span>\s*<a href="/entity/ofac-sdn:29159" dir="auto">XINJIANG PUBLIC SECURITY BUREAU</a>',
        page,
    )
    # the cross-list subject: the curated record of the same person, and the timeline chart
    assert 'href="/entity/curated:erkin-tuniyaz"' in page
    assert '<img src="/charts/subjects/ofac-sdn:34119.svg"' in page


def test_entity_page_links_back_from_the_records_that_name_it(signed_in: TestClient) -> None:
    page = signed_in.get("/entity/ofac-sdn:29159").text
    assert re.search(
        r'linked to this one:</span>\s*<a href="/entity/ofac-sdn:34119" dir="auto">TUNIYAZ, Erken</a>', page
    )


def test_names_carry_lang_and_dir_for_their_script(signed_in: TestClient) -> None:
    page = signed_in.get("/entity/curated:erkin-tuniyaz").text
    assert re.search(r'<td class="name" dir="auto" lang="zh">艾尔肯·吐尼亚孜</td>', page)
    assert re.search(r'<td class="name" dir="auto" lang="und-Latn">Erkin Tuniyaz</td>', page)
    arabic = signed_in.get("/entity/ftm-hostile:pe-1").text
    assert f'<td class="name" dir="rtl" lang="und-Arab">{ARABIC_NAME}</td>' in arabic


def test_unverified_designations_are_flagged(signed_in: TestClient) -> None:
    page = signed_in.get(f"/entity/{UNVERIFIED}").text
    assert 'title="its sources do not confirm this action">unverified</span>' in page


def test_unknown_entity_is_a_404_page(signed_in: TestClient) -> None:
    response = signed_in.get("/entity/ofac-sdn:999999999")
    assert response.status_code == 404 and "No entity &#39;ofac-sdn:999999999&#39;" in response.text
    odd = signed_in.get("/entity/ofac-sdn:1%3Fx=1%2F..%2Fsources")  # stays one id, never another route
    assert odd.status_code == 404 and "ofac-sdn:1?x=1/../sources" in odd.text.replace("&#39;", "'")


def test_tracker_matrix_filtered_by_country_and_program(signed_in: TestClient) -> None:
    response = signed_in.get("/tracker", params={"country": "CN", "program": "GLOMAG"})
    assert response.status_code == 200
    page = response.text
    rows = re.findall(r'<th scope="row"><a href="(/entity/[^"]+)"', page)
    assert {"/entity/ofac-sdn:34119", "/entity/curated:erkin-tuniyaz"} & set(rows)
    assert '<th scope="col" class="cell">US</th>' in page and '<th scope="col" class="cell">CA</th>' in page
    chart = "/charts/designations.svg?jurisdictions=US%2CEU%2CUK%2CCA&amp;country=CN&amp;program=GLOMAG"
    assert f'<img src="{chart}"' in page
    assert "Latest changes to the lists" in page


def test_tracker_gaps_and_pages(signed_in: TestClient) -> None:
    gaps = signed_in.get("/tracker", params={"view": "gaps", "of": "US", "country": "CN"}).text
    assert "Designated by US, not by EU, UK, CA" in gaps
    everything = signed_in.get("/tracker", params={"jurisdictions": ["US", "UN"]}).text
    assert "page 1 of" in everything and 'rel="next"' in everything
    second = signed_in.get("/tracker", params={"jurisdictions": ["US", "UN"], "page": 2}).text
    assert "page 2 of" in second and 'href="?jurisdictions=US&amp;jurisdictions=UN&amp;page=1"' in second


def test_explanations_in_words_for_the_batch_review(signed_in: TestClient) -> None:
    screened = signed_in.post(
        "/screen",
        content=b"name,birth_date\nAlken Tuniaz,1961\n",
        headers={"Content-Type": "text/csv", "Origin": "http://testserver"},
    )
    match = next(m for m in screened.json()["matches"] if m["entity_id"] == "ofac-sdn:34119")
    response = signed_in.post(
        "/web/explain", json={"explanations": [match["explanation"]]}, headers={"Origin": "http://testserver"}
    )
    assert response.status_code == 200
    (reading,) = response.json()["readings"]
    assert reading["text"].startswith("‘Alken Tuniaz’ met the listed alias ‘TUNIAZ, Alken’")
    assert reading["qualifiers"] == ["birth date agrees: 1961 agrees with 1961-12 (+8 points)"]
    assert signed_in.post("/web/explain", json={"explanations": []}).status_code == 403  # no Origin


def test_every_page_is_sent_with_a_strict_policy(signed_in: TestClient) -> None:
    for path in ("/", "/batch", "/portfolio", "/entity/ofac-sdn:34119", "/signin"):
        response = signed_in.get(path)
        if response.status_code == 303:
            continue
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "<script>" not in response.text  # no inline script anywhere: the policy forbids it
    assert signed_in.get("/static/tamga.css").headers["content-type"].startswith("text/css")
    assert (
        signed_in.get("/static/batch.js")
        .headers["content-type"]
        .startswith(("text/javascript", "application/javascript"))
    )


def test_web_routes_stay_out_of_the_api_document(signed_in: TestClient) -> None:
    paths = set(signed_in.get("/openapi.json").json()["paths"])
    assert not paths & {"/", "/entity/{entity_id}", "/batch", "/tracker", "/signin", "/web/explain"}
    assert "/portfolio" in paths  # the API's POST, beside the page's GET


def test_search_shows_an_earlier_decision(signed_in: TestClient, key: str) -> None:
    made = signed_in.post(
        "/decisions",
        json={"name": "Tuniyaz Erken", "entity_id": "ofac-sdn:34119", "decision": "false_positive",
              "reason": "Different person: <b>born 1980</b>"},
        headers={"Authorization": f"ApiKey {key}"},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    page = signed_in.get("/", params={"q": "tuniyaz   ERKEN"}).text  # the same name, written otherwise
    result = page[page.index('href="/entity/ofac-sdn:34119"') :]
    result = result[: result.index("</li>")]
    assert "Earlier decision: <b>false positive</b>" in result and "by analyst on " in result
    assert "“Different person: &lt;b&gt;born 1980&lt;/b&gt;”" in result
    assert "suppressed" in result and "badge alert" not in result
