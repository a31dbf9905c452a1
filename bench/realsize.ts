/**
 * Real-size reports for the parse benchmark: every development-corpus report
 * (test/fixtures/reports/<family>/*.txt, ~2 KB each) grown to 20–30 KB of UTF-8 by the narrative
 * sections a real 项目支出绩效评价报告 carries around its 自评表 (项目概况, 决策与过程管理, 绩效目标
 * 实现情况分析, 偏差原因, 存在的问题, 改进建议, 评价结论 …).
 *
 * The added text is neutral on purpose: it states counts of meetings and inspections, dates of the
 * evaluated year, document numbers and percentages of things that are not the report's indicators,
 * but never an amount of money, an execution rate, a score, a grade or a target. So the real-size
 * variant must parse to the same facts as its original, and bench/parse.ts checks that it does.
 *
 * Deterministic for a seed. `npx tsx bench/realsize.ts [--seed 13]` writes bench/tmp/realsize/.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = path.resolve(HERE, "../test/fixtures/reports");
export const REALSIZE_DIR = path.join(HERE, "tmp", "realsize");
export const DEFAULT_SEED = 20261124;

const MIN_BYTES = 20 * 1024 + 512;
const MAX_BYTES = 30 * 1024 - 512;

export interface RealSizeReport {
  /** Corpus folder, with rendered/ split by linearisation ("rendered/pipe"). */
  family: string;
  name: string;
  original: string;
  variant: string;
  originalBytes: number;
  bytes: number;
}

// ---------------------------------------------------------------------------------------------
// A small seeded generator (mulberry32): the same seed and file give the same text on every machine.

type Rng = () => number;

function rngFor(seed: number, key: string): Rng {
  let h = seed >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x9e3779b1) >>> 0;
  let a = h || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const CN_NUM = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"];

// ---------------------------------------------------------------------------------------------
// Vocabulary. Place names and the characters that end one (县, 区, 市 …) are left out: the header
// reader counts "place + body" names to find a narrative report's department.

const POLICIES = [
  "中共中央 国务院关于全面实施预算绩效管理的意见",
  "项目支出绩效评价管理办法",
  "关于开展项目支出绩效自评工作的通知",
  "预算绩效目标管理暂行办法",
  "绩效运行监控管理办法",
  "专项转移支付管理办法",
  "关于进一步加强项目库管理的通知",
  "政府采购工作规程",
  "内部控制基本制度汇编",
  "项目验收管理细则",
  "关于规范项目档案管理的通知",
  "关于做好年度绩效自评结果应用的通知",
];
const ISSUERS = ["财预", "财办预", "财绩", "财办", "政办发", "办发", "农计财发", "教财", "卫财发", "交财审发", "林规财", "民发"];
const UNITS = ["项目单位", "实施单位", "主管部门", "项目实施单位", "本单位", "项目主管部门"];
const TEAMS = ["自评工作组", "绩效自评小组", "项目工作专班", "工作领导小组", "评价工作小组"];
const PLACES = ["乡镇", "行政村", "服务站点", "实施点位", "作业片", "村民小组"];
const MEETINGS = ["专题会议", "调度会", "推进会", "工作例会", "座谈会", "现场会", "培训会"];
const DOCS_KIND = ["工作方案", "实施方案", "管理制度", "工作台账", "操作规程", "考核细则", "应急预案"];
const CHECKS = ["现场检查", "专项督查", "随机抽查", "交叉检查", "实地核查", "跟踪回访"];
const ISSUES = ["基础资料归集不够及时", "个别环节衔接不够紧密", "绩效目标细化量化程度仍需提高", "部分佐证材料不够完整", "信息化管理手段相对薄弱", "基层工作人员业务能力参差不齐", "日常监管记录不够规范", "宣传引导覆盖面有待扩大", "跨部门协调机制尚不健全", "项目前期论证不够充分"];
const MEASURES = ["建立健全工作台账", "完善内部审核流程", "加强业务培训", "强化过程监控", "落实岗位责任", "规范档案管理", "推进信息化建设", "加强部门协同", "开展常态化督导", "细化绩效目标"];

