import pytest

from eval.eval_web import aeb_scores, same_day, shingle_counts


def test_eval_web_shingle_counts_normalised_per_page():
    gold = "the rial fell against the dollar on sunday"  # 8 words: 5 shingles
    assert shingle_counts(gold, gold) == (1.0, 0.0, 0.0)
    tp, fp, fn = shingle_counts("the rial fell against the dollar", gold)  # 3 of the 5 shingles
    assert (tp, fp, fn) == pytest.approx((3 / 5, 0.0, 2 / 5))
    assert shingle_counts("", gold) == (0.0, 0.0, 1.0)


def test_eval_web_shingles_keep_case():
    # the benchmark's tokenizer does not lowercase: "Rial" and "rial" are different tokens
    assert shingle_counts("The Rial fell sharply", "the rial fell sharply") == (0.0, 0.5, 0.5)


def test_eval_web_aeb_scores_skip_empty_predictions_in_precision():
    counts = [(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)]  # a perfect page and an empty prediction
    p, r, f1 = aeb_scores(counts)
    assert p == 1.0 and r == 0.5 and f1 == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    "pred,gold,ok",
    [
        ("2020-04-13", "2020-04-13", True),
        ("2020-04-14T00:38:07+00:00", "2020-04-13", False),
        ("2023-04-28T22:40:00-05:00", "2023-04-29 03:40:00+00:00", True),
        (None, "2020-04-13", False),
    ],
)
def test_eval_web_same_day(pred, gold, ok):
    assert same_day(pred, gold) is ok
