"""Shares of work done never claim more than is done (audit9a F9: 14,997 of 15,000
confirmed showed as "100.0%" on the progress line and in `status`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.models.shares import percent_done


@given(st.integers(min_value=1, max_value=10**9), st.data())
def test_a_share_is_100_only_when_all_is_done(total: int, data: st.DataObject) -> None:
    done = data.draw(st.integers(min_value=0, max_value=total))
    pct = percent_done(done, total)
    assert (pct == 100.0) == (done == total)
    assert pct <= 100.0 * done / total < pct + 0.1 + 1e-9
    assert f"{pct:.1f}" != "100.0" or done == total


def test_examples() -> None:
    assert percent_done(14_997, 15_000) == 99.9
    assert percent_done(1, 3) == 33.3
    assert percent_done(0, 0) == 0.0
