"""Banner columns follow the questionnaire's code order (issue 16: an ordinal 会员等级 must not come out
reversed, 女 must not precede 男 because of the alphabet)."""
import surveykit as sk


def test_index_banners_keep_the_scale_order():
    data = sk.example_data()
    for segment, result in data.index_banners().items():
        scale = data.questionnaire.scale_of(segment)
        expected = [str(data.segment(segment).cat.categories[k]) for k in range(len(scale.labels))]
        shown = [str(c) for c in result.table.columns if c != "Total"]
        assert shown == expected[:len(shown)] and set(shown) == set(expected), segment
