"""questions.py: the quick-check data and the answers -> plan mapping."""
from __future__ import annotations

import itertools

import pytest

from esrok_recovery.parse import parse_plan
from esrok_recovery.questions import QUESTIONS, plan_from_answers, read_answers


def answers(**chosen):
    a = {q.id: q.default for q in QUESTIONS}
    a.update(chosen)
    return a


def test_about_ten_single_choice_questions_with_valid_defaults():
    assert 8 <= len(QUESTIONS) <= 14
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)
    for q in QUESTIONS:
        values = [o.value for o in q.options]
        assert q.text.endswith("?") and q.help and len(values) >= 2
        assert len(set(values)) == len(values) and q.default in values


def test_as_dict_shape():
    assert QUESTIONS[0].as_dict() == {
        "id": "main_account", "text": "Which account would hurt most to lose?",
        "help": "Answer the rest of the questions about this one account.",
        "options": [{"value": v, "label": lbl} for v, lbl in (
            ("email", "My main email"), ("google", "My Google account"), ("apple", "My Apple Account"),
            ("microsoft", "My Microsoft account"), ("bank", "My bank"), ("work", "My work account"),
            ("social", "A social media account"), ("password_manager", "My password manager"))],
        "default": "email"}


@pytest.mark.parametrize("qid", [q.id for q in QUESTIONS])
def test_every_option_of_every_question_yields_a_valid_plan(qid):
    q = next(x for x in QUESTIONS if x.id == qid)
    for opt in q.options:
        for as_of in ("2026-11-29", None):
            plan, probs = parse_plan(plan_from_answers(answers(**{qid: opt.value}), as_of))
            assert probs == (), (qid, opt.value, [str(p) for p in probs])


def test_some_combinations_yield_valid_plans():
    for main, pw, step, codes in itertools.product(("email", "password_manager", "bank"),
                                                   ("password_manager", "memorised", "passkey_only"),
                                                   ("none", "sms", "app", "key", "passkey"),
                                                   ("password_manager", "phone_file", "unknown")):
        data = plan_from_answers(answers(main_account=main, password=pw, second_step=step, backup_codes=codes),
                                 "2026-11-29")
        assert parse_plan(data)[1] == ()


def test_mapping_of_a_typical_answer_set():
    plan = plan_from_answers(answers(second_step="app", app_backup="none", backup_codes="paper",
                                     recovery_email="circular", tested="longer"), "2026-11-29")
    main = plan["accounts"][0]
    assert main["id"] == "main" and main["importance"] == "critical"
    assert main["sign_in"] == [{"type": "password", "via": "vault"}, {"type": "totp", "on": "authapp"}]
    assert main["backup_codes"] == {"generated": True, "stored_in": ["codes"], "used": 0}
    assert {"type": "recovery_email", "via": "other-email"} in main["recovery"]
    assert main["recovery_tested_on"] == "2024-11-29"
    other = next(a for a in plan["accounts"] if a["id"] == "other-email")
    assert other["recovery"] == [{"type": "recovery_email", "via": "main"}]


def test_read_answers_fills_defaults_and_reports_every_problem():
    a, as_of, probs = read_answers({"version": 1, "answers": {"second_step": "sms"}})
    assert probs == () and a == answers(second_step="sms") and as_of is None
    _, _, probs = read_answers({"version": 2, "as_of": "soon", "answer": {},
                                "answers": {"second_stp": "sms", "password": "vault", "tested": 3}})
    assert [str(p) for p in probs] == [
        'answer: unknown key "answer"; did you mean "answers"?',
        "version: unsupported version 2; this engine reads version 1",
        'as_of: expected a date written YYYY-MM-DD, got "soon"',
        'answers.second_stp: unknown question "second_stp"; did you mean "second_step"?',
        'answers.password: "vault" is not an answer to this question; choose one of: password_manager, '
        'memorised, passkey_only',
        "answers.tested: 3 is not an answer to this question; choose one of: never, this_year, longer",
    ]
    _, _, probs = read_answers(["x"])
    assert [str(p) for p in probs] == ["(answers): expected an object, got a list"]
