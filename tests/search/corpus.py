"""A small multilingual corpus the relevance tests search: articles, products, records, media."""

from wagtail.models import Page

from cms.topics import Topic
from heritage.models import EthnicGroup, HeritageKind
from tests.cms.factories import (
    ArticlePageFactory,
    HomePageFactory,
    ProductIndexPageFactory,
    ProductPageFactory,
    TopicIndexPageFactory,
    make_site_root,
)
from tests.heritage.factories import (
    HeritageIndexPageFactory,
    HeritageRecordFactory,
    RecordImageFactory,
)
from tests.search.test_analysis import SHARED_DATA, udhr

UDHR = SHARED_DATA / "udhr"


KHMER_PARAGRAPHS = (2, 3, 4, 5, 6, 7, 15, 36)
"""Paragraphs of the Khmer UDHR given to the Khmer records, one each."""


def paragraph(number):
    """One paragraph of the Khmer UDHR."""
    return udhr("khm")[number]


def body(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def build(with_khmer):
    """Create the corpus under a fresh site root; return its objects by short name."""
    home = make_site_root(HomePageFactory(parent=Page.get_first_root_node()))
    health = TopicIndexPageFactory(parent=home)
    market = TopicIndexPageFactory(
        parent=home, topic=Topic.MARKET, title="Thị trường", slug="thi-truong", slug_en="market"
    )
    culture = TopicIndexPageFactory(
        parent=home, topic=Topic.CULTURE, title="Văn hóa", slug="van-hoa", slug_en="culture"
    )
    products = ProductIndexPageFactory(parent=home)
    HeritageIndexPageFactory(parent=home)
    made = {}
    made["malaria"] = ArticlePageFactory(
        parent=health,
        title="Phòng chống sốt rét mùa mưa",
        summary="Ngủ màn mỗi đêm, kể cả khi ngủ lại trên nương.",
        body=body("Muỗi truyền bệnh sốt rét đốt vào ban đêm."),
        title_en="Preventing malaria in the rainy season",
        slug_en="preventing-malaria",
        summary_en="Sleep under a net every night, even in the field hut.",
        body_en=body("Mosquitoes that carry malaria bite at night."),
    )
    made["vaccine"] = ArticlePageFactory(
        parent=health,
        title="Tiêm vắc xin đầy đủ cho trẻ em",
        summary="Lịch tiêm chủng mở rộng tại trạm y tế xã.",
        body=body("Trẻ dưới một tuổi cần tiêm đủ các mũi vắc xin."),
        title_en="Vaccinating children on time",
        slug_en="vaccinating-children",
        summary_en="The expanded immunisation schedule at the commune health station.",
        body_en=body("Children under one need every dose of the vaccine."),
    )
    made["coffee"] = ArticlePageFactory(
        parent=market,
        title="Giá cà phê tăng mạnh ở Tây Nguyên",
        summary="Giá cà phê nhân xô tăng 5 000 đồng một ký trong tuần.",
        body=body("Thương lái thu mua cà phê tại Đắk Lắk và Gia Lai."),
        title_en="Coffee prices rise sharply in the Central Highlands",
        slug_en="coffee-prices-rise",
        summary_en="Green coffee rose by 5,000 dong a kilo this week.",
        body_en=body("Traders buy coffee in Dak Lak and Gia Lai."),
    )
    made["rice"] = ArticlePageFactory(
        parent=culture,
        title="Trồng lúa nương trên đất dốc",
        summary="Kinh nghiệm giữ đất của đồng bào vùng cao.",
        body=body("Lúa nương gieo khi mưa đầu mùa."),
        title_en="Growing upland rice on steep slopes",
        slug_en="growing-upland-rice",
        summary_en="How highland farmers keep their soil.",
        body_en=body("Upland rice is sown with the first rains."),
    )
    made["mother"] = ArticlePageFactory(
        parent=culture,
        title="Thư gửi má ở quê",
        summary="Lá thư của người con đi làm xa.",
        body=body("Con nhớ má nhiều lắm."),
    )
    made["but"] = ArticlePageFactory(
        parent=culture,
        title="Chuyện mà ai cũng biết",
        summary="Những điều giản dị trong bản.",
        body=body("Chuyện mà người già hay kể bên bếp lửa."),
    )
    made["mediation"] = ArticlePageFactory(
        parent=culture,
        title="Hòa giải ở cơ sở",
        summary="Tổ hòa giải thôn giúp bà con giữ tình làng nghĩa xóm.",
        body=body("Hòa giải viên là người có uy tín trong thôn."),
    )
    made["tea"] = ProductPageFactory(
        parent=products,
        title="Chè Shan tuyết Suối Giàng",
        description="Chè búp hái từ cây chè cổ thụ trên núi cao.",
    )
    made["brocade"] = ProductPageFactory(
        parent=products,
        title="Thổ cẩm Mông Sa Pa",
        category="textile",
        producer="Hợp tác xã dệt lanh Lùng Tám",
        description="Vải lanh dệt tay, vẽ sáp ong và nhuộm chàm.",
    )
    made["arabica"] = ProductPageFactory(
        parent=products,
        title="Coffee Arabica Cầu Đất",
        description="Cà phê Arabica trồng ở Cầu Đất, Lâm Đồng (coffee).",
    )
    hmong = EthnicGroup.objects.get(name="Mông")
    made["gau_tao"] = HeritageRecordFactory(
        title="Lễ hội Gầu Tào",
        slug="gau-tao",
        summary="Lễ hội cầu phúc, cầu mệnh của người Mông dịp Tết.",
        title_hmn="Noj peb caug Gaox Tos",
        summary_hmn="Hmoob ua kevcai Gaox Tos thaum noj peb caug.",
        date_rule="lunar",
        date_month=1,
        date_day=2,
    )
    made["gau_tao"].ethnic_groups.add(hmong)
    made["khen"] = HeritageRecordFactory(
        title="Nghệ thuật khèn Mông",
        slug="khen-mong",
        kind=HeritageKind.PERFORMING_ART,
        summary="Tiếng khèn trong lễ tang và ngày hội.",
    )
    made["khen"].ethnic_groups.add(hmong)
    blt = udhr("blt") if UDHR.is_dir() else ("",) * 6
    made["tai"] = HeritageRecordFactory(
        title="Lễ cầu mùa của người Thái Đen",
        slug="cau-mua-thai-den",
        kind=HeritageKind.RITUAL,
        summary="Lễ xên bản cầu mưa thuận gió hòa.",
        title_blt=blt[0][:120],
        summary_blt=blt[3],
    )
    made["tai"].ethnic_groups.add(EthnicGroup.objects.get(name="Thái"))
    made["tomb"] = HeritageRecordFactory(
        title="Lễ bỏ mả của người Jrai",
        slug="bo-ma-jrai",
        kind=HeritageKind.RITUAL,
        summary="Lễ tiễn biệt người chết về với tổ tiên.",
        title_jra="Ƀơ̆ng huă pơthi",
        summary_jra="Tơlơi ƀơ̆ng huă prŏng hlăm plơi.",
    )
    made["bong"] = HeritageRecordFactory(
        title="Hoa bông lau trên rẫy",
        slug="bong-lau",
        kind=HeritageKind.OTHER,
        summary="Bông lau nở trắng đồi khi mùa khô đến.",
        title_jra="Bong hla ama",
        summary_jra="Bong hla tơdron.",
    )
    made["xoe"] = RecordImageFactory(record=made["tai"], caption="Múa xòe trước nhà văn hóa")
    if with_khmer:
        for number in KHMER_PARAGRAPHS:
            made[f"khmer_{number}"] = HeritageRecordFactory(
                title=f"Bản dịch Tuyên ngôn, đoạn {number}",
                slug=f"udhr-khm-{number}",
                kind=HeritageKind.ORAL_TRADITION,
                summary="Đoạn văn tiếng Khmer.",
                title_km=f"សេចក្ដីប្រកាស {number}",
                description_km=paragraph(number),
            )
    return made
