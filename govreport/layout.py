"""Recognise the parts of a report page: section headings, page furniture, titles and sign-offs.

These are judgements about single paragraphs; :mod:`govreport.assemble` decides what to do with them.

>>> section_of_heading("一、总体情况")
1
>>> section_of_heading("主动公开政府信息情况")
2
>>> section_of_heading("（一）主动公开政府信息情况") is None
True
>>> section_of_heading("-、总体情况")
1
>>> is_furniture("浏览次数:次   打印")
True
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from functools import lru_cache

from .lazyre import lazy_compile
from .normalize import CN_NUMERALS, normalize_label, squash_space
from .schema import GLUED_TABLE_START, SECTIONS
from .settings import options

_MARKDOWN_RE = lazy_compile(r"^\s*(?:#{1,6}\s*|>\s*)?(?:\*\*|__)?(.*?)(?:\*\*|__)?\s*$", re.S)
_NUMERAL_RE = lazy_compile(r"^第?([一二三四五六])(?:部分)?(?:[、.,，:：]|(?=[^\d一二三四五六七八九十]))")
#: A numeral an OCR read as a dash (``-、总体情况`` for 一、, even for 二、): the heading's wording names it.
_DASH_NUMERAL_RE = lazy_compile(r"^[-－—–_ー]{1,2}[、.,，]")
_TRAILING_PUNCT = "：:。.，,；;"
_NAMES = {s.number: {normalize_label(n) for n in s.names} for s in SECTIONS}
#: A note after a heading that the statistics follow as a table: 二、主动公开政府信息情况（有关情况附表）.
_TABLE_NOTE = r"[（(][^（）()]{0,12}附表[）)]"
_TABLE_NOTE_RE = lazy_compile(_TABLE_NOTE + "$")


def strip_markdown(text: str) -> str:
    """Drop markdown heading marks and bold around a line (``## 一、总体情况``)."""
    m = _MARKDOWN_RE.match(text)
    return m.group(1) if m else text


@lru_cache(maxsize=4096)
def section_of_heading(text: str) -> int | None:
    """The section number (1–6) a paragraph is the heading of, or None.

    A heading with its numeral may vary its wording (``五、存在的主要问题及整改措施``); one without a
    numeral must use a known wording, so that sub-headings and table labels are not taken for headings.
    """
    norm = _TABLE_NOTE_RE.sub("", normalize_label(strip_markdown(text)).rstrip(_TRAILING_PUNCT))
    if not norm or len(norm) > 40:
        return None
    m = _NUMERAL_RE.match(norm)
    if m:
        numeral = CN_NUMERALS[m.group(1)]
        body = norm[m.end():].lstrip("、.,，:：")
        matches = [s.number for s in SECTIONS if body in _NAMES[s.number] or re.match(s.loose, body)]
        if numeral in matches:
            return numeral
        return matches[0] if len(matches) == 1 else None
    m = _DASH_NUMERAL_RE.match(norm)
    if m:
        norm = norm[m.end():]
    for number, names in _NAMES.items():
        if norm in names:
            return number
    return None


def is_named_heading(text: str) -> bool:
    """A numbered heading whose wording is one of the known ones (not only close to one).

    >>> is_named_heading("五、存在的主要问题及整改措施"), is_named_heading("五、存在的主要问题及")
    (True, False)
    """
    norm = _TABLE_NOTE_RE.sub("", normalize_label(strip_markdown(text)).rstrip(_TRAILING_PUNCT))
    m = _NUMERAL_RE.match(norm)
    if m is None:
        return False
    return norm[m.end():].lstrip("、.,，:：") in _NAMES.get(CN_NUMERALS[m.group(1)], set())


_FURNITURE_RE = lazy_compile(
    r"^(当前位置|您的位置|您现在的位置|位置[:：]|首页\s*[>›»/＞])"
    r"|浏览次数|访问次数|阅读次数|点击数|点击量|浏览量|访问量|阅读量"
    r"|^[【\[]?(打印|关闭|打印本页|关闭窗口|分享到|附件下载|扫一扫|相关解读|文字解读|图片解读|视频解读|访谈解读"
    r"|媒体报道|上一篇|下一篇|返回顶部|高级搜索|收藏|纠错|字体|字号|网站编辑|责任编辑)"
    r"|【网站编辑】|责任编辑[:：]|^(信息)?来源[:：]|^(发布|成文|公开|印发)日期|^(发布|更新)时间|^时间[:：]"
    r"|^索引号|^主题分类|^发文机关|^发文字号|^公文时效|^发布机构|^文\s*号[:：]|^分\s*类[:：]"
    r"|^[|｜\s]+$|^字体[:：]?\s*[【\[]|【\s*(大|中|小)\s*】"
)
_END_RE = lazy_compile(
    r"^[【\[]?(附件下载|扫一扫|相关解读|相关链接|相关文件|相关文章|相关信息|相关阅读|推荐阅读|上一篇|下一篇|分享到"
    r"|打印本页|关闭窗口|【?打印】?|网站编辑|网站地图|联系我们|主办单位|主办[:：]|承办[:：]|版权所有)"
    r"|【网站编辑】|责任编辑|ICP备|公网安备|网站标识码"
)


_PAGE_NUMBER_RE = lazy_compile(r"^(?:[-—–－─]\s*\d{1,3}\s*[-—–－─]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
                             r"|\d{1,3}\s*/\s*\d{1,3})$")


#: A page number at either end of a line, two spaces or more from the text beside it: a tool that sorts
#: text by position sets the page's foot beside the row of a table printed next to it.
#: At most one space inside it: `—    3     —` in laid-out text is three cells (a dash is an empty one).
_EDGE_PAGE_NUMBER_RE = lazy_compile(r"^\s*[-—–－─] ?\d{1,3} ?[-—–－─](?=\s{2,}\S)"
                                  r"|(?<=\S\s\s)\s*[-—–－─] ?\d{1,3} ?[-—–－─]\s*$")


def blank_page_numbers(text: str) -> str:
    """``text`` with a page number at either end (``- 4 -    法提供``) turned to spaces, so that what
    stands where stays where it stood.

    >>> blank_page_numbers("- 4 -    法提供   2.没有现成信息")
    '         法提供   2.没有现成信息'
    >>> blank_page_numbers("行政许可   396   — 3 —")
    '行政许可   396        '
    >>> blank_page_numbers("规章        —    3     —")
    '规章        —    3     —'
    """
    if "-" not in text and "—" not in text and "–" not in text and "－" not in text and "─" not in text:
        return text
    return _EDGE_PAGE_NUMBER_RE.sub(lambda m: " " * len(m.group(0)), text)


def is_page_number(text: str) -> bool:
    """A page number printed as page furniture: ``- 3 -``, ``— 4 —``, ``第 3 页``, ``3/10``."""
    return bool(_PAGE_NUMBER_RE.match(text.strip(" \t\u3000\u00a0")))


@lru_cache(maxsize=4096)
def is_furniture(text: str) -> bool:
    """Web-page furniture: breadcrumbs, hit counters, print/share buttons, metadata lines."""
    stripped = text.strip()
    return len(stripped) <= 80 and bool(_FURNITURE_RE.search(stripped))


def ends_body(text: str) -> bool:
    """Furniture that comes after the report on a web page: everything from here on is not report text."""
    stripped = text.strip()
    return len(stripped) <= 60 and bool(_END_RE.search(stripped))


def body_end_within(text: str) -> int | None:
    """Where furniture that follows the report starts inside a line: a page's text on one line runs from
    the last section into ``附件下载 扫一扫…`` after a space (``get_text(" ", strip=True)``), or glued to
    it where nothing parts text nodes (``get_text(strip=True)``: ``…事项附件下载扫一扫在手机上查看…``) —
    then only where a second piece of furniture follows the first, which one word alone does not say."""
    m = _END_INLINE_RE.search(text) or _END_GLUED_RE.search(text)
    if m:
        return m.start()
    return next((s.start() for s in _SIGN_OFF_INLINE_RE.finditer(text) if not _goes_on(text[s.end():s.end() + 1])),
                None)


def _goes_on(after: str) -> bool:
    """Whether the character after a date continues a sentence (a Chinese character or a comma)."""
    return bool(after) and ("\u4e00" <= after <= "\u9fff" or after in "，,")


_END_WORDS = (r"附件下载|扫一扫|相关解读|相关链接|相关文件|相关文章|推荐阅读|上一篇|下一篇|分享到|打印本页"
              r"|关闭窗口|网站地图|联系我们|主办单位|版权所有")
_END_INLINE_RE = lazy_compile(rf"\s(?=[【\[]?(?:{_END_WORDS}))")
#: A sign-off after the last sentence on the same line: the agency's name and the date (``…情况。
#: 沭阳县发展和改革局 2024年1月17日 var …``); taken where no sentence goes on after the date.
_SIGN_OFF_INLINE_RE = lazy_compile(
    r"(?<=[。；！])\s*[^\s，。；]{2,30}?(?:局|委员会|委|办公室|办|人民政府|政府|管委会|中心|院|厅|部|署|所|镇|乡"
    r"|街道|办事处)\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_END_GLUED_RE = lazy_compile(
    rf"(?=[【\[]?(?:{_END_WORDS})[^。，；]{{0,12}}?(?:{_END_WORDS}|文字解读|图片解读|当前页面))")


_DATE_RE = lazy_compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, **{k: v for k, v in CN_NUMERALS.items() if v < 10}}
_CN_DATE_RE = lazy_compile(
    r"^([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
_ORG_SUFFIX_RE = lazy_compile(
    r"(局|委员会|委|办公室|办|人民政府|政府|管委会|中心|院|厅|部|署|处|科|所|站|队|镇|乡|街道|办事处|公司|集团|会)$")
_SENTENCE_PUNCT = lazy_compile(r"[，。；：！？,;:!?、]")


def parse_date(text: str) -> dt.date | None:
    """A date written ``2024年1月9日``, ``2024-01-29`` or ``二〇二四年一月九日``."""
    squashed = squash_space(text)
    m = _DATE_RE.search(squashed)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = _CN_DATE_RE.match(squashed)
    if m is not None:
        year = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
        month, day = (_cn_small_number(m.group(2)), _cn_small_number(m.group(3)))
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


def _cn_small_number(text: str) -> int:
    if text.startswith("十"):
        return 10 + (CN_NUMERALS.get(text[1:], 0) if len(text) > 1 else 0)
    if text.endswith("十"):
        return CN_NUMERALS[text[0]] * 10
    if "十" in text:
        tens, ones = text.split("十")
        return CN_NUMERALS[tens] * 10 + CN_NUMERALS[ones]
    return CN_NUMERALS[text]


def is_date_line(text: str) -> bool:
    squashed = squash_space(text)
    return bool(re.fullmatch(r"(19|20)\d{2}年\d{1,2}月\d{1,2}日", squashed) or _CN_DATE_RE.match(squashed))


def is_sign_off(text: str, agency: str | None) -> bool:
    """A closing line: the agency's name or a date standing alone."""
    squashed = squash_space(text)
    if not squashed or len(squashed) > 30:
        return False
    if is_date_line(squashed):
        return True
    if _SENTENCE_PUNCT.search(squashed) or re.search(r"\d", squashed):
        return False
    if agency and (squashed in agency or agency in squashed):
        return True
    return bool(_ORG_SUFFIX_RE.search(squashed))


_TITLE_RE = lazy_compile(r"(?:19|20)\d{2}\s*年.*(?:信息公开|政务公开).*(?:年度报告|年报)")
_TITLE_TAIL_RE = lazy_compile(r"^(?:19|20)\d{2}\s*年度?.*(?:报告|年报)$")


def ends_sentence(text: str) -> bool:
    """Whether a line ends where a sentence or a clause does (。；：！？ and their ASCII forms, a closing
    bracket or quote)."""
    return bool(text) and text.rstrip()[-1:] in _SENTENCE_ENDS


_SENTENCE_ENDS = "。；：！？.;:!?）)」』”’》"


def ends_as_title(text: str) -> bool:
    """Whether a line ends the way a report's title does (``…年度报告``, ``…年报``, ``…报告（全文）``)."""
    return bool(_TITLE_END_RE.search(squash_space(text)))


_TITLE_END_RE = lazy_compile(r"(?:报告|年报)(?:[（(][^）)]{0,12}[）)])?$")


def is_title(text: str) -> bool:
    squashed = squash_space(text)
    return len(squashed) <= 80 and bool(_TITLE_RE.search(squashed)) and "。" not in squashed


def is_title_tail(text: str) -> bool:
    """The second line of a title broken after the agency name (``2024年政府信息公开工作年度报告``)."""
    squashed = squash_space(text)
    return len(squashed) <= 40 and bool(_TITLE_TAIL_RE.match(squashed))


def is_title_head(text: str) -> bool:
    """The first line of a title broken after the agency name (``淮安市人民政府``)."""
    squashed = squash_space(text)
    return (0 < len(squashed) <= 30 and not _SENTENCE_PUNCT.search(squashed)
            and not re.search(r"\d", squashed) and not is_furniture(squashed))


_AGENCY_CLEAN_RE = lazy_compile(r"关于|^[\s,，:：、]+|[\s,，:：、]+$")


#: A field label before a title, as crawlers and metadata blocks write it (标题: …).
_FIELD_LABEL_RE = lazy_compile(r"^\s*(?:标题|题目|文章标题|名称)(?:\s*[:：]|\s+)\s*")


def without_field_label(text: str) -> str:
    """A title without the field label a page's metadata block puts before it (``标题：``, ``名称 ``)."""
    return _FIELD_LABEL_RE.sub("", text)


def title_parts(title: str) -> tuple[str | None, int | None]:
    """The agency and the year a title names.

    >>> title_parts("绥德县关于信访局2023年信息公开工作年度报告")
    ('绥德县信访局', 2023)
    >>> title_parts("2019年上海市人民政府办公厅政府信息公开工作年度报告")
    ('上海市人民政府办公厅', 2019)
    >>> title_parts("标题: 平潭综合实验区公安局2022年政府信息公开工作年度报告")
    ('平潭综合实验区公安局', 2022)
    """
    squashed = squash_space(without_field_label(title))
    m = re.search(r"((?:19|20)\d{2})\s*年度?", squashed)
    if not m:
        return None, None
    year = int(m.group(1))
    agency = squashed[: m.start()]
    if not agency:
        rest = squashed[m.end():]
        cut = re.search(r"(政府信息公开|政务信息公开|政务公开|信息公开)", rest)
        agency = rest[: cut.start()] if cut else ""
    agency = _AGENCY_CLEAN_RE.sub("", agency)
    return (agency or None), year


_PERIOD_RE = lazy_compile(r"((?:19|20)\d{2})\s*年?\s*1\s*月\s*1\s*日")


def year_from_text(text: str) -> int | None:
    """The year of the statistics period a preamble states (``2023年1月1日至12月31日``)."""
    m = _PERIOD_RE.search(squash_space(text))
    if m:
        return int(m.group(1))
    m = re.search(r"((?:19|20)\d{2})\s*年度?(?:政府|政务)?信息公开", squash_space(text))
    return int(m.group(1)) if m else None


_PUBLISHED_RE = lazy_compile(r"(发布日期|发布时间|公开日期|成文日期|时间|日期)[:：]?\s*")


def published_date(text: str) -> dt.date | None:
    """The publication date a metadata line states (``发布日期:2024年01月29日``)."""
    squashed = text.strip()
    m = _PUBLISHED_RE.search(squashed)
    if not m:
        return None
    return parse_date(squashed[m.end(): m.end() + 24])


_CJK_RUN = r"[\u4e00-\u9fff（）]"
_EMBEDDED_TITLE_RE = lazy_compile(
    rf"({_CJK_RUN}{{2,40}})(?:19|20)\d{{2}}\s*年度?(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)")
_LEAD_INS = ("《", "〈", "公布", "发布", "编制", "形成", "现将", "向社会", "印发", "报送", "公开")
_FIRST_SENTENCE_RE = lazy_compile(
    rf"^(?:19|20)\d{{2}}\s*年度?[，,]\s*({_CJK_RUN}{{3,24}}?)"
    r"(?:坚持|认真|深入|全面|以|在|始终|紧紧|严格|按照|积极|围绕|紧扣|持续|进一步|高度|不断|聚焦|扎实|立足|牢固|切实|把)")
_WEBSITE_RE = lazy_compile(rf"(?:可在|可以在|可登录|登录)({_CJK_RUN}{{3,30}}?)(?:门户网站|政府网站|网站)")
_NOT_AGENCY = ("我", "本", "全", "各", "该")


def agency_from_text(*texts: str | None) -> str | None:
    """An agency name stated in running text, for reports that print no title.

    Tried in order: a report name quoted in the text (``现向社会公布沭阳县发展和改革局2023年度政府信息公开
    年度报告``), the subject of a first sentence (``2024年，平潭综合实验区坚持…``), the website the report is
    published on (``本报告的电子版可在平潭综合实验区党工委管委会政府门户网站…下载``).

    >>> agency_from_text("现向社会公布沭阳县发展和改革局2023年度政府信息公开年度报告。")
    '沭阳县发展和改革局'
    """
    joined = [squash_space(t) for t in texts if t]
    for text in joined:
        for m in _EMBEDDED_TITLE_RE.finditer(text):
            candidate = m.group(1)
            cut = max((candidate.rfind(w) + len(w) for w in _LEAD_INS if w in candidate), default=0)
            candidate = _AGENCY_CLEAN_RE.sub("", candidate[cut:])
            if len(candidate) >= 3 and not candidate.startswith(_NOT_AGENCY):
                return candidate
    for text in joined:
        for paragraph in text.split("\n"):
            subject = _FIRST_SENTENCE_RE.match(paragraph)
            if subject and not subject.group(1).startswith(_NOT_AGENCY):
                return subject.group(1)
    for text in joined:
        site = _WEBSITE_RE.search(text)
        if site and not site.group(1).startswith(_NOT_AGENCY):
            owner = site.group(1)
            return re.sub(r"(人民)?政府$", "", owner) if owner.endswith("委会政府") else owner
    return None


#: Headings vary in their connectives (复议、诉讼 / 复议与诉讼 / 复议和诉讼 / 复议及诉讼). The glued-text search
#: reads each as 、, in its wordings and in the text it searches (one character for one, so the places
#: found are the text's own): one literal wording then matches them all, where a character class in
#: every wording made the pattern cost ~4 ms to compile, a tenth of a one-file read.
_AS_ONE_CONNECTIVE = str.maketrans("与和及", "、、、")


def _glued_boundaries() -> re.Pattern[str]:
    names = {n.translate(_AS_ONE_CONNECTIVE) for s in SECTIONS for n in (*s.names, s.heading[2:])}
    # Wordings also vary in a 的 before 情况.
    variants = [re.escape(n).replace("情况", "的?情况") for n in sorted(names, key=len, reverse=True)]
    heading = rf"[一二三四五六][、.．]\s*(?:{'|'.join(variants)})(?:{_TABLE_NOTE})?"
    return lazy_compile(rf"(?P<heading>{heading})|(?P<table>{GLUED_TABLE_START})".translate(_AS_ONE_CONNECTIVE))


_GLUED_RE = _glued_boundaries()


def _may_start_heading(text: str, at: int) -> bool:
    """A heading counts only where a sentence or a table ends before it."""
    before = text[:at].rstrip()
    return not before or bool(re.search(r"[。；;：:！？!?）)\d”\"元件个次%]$|报告$|年报$", before))


_NUMBERED_RE = lazy_compile(r"([一二三四五六])[、.．]")
_BODY_NAMES = {s.number: sorted({normalize_label(n) for n in (*s.names, s.heading[2:])}) for s in SECTIONS}


def _misspelt_headings(text: str, found: set[int]) -> list[tuple[int, int]]:
    """Headings of sections the exact wordings did not find, printed with a typo
    (``四、政府信息公开行政法复议、行政诉讼情况``): a numeral followed by text close to a known wording."""
    spans = []
    for m in _NUMBERED_RE.finditer(text):
        number = CN_NUMERALS[m.group(1)]
        if number in found or not _may_start_heading(text, m.start()):
            continue
        length = _near_wording(text[m.end(): m.end() + 40], _BODY_NAMES[number])
        if length:
            spans.append((m.start(), m.end() + length))
            found.add(number)
    return spans


def _near_wording(text: str, names: list[str]) -> int:
    """The length of the start of ``text`` that is a near miss of one of ``names`` (0: none is)."""
    best, best_length = options().layout.heading_near_miss_ratio, 0
    for name in names:
        for length in range(max(2, len(name) - 2), len(name) + 3):
            ratio = difflib.SequenceMatcher(None, text[:length], name).ratio()
            if ratio > best:
                best, best_length = ratio, length
    return best_length


def split_glued(text: str) -> list[str]:
    """A paragraph that holds a whole page glued into one line, cut before and after each section heading
    and before each statistical table (crawler text, text nodes joined without separators).

    >>> split_glued("…工作要求。二、主动公开政府信息情况第二十条第（一）项信息内容")
    ['…工作要求。', '二、主动公开政府信息情况', '第二十条第（一）项信息内容']
    """
    cuts: set[int] = set()
    found: set[int] = set()
    for m in _GLUED_RE.finditer(text.translate(_AS_ONE_CONNECTIVE)):
        if m["heading"]:
            if not _may_start_heading(text, m.start()):
                continue
            cuts.update((m.start(), m.end()))
            found.add(CN_NUMERALS[m["heading"][0]])
        else:
            cuts.add(m.start())
    for start, end in _misspelt_headings(text, found):
        cuts.update((start, end))
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(text)), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds) if text[a:b].strip()]