function fill(rng: Rng, template: string, year: number): string {
  const date = (y = year) => `${y}年${int(rng, 1, 12)}月${int(rng, 1, 28)}日`;
  return template.replace(/\{([a-z]+)(?::([^}]*))?\}/g, (_all, key: string, arg: string | undefined) => {
    switch (key) {
      case "n": {
        const [lo, hi] = (arg ?? "2-30").split("-").map(Number);
        return String(int(rng, lo, hi));
      }
      case "pct":
        // a share of questionnaires, files or trainees — never one of the report's indicators
        return `${int(rng, 72, 99)}.${int(rng, 1, 9)}%`;
      case "date":
        return date();
      case "period": {
        const a = int(rng, 1, 6);
        return `${year}年${a}月${int(rng, 1, 28)}日至${year}年${int(rng, a + 3, 12)}月${int(rng, 1, 28)}日`;
      }
      case "month":
        return `${year}年${int(rng, 1, 12)}月`;
      case "nextdate":
        // the report itself is written early in the following year
        return `${year + 1}年${int(rng, 1, 3)}月${int(rng, 1, 28)}日`;
      case "doc":
        return `${pick(rng, ISSUERS)}〔${year - int(rng, 0, 4)}〕${int(rng, 1, 120)}号`;
      case "policy":
        return pick(rng, POLICIES);
      case "unit":
        return pick(rng, UNITS);
      case "team":
        return pick(rng, TEAMS);
      case "place":
        return pick(rng, PLACES);
      case "meeting":
        return pick(rng, MEETINGS);
      case "kind":
        return pick(rng, DOCS_KIND);
      case "check":
        return pick(rng, CHECKS);
      case "issue":
        return pick(rng, ISSUES);
      case "measure":
        return pick(rng, MEASURES);
      case "or":
        return pick(rng, arg!.split("|"));
      default:
        throw new Error(`unknown slot ${key}`);
    }
  });
}

interface Section {
  heading: string;
  sentences: string[];
}

/** Sections that open a report (before the report's own text) … */
const OPENING: Section[] = [
  {
    heading: "项目立项背景",
    sentences: [
      "本项目依据《{policy}》（{doc}）和《{policy}》（{doc}）设立，是{unit}{or:年度重点工作|民生实事|重点任务}之一。",
      "{date}，{unit}召开{meeting}，专题研究项目实施方案，明确了分管领导、责任科室和工作联络员。",
      "项目覆盖{n:3-18}个{place}，涉及{n:20-160}个服务对象群体，社会关注度较高。",
      "为推动项目落地见效，{unit}成立了由主要负责同志任组长的{team}，下设综合协调、技术指导、督促检查等{n:3-5}个工作组。",
      "项目实施周期为{period}，按照前期准备、集中实施、检查验收三个阶段有序推进。",
      "立项前，{unit}{or:深入基层|会同相关科室|组织技术人员}开展调研{n:3-12}次，走访{place}{n:8-40}个，形成调研报告{n:1-3}份。",
      "项目纳入{unit}三年滚动项目库管理，入库编号按{doc}要求统一编制。",
      "项目的实施对于补齐公共服务短板、回应群众关切具有{or:重要|积极|现实}意义。",
      "根据《{policy}》，项目绩效目标在申报阶段随项目一并编报，并经{unit}审核后批复。",
      "{month}，项目实施方案经{unit}{meeting}审议通过，并以{doc}文件印发。",
    ],
  },
  {
    heading: "项目决策情况",
    sentences: [
      "项目决策程序规范，前期履行了调研论证、集体研究、公示征求意见等环节，共召开{meeting}{n:2-9}次。",
      "{unit}于{date}组织{n:3-9}名行业专家对实施方案进行论证，专家提出的{n:4-15}条意见均已吸收采纳。",
      "项目立项符合国家和行业政策方向，与{unit}职能职责相匹配，与其他项目不存在重复交叉。",
      "绩效目标设置与项目实施内容相关联，分解形成了数量、质量、时效和成本等方面的具体要求。",
      "申报材料共计{n:12-40}份，装订成册{n:2-6}卷，按规定报送审核。",
      "项目申报前开展了事前绩效评估，评估意见作为项目安排的重要参考。",
      "项目实施方案明确了责任分工、工作流程和时间节点，共列出重点任务{n:8-24}项。",
      "{date}，{unit}就项目实施方案征求了{n:4-12}个相关单位的意见，收到书面反馈{n:3-12}份。",
    ],
  },
  {
    heading: "项目组织实施与过程管理",
    sentences: [
      "{unit}制定了《项目{kind}》和《项目{kind}》，建立了周调度、月通报工作机制。",
      "项目实施期间共召开{meeting}{n:4-18}次，印发工作通报{n:3-15}期，协调解决实施中的具体问题{n:5-30}个。",
      "{unit}严格执行政府采购和招投标有关规定，采购文件、合同文本和验收资料齐全。",
      "项目实行专人负责、专账核算，会计凭证、合同和验收单据一一对应，做到账实相符。",
      "{month}至{month}，{team}开展{check}{n:3-16}次，下发整改通知{n:1-8}份，督促整改问题{n:3-25}个，整改完成率{pct}。",
      "项目档案按照《{policy}》要求分类归档，共整理档案{n:10-90}卷。",
      "{unit}组织业务培训{n:2-9}期，参训人员{n:40-360}人次，培训考核合格率{pct}。",
      "对照《{policy}》，{unit}逐项梳理了项目管理流程，修订完善{kind}{n:2-6}项。",
      "项目实施过程中，{unit}通过政务公开栏、门户网站等渠道公开项目信息{n:4-20}条，接受社会监督。",
      "项目验收由{unit}牵头，于{date}组织开展，验收小组由{n:5-11}名人员组成，出具验收意见{n:1-4}份。",
      "按照{doc}要求，{unit}于{date}开展绩效运行监控，填报监控表{n:1-4}份，未发现需要调整的事项。",
      "{unit}建立了项目实施工作台账，对{n:6-30}个关键节点实行销号管理。",
    ],
  },
];

