"""Opaque public ids: random, of their kind, and never a number."""

from __future__ import annotations

import pytest

from reassure.core.public_ids import PUBLIC_ID_LENGTH, is_public_id, new_public_id


def test_a_public_id_is_its_kind_and_random() -> None:
    ids = {new_public_id("job") for _ in range(1000)}
    assert len(ids) == 1000
    assert all(is_public_id(i, "job") and len(i) <= PUBLIC_ID_LENGTH for i in ids)
    assert not any(is_public_id(i, "plan") for i in ids)


@pytest.mark.parametrize("text", ["1", "42", "job_1", "job_K3X9Q2M4V7C1W8ZE", "job_k3x9q2m4v7c1w8z",
                                  "job_k3x9q2m4v7c1w8ze ", "", None, 7])
def test_old_numbers_and_other_shapes_are_not_public_ids(text: object) -> None:
    assert not is_public_id(text, "job")


def test_a_prefix_is_a_short_word() -> None:
    with pytest.raises(ValueError):
        new_public_id("Job")
