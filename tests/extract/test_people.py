from helpers import facts, key_of, labels, run


def test_people_title_before_name_with_abbreviated_ministry():
    ex = run("Thứ trưởng Bộ KH&CN Trần Văn Tùng phát biểu tại hội nghị.")
    assert "Trần Văn Tùng" in labels(ex, "Person")
    org = key_of(ex, "Bộ Khoa học và Công nghệ")
    assert (key_of(ex, "Trần Văn Tùng"), "Thứ trưởng", org) in facts(ex, "membership")
    assert "Bộ KH&CN" in next(e for e in ex.entities if e.key == org).aliases


def test_people_title_with_implied_ministry():
    ex = run("Thứ trưởng Y tế Đỗ Xuân Tuyên cho biết ngành sẽ tăng cường kiểm tra.")
    assert (key_of(ex, "Đỗ Xuân Tuyên"), "Thứ trưởng", key_of(ex, "Bộ Y tế")) in facts(ex, "membership")


def test_people_apposition_after_name_with_declared_abbreviation():
    ex = run("Ông Hoàng Quang Phòng, Phó Chủ tịch Phòng Thương mại và Công nghiệp Việt Nam (VCCI), "
             "cho biết doanh nghiệp cần hỗ trợ. Theo ông Phòng, VCCI sẽ kiến nghị.")
    person = key_of(ex, "Hoàng Quang Phòng")
    org = key_of(ex, "VCCI")
    assert (person, "Phó Chủ tịch", org) in facts(ex, "membership")
    assert len(labels(ex, "Person")) == 1, labels(ex, "Person")


def test_people_compound_title_and_provincial_committee():
    ex = run("Phó Chủ tịch Thường trực UBND tỉnh Đắk Lắk Nguyễn Tuấn Hà dự buổi làm việc.")
    person, org = key_of(ex, "Nguyễn Tuấn Hà"), key_of(ex, "UBND tỉnh Đắk Lắk")
    assert (person, "Phó Chủ tịch Thường trực", org) in facts(ex, "membership")
    assert (org, key_of(ex, "Đắk Lắk")) in facts(ex, "location")


def test_people_short_reference_resolves_to_full_name():
    ex = run("Bà Ngô Thị Minh, Thứ trưởng Bộ Giáo dục và Đào tạo, dự lễ. Bà Minh nhấn mạnh vai trò của giáo viên.")
    assert labels(ex, "Person") == {"Ngô Thị Minh"}


def test_people_sharing_a_given_name_stay_apart():
    ex = run("Ông Nguyễn Văn Nam là giám đốc. Ông Trần Văn Nam là kế toán.")
    assert {"Nguyễn Văn Nam", "Trần Văn Nam"} <= labels(ex, "Person")
    assert key_of(ex, "Nguyễn Văn Nam") != key_of(ex, "Trần Văn Nam")


def test_people_byline_is_the_author():
    ex = run("Hội thảo diễn ra sáng nay.\nMinh Anh")
    assert ex.author == key_of(ex, "Minh Anh")


def test_people_no_byline_when_last_line_is_a_sentence():
    ex = run("Hội thảo diễn ra sáng nay tại Hà Nội.")
    assert ex.author == ""


def test_people_bylines_with_initials_sources_and_notes():
    cases = {"H.Long": "H.Long", "Minh PhươngTheo Bloomberg": "Minh Phương", "Thu Hà (TTXVN)": "Thu Hà",
             "Theo AFP": None}
    for line, author in cases.items():
        ex = run(f"Ông Lê An phát biểu.\n{line}")
        if author is None:
            assert ex.author == "", line
        else:
            assert ex.author == key_of(ex, author), line
            mention = next(m for m in ex.mentions if m.key == ex.author)
            assert mention.text == author