/** … and sections that close it (after the report's own text). */
const CLOSING: Section[] = [
  {
    heading: "绩效自评工作开展情况",
    sentences: [
      "根据《{policy}》（{doc}），{unit}于{date}启动本项目绩效自评工作，成立{team}。",
      "{team}采取资料审核、现场核查、问卷调查和座谈访谈相结合的方式开展自评，共查阅资料{n:30-200}份。",
      "自评期间，{team}实地走访{place}{n:4-20}个，召开{meeting}{n:2-8}次，访谈相关人员{n:10-60}人次。",
      "本次共发放调查问卷{n:120-600}份，问卷有效回收率{pct}，回收问卷全部录入汇总。",
      "{team}对照项目申报文本和批复文件，逐项核对了实施内容、完成时限和佐证资料。",
      "自评初稿形成后，{team}于{nextdate}征求了{n:3-9}个相关科室的意见，并据此修改完善。",
      "自评工作坚持客观公正、实事求是的原则，所用数据均以台账、合同和验收资料为依据。",
      "自评底稿共{n:20-80}页，已随本报告一并存档备查。",
    ],
  },
  {
    heading: "绩效目标实现情况分析",
    sentences: [
      "从实施过程看，项目各阶段工作基本按照实施方案确定的时间节点推进，组织保障有力。",
      "从服务对象反馈看，座谈中{n:10-60}名群众代表对项目实施方式提出了{n:3-20}条建议，已分类梳理并反馈。",
      "项目实施后，相关服务的便利程度有所提高，受益群众对项目的知晓度明显提升。",
      "{unit}对项目形成的资产和成果进行了登记，建立资产卡片{n:5-60}张，明确了后续管护责任。",
      "项目实施过程中形成的经验做法，已在{n:2-6}次{meeting}上作交流发言。",
      "通过项目实施，{unit}在组织协调、过程管理和成果运用等方面积累了经验。",
      "各项工作均有台账可查、有资料可证，佐证材料共计{n:40-300}份。",
      "据回访，{n:20-90}户受益对象中有{n:5-20}户对后续服务提出了具体意见，已转交相关科室办理。",
    ],
  },
  {
    heading: "偏差原因说明",
    sentences: [
      "对照年度工作安排，项目实施中出现的偏差已在自评表“偏差原因分析及改进措施”栏中逐项说明，此处不再重复。",
      "偏差的客观原因主要是实施期间受天气、工期和外部条件影响，部分环节推进时间有所延后。",
      "偏差的主观原因在于前期谋划还不够细，对实施中可能出现的困难预判不足。",
      "针对上述情况，{unit}已于{date}召开{meeting}进行专题分析，制定了{n:3-12}条具体整改措施。",
      "整改措施明确了责任科室和完成时限，并纳入{unit}年度督办事项跟踪落实。",
    ],
  },
  {
    heading: "存在的问题",
    sentences: [
      "一是{issue}，个别环节仍存在重实施、轻管理的现象。",
      "二是{issue}，{check}中发现的问题有{n:2-9}个属于同类问题反复出现。",
      "三是{issue}，与精细化管理的要求相比还有一定差距。",
      "四是{issue}，部分基层人员对绩效管理的认识还需进一步提高。",
      "此外，项目实施涉及{n:3-8}个单位，信息共享和工作衔接仍有改进空间。",
      "在自评过程中还发现，{n:2-12}份佐证材料缺少经办人签字，已要求限期补正。",
    ],
  },
  {
    heading: "改进建议和下一步工作打算",
    sentences: [
      "一是{measure}，将绩效管理要求贯穿项目实施全过程。",
      "二是{measure}，对发现的问题建立清单、明确时限、逐项销号。",
      "三是{measure}，每季度至少开展一次{check}，及时发现和纠正问题。",
      "四是{measure}，加强与相关单位的沟通协作，形成工作合力。",
      "五是强化自评结果应用，将本次自评发现的问题作为以后年度项目申报和管理的重要参考。",
      "{unit}将于{nextdate}前完成整改情况的书面报告，并按规定报送备案。",
      "下一步，{unit}将继续{measure}，推动项目管理更加规范。",
    ],
  },
  {
    heading: "其他需要说明的事项",
    sentences: [
      "本报告所附自评表及佐证材料清单共{n:3-12}项，均已按要求整理成册。",
      "本报告由{team}起草，经{unit}{meeting}审议通过后报送。",
      "本项目自评过程中未发现违规违纪问题，相关资料真实完整。",
      "如需查阅原始资料，可与{unit}综合科联系，资料保存期限按档案管理规定执行。",
      "本报告经{unit}主要负责同志审定，于{nextdate}正式报送。",
    ],
  },
];

