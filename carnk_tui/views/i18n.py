"""The interface's own words in both languages: labels, headings and enumeration values.

Knowledge (names, facts, figures) lives in the YAML knowledge base, never here.
"""

from __future__ import annotations

import os

from carnk_tui.kb.model import Lang

_STRINGS: dict[str, tuple[str, str]] = {
    # tabs and panes
    "tab.overview": ("概览", "Overview"),
    "tab.landscape": ("格局", "Landscape"),
    "tab.outlook": ("挑战与展望", "Challenges & Outlook"),
    "as_of": ("数据截至", "as of"),
    "tree.root": ("三大阵营", "Three camps"),
    "tree.deals": ("交易", "Deals"),
    "tree.more": ("…… 还有 {n} 项(回车显示)", "… {n} more (Enter shows them)"),
    "outlook.challenges": ("挑战", "Challenges"),
    "outlook.setbacks": ("挫折", "Setbacks"),
    "outlook.directions": ("未来方向", "Future directions"),
    "outlook.judgement": ("结论", "Closing judgement"),
    "overview.car_t_limits": ("CAR-T 的局限", "Limits of CAR-T"),
    "overview.nk_advantages": ("NK 细胞的优势", "Advantages of NK cells"),
    "overview.cell_sources": ("NK 细胞来源", "Sources of NK cells"),
    "overview.comparison": ("CAR-T 与 CAR-NK 对比", "CAR-T vs CAR-NK"),
    "col.aspect": ("维度", "Aspect"),
    "col.lead_indication": ("主要适应症", "Lead indication"),
    "col.best_result": ("最佳报告疗效", "Best reported response"),
    "col.mark": ("✓", "✓"),
    "compare.hint": ("{n} 个产品 · 按“{sort}”排序(s 切换列,点击列头亦可)· 空格标记({marked}/4)· c 并排对比 · Enter 打开",
                     "{n} products · sorted by {sort} (s: next column, or click a header) · Space marks ({marked}/4) · c compares · Enter opens"),
    "compare.too_many": ("最多标记 {n} 个产品", "Mark at most {n} products"),
    "compare.need_two": ("请先用空格标记 2–4 个产品", "Mark 2–4 products with Space first"),
    "compare.title": ("并排对比", "Side by side"),
    "tab.compare": ("对比", "Compare"),
    "tab.timeline": ("时间线", "Timeline"),
    "tab.results": ("疗效", "Results"),
    "results.hint": ("所有试验结果,按适应症分组;N=? 表示来源未报告分母", "Every trial result, grouped by indication; N=? means the source gives no denominator"),
    "history.start": ("已是最早的记录", "Already at the first record"),
    "history.end": ("已是最新的记录", "Already at the latest record"),
    "export.done": ("已导出:{path}", "Exported to {path}"),
    "col.car_t": ("CAR-T", "CAR-T"),
    "col.car_nk": ("CAR-NK", "CAR-NK"),
    # fields
    "f.camp": ("阵营", "Camp"),
    "f.company": ("公司", "Company"),
    "f.companies": ("公司", "Companies"),
    "f.location": ("所在地", "Location"),
    "f.founded": ("成立", "Founded"),
    "f.status": ("状态", "Status"),
    "f.ticker": ("股票代码", "Ticker"),
    "f.acquired_by": ("被收购方", "Acquired by"),
    "f.platforms": ("技术平台", "Platforms"),
    "f.platform": ("技术平台", "Platform"),
    "f.products": ("产品", "Products"),
    "f.product": ("产品", "Product"),
    "f.deals": ("交易", "Deals"),
    "f.events": ("大事记", "Events"),
    "f.target": ("靶点", "Target"),
    "f.cell_source": ("细胞来源", "Cell source"),
    "f.modality": ("类型", "Modality"),
    "f.engineering": ("工程改造", "Engineering"),
    "f.car": ("CAR", "CAR"),
    "f.armour": ("增强基因", "Armour"),
    "f.knockouts": ("敲除", "Knock-outs"),
    "f.other": ("其他", "Other"),
    "f.indications": ("适应症", "Indications"),
    "f.indication": ("适应症", "Indication"),
    "f.area": ("领域", "Area"),
    "f.stage": ("阶段", "Stage"),
    "f.allogeneic": ("同种异体", "Allogeneic"),
    "f.trials": ("临床试验", "Trials"),
    "f.trial": ("临床试验", "Trial"),
    "f.deal": ("交易", "Deal"),
    "f.event": ("事件", "Event"),
    "f.phase": ("分期", "Phase"),
    "f.population": ("人群", "Population"),
    "f.sponsor": ("申办方", "Sponsor"),
    "f.registry": ("注册号", "Registry"),
    "f.start": ("开始", "Start"),
    "f.readout": ("数据发布", "Readout"),
    "f.cohorts": ("队列/分组", "Cohorts / arms"),
    "f.results": ("结果", "Results"),
    "f.publications": ("发表", "Publications"),
    "f.parties": ("参与方", "Parties"),
    "f.date": ("日期", "Date"),
    "f.kind": ("类型", "Type"),
    "f.scope": ("范围", "Scope"),
    "f.upfront": ("首付款", "Upfront"),
    "f.milestones": ("里程碑付款", "Milestones"),
    "f.total": ("总额", "Total"),
    "f.royalties": ("特许权使用费", "Royalties"),
    "f.outcome": ("后续", "What became of it"),
    "f.technology": ("技术", "Technology"),
    "f.summary": ("概述", "Summary"),
    "f.related": ("相关", "Related"),
    "f.approaches": ("途径", "Approaches"),
    "f.points": ("要点", "Points"),
    "f.bottlenecks": ("三大瓶颈", "The three bottlenecks"),
    "f.contest": ("竞争维度", "What the race is about"),
    "f.sources": ("来源", "Sources"),
    "f.discrepancies": ("来源分歧", "Where sources differ"),
    "f.article_says": ("文章", "Article"),
    "f.other_says": ("其他来源", "Other source"),
    "f.not_reported": ("N=? 表示来源未报告分母", "N=? means the source gives no denominator"),
    "f.none": ("—", "—"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "up_to": ("最高", "up to"),
    "sources_differ": ("来源不一致", "sources differ"),
    # money
    "money.million": ("万", "M"),
    # messages
    "msg.no_match": ("没有找到与“{text}”匹配的记录", "Nothing matched “{text}”"),
    "msg.loading": ("正在载入知识库……", "Loading the knowledge base…"),
    "msg.reloaded": ("已重新载入数据", "Data reloaded"),
    "problems.title": ("数据有 {n} 处问题,未重新载入;仍显示上次有效的数据。修正文件后会自动重新载入:",
                       "{n} problem(s) in the data; not reloaded, still showing the last good data. Fix the file and it reloads:"),
    "msg.lang": ("界面语言：中文", "Language: English"),
    "search.placeholder": ("搜索公司、产品、靶点、适应症……", "Search companies, products, targets, indications…"),
    "search.count": ("{n} 条结果 · Enter 打开 · Esc 返回", "{n} results · Enter opens · Esc goes back"),
    "search.hint": ("输入名称、靶点、适应症、平台或编号", "Type a name, target, indication, platform or id"),
    "palette.open": ("打开", "Open"),
    "filter.camp": ("阵营", "Camp"),
    "filter.target": ("靶点", "Target"),
    "filter.area": ("领域", "Area"),
    "filter.cell_source": ("细胞来源", "Cell source"),
    "filter.modality": ("类型", "Modality"),
    "filter.stage": ("阶段", "Stage"),
    "filter.country": ("国家/地区", "Country"),
    "filter.title": ("筛选", "Filters"),
    "filter.any": ("不限", "Any"),
    "filter.apply": ("应用", "Apply"),
    "filter.clear": ("清除", "Clear"),
    "filter.active": ("筛选中", "Filtered"),
    "filter.none_match": ("没有符合筛选条件的记录", "No records match the filters"),
    "help.title": ("快捷键", "Keys"),
    "help.app": ("全局", "Everywhere"),
    "help.tabs": ("标签页", "Tabs"),
    "help.tree": ("格局树", "Landscape tree"),
    "help.detail": ("详情窗格", "Detail pane"),
    # command-line export headings
    "md.overview": ("为什么是 NK 细胞", "Why NK cells"),
    "md.landscape": ("全球格局：三大阵营", "The landscape: three camps"),
    "md.deals": ("交易", "Deals"),
    "md.timeline": ("时间线", "Timeline"),
    "md.challenges": ("挑战", "Challenges"),
    "md.directions": ("未来方向", "Future directions"),
    "md.judgement": ("结论", "Closing judgement"),
    "md.discrepancies": ("来源分歧", "Where sources differ"),
    "md.sources": ("来源", "Sources"),
    # presentation mode (carnk-tui present)
    "present.counts": ("{camps} 大阵营 · {companies} 家公司 · {products} 个产品 · {trials} 项试验 · {deals} 笔交易",
                       "{camps} camps · {companies} companies · {products} products · {trials} trials · {deals} deals"),
    "present.lead_products": ("主要产品", "Lead products"),
    "present.more": ("另有 {n} 个", "and {n} more"),
    "present.partner_of": ("合作方:{names}", "partner of {names}"),
    "present.results": ("临床结果对比", "Clinical results compared"),
    "present.amount": ("金额", "Amount"),
    "present.hint": ("→/空格 下一页 · ← 上一页 · l 中/英 · Esc 返回 · Home/End · ↑↓ 滚动",
                     "→/Space next · ← back · l 中/EN · Esc back · Home/End · ↑↓ scroll"),
    "present.hint_standalone": ("→/空格 下一页 · ← 上一页 · l 中/英 · Esc/q 退出 · Home/End · ↑↓ 滚动",
                                "→/Space next · ← back · l 中/EN · Esc/q quit · Home/End · ↑↓ scroll"),
}

_VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "cell_source": {
        "ipsc": ("iPSC 来源", "iPSC-derived"),
        "cord-blood": ("脐带血", "cord blood"),
        "peripheral-blood": ("外周血", "peripheral blood"),
        "nk-cell-line": ("NK 细胞系", "NK cell line"),
        "resting-t-and-nk": ("静息 T/NK 细胞", "resting T and NK cells"),
        "not-applicable": ("不适用（非细胞产品）", "not applicable (not a cell product)"),
        "unknown": ("未披露", "not disclosed"),
    },
    "modality": {
        "car-nk": ("CAR-NK", "CAR-NK"),
        "car-t-and-car-nk": ("CAR-T/CAR-NK", "CAR-T/CAR-NK"),
        "nk-engager": ("NK 细胞衔接器", "NK-cell engager"),
        "nk-cell": ("NK 细胞", "NK cells"),
        "unknown": ("未披露", "not disclosed"),
    },
    "stage": {
        "discovery": ("发现", "discovery"),
        "preclinical": ("临床前", "preclinical"),
        "ind": ("IND", "IND"),
        "phase-1": ("I 期", "Phase 1"),
        "phase-1-2": ("I/II 期", "Phase 1/2"),
        "phase-2": ("II 期", "Phase 2"),
        "phase-3": ("III 期", "Phase 3"),
        "approved": ("已获批", "approved"),
        "discontinued": ("已终止", "discontinued"),
        "unknown": ("未披露", "not disclosed"),
    },
    "phase": {
        "early-phase-1": ("早期 I 期", "Early Phase 1"),
        "phase-1": ("I 期", "Phase 1"),
        "phase-1-2": ("I/II 期", "Phase 1/2"),
        "phase-2": ("II 期", "Phase 2"),
        "phase-3": ("III 期", "Phase 3"),
        "investigator-initiated": ("研究者发起", "investigator-initiated"),
    },
    "trial_status": {
        "planned": ("计划中", "planned"),
        "recruiting": ("招募中", "recruiting"),
        "active": ("进行中", "active"),
        "completed": ("已完成", "completed"),
        "terminated": ("已终止", "terminated"),
        "unknown": ("未知", "unknown"),
    },
    "company_status": {
        "active": ("运营中", "active"),
        "closed": ("已关闭", "closed"),
        "acquired": ("已被收购", "acquired"),
        "unknown": ("未知", "unknown"),
    },
    "deal_kind": {
        "collaboration": ("合作", "collaboration"),
        "licence": ("许可", "licence"),
        "acquisition": ("收购", "acquisition"),
        "option": ("期权", "option"),
    },
    "event_kind": {
        "founding": ("成立", "founding"),
        "deal": ("交易", "deal"),
        "acquisition": ("收购", "acquisition"),
        "closure": ("关闭", "closure"),
        "trial-start": ("试验启动", "trial start"),
        "readout": ("数据读出", "readout"),
        "publication": ("论文发表", "publication"),
        "layoff": ("裁员", "layoffs"),
        "pipeline-cut": ("砍管线", "pipeline cut"),
        "regulatory": ("监管", "regulatory"),
    },
    "area": {
        "haematological": ("血液恶性肿瘤", "haematological malignancy"),
        "autoimmune": ("自身免疫病", "autoimmune disease"),
        "solid-tumour": ("实体瘤", "solid tumour"),
    },
    "source_kind": {
        "article": ("文章", "article"),
        "publication": ("论文", "publication"),
        "registry": ("注册库", "registry"),
        "press-release": ("新闻稿", "press release"),
        "news": ("新闻", "news"),
        "database": ("数据库", "database"),
        "company": ("公司", "company"),
    },
    "kind": {
        "camp": ("阵营", "camp"),
        "company": ("公司", "company"),
        "platform": ("平台", "platform"),
        "product": ("产品", "product"),
        "trial": ("试验", "trial"),
        "deal": ("交易", "deal"),
        "event": ("事件", "event"),
        "challenge": ("挑战", "challenge"),
        "direction": ("方向", "direction"),
        "judgement": ("结论", "judgement"),
        "source": ("来源", "source"),
        "overview": ("概览", "overview"),
    },
}


