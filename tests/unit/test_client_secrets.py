"""Recognisable client secrets (SPEC 14): `aiqcs_`, 256 random bits in base62 and a checksum
that gives away every mistyped character, swapped pair and cut-off copy."""

from __future__ import annotations

import re
import secrets

from domain.credentials import BASE62, new_client_secret, plausible_client_secret

SHAPE = re.compile(r"aiqcs_[0-9A-Za-z]{43}[0-9A-Za-z]{6}")


def test_a_new_secret_has_the_published_shape_and_is_never_repeated() -> None:
    made = {new_client_secret() for _ in range(200)}
    assert len(made) == 200
    for secret in made:
        assert SHAPE.fullmatch(secret), secret
        assert plausible_client_secret(secret)


def test_every_single_mistyped_character_is_caught() -> None:
    secret = new_client_secret()
    for position in range(len("aiqcs_"), len(secret)):
        for wrong in {"0", "Z", "a"} - {secret[position]}:
            typo = secret[:position] + wrong + secret[position + 1 :]
            assert not plausible_client_secret(typo), (position, wrong)


def test_swapped_neighbours_cut_off_copies_and_stray_characters_are_caught() -> None:
    secret = new_client_secret()
    for position in range(len("aiqcs_"), len(secret) - 1):
        a, b = secret[position], secret[position + 1]
        if a != b:
            swapped = secret[:position] + b + a + secret[position + 2 :]
            assert not plausible_client_secret(swapped), position
    assert not plausible_client_secret(secret[:-1])
    assert not plausible_client_secret(secret + "0")
    assert not plausible_client_secret(secret[:20] + "-" + secret[21:])
    assert not plausible_client_secret(secret + "\n")
    assert not plausible_client_secret("aiqcs_")


def test_a_made_up_secret_in_the_format_fails_its_checksum() -> None:
    guesses = ["aiqcs_" + "".join(secrets.choice(BASE62) for _ in range(49)) for _ in range(50)]
    assert sum(plausible_client_secret(g) for g in guesses) == 0  # 1 in 4 billion each


def test_secrets_from_before_the_format_are_left_to_their_digest() -> None:
    assert plausible_client_secret(secrets.token_urlsafe(32))
    assert plausible_client_secret("any other string")