const CONNECTORS = ["", "", "", "同时，", "此外，", "在此基础上，", "与此同时，", "具体而言，", "另外，"];

/** Sentences drawn without replacement from a per-section deck, so that a paragraph does not repeat itself. */
function paragraph(rng: Rng, section: Section, deck: string[], year: number): string {
  const n = int(rng, 3, 6);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (!deck.length) deck.push(...shuffled(rng, section.sentences));
    const sentence = fill(rng, deck.pop()!, year);
    const lead = i ? pick(rng, CONNECTORS) : "";
    // a connector only before a sentence that opens with a subject, not a date or a number
    out.push(lead && !/^[\d{一二三四五]/.test(sentence) ? lead + sentence : sentence);
  }
  return out.join("");
}

function shuffled<T>(rng: Rng, xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Headed sections of paragraphs until `bytes` is reached; numbered from `first`. */
function sections(rng: Rng, pool: Section[], bytes: number, year: number, first: number): string[] {
  const out: string[] = [];
  let size = 0;
  let k = 0;
  const decks = pool.map(() => [] as string[]);
  while (size < bytes) {
    const section = pool[k % pool.length];
    const heading = `${CN_NUM[(first + k) % CN_NUM.length]}、${section.heading}${k >= pool.length ? "（续）" : ""}`;
    out.push(heading);
    size += Buffer.byteLength(heading);
    const paras = int(rng, 3, 6);
    for (let i = 0; i < paras && size < bytes; i++) {
      const p = paragraph(rng, section, decks[k % pool.length], year);
      out.push(p);
      size += Buffer.byteLength(p) + 1;
    }
    k++;
  }
  return out;
}

/** The year the report evaluates, as the text itself names it (only to date the added narrative). */
function yearOf(text: string): number {
  const caption = /[（(]\s*((?:19|20)\d{2})\s*年度?\s*[)）]/.exec(text) ?? /((?:19|20)\d{2})\s*年度/.exec(text);
  if (caption) return Number(caption[1]);
  const counts = new Map<number, number>();
  for (const m of text.matchAll(/((?:19|20)\d{2})\s*年/g)) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 2023;
}

type Shape = "lines" | "blank-lines" | "one-line";

/** How the report was linearised, so that the added paragraphs are written the same way. */
function shapeOf(text: string): Shape {
  const lines = text.split("\n");
  const longest = Math.max(...lines.map((l) => l.length));
  if (lines.filter((l) => l.trim()).length <= 3 && longest > 400) return "one-line";
  // a tab dump has blank lines too (covered cells); only a text without cell delimiters has the rhythm
  if (/[\t|]/.test(text)) return "lines";
  const blank = lines.filter((l) => !l.trim()).length;
  return blank / lines.length > 0.3 ? "blank-lines" : "lines";
}

/** One corpus text → its real-size variant: opening sections after the title, closing ones at the end. */
export function realSize(text: string, seed: number, key: string): string {
  const rng = rngFor(seed, key);
  const year = yearOf(text);
  const target = int(rng, MIN_BYTES, MAX_BYTES);
  const room = target - Buffer.byteLength(text);
  const opening = sections(rng, OPENING, Math.round(room * 0.4), year, 0);
  const closing = sections(rng, CLOSING, room - Buffer.byteLength(opening.join("\n")) - 64, year, opening.filter((l) => /^[一二三四五六七八九十]+、/.test(l)).length);
  const shape = shapeOf(text);
  const eol = /\r\n/.test(text) ? "\r\n" : "\n";

  if (shape === "one-line") {
    // A .docx flattened to one line: the added paragraphs are pieces of the same line.
    const title = /\S{6,60}?报告(?=\s)/.exec(text);
    const at = title ? title.index + title[0].length : 0;
    const trimmed = text.replace(/\s+$/, "");
    const tail = text.slice(trimmed.length);
    return `${trimmed.slice(0, at)} ${opening.join(" ")}${at ? "" : " "}${trimmed.slice(at)} ${closing.join(" ")}${tail}`.replace(/^ /, "");
  }

  const lines = text.split(/\r?\n/);
  const sep = shape === "blank-lines" ? ["", ""] : [""];
  const join = (ls: string[]) => ls.flatMap((l, i) => (i ? [...sep.slice(1), l] : [l])).join(eol);
  // the title is the first line that names the report; the page footer of a web copy stays last
  const titleAt = lines.slice(0, 6).findIndex((l) => /报告\s*$/.test(l));
  const headAt = titleAt >= 0 ? titleAt + 1 : 0;
  let footAt = lines.length;
  while (footAt > headAt && (!lines[footAt - 1].trim() || /^(上一篇|下一篇|【|打印|关闭)/.test(lines[footAt - 1].trim()))) footAt--;
  const blank = shape === "blank-lines" ? [""] : [];
  const out = [
    ...lines.slice(0, headAt),
    ...blank,
    join(opening),
    ...blank,
    ...lines.slice(headAt, footAt),
    ...blank,
    join(closing),
    ...lines.slice(footAt),
  ];
  return out.join(eol);
}

/** Every corpus report, original path and family. */
export function corpusFiles(dir = CORPUS_DIR): { family: string; name: string; file: string }[] {
  const out: { family: string; name: string; file: string }[] = [];
  for (const folder of fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const f of fs.readdirSync(path.join(dir, folder)).filter((f) => f.endsWith(".txt")).sort()) {
      const name = f.replace(/\.txt$/, "");
      // rendered/<report>.<linearisation>.txt: one family per linearisation
      const family = folder === "rendered" ? `rendered/${name.split(".").pop()}` : folder;
      out.push({ family, name, file: path.join(dir, folder, f) });
    }
  }
  return out;
}

