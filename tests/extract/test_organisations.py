from helpers import facts, key_of, labels, run


def test_organisations_unit_in_brackets_is_part_of_its_parent():
    ex = run("Cục Tin học hóa (Bộ TT&TT) vừa công bố báo cáo.")
    unit, parent = key_of(ex, "Cục Tin học hóa"), key_of(ex, "Bộ Thông tin và Truyền thông")
    assert (unit, parent) in facts(ex, "subOrganisationOf")


def test_organisations_provincial_department_under_its_committee():
    ex = run("Sở Y tế Cần Thơ báo cáo UBND TP Cần Thơ về dịch bệnh.")
    dept, committee = key_of(ex, "Sở Y tế Cần Thơ"), key_of(ex, "UBND TP Cần Thơ")
    assert (dept, committee) in facts(ex, "subOrganisationOf")
    assert (dept, key_of(ex, "Cần Thơ")) in facts(ex, "location")


def test_organisations_abbreviations_expand_to_one_entity():
    ex = run("UBND TP Hải Phòng họp. Ủy ban nhân dân thành phố Hải Phòng kết luận.")
    assert len(labels(ex, "Organisation")) == 1
    assert labels(ex, "Organisation") == {"Ủy ban nhân dân thành phố Hải Phòng"}


def test_organisations_name_stops_before_verb():
    ex = run("Bộ Khoa học và Công nghệ phối hợp Sở Khoa học và Công nghệ Đà Nẵng tổ chức hội thảo.")
    assert {"Bộ Khoa học và Công nghệ", "Sở Khoa học và Công nghệ Đà Nẵng"} <= labels(ex, "Organisation")


def test_organisations_family_name_head_is_a_person():
    ex = run("Ông Đoàn Văn An phát biểu.")
    assert labels(ex, "Person") == {"Đoàn Văn An"} and labels(ex, "Organisation") == set()


def test_organisations_school_named_after_a_person_keeps_the_name():
    ex = run("Em Lê Quốc Anh, học sinh Trường THPT Chuyên Nguyễn Tất Thành, đoạt giải Ba.")
    assert "Nguyễn Tất Thành" not in labels(ex, "Person")
    assert any(label.endswith("Chuyên Nguyễn Tất Thành") for label in labels(ex, "Organisation"))


def test_organisations_post_holder_after_the_body_is_a_person():
    ex = run("Giám đốc Bệnh viện Bạch Mai Nguyễn Quang Tuấn cho biết bệnh viện quá tải.")
    assert (key_of(ex, "Nguyễn Quang Tuấn"), "Giám đốc", key_of(ex, "Bệnh viện Bạch Mai")) in facts(ex, "membership")


def test_organisations_unit_dash_ministry():
    ex = run("Cục Cảnh sát giao thông - Bộ Công an triển khai đợt cao điểm.")
    assert (key_of(ex, "Cục Cảnh sát giao thông"), key_of(ex, "Bộ Công an")) in facts(ex, "subOrganisationOf")


def test_organisations_heads_in_lower_case_open_a_name():
    ex = run("Theo hãng tin Reuters, công ty Sao Mai đã ký hợp đồng với đội tuyển Việt Nam.")
    assert {"Hãng tin Reuters", "Công ty Sao Mai", "Đội tuyển Việt Nam"} <= labels(ex, "Organisation")


def test_organisations_lower_case_heads_that_are_plain_words_open_nothing():
    ex = run("Họ tổ chức Lễ hội Hoa ở trung tâm Hà Nội. Trường hợp Công ty An Phát được nêu. Bộ luật Hình sự quy định.")
    orgs = labels(ex, "Organisation")
    assert "Công ty An Phát" in orgs
    assert not any(o.startswith(("Tổ chức", "Trung tâm Hà Nội", "Trường hợp", "Bộ luật")) for o in orgs)


def test_organisations_descriptor_between_head_and_name():
    ex = run("Ông làm việc tại Đài truyền hình MBC, rồi Trung tâm văn hoá Cửa Vạn mở cửa. "
             "Ban phòng chống lụt bão huyện Hương Trà họp.")
    orgs = labels(ex, "Organisation")
    assert {"Đài truyền hình MBC", "Trung tâm văn hoá Cửa Vạn"} <= orgs
    assert any(o.startswith("Ban phòng chống lụt bão huyện Hương Trà") for o in orgs)


def test_organisations_descriptor_before_a_country_is_no_name():
    ex = run("Cục diện Trung Đông thay đổi khi hãng công nghệ Trung Quốc rút lui.")
    assert labels(ex, "Organisation") == set()
