from helpers import key_of, labels, run


def test_places_country_names_share_one_entity_with_wikidata():
    ex = run("Đoàn doanh nghiệp Hoa Kỳ thăm Hà Nội. Các nhà đầu tư Mỹ quan tâm tới bán dẫn.")
    us = [e for e in ex.entities if e.kind == "Country"]
    assert len(us) == 1 and us[0].wikidata == "Q30" and us[0].iso_code == "US"
    assert key_of(ex, "Hoa Kỳ") == key_of(ex, "Mỹ")


def test_places_prefix_kept_out_of_the_name():
    ex = run("Lễ hội diễn ra tại huyện Cần Giờ và tỉnh Quảng Ninh.")
    assert {"Cần Giờ", "Quảng Ninh"} <= labels(ex, "Place")
    assert not any(label.startswith(("huyện", "tỉnh")) for label in labels(ex))


def test_places_tone_mark_spellings_are_one_place():
    ex = run("Khánh Hoà đón khách. Du lịch Khánh Hòa phục hồi.")
    assert labels(ex, "Place") == {"Khánh Hòa"}


def test_places_given_name_is_not_a_country():
    ex = run("Anh Nguyễn Văn Đức cho biết sẽ về quê.")
    assert "Đức" not in labels(ex, "Country")


def test_places_people_of_a_country_are_not_the_country():
    ex = run("Nhiều người Việt sống ở nước ngoài.")
    assert labels(ex, "Country") == set()
