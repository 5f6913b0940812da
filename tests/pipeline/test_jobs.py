"""Worker processes change nothing: ``jobs=2`` writes the same bytes as ``jobs=1``."""
from __future__ import annotations

from pathlib import Path

from kg.pipeline.build import build
from kg.pipeline.staging import OUTPUT_FILES

PEOPLE = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Cường", "Phạm Thu Hà", "Hồ Đức Phớc")
TITLES = ("Bộ trưởng", "Thứ trưởng", "Chủ tịch", "Phó Chủ tịch", "Giám đốc")
ORGS = ("Bộ Tài chính", "Bộ Y tế", "UBND tỉnh Nghệ An", "Sở Khoa học và Công nghệ TP Hải Phòng", "Đại học Bách khoa Hà Nội")
PLACES = ("Hà Nội", "TP Hồ Chí Minh", "Đà Nẵng", "Cần Thơ", "Hải Phòng")


def write_articles(folder: Path, n: int = 20) -> Path:
    """``n`` short articles that share people, organisations and places in different combinations."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        person, title, org = PEOPLE[i % 5], TITLES[(i // 5) % 5], ORGS[(i * 3) % 5]
        place, year = PLACES[(i * 2) % 5], 2019 + i % 6
        (folder / f"tin-{i:02d}.txt").write_text(
            f"Khai mạc Hội chợ Công nghệ {place} {year}\n"
            f"Ngày {i % 28 + 1}/{i % 12 + 1}/{year}, tại {place}, {org} tổ chức Hội chợ Công nghệ {place} {year}.\n"
            f"{title} {org} {person} phát biểu khai mạc. Hội chợ có {50 + i} gian hàng của {10 + i} doanh nghiệp.\n"
            f"Giải Nhất trị giá {i + 1}0 triệu đồng thuộc về nhóm sinh viên {ORGS[4]}.\n"
            f"{PEOPLE[(i + 1) % 5]}\n", encoding="utf-8")
    (folder / "hong.txt").write_bytes(b"Tin\n\xff\xfe\xfa kh\xf4ng ph\xe1i UTF-8\n")
    return folder


def test_two_jobs_write_the_same_bytes_as_one(tmp_path):
    src = write_articles(tmp_path / "in")
    one = build([src], tmp_path / "one", jobs=1)
    two = build([src], tmp_path / "two", jobs=2)
    assert (one.articles, one.quads, one.failed) == (two.articles, two.quads, two.failed)
    assert one.articles == 20 and [Path(p).name for p, _ in one.failed] == ["hong.txt"]
    written = [name for name in OUTPUT_FILES if (tmp_path / "one" / name).exists()]
    assert {"graph.trig", "graph.ttl", "graph.nq", "graph.jsonld"} <= set(written)
    for name in written:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