/** Writes the variants (replacing any older set) and returns where each is. */
export function writeRealSize(opts: { seed?: number; outDir?: string } = {}): RealSizeReport[] {
  const seed = opts.seed ?? DEFAULT_SEED;
  const outDir = opts.outDir ?? REALSIZE_DIR;
  fs.rmSync(outDir, { recursive: true, force: true });
  const reports: RealSizeReport[] = [];
  for (const c of corpusFiles()) {
    const text = fs.readFileSync(c.file, "utf8");
    const variant = realSize(text, seed, c.name);
    const file = path.join(outDir, c.family.replace("/", "-"), `${c.name}.txt`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, variant);
    reports.push({ family: c.family, name: c.name, original: c.file, variant: file, originalBytes: Buffer.byteLength(text), bytes: Buffer.byteLength(variant) });
  }
  fs.writeFileSync(path.join(outDir, "manifest.json"), JSON.stringify({ seed, reports }, null, 2) + "\n");
  return reports;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--seed");
  const reports = writeRealSize({ seed: i >= 0 ? Number(process.argv[i + 1]) : DEFAULT_SEED });
  const kb = reports.map((r) => r.bytes / 1024);
  console.log(`${reports.length} real-size reports in ${path.relative(process.cwd(), REALSIZE_DIR)}: ${Math.min(...kb).toFixed(1)}–${Math.max(...kb).toFixed(1)} KB, mean ${(kb.reduce((a, b) => a + b, 0) / kb.length).toFixed(1)} KB`);
}
