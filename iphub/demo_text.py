"""Chinese patent wording for ``iphub.demo``: titles, abstracts, claims and keywords.

Titles follow the patterns of CNIPA documents (``一种…及其制备方法``, ``基于…的…方法及系统``);
abstracts open like real ones (``本发明公开了…``, ``本实用新型涉及…``) and mix the terms of one
technical area from ``iphub.demo_vocab``, so that every word a record is indexed under also
appears in its text.
"""

from __future__ import annotations

import random
from functools import partial
from typing import NamedTuple

from iphub import demo_vocab as v
from iphub.demo_parties import pick


class PatentText(NamedTuple):
    title: str
    abstract: str
    claims: list[str]
    keywords: list[str]


# invention title patterns: prepared product, product preparation, product use, method based on a
# technique, plain method, device, device with control method
_PREP, _PREP_ONLY, _USE, _BASED, _METHOD, _DEVICE, _DEVICE_CONTROL = range(7)
_WITH_PRODUCTS = (
    _PREP,
    _PREP,
    _PREP,
    _PREP_ONLY,
    _USE,
    _BASED,
    _BASED,
    _METHOD,
    _DEVICE,
    _DEVICE,
    _DEVICE_CONTROL,
)
_WITHOUT_PRODUCTS = (_BASED, _BASED, _BASED, _METHOD, _METHOD, _DEVICE, _DEVICE, _DEVICE_CONTROL)
_DESIGN_NOTES = (
    "省略仰视图",
    "后视图与主视图对称，省略后视图",
    "左视图与右视图对称，省略左视图",
    "请求保护的外观设计包含色彩",
    "本外观设计产品为透明材质",
)
_DESIGN_POINTS = ("形状", "形状与图案的结合", "图案", "形状、图案与色彩的结合")


def technical_text(rng: random.Random, index: int, utility: bool) -> PatentText:
    """Text of an invention (``utility=False``) or utility model in area ``index``."""
    area = v.AREAS[index]
    ch = partial(pick, rng)
    adj, tech, use = ch(area.adjectives), ch(area.techniques), ch(area.uses)
    p1, p2, p3 = rng.sample(area.parts, 3)
    e1, e2, e3 = rng.sample(area.effects, 3)
    if utility:
        pattern = _DEVICE
    else:
        pattern = ch(_WITH_PRODUCTS if area.products else _WITHOUT_PRODUCTS)
    method = pattern in (_PREP_ONLY, _BASED, _METHOD)
    if pattern in (_PREP, _PREP_ONLY, _USE):
        thing = ch(area.products)
        adj = "" if adj in thing else adj
        if index in v.COMPONENTS:  # what the product is made of, not device parts
            p1, p2, p3 = rng.sample(v.COMPONENTS[index], 3)
        title = {
            _PREP: f"一种{adj}{thing}及其制备方法",
            _PREP_ONLY: f"一种{thing}的制备方法",
            _USE: f"一种{thing}及其在{use}中的应用",
        }[pattern]
        subject = f"一种{thing}的制备方法" if method else f"一种{adj}{thing}"
        short = "制备方法" if method else thing
    elif method:
        thing = ch(area.subjects)
        if pattern == _BASED:
            title = f"基于{tech}的{thing}{ch(v.METHOD_SUFFIXES)}"
            subject = f"一种基于{tech}的{thing}方法"
        else:
            title = subject = f"一种{thing}方法"
        short = f"{thing}方法"
    else:
        thing = ch(area.devices)
        if utility and rng.random() < 0.3:
            title = subject = f"一种用于{use}的{thing}"
        elif pattern == _DEVICE_CONTROL:
            title, subject = f"一种{thing}及其控制方法", f"一种{thing}"
        else:
            plain = adj in thing or rng.random() < 0.3
            title = subject = f"一种{thing}" if plain else f"一种{adj}{thing}"
        short = thing

    own = "本实用新型" if utility else "本发明"
    lead = title if title.startswith("一种") else f"一种{title}"
    if rng.random() < 0.35:
        first, subject_ref = f"{own}涉及{area.name}技术领域，具体涉及{lead}。", f"所述{short}"
    else:
        first, subject_ref = f"{own}{ch(('公开了', '提供了'))}{lead}，", ""
    if pattern == _PREP_ONLY:
        steps = f"将{p1}、{p2}和{p3}按比例混合，采用{tech}处理后得到{thing}"
        body = f"所述制备方法包括以下步骤：{steps}，{e1}。"
        claim1 = f"1. {subject}，其特征在于，包括以下步骤：{steps}。"
        share = rng.randint(5, 60)
        claim2 = f"2. 根据权利要求1所述的{short}，其特征在于，所述{p1}的质量分数为{share}%。"
    elif method:
        steps = f"获取{p1}数据；基于{tech}对{p2}进行处理"
        body = f"所述方法包括：{steps}；根据处理结果优化{p3}，{e1}。"
        claim1 = f"1. {subject}，其特征在于，包括以下步骤：{steps}。"
        claim2 = f"2. 根据权利要求1所述的{short}，其特征在于，所述处理的结果用于{use}。"
    else:
        if utility:
            detail = f"所述{p1}与所述{p2}{ch(v.CONNECTIONS)}"
        else:
            detail = f"所述{p1}采用{tech}{ch(('制备', '处理', '实现'))}"
        body = f"{subject_ref}包括{p1}、{p2}和{p3}，{detail}，{e1}。"
        claim1 = f"1. {subject}，其特征在于，包括{p1}、{p2}和{p3}。"
        claim2 = f"2. 根据权利要求1所述的{short}，其特征在于，{detail}。"
    if method and not subject_ref:
        first = first[:-1] + "。"
    sentences = [first, body, f"{own}{e2}，{ch(v.GENERIC_EFFECTS)}，可广泛应用于{use}领域。"]
    if rng.random() < 0.5 or len(first) + len(body) < 80:
        sentences.append(f"与现有技术相比，{own}{e3}。")
    if sum(map(len, sentences)) < 110:
        sentences.append(f"{own}所述{short}{ch(v.GENERIC_EFFECTS)}，便于推广应用。")
    claims = [claim1, claim2, f"3. 根据权利要求1或2所述的{short}，其特征在于，所述{p3}采用{tech}。"]
    # every keyword occurs in the text: utility-model wording never names the technique
    terms = list(dict.fromkeys((thing, p1, p2, use, p3) if utility else (thing, tech, p1, p2, use)))
    return PatentText(
        title,
        "".join(sentences),
        claims[: 1 + int(rng.random() * 3)],
        terms[: 3 + int(rng.random() * 3)],
    )


def design_text(rng: random.Random) -> tuple[PatentText, str, str]:
    """Text of a design patent, its Locarno class and its industry."""
    product, locarno, use, industry = pick(rng, v.DESIGN_PRODUCTS)
    title = product + pick(rng, v.DESIGN_VARIANTS)
    abstract = (
        f"1．本外观设计产品的名称：{title}。2．本外观设计产品的用途：本外观设计产品用于"
        f"{use}。3．本外观设计产品的设计要点：在于{pick(rng, _DESIGN_POINTS)}。"
        f"4．最能表明设计要点的图片或照片：{pick(rng, ('立体图', '立体图1', '主视图'))}。"
        f"5．{pick(rng, _DESIGN_NOTES)}。"
    )
    return PatentText(title, abstract, [], [product, use, "外观设计"]), locarno, industry
