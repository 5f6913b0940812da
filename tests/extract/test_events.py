from helpers import facts, key_of, labels, run


def test_events_organisers_place_and_date_range():
    ex = run("Diễn đàn Kinh tế Việt Nam 2023 do Bộ Tài chính phối hợp với UBND TP Hà Nội tổ chức "
             "tại Hà Nội từ ngày 5 - 6/10.")
    event = key_of(ex, "Diễn đàn Kinh tế Việt Nam 2023")
    assert {(event, key_of(ex, "Bộ Tài chính")), (event, key_of(ex, "UBND TP Hà Nội"))} <= facts(ex, "organiser")
    assert (event, key_of(ex, "Hà Nội")) in facts(ex, "location")
    assert (event, "2023-10-05") in facts(ex, "startDate")
    assert (event, "2023-10-06") in facts(ex, "endDate")


def test_events_partial_date_without_year():
    ex = run('Cuộc thi "Sáng tạo trẻ" khai mạc sáng 18/9 tại Đà Nẵng.')
    event = key_of(ex, "Sáng tạo trẻ")
    assert (event, "--09-18") in facts(ex, "startDate")


def test_events_edition_within_series_and_short_name():
    ex = run("Vietnam Motor Show 2024 thu hút 120 gian hàng. Vietnam Motor Show tổ chức lần đầu năm 2005. "
             "Tại Vietnam 2024, nhiều mẫu xe ra mắt.")
    edition, series = key_of(ex, "Vietnam Motor Show 2024"), key_of(ex, "Vietnam Motor Show")
    assert (edition, series) in facts(ex, "partOf")


def test_events_competition_within_festival():
    ex = run("Lễ hội Văn hóa Ẩm thực Huế 2024 khai mạc sáng 1/5. Cuộc thi \"Đầu bếp giỏi\" trong khuôn khổ "
             "Lễ hội Văn hóa Ẩm thực Huế 2024 trao giải Nhất trị giá 20 triệu đồng cho Dự án Bếp Xanh.")
    contest, festival = key_of(ex, "Đầu bếp giỏi"), key_of(ex, "Lễ hội Văn hóa Ẩm thực Huế 2024")
    assert (contest, festival) in facts(ex, "partOf")
    awards = facts(ex, "award")
    assert (contest, key_of(ex, "Bếp Xanh"), "giải Nhất", 20_000_000.0, "VND") in awards


def test_events_countries_take_part_and_speaker():
    ex = run("Hội nghị Bộ trưởng ASEAN 2024 thu hút đại biểu từ Lào, Campuchia và Thái Lan. "
             "Bộ trưởng Bộ Ngoại giao Bùi Thanh Sơn phát biểu tại Hội nghị Bộ trưởng ASEAN 2024.")
    event = key_of(ex, "Hội nghị Bộ trưởng ASEAN 2024")
    assert {(event, key_of(ex, c)) for c in ("Lào", "Campuchia", "Thái Lan")} <= facts(ex, "participant")
    assert (event, key_of(ex, "Bùi Thanh Sơn")) in facts(ex, "speaker")


def test_events_bare_reference_takes_figures():
    ex = run("Ngày hội Khởi nghiệp Quốc gia 2024 diễn ra tại Hà Nội. Ngày hội thu hút hơn 500 doanh nghiệp "
             "và 5.000 lượt khách.")
    event = key_of(ex, "Ngày hội Khởi nghiệp Quốc gia 2024")
    stats = facts(ex, "statistic")
    assert (event, 500.0, "doanh nghiệp") in stats
    assert (event, 5000.0, "lượt khách") in stats
    assert "Ngày hội" not in labels(ex)


def test_events_active_voice_organisers_and_lower_case_quoted_contest():
    ex = run('HVN và Bộ GD&ĐT đã phối hợp tổ chức cuộc thi "An toàn giao thông cho nụ cười ngày mai".')
    event = key_of(ex, "An toàn giao thông cho nụ cười ngày mai")
    assert {(event, key_of(ex, "HVN")), (event, key_of(ex, "Bộ Giáo dục và Đào tạo"))} <= facts(ex, "organiser")


def test_events_declared_abbreviation_and_season_are_one_event():
    ex = run("Cô Lê Tuệ Minh phát động Cuộc thi Giáo viên Sáng tạo 2020 - 2021 (WiTeach) với chủ đề mới. "
             "Cuộc thi WiTeach bằng hình thức trực tuyến. WiTeach thu hút 100 dự án.")
    assert labels(ex, "Event") == {"Cuộc thi Giáo viên Sáng tạo 2020 - 2021"}
    assert (key_of(ex, "WiTeach"), 100.0, "dự án") in facts(ex, "statistic")


def test_events_place_in_the_name_is_where_it_happens():
    ex = run("Sở Du lịch Đà Nẵng tổ chức Lễ hội Pháo hoa Quốc tế Đà Nẵng 2023 từ 2/6 - 8/7.")
    event = key_of(ex, "Lễ hội Pháo hoa Quốc tế Đà Nẵng 2023")
    assert (event, key_of(ex, "Đà Nẵng")) in facts(ex, "location")
    assert (event, key_of(ex, "Sở Du lịch Đà Nẵng")) in facts(ex, "organiser")
    assert {(event, "2023-06-02")} == facts(ex, "startDate") and {(event, "2023-07-08")} == facts(ex, "endDate")


def test_events_attended_by_people_and_bodies():
    ex = run("Hội nghị Xúc tiến Đầu tư Bình Định 2024 diễn ra sáng 5/4 tại Quy Nhơn với sự tham dự của "
             "Phó Thủ tướng Trần Lưu Quang và Bộ Kế hoạch và Đầu tư. Tập đoàn Vingroup có mặt.")
    event = key_of(ex, "Hội nghị Xúc tiến Đầu tư Bình Định 2024")
    assert {(event, key_of(ex, "Trần Lưu Quang")), (event, key_of(ex, "Bộ Kế hoạch và Đầu tư"))} <= facts(ex, "participant")
    assert (event, key_of(ex, "Quy Nhơn")) in facts(ex, "location")


def test_events_corporation_is_not_a_delegation_cue():
    ex = run("Tập đoàn Samsung ra mắt điện thoại tại Triển lãm Công nghệ Hà Nội 2024. Hàn Quốc là thị trường chính.")
    assert facts(ex, "participant") == set()