#: key descriptions: bindings are written in English and shown in the interface language
_KEY_WORDS: dict[str, str] = {
    "Quit": "退出",
    "Language": "中/英",
    "Help": "帮助",
    "Overview": "概览",
    "Landscape": "格局",
    "Outlook": "展望",
    "Open": "展开",
    "Close": "收起",
    "Follow link": "打开链接",
    "Back": "返回",
    "Palette": "命令面板",
    "Toggle": "展开/收起",
    "Select": "选择",
    "Expand or collapse": "展开/收起",
    "Cursor up": "上移",
    "Cursor down": "下移",
    "Next pane": "下一窗格",
    "Previous pane": "上一窗格",
    "Scroll up": "上滚",
    "Scroll down": "下滚",
    "Page up": "上一页",
    "Page down": "下一页",
    "Top": "顶部",
    "Bottom": "底部",
    "Present": "演示",
    "Search": "搜索",
    "Filter": "筛选",
    "Clear filters": "清除筛选",
    "Forward": "前进",
    "Export": "导出",
    "Reload": "重新载入",
    "Mark": "标记",
    "Sort": "排序",
    "Compare": "对比",
    "Results": "疗效",
    "Timeline": "时间线",
    "Challenges & Outlook": "挑战与展望",
    "Cursor to parent": "跳到上级",
    "Cursor to next ancestor": "跳到上级的下一项",
    "Cursor to previous sibling": "上一个同级",
    "Cursor to next sibling": "下一个同级",
    "Expand or collapse all": "全部展开/收起",
    "Cursor Up": "上移",
    "Cursor Down": "下移",
    "Up": "上移",
    "Down": "下移",
    "First": "第一项",
    "Last": "最后一项",
    "Page Up": "上一页",
    "Page Down": "下一页",
    "Scroll Up": "上滚",
    "Scroll Down": "下滚",
    "Scroll Home": "滚到顶部",
    "Scroll End": "滚到底部",
    "Links": "链接",
}


def key_word(description: str, lang: Lang) -> str:
    """A key's description in the interface language."""
    return _KEY_WORDS.get(description, description) if lang == "zh" else description


def t(key: str, lang: Lang, **fields: str) -> str:
    """The interface string `key` in `lang` (the key itself when unknown)."""
    pair = _STRINGS.get(key)
    if pair is None:
        return key
    value = pair[0] if lang == "zh" else pair[1]
    return value.format(**fields) if fields else value


def label(group: str, value: str, lang: Lang) -> str:
    """The reader's word for an enumeration value, e.g. label('stage', 'phase-1', 'en')."""
    pair = _VALUES.get(group, {}).get(value)
    if pair is None:
        return value
    return pair[0] if lang == "zh" else pair[1]


def default_lang(environ: dict[str, str] | None = None) -> Lang:
    """The language the locale asks for: English for an English locale, otherwise Chinese."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            if value.lower().startswith("en"):
                return "en"
            if value.lower().startswith("zh"):
                return "zh"
    return "zh"
