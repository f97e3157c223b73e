"""Write a synthetic, schema-valid carnk-tui knowledge base of any size, for scale benchmarks.

    python benchmarks/make_kb.py --products N --out DIR [--force]

For N products it writes about N/3 companies, 2N trials, N/5 deals and N/2 events, plus
3 camps, sources, platforms, meta, overview, judgement, a few challenges and directions.
Names are realistic in both languages; some texts run to a few hundred characters; every
trial result is consistent (responders <= denominator <= cohort n, percent = responders /
denominator * 100). Output is deterministic for a given N (``random.Random(N)``).

Collections are split over several files (``companies.yaml``, ``products-01.yaml``, ...) so
no file comes near the loader's per-file limits (values and bytes). DIR must be empty or missing unless
``--force`` is given, in which case the YAML files already in DIR are removed first.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any
from collections.abc import Iterator


#: a file is split before it holds this many values or bytes; the loader refuses more than
#: 200,000 values or 8 MB per file (carnk_tui/kb/yaml_reader.py MAX_VALUES, MAX_FILE_BYTES)
MAX_VALUES_PER_FILE = 150_000
MAX_BYTES_PER_FILE = 6_000_000


def counts(n: int) -> dict[str, int]:
    """How many records of each kind a base with `n` products holds (the benchmark's size rule)."""
    return {
        "products": n,
        "companies": max(1, n // 3),
        "trials": 2 * n,
        "deals": n // 5,
        "events": n // 2,
        "camps": 3,
        "platforms": max(1, n // 8),
        "sources": max(5, n // 20),
        "challenges": 6,
        "directions": 4,
    }


# ------------------------------------------------------------------ vocabulary
ZH_SYL = list("华恒信康泰瑞安德明源启正宏科博健亿海金天元盛诺和润中嘉晨远达智新睿欣百")
ZH_SUFFIX = ["生物", "医药", "细胞", "生物科技", "免疫", "药业", "基因", "生命科学"]
ZH_CITY = [("上海", "Shanghai"), ("北京", "Beijing"), ("苏州", "Suzhou"), ("杭州", "Hangzhou"),
           ("深圳", "Shenzhen"), ("广州", "Guangzhou"), ("成都", "Chengdu"), ("武汉", "Wuhan"),
           ("南京", "Nanjing"), ("天津", "Tianjin")]
PINYIN = dict(zip("华恒信康泰瑞安德明源启正宏科博健亿海金天元盛诺和润中嘉晨远达智新睿欣百",
                  ["Hua", "Heng", "Xin", "Kang", "Tai", "Rui", "An", "De", "Ming", "Yuan", "Qi", "Zheng",
                   "Hong", "Ke", "Bo", "Jian", "Yi", "Hai", "Jin", "Tian", "Yuan", "Sheng", "Nuo", "He",
                   "Run", "Zhong", "Jia", "Chen", "Yuan", "Da", "Zhi", "Xin", "Rui", "Xin", "Bai"]))
ZH_SUFFIX_EN = {"生物": "Bio", "医药": "Pharma", "细胞": "Cell", "生物科技": "Biotech", "免疫": "Immune",
                "药业": "Pharmaceutical", "基因": "Gene", "生命科学": "Life Sciences"}
EN_HEAD = ["Nova", "Astra", "Cellix", "Immuno", "Helix", "Vanta", "Orion", "Kite", "Lumen", "Arc", "Vector",
           "Sentinel", "Apex", "Atlas", "Crest", "Bright", "Summit", "Aurora", "Meridian", "Pioneer", "Cygnus",
           "Polaris", "Tessera", "Zenith", "Caliber", "Beacon", "Harbor", "Quanta", "Sierra", "Tidal"]
EN_TAIL = ["Therapeutics", "Bio", "Biosciences", "Cell Therapy", "Immunotherapeutics", "Oncology", "Medicines",
           "Biologics", "Pharma", "Genomics"]
WEST_CITY = [("美国", "United States", "圣地亚哥", "San Diego"), ("美国", "United States", "波士顿", "Boston"),
             ("美国", "United States", "南旧金山", "South San Francisco"), ("美国", "United States", "休斯敦",
                                                                      "Houston"),
             ("英国", "United Kingdom", "伦敦", "London"), ("德国", "Germany", "慕尼黑", "Munich"),
             ("法国", "France", "巴黎", "Paris"), ("荷兰", "Netherlands", "阿姆斯特丹", "Amsterdam"),
             ("日本", "Japan", "东京", "Tokyo"), ("韩国", "South Korea", "首尔", "Seoul")]
TARGETS = ["CD19", "BCMA", "ROBO1", "NKG2D ligands", "CD33", "HER2", "CD70", "CLL1", "GPC3", "Mesothelin",
           "5T4", "CD123", "CD7", "PSMA", "Claudin 18.2", "TROP2", "B7-H3", "GD2", "EGFR", "CD20"]
CELL_SOURCES = ["ipsc", "cord-blood", "peripheral-blood", "nk-cell-line", "resting-t-and-nk", "unknown"]
MODALITIES = ["car-nk", "car-nk", "car-nk", "car-t-and-car-nk", "nk-engager", "nk-cell"]
STAGES = ["discovery", "preclinical", "preclinical", "ind", "phase-1", "phase-1", "phase-1-2", "phase-2",
          "phase-3", "approved", "discontinued", "unknown"]
PHASES = ["early-phase-1", "phase-1", "phase-1", "phase-1-2", "phase-2", "phase-3", "investigator-initiated"]
PHASE_WORDS = {"early-phase-1": ("早期I期", "early Phase I"), "phase-1": ("I期", "Phase I"),
               "phase-1-2": ("I/II期", "Phase I/II"), "phase-2": ("II期", "Phase II"), "phase-3": ("III期",
                                                                                                 "Phase III"),
               "investigator-initiated": ("研究者发起", "investigator-initiated")}
TRIAL_STATUS = ["planned", "recruiting", "recruiting", "active", "completed", "terminated", "unknown"]
#: curated statuses in the registry's words
REGISTRY_STATUS = {"planned": "not-yet-recruiting", "active": "active-not-recruiting"}
INDICATIONS = {
    "haematological": [("复发或难治性B细胞淋巴瘤", "Relapsed or refractory B-cell lymphoma"),
                       ("急性髓系白血病", "Acute myeloid leukaemia"), ("多发性骨髓瘤", "Multiple myeloma"),
                       ("骨髓增生异常综合征", "Myelodysplastic syndromes"),
                       ("B细胞急性淋巴细胞白血病", "B-cell acute lymphoblastic leukaemia"),
                       ("T细胞淋巴瘤", "T-cell lymphoma")],
    "autoimmune": [("系统性红斑狼疮", "Systemic lupus erythematosus"), ("狼疮性肾炎", "Lupus nephritis"),
                   ("重症肌无力", "Myasthenia gravis"), ("系统性硬化症", "Systemic sclerosis"),
                   ("ANCA相关血管炎", "ANCA-associated vasculitis"),
                   ("特发性炎性肌病（肌炎）", "Idiopathic inflammatory myopathy (myositis)")],
    "solid-tumour": [("胰腺癌", "Pancreatic cancer"), ("肝细胞癌", "Hepatocellular carcinoma"),
                     ("卵巢癌", "Ovarian cancer"), ("胶质母细胞瘤", "Glioblastoma"),
                     ("HER2阳性胃癌", "HER2-positive gastric cancer"), ("非小细胞肺癌", "Non-small-cell lung cancer"),
                     ("去势抵抗性前列腺癌", "Castration-resistant prostate cancer")],
}
ARMOUR = [("IL-15/IL-15受体融合蛋白（IL-15RF）", "IL-15/IL-15 receptor fusion (IL-15RF)"),
          ("高亲和力、不可切割的CD16（hnCD16）", "High-affinity, non-cleavable CD16 (hnCD16)"),
          ("膜结合IL-15", "Membrane-bound IL-15"), ("CXCR2趋化因子受体", "CXCR2 chemokine receptor"),
          ("IL-12分泌", "IL-12 secretion")]
KNOCKOUTS = [("CISH敲除", "CISH knockout"), ("TGFBR2敲除", "TGFBR2 knockout"), ("CD38敲除", "CD38 knockout"),
             ("NKG2A敲除", "NKG2A knockout"), ("B2M敲除", "B2M knockout")]
MEASURES = [("ORR", "客观缓解率", "Objective response rate"), ("CR", "完全缓解率", "Complete response rate"),
            ("PR", "部分缓解率", "Partial response rate"), ("MRD-negative", "MRD阴性率", "MRD-negative rate"),
            ("disease-control", "疾病控制率", "Disease control rate"), ("SRI-4", "SRI-4应答率", "SRI-4 response rate"),
            ("CR-or-LDA", "完全缓解或低疾病活动度", "Complete remission or low disease activity")]
DOSES = [("低剂量组", "low dose"), ("中剂量组", "mid dose"), ("高剂量组", "high dose"),
         ("剂量扩展组", "dose expansion"), ("联合用药组", "combination arm")]
DEAL_KINDS = ["collaboration", "collaboration", "licence", "option", "acquisition"]
CURRENCIES = ["USD", "USD", "USD", "EUR", "CNY"]
EVENT_KINDS = ["founding", "deal", "acquisition", "closure", "trial-start", "readout", "publication", "layoff",
               "pipeline-cut", "regulatory"]
SOURCE_KINDS = ["article", "publication", "registry", "press-release", "news", "database", "company"]
PUBLISHERS = [("柳叶刀", "The Lancet"), ("新英格兰医学杂志", "NEJM"), ("自然·医学", "Nature Medicine"),
              ("血液", "Blood"), ("细胞", "Cell"), ("医药魔方", "PharmCube"), ("Endpoints新闻", "Endpoints News"),
              ("STAT新闻", "STAT News")]

# sentence fragments for long bilingual texts (the same fragment index in both languages)
FRAGMENTS = [
    ("该公司以{src}来源的NK细胞为基础，构建了可规模化生产的现货型细胞疗法平台。",
     "The company builds an off-the-shelf cell therapy platform on {src_en} NK cells that can be manufactured at scale."),
    ("其核心产品靶向{tgt}，在早期临床中观察到持续缓解，安全性良好，未见严重细胞因子释放综合征。",
     "Its lead product targets {tgt}; early clinical data showed durable responses and a clean safety profile with no severe cytokine release syndrome."),
    ("公司在{year}年完成新一轮融资，资金主要用于推进临床试验和扩建GMP生产设施。",
     "In {year} it closed a new financing round, mostly to advance its trials and expand GMP manufacturing."),
    ("与CAR-T相比，CAR-NK无需HLA配型，可以同种异体使用，神经毒性和移植物抗宿主病的风险更低。",
     "Unlike CAR-T, CAR-NK needs no HLA matching, can be used allogeneically and carries a lower risk of neurotoxicity and graft-versus-host disease."),
    ("但NK细胞在体内的持久性较差，往往需要多次输注或联合细胞因子支持，这是该领域公认的瓶颈。",
     "NK cells persist poorly in the body, however, and often need repeat dosing or cytokine support, a bottleneck the whole field acknowledges."),
    ("管线覆盖血液肿瘤与自身免疫病，并计划在{year}年前后启动实体瘤适应症的首个人体试验。",
     "Its pipeline spans blood cancers and autoimmune disease, with a first-in-human solid-tumour trial planned around {year}."),
    ("公司与多家跨国药企保持合作关系，合作内容包括平台授权、联合开发和里程碑付款安排。",
     "It keeps partnerships with several multinational drug makers, covering platform licences, co-development and milestone payments."),
    ("由于资本市场降温，公司在{year}年收缩研发投入，暂停了部分早期项目以延长现金跑道。",
     "As capital markets cooled it cut research spending in {year}, pausing some early programmes to extend its cash runway."),
]
TRIAL_FRAGMENTS = [
    ("这是一项开放标签、剂量递增的首次人体试验，主要终点为安全性和剂量限制性毒性。",
     "An open-label, dose-escalation first-in-human study whose primary endpoints are safety and dose-limiting toxicity."),
    ("患者在输注前接受氟达拉滨和环磷酰胺清淋预处理，部分队列每周期输注三次。",
     "Patients receive fludarabine and cyclophosphamide lymphodepletion before infusion; some cohorts get three doses per cycle."),
    ("截至数据截止日，未观察到3级以上细胞因子释放综合征、神经毒性或移植物抗宿主病。",
     "By the data cut-off no grade 3 or higher cytokine release syndrome, neurotoxicity or graft-versus-host disease was seen."),
    ("研究在{year}年完成入组，研究者计划在下一阶段扩大剂量扩展队列并与单抗联用。",
     "Enrolment closed in {year}; the investigators plan a larger expansion cohort and a combination with a monoclonal antibody."),
    ("缓解主要出现在高剂量组，但多数应答在六个月内消退，提示持久性仍是关键问题。",
     "Responses came mostly at the high dose, but most faded within six months, a sign that persistence remains the key problem."),
]
SRC_ZH = {"ipsc": "iPSC", "cord-blood": "脐带血", "peripheral-blood": "外周血", "nk-cell-line": "NK-92细胞系",
          "resting-t-and-nk": "静息T/NK", "not-applicable": "非细胞", "unknown": "未公开"}
SRC_EN = {"ipsc": "iPSC-derived", "cord-blood": "cord-blood", "peripheral-blood": "peripheral-blood",
          "nk-cell-line": "NK-92 cell line", "resting-t-and-nk": "resting T and NK", "not-applicable": "non-cellular",
          "unknown": "undisclosed"}


def bi(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


class Maker:
    def __init__(self, n: int) -> None:
        self.n = n
        self.rng = random.Random(n)
        self.c = counts(n)
        self.source_ids: list[str] = []
        self.company_ids: list[str] = []
        self.company_name_of: dict[str, Any] = {}
        self.platform_of: dict[str, list[str]] = {}
        self.product_ids: list[str] = []
        self.product_company: list[str] = []
        self.trial_ids: list[str] = []
        self.trials_of: dict[int, list[str]] = {}
        self.deal_ids: list[str] = []
        self._nct = 10_000_000

    # ------------------------------------------------------------ helpers
    def long_text(self, k: int, fragments: list[tuple[str, str]] = FRAGMENTS, **fill: str) -> dict[str, str]:
        picks = self.rng.sample(range(len(fragments)), k)
        year = fill.get("year", str(self.rng.randint(2016, 2026)))
        src = fill.get("src", "ipsc")
        values = {"year": year, "tgt": fill.get("tgt", "CD19"), "src": SRC_ZH[src], "src_en": SRC_EN[src]}
        zh = "".join(fragments[i][0].format(**values) for i in picks)
        en = " ".join(fragments[i][1].format(**values) for i in picks)
        return bi(zh, en)

    def srcs(self, k: int = 2) -> list[str]:
        return self.rng.sample(self.source_ids, min(k, len(self.source_ids)))

    def date(self, lo: int = 2015, hi: int = 2026) -> str:
        r = self.rng
        year = r.randint(lo, hi)
        form = r.random()
        if form < 0.15:
            return str(year)
        if form < 0.4:
            return f"{year}-{r.randint(1, 12):02d}"
        return f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"

    def nct(self) -> str:
        self._nct += self.rng.randint(1, 900)
        return f"NCT{self._nct:08d}"

    # ------------------------------------------------------------ singletons
    def singletons(self) -> dict[str, Any]:
        s = self.srcs
        return {
            "meta": {"title": bi("CAR-NK 全景（合成数据）", "The CAR-NK landscape (synthetic data)"),
                     "subtitle": bi(f"{self.n} 个产品的基准测试知识库",
                                    f"A benchmark knowledge base with {self.n} products"),
                     "as_of": "2025-11", "sources": s(1)},
            "overview": {
                "id": "overview", "sources": s(2),
                "title": bi("为什么是NK细胞", "Why NK cells"),
                "summary": self.long_text(4),
                "car_t_limits": [bi("细胞因子释放综合征", "Cytokine release syndrome"),
                                 bi("神经毒性", "Neurotoxicity"), bi("需自体制备、成本高",
                                                                 "Autologous, costly manufacturing")],
                "nk_advantages": [bi("无需HLA配型", "No HLA matching"), bi("可现货供应", "Off-the-shelf supply"),
                                  bi("多种天然杀伤机制", "Several innate killing mechanisms")],
                "cell_sources": [{"id": cs, "name": bi(SRC_ZH[cs], SRC_EN[cs]),
                                  "note": bi(f"{SRC_ZH[cs]}来源的NK细胞各有取舍。",
                                             f"{SRC_EN[cs]} NK cells have their trade-offs.")}
                                 for cs in ("ipsc", "cord-blood", "peripheral-blood", "nk-cell-line")],
                "comparison": [{"aspect": bi(a, b), "car_t": bi(c, d), "car_nk": bi(e, f)} for a, b, c, d, e, f in (
                    ("安全性", "Safety", "CRS与神经毒性风险", "Risk of CRS and neurotoxicity", "风险较低",
                     "Lower risk"),
                    ("来源", "Source", "多为自体", "Mostly autologous", "可异体", "Can be allogeneic"),
                    ("持久性", "Persistence", "长", "Long", "短", "Short"),
                    ("成本", "Cost", "高", "High", "有望更低", "Potentially lower"))],
            },
            "judgement": {
                "id": "judgement", "sources": s(2),
                "title": bi("结论", "Closing judgement"), "summary": self.long_text(3),
                "contest": [bi("自免赛道竞争激烈", "A crowded autoimmune race"), bi("实体瘤仍待突破",
                                                                            "Solid tumours still unsolved")],
                "bottlenecks": [bi("持久性", "Persistence"), bi("规模化生产", "Manufacturing at scale")],
                "conclusion": self.long_text(2),
            },
        }

    # ------------------------------------------------------------ collections
    def sources(self) -> list[dict[str, Any]]:
        out = []
        for i in range(self.c["sources"]):
            kind = SOURCE_KINDS[i % len(SOURCE_KINDS)]
            sid = f"src-{kind}-{i:05d}"
            self.source_ids.append(sid)
            pub = self.rng.choice(PUBLISHERS)
            rec: dict[str, Any] = {"id": sid, "kind": kind}
            if kind == "registry":
                rec["title"] = f"ClinicalTrials.gov record {self.nct()}"
                rec["registry_id"] = rec["title"].rsplit(" ", 1)[1]
                rec["url"] = f"https://clinicaltrials.gov/study/{rec['registry_id']}"
            else:
                rec["title"] = bi(f"CAR-NK研究进展（{i}）", f"Progress in CAR-NK research ({i})")
                rec["publisher"] = bi(*pub)
                rec["date"] = self.date(2018, 2025)
                if kind == "publication":
                    rec["doi"] = f"10.1016/S0140-6736({20 + i % 6}){i:05d}-{i % 10}"
                rec["url"] = f"https://example.org/{sid}"
            out.append(rec)
        return out

    def camps(self) -> list[dict[str, Any]]:
        names = [("camp-biotech", "NK平台型生物技术公司", "NK-platform biotechs"),
                 ("camp-pharma", "跨国药企及其合作伙伴", "Multinational pharma and their partners"),
                 ("camp-china", "中国CAR-NK企业", "Chinese CAR-NK companies")]
        return [{"id": cid, "sources": self.srcs(1), "name": bi(zh, en), "order": i + 1, "summary": self.long_text(2)}
                for i, (cid, zh, en) in enumerate(names)]

    def company_name(self, i: int, chinese: bool) -> tuple[Any, str, str]:
        r = self.rng
        if chinese:
            a, b = r.choice(ZH_SYL), r.choice(ZH_SYL)
            suffix = r.choice(ZH_SUFFIX)
            en = f"{PINYIN[a]}{PINYIN[b].lower()} {ZH_SUFFIX_EN[suffix]}"
            return bi(f"{a}{b}{suffix}", en), en, f"{a}{b}"
        en = f"{r.choice(EN_HEAD)}{r.choice(['', 'gen', 'cell', 'bio', 'nk'])} {r.choice(EN_TAIL)}"
        return (en if r.random() < 0.6 else bi(en.split()[0] + "公司", en)), en, en.split()[0]

    def companies(self) -> list[dict[str, Any]]:
        out = []
        camps = ["camp-biotech", "camp-pharma", "camp-china"]
        for i in range(self.c["companies"]):
            r = self.rng
            camp = camps[i % 3]
            name, en, short = self.company_name(i, chinese=camp == "camp-china" or r.random() < 0.1)
            cid = f"co-{'-'.join(en.lower().replace('.', '').split())}-{i:05d}"
            self.company_ids.append(cid)
            self.company_name_of[cid] = name
            rec: dict[str, Any] = {"id": cid, "sources": self.srcs(r.randint(1, 3)), "name": name}
            if r.random() < 0.4:
                rec["aliases"] = [short, en.upper().replace(" ", "")[:6]]
            rec["camp"] = camp
            if camp == "camp-china":
                czh, cen = r.choice(ZH_CITY)
                rec["country"], rec["city"] = bi("中国", "China"), bi(czh, cen)
            else:
                nzh, nen, czh, cen = r.choice(WEST_CITY)
                rec["country"], rec["city"] = bi(nzh, nen), bi(czh, cen)
            rec["founded"] = r.randint(1990, 2023)
            roll = r.random()
            if roll < 0.05 and i > 0:
                rec["status"] = "acquired"
                rec["acquired_by"] = self.company_ids[r.randrange(i)]  # an earlier company: no cycles
                rec["status_note"] = bi(f"{rec['founded'] + 3}年被收购。", f"Acquired in {rec['founded'] + 3}.")
            elif roll < 0.1:
                rec["status"] = "closed"
            if r.random() < 0.2:
                rec["ticker"] = f"Nasdaq: {en.upper().replace(' ', '')[:4]}"
            src = r.choice(CELL_SOURCES[:5])
            rec["summary"] = self.long_text(r.randint(2, 5), src=src, tgt=r.choice(TARGETS),
                                            year=str(rec["founded"] + 5))
            if r.random() < 0.05:
                rec["discrepancies"] = [{"field": "founded", "value": bi(str(rec["founded"] + 1),
                                                                         str(rec["founded"] + 1)),
                                         "sources": self.srcs(1),
                                         "note": bi("另一来源给出的成立年份不同。",
                                                    "Another source gives a different year.")}]
            out.append(rec)
        return out

    def platforms(self) -> list[dict[str, Any]]:
        out = []
        for i in range(self.c["platforms"]):
            r = self.rng
            company = self.company_ids[r.randrange(len(self.company_ids))]
            src = r.choice(CELL_SOURCES[:5])
            pid = f"pf-{i:05d}"
            self.platform_of.setdefault(company, []).append(pid)
            name = f"{r.choice(EN_HEAD)}{r.choice(['NK', 'Cell', 'Engager', 'Edit'])}"
            out.append({"id": pid, "sources": self.srcs(1), "name": name, "company": company,
                        "technology": bi(f"{SRC_ZH[src]}来源NK细胞的基因编辑平台",
                                         f"Gene-editing platform for {SRC_EN[src]} NK cells"),
                        "description": self.long_text(r.randint(2, 4), src=src, tgt=r.choice(TARGETS))})
        return out

    def products(self) -> list[dict[str, Any]]:
        out = []
        ncomp = len(self.company_ids)
        for i in range(self.c["products"]):
            r = self.rng
            company = self.company_ids[i] if i < ncomp else self.company_ids[r.randrange(ncomp)]
            prefix = "".join(ch for ch in company.split("-")[1].upper() if ch.isalpha())[:2] or "NK"
            code = f"{prefix}{r.randint(1, 9)}{i % 100:02d}"
            pid = f"pr-{code.lower()}-{i:05d}"
            self.product_ids.append(pid)
            self.product_company.append(company)
            ntarg = 1 if r.random() < 0.8 else 2
            targets = r.sample(TARGETS, ntarg)
            areas = r.sample(list(INDICATIONS), 1 if r.random() < 0.8 else 2)
            indications = [bi(*r.choice(INDICATIONS[a])) for a in areas]
            modality = r.choice(MODALITIES)
            cell_source = "not-applicable" if modality == "nk-engager" else r.choice(CELL_SOURCES)
            name: Any = code if r.random() < 0.7 else bi(f"{code}注射液", f"{code} injection")
            rec: dict[str, Any] = {"id": pid, "sources": self.srcs(r.randint(1, 3)), "name": name}
            if r.random() < 0.5:
                rec["aliases"] = [f"{code[:2]}-{code[2:]}"]
            rec["company"] = company
            if company in self.platform_of and r.random() < 0.7:
                rec["platform"] = r.choice(self.platform_of[company])
            rec["targets"] = targets
            rec["cell_source"] = cell_source
            rec["modality"] = modality
            if modality in ("car-nk", "car-t-and-car-nk"):
                eng: dict[str, Any] = {"car": bi(f"靶向{'/'.join(targets)}的第二代CAR",
                                                 f"Second-generation CAR against {'/'.join(targets)}")}
                if r.random() < 0.6:
                    eng["armour"] = [bi(*a) for a in r.sample(ARMOUR, r.randint(1, 2))]
                if r.random() < 0.4:
                    eng["knockouts"] = [bi(*k) for k in r.sample(KNOCKOUTS, r.randint(1, 2))]
                rec["engineering"] = eng
            rec["indications"] = indications
            rec["indication_areas"] = areas
            rec["stage"] = r.choice(STAGES)
            if rec["stage"] == "discontinued":  # a stopped product: the stage it reached, and its status
                rec["stage"] = "phase-1"
                rec.update(status="discontinued", status_date="2023-01", status_sources=rec["sources"][:1])
            rec["allogeneic"] = cell_source not in ("peripheral-blood", "unknown") or r.random() < 0.5
            rec["summary"] = self.long_text(r.randint(2, 5), src=cell_source if cell_source in SRC_ZH else "unknown",
                                            tgt="/".join(targets))
            out.append(rec)
        return out

    def trial(self, i: int) -> dict[str, Any]:
        r = self.rng
        # every product gets trials; a few products get more than their share
        p = i // 2 if r.random() < 0.8 else r.randrange(len(self.product_ids))
        pid = self.product_ids[p]
        tid = f"tr-{pid[3:]}-{i:06d}"
        self.trial_ids.append(tid)
        self.trials_of.setdefault(p, []).append(tid)
        area = r.choice(list(INDICATIONS))
        ind_zh, ind_en = r.choice(INDICATIONS[area])
        phase = r.choice(PHASES)
        cohorts = []
        for k in range(r.randint(1, 3)):
            dz, de = DOSES[(k + i) % len(DOSES)]
            coh: dict[str, Any] = {"id": f"c{k + 1}", "label": bi(dz, de)}
            if r.random() < 0.85:
                coh["n"] = r.randint(3, 120)
            if r.random() < 0.3:
                coh["description"] = bi(f"{dz}，剂量递增设计。", f"{de}, dose-escalation design.")
            cohorts.append(coh)
        results = []
        for k in range(r.randint(0, 4)):
            coh = r.choice(cohorts)
            m, mz, me = r.choice(MEASURES)
            res: dict[str, Any] = {"id": f"r{k + 1}", "measure": m, "label": bi(f"{mz}（{coh['label']['zh']}）",
                                                                                  f"{me} ({coh['label']['en']})"),
                                   "cohort": coh["id"]}
            if "n" in coh and r.random() < 0.8:
                denom = r.randint(1, coh["n"])
                resp = r.randint(0, denom)
                res["responders"] = resp
                res["denominator"] = denom
                res["percent"] = round(100 * resp / denom, 1)
            else:
                res["percent"] = float(r.randint(0, 100))
                res["note"] = bi("来源未给出分母。", "The source gives no denominator.")
            if r.random() < 0.5:
                day = r.choice([28, 90, 180])
                res["timepoint"] = bi(f"第{day}天", f"Day {day}")
            res["sources"] = self.srcs(1)
            results.append(res)
        name = self.product_display(p)
        rec: dict[str, Any] = {
            "id": tid, "sources": self.srcs(r.randint(1, 2)),
            "name": bi(f"{name} {PHASE_WORDS[phase][0]}试验（{ind_zh}）",
                       f"{name} {PHASE_WORDS[phase][1]} trial ({ind_en})"),
            "product": pid, "registry_ids": [self.nct()], "phase": phase,
            "indication": bi(ind_zh, ind_en), "indication_areas": [area],
            "population": bi(f"{ind_zh}患者，既往至少接受过两线治疗。",
                             f"Patients with {ind_en[0].lower() + ind_en[1:]} after at least two prior lines."),
            "status": r.choice(TRIAL_STATUS),
        }
        # the registry's facts, read on a fixed day (derived from the values above: no extra random draws)
        rec["registry"] = {"registry_id": rec["registry_ids"][0], "as_of": "2025-11-01", "source": rec["sources"][0],
                           "status": REGISTRY_STATUS.get(rec["status"], rec["status"]), "phase": phase}
        if r.random() < 0.7:
            sponsor = self.company_name_of[self.product_company[p]]
            rec["sponsor"] = dict(sponsor) if isinstance(sponsor, dict) else sponsor
        rec["start"] = self.date(2018, 2024)
        if r.random() < 0.3:
            rec["readout"] = self.date(int(rec["start"][:4]) + 1, 2026)
        if cohorts:
            rec["cohorts"] = cohorts
        if results:
            rec["results"] = results
        rec["summary"] = self.long_text(r.randint(1, 3), TRIAL_FRAGMENTS, year=rec["start"][:4])
        if r.random() < 0.03:
            rec["discrepancies"] = [{"field": "status", "value": bi("已终止", "terminated"), "sources": self.srcs(1)}]
        return rec

    def product_display(self, p: int) -> str:
        return self.product_ids[p].split("-")[1].upper()

    def trials(self) -> Iterator[dict[str, Any]]:
        for i in range(self.c["trials"]):
            yield self.trial(i)

    def deals(self) -> list[dict[str, Any]]:
        out = []
        ncomp = len(self.company_ids)
        for i in range(self.c["deals"]):
            r = self.rng
            if ncomp >= 2:
                a, b = r.sample(range(ncomp), 2)
                parties = [self.company_ids[a], self.company_ids[b]]
            else:
                parties = [self.company_ids[0]]
            kind = r.choice(DEAL_KINDS)
            date = self.date(2016, 2025)
            did = f"deal-{kind}-{i:05d}"
            self.deal_ids.append(did)
            kzh = {"collaboration": "合作", "licence": "授权", "option": "期权", "acquisition": "收购"}[kind]
            en_a = parties[0].split("-")[1].title()
            en_b = parties[-1].split("-")[1].title()
            rec: dict[str, Any] = {"id": did, "sources": self.srcs(r.randint(1, 2)),
                                   "name": bi(f"{en_a}—{en_b}{kzh}（{date[:4]}）", f"{en_a}–{en_b} {kind} ({date[:4]})"),
                                   "kind": kind, "parties": parties, "date": date}
            if parties[-1] in self.platform_of and r.random() < 0.5:
                rec["platform"] = self.platform_of[parties[-1]][0]
            rec["scope"] = self.long_text(r.randint(1, 2), tgt=r.choice(TARGETS), year=date[:4])
            cur = r.choice(CURRENCIES)
            upfront = r.randint(1, 300) * 1_000_000
            rec["upfront"] = {"amount": upfront, "currency": cur}
            if r.random() < 0.6:
                rec["milestones"] = {"amount": upfront * r.randint(2, 20), "currency": cur, "up_to": True}
            if r.random() < 0.3:
                total = upfront * r.randint(5, 30)
                if "milestones" in rec:  # the parts add up to the total (the loader checks)
                    total = upfront + rec["milestones"]["amount"]
                rec["total"] = {"amount": total, "currency": cur, "up_to": True}
            if r.random() < 0.3:
                rec["royalties"] = {"terms": bi("分级特许权使用费", "Tiered royalties")}
            if r.random() < 0.2:
                rec["outcome"] = bi(f"{int(date[:4]) + 2}年终止。", f"Ended in {int(date[:4]) + 2}.")
            out.append(rec)
        return out

    def events(self) -> list[dict[str, Any]]:
        out = []
        for i in range(self.c["events"]):
            r = self.rng
            kind = r.choice(EVENT_KINDS)
            rec: dict[str, Any] = {"id": f"ev-{kind}-{i:05d}", "sources": self.srcs(1), "date": self.date(2015, 2025),
                                   "kind": kind}
            p = r.randrange(len(self.product_ids))
            company = self.product_company[p]
            cname = company.split("-")[1].title()
            titles = {
                "founding": ("公司成立", "founded"), "deal": ("达成合作", "signs a deal"),
                "acquisition": ("完成收购", "completes an acquisition"), "closure": ("停止运营", "shuts down"),
                "trial-start": ("首例患者入组", "doses first patient"), "readout": ("公布临床数据",
                                                                              "reports clinical data"),
                "publication": ("发表论文", "publishes results"), "layoff": ("宣布裁员", "announces layoffs"),
                "pipeline-cut": ("削减管线", "cuts its pipeline"), "regulatory": ("获IND批准",
                                                                              "receives IND clearance"),
            }[kind]
            rec["title"] = bi(f"{cname}{titles[0]}", f"{cname} {titles[1]}")
            if r.random() < 0.5:
                rec["detail"] = self.long_text(r.randint(1, 3), year=rec["date"][:4])
            rec["companies"] = [company]
            if kind in ("trial-start", "readout", "publication", "pipeline-cut", "regulatory"):
                rec["products"] = [self.product_ids[p]]
                if kind in ("trial-start", "readout") and p in self.trials_of:
                    rec["trials"] = [r.choice(self.trials_of[p])]
            if kind == "deal" and self.deal_ids:
                rec["deals"] = [r.choice(self.deal_ids)]
            if kind in ("closure", "layoff", "pipeline-cut"):
                rec["setback"] = True
            out.append(rec)
        return out

    def challenges(self) -> list[dict[str, Any]]:
        areas = [("manufacturing", "规模化生产", "Manufacturing at scale"),
                 ("engineering", "基因工程", "Engineering"), ("microenvironment", "肿瘤微环境",
                                                          "Tumour microenvironment"),
                 ("targets", "靶点选择", "Target choice"), ("commercial", "商业化", "Commercial pressure"),
                 ("setback", "行业挫折", "Setbacks")]
        return [{"id": f"ch-{a}", "sources": self.srcs(2), "area": a, "order": i + 1, "title": bi(zh, en),
                 "summary": self.long_text(3),
                 "points": [bi("持久性不足", "Poor persistence"), bi("转导效率低", "Low transduction efficiency")],
                 "related": self.rng.sample(self.product_ids, min(3, len(self.product_ids)))}
                for i, (a, zh, en) in enumerate(areas[: self.c["challenges"]])]

    def directions(self) -> list[dict[str, Any]]:
        items = [("dir-engineering", "多重基因编辑", "Multiplex engineering"),
                 ("dir-autoimmune", "转向自身免疫病", "Turning to autoimmune disease"),
                 ("dir-engagers", "NK细胞衔接器", "NK-cell engagers"),
                 ("dir-in-vivo", "体内CAR", "In-vivo CAR")]
        return [{"id": did, "sources": self.srcs(2), "order": i + 1, "title": bi(zh, en), "summary": self.long_text(2),
                 "approaches": [bi("IL-15武装", "IL-15 armouring"), bi("CISH敲除", "CISH knockout")],
                 "related": self.rng.sample(self.company_ids, min(2, len(self.company_ids)))}
                for i, (did, zh, en) in enumerate(items[: self.c["directions"]])]


# ------------------------------------------------------------------ writing
def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _is_bilingual(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 2 and "zh" in value and "en" in value


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _inline(value: Any) -> bool:
    """Written on the key's own line: scalars, bilingual pairs, short flat lists and mappings."""
    if _is_bilingual(value):
        return len(value["zh"]) + len(value["en"]) < 100
    if isinstance(value, list):
        return all(not isinstance(v, (dict, list)) for v in value)
    if isinstance(value, dict):
        return len(value) <= 3 and all(not isinstance(v, (dict, list)) for v in value.values())
    return True


def _block(value: Any, indent: int, out: list[str]) -> None:
    """Block-style YAML in the hand-written style of data/: quoted text, {zh: ..., en: ...} pairs."""
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if _inline(item):
                out.append(f"{pad}{key}: {_flow(item)}")
            else:
                out.append(f"{pad}{key}:")
                _block(item, indent + 2, out)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and not _is_bilingual(item):
                lines: list[str] = []
                _block(item, indent + 2, lines)
                out.append(f"{pad}- {lines[0][indent + 2:]}")
                out.extend(lines[1:])
            else:
                out.append(f"{pad}- {_flow(item)}")
    else:
        out.append(pad + _scalar(value))


def to_yaml(data: dict[str, Any]) -> str:
    """`data` as YAML; the same as yaml.safe_dump's meaning, about ten times faster."""
    out: list[str] = []
    for key, value in data.items():
        if isinstance(value, list):
            out.append(f"{key}:")
            _block(value, 2, out)
        elif _inline(value):
            out.append(f"{key}: {_flow(value)}")
        else:
            out.append(f"{key}:")
            _block(value, 2, out)
        out.append("")
    return "\n".join(out)


def _dump(path: Path, data: dict[str, Any], header: str) -> None:
    path.write_text(f"# {header}\n{to_yaml(data)}", encoding="utf-8")


def count_values(value: Any) -> int:
    """Values as the loader counts them (carnk_tui/kb/yaml_reader.py): every scalar, key, list and mapping."""
    if isinstance(value, dict):
        return 1 + sum(1 + count_values(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(count_values(v) for v in value)
    return 1


def _write_collection(out: Path, name: str, records: list[dict[str, Any]], n: int) -> list[Path]:
    """One file per collection, or several (name-01.yaml, ...) to stay well inside the loader's limits."""
    chunks: list[list[str]] = [[]]
    values = size = 0
    for record in records:
        lines: list[str] = []
        _block([record], 2, lines)
        text = "\n".join(lines) + "\n"
        cost = count_values(record)
        if chunks[-1] and (values + cost > MAX_VALUES_PER_FILE or size + len(text.encode()) > MAX_BYTES_PER_FILE):
            chunks.append([])
            values = size = 0
        chunks[-1].append(text)
        values += cost
        size += len(text.encode())
    written = []
    for k, chunk in enumerate(chunks):
        path = out / (f"{name}.yaml" if len(chunks) == 1 else f"{name}-{k + 1:02d}.yaml")
        header = f"# Synthetic {name} for the scale benchmarks (N={n}); written by benchmarks/make_kb.py.\n"
        path.write_text(f"{header}{name}:\n{''.join(chunk)}", encoding="utf-8")
        written.append(path)
    return written


def generate(n: int, out: Path, force: bool = False) -> list[Path]:
    """Write the knowledge base for `n` products into `out`; return the files written."""
    if n < 1:
        raise ValueError("--products must be at least 1")
    out = Path(out)
    if out.exists():
        if not out.is_dir():
            raise FileExistsError(f"{out} exists and is not a directory")
        existing = list(out.iterdir())
        if existing and not force:
            raise FileExistsError(f"{out} is not empty; use --force to replace its YAML files")
        if force:
            for path in sorted(out.rglob("*")):
                if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
                    path.unlink()
    out.mkdir(parents=True, exist_ok=True)
    m = Maker(n)
    # order matters: later collections refer to ids made by earlier ones
    sections = {
        "sources": m.sources(),
        "camps": m.camps(),
        "companies": m.companies(),
        "platforms": m.platforms(),
        "products": m.products(),
    }
    sections["trials"] = list(m.trials())
    sections["deals"] = m.deals()
    sections["events"] = m.events()
    sections["challenges"] = m.challenges()
    sections["directions"] = m.directions()
    written: list[Path] = []
    meta = m.singletons()  # once the sources exist
    _dump(out / "meta.yaml", {"meta": meta["meta"]}, f"Synthetic meta (N={n}).")
    _dump(out / "overview.yaml", {"overview": meta["overview"], "judgement": meta["judgement"]},
          f"Synthetic overview and judgement (N={n}).")
    written += [out / "meta.yaml", out / "overview.yaml"]
    for name, records in sections.items():
        written += _write_collection(out, name, records, n)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, required=True, metavar="N", help="number of products")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="directory to write")
    parser.add_argument("--force", action="store_true", help="replace the YAML files of a non-empty DIR")
    args = parser.parse_args(argv)
    try:
        files = generate(args.products, args.out, args.force)
    except (FileExistsError, ValueError) as exc:
        print(f"make_kb: {exc}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in files)
    c = counts(args.products)
    print(f"wrote {len(files)} files, {size / 1e6:.1f} MB, to {args.out}: "
          + ", ".join(f"{v} {k}" for k, v in c.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
