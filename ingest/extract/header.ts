import type { DocumentModel } from "../document";
import type { EvaluationType } from "../types";
import { flat, trimAll } from "../normalize/text";
import { allMatches, cellKey, cellText, documentText, paragraphs, tables } from "./doc";

export interface HeaderFacts {
  title: string | null;
  projectName: string | null;
  department: string | null;
  implementingUnit: string | null;
  region: string | null;
  year: number | null;
  evaluationType: EvaluationType | null;
  isSummary: boolean;
  lines: Record<string, number>;
}

const LABELS = {
  project: /^(项目名称|项目全称)$/,
  department: /^(主管部门|主管单位|部门名称|预算部门|主管部门名称|单位名称|预算单位|填报单位|报送单位|部门（单位）名称|单位（部门）名称)$/,
  unit: /^(实施单位|项目实施单位|实施主体|执行单位|项目单位)$/,
};

/** An aside that follows a name without being part of it: （以下简称“该项目”）, (下称…). */
const ASIDE = /[（(](?:以下|下文)?(?:简称|称|下称)/;

/**
 * "X：value" in running text, the value ending at punctuation or an aside such as （以下简称…）.
 * A bracket that is part of the name stays: "…经费（二期）" and "…经费" are different projects.
 */
function labelled(text: string, re: RegExp): string | null {
  const m = re.exec(text);
  if (!m) return null;
  let value = m[1];
  const aside = ASIDE.exec(value);
  if (aside) value = value.slice(0, aside.index);
  // An opening bracket the capture cut short is not part of the name.
  const open = Math.max(value.lastIndexOf("（"), value.lastIndexOf("("));
  if (open >= 0 && !/[）)]/.test(value.slice(open))) value = value.slice(0, open);
  value = trimAll(value);
  return value.length >= 2 ? value : null;
}

const labelledAs = (label: string) => new RegExp(`${label}[：:]\\s*([^，。；;,\\s]{2,60})`);
const PROJECT_LABELLED = labelledAs("项目名称");
const DEPARTMENT_LABELLED = labelledAs("(?:主管部门|预算部门|部门名称|填报单位|报送单位)");
const UNIT_LABELLED = labelledAs("(?:实施单位|实施主体|项目实施单位)");

const LABEL_ENTRIES = Object.entries(LABELS);
const MAY_BE_LABEL = /[称部单主]/;
const LABEL_PATTERNS = Object.values(LABELS);

/** Reads the label → value pairs of a 自评表 header ("项目名称 | X", "主管部门 | Y | 实施单位 | Z"). */
function tableLabels(doc: DocumentModel): Map<string, { value: string; line: number }> {
  const found = new Map<string, { value: string; line: number }>();
  for (const t of tables(doc)) {
    // Identification rows (项目名称, 主管部门, 实施单位) head a table; the rest are figures.
    for (const row of t.rows.slice(0, 8)) {
      for (let i = 0; i < row.cells.length - 1; i++) {
        // Every label has 称, 部, 单 or 主 in it; other cells need no key.
        if (!MAY_BE_LABEL.test(row.cells[i].text)) continue;
        const key = cellKey(row.cells[i]);
        if (key.length > 8 || key.length < 4) continue;
        for (const [name, re] of LABEL_ENTRIES) {
          if (re.test(key) && !found.has(name)) {
            const value = cellText(row.cells[i + 1]);
            // labelKey of the flattened text is the cell key, already computed for most cells.
            if (value && !LABEL_PATTERNS.some((r) => r.test(cellKey(row.cells[i + 1])))) {
              found.set(name, { value, line: row.cells[i + 1].line });
            }
          }
        }
      }
    }
  }
  return found;
}

// Place names: one or more administrative units (省/自治区/市/州/盟/县/区/旗…).
// Function words never occur inside a place name; excluding them keeps "…必要的区" from passing as one.
const PLACE = "(?:[^\\s\\d的了和与及在对为是从向由把被等经过必要事其该本我各并将于以、，。；：:,（）()“”《》]{1,7}?(?:省|自治区|自治州|地区|市|州|盟|自治县|县|区|旗))";
const BODY =
  "(?:人民代表大会常务委员会|人大常委会|人民政府办公室|人民政府|政协委员会|[\\u4e00-\\u9fa5]{0,10}?(?:委员会|局|厅|办公室|中心|部|院|委|所|站|馆|队|协会|联合会))";
const ORG_RE = new RegExp(`(?:中共)?${PLACE}+${BODY}`, "g");

/**
 * Bodies named in the text (with their place), most often named first; ties go to the body whose
 * place the report mentions most, since a report keeps naming its own district.
 */
function organisations(text: string): string[] {
  const counts = new Map<string, number>();
  for (const m of allMatches(ORG_RE, text)) {
    const name = m[0];
    if (/第[一二三四五六七八九十\d]+届|会议|大会$/.test(name)) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const placeCount = (name: string) => {
    const place = regionOf(name);
    return place ? text.split(place).length - 1 : 0;
  };
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || placeCount(b[0]) - placeCount(a[0]) || b[0].length - a[0].length)
    .map(([n]) => n);
}

const REGION_RE = new RegExp(`^(?:中共)?(${PLACE}+)`);

/** The place prefix of a body's name: 东山市西城区人民代表大会常务委员会 → 东山市西城区. */
export function regionOf(name: string | null): string | null {
  if (!name) return null;
  const m = REGION_RE.exec(name.replace(/\s/g, ""));
  return m ? m[1] : null;
}

const TITLE_RE = /(绩效(?:自评|评价)(?:汇总)?报告|自评(?:汇总)?报告|评价报告)$/;

function findTitle(doc: DocumentModel): { text: string; line: number } | null {
  const paras = paragraphs(doc).slice(0, 12);
  for (const p of paras) {
    const t = flat(p.text);
    if (t.length <= 60 && TITLE_RE.test(t) && !/^[（(一二三四五六七八九十\d]/.test(t)) return { text: t, line: p.line };
  }
  // A document flattened to one line keeps its title as one of the first space-separated pieces.
  for (const p of paras.slice(0, 3)) {
    if (p.text.length <= 60) continue;
    for (const piece of p.text.slice(0, 3000).split(/\s+/).slice(0, 60)) {
      if (piece.length <= 60 && piece.length >= 6 && TITLE_RE.test(piece) && !/^[（(一二三四五六七八九十\d]/.test(piece)) return { text: piece, line: p.line };
    }
  }
  return null;
}

function projectFromTitle(title: string): string | null {
  const m = /^(.{2,50}?)(?:项目)?(?:支出)?(?:绩效(?:自评|评价)|自评)/.exec(title);
  if (!m) return null;
  const name = m[1].replace(/项目$/, "");
  return /部门|单位|整体|汇总/.test(name) || name.length < 2 ? null : name;
}

const YEAR_OF_REPORT = /((?:19|20)\d{2})\s*年度/g;
const YEAR_MENTION = /((?:19|20)\d{2})\s*年(?!度)/g;

/** The fiscal year under evaluation. */
function findYear(doc: DocumentModel, allText: string): { year: number; line: number } | null {
  // A table caption "（2022年度）" or a running "2023年度" names the year evaluated.
  const explicit = /[（(]\s*((?:19|20)\d{2})\s*年度?\s*[)）]/.exec(allText);
  if (explicit) return { year: Number(explicit[1]), line: lineAt(doc, explicit.index) };
  const counts = new Map<number, { n: number; first: number }>();
  const scrubbed = allText.replace(/《[^》]*》|〔[^〕]*〕|\[[^\]]*\]|﹝[^﹞]*﹞/g, (s) => " ".repeat(s.length));
  for (const m of allMatches(YEAR_OF_REPORT, scrubbed)) bump(counts, Number(m[1]), m.index!, 3);
  for (const m of allMatches(YEAR_MENTION, scrubbed)) bump(counts, Number(m[1]), m.index!, 1);
  if (!counts.size) return null;
  const [year, { first }] = [...counts.entries()].sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first)[0];
  return { year, line: lineAt(doc, first) };
}

function bump(counts: Map<number, { n: number; first: number }>, year: number, at: number, weight: number) {
  const c = counts.get(year);
  if (c) c.n += weight;
  else counts.set(year, { n: weight, first: at });
}

/** Maps an offset in the joined text (lines joined with "\n") back to a 1-based line. */
function lineAt(doc: DocumentModel, index: number): number {
  let pos = 0;
  for (let i = 0; i < doc.lines.length; i++) {
    pos += doc.lines[i].length + 1;
    if (pos > index) return i + 1;
  }
  return doc.lines.length;
}

function findEvaluationType(title: string | null, text: string): EvaluationType | null {
  // Sentences that name several kinds ("单位自评、部门评价和财政评价应职责明确…") state principles,
  // not this report's kind.
  const kinds = text.match(/单位自评|部门评价|财政评价|第三方评价/g)?.length ?? 0;
  const t = kinds < 2 ? text : text
    .split(/[。\n]/)
    .filter((s) => (s.match(/单位自评|部门评价|财政评价|第三方评价/g) ?? []).length < 2 && !/部门评价和财政评价|在单位自评的基础上/.test(s))
    .join("。");
  if (title && /自评/.test(title)) return "self";
  if (/第三方(?:机构)?(?:开展|实施|进行|独立)?(?:绩效)?评价|委托[^。]{0,20}(?:事务所|公司|机构)[^。]{0,20}评价/.test(t)) return "third_party";
  if (/财政(?:重点)?评价|财政部门(?:组织)?(?:开展|实施)[^。]{0,10}评价/.test(t)) return "finance";
  if (/部门(?:项目支出)?(?:绩效)?评价工作|开展本次部门|部门评价/.test(t)) return "department";
  if (/自评/.test(t)) return "self";
  return null;
}

/** Header values the template reader found in the token stream (a flattened or run-together table). */
export type TemplateHeader = Partial<Record<"project" | "department" | "unit", { value: string; line: number }>>;

export function extractHeader(doc: DocumentModel, fromTemplate: TemplateHeader = {}): HeaderFacts {
  const lines: Record<string, number> = {};
  const allText = documentText(doc);
  const labels = tableLabels(doc);
  for (const [name, key] of [["project", "project"], ["department", "department"], ["unit", "unit"]] as const) {
    const v = fromTemplate[key];
    if (v && !labels.has(name)) labels.set(name, v);
  }
  const title = findTitle(doc);
  if (title) lines.title = title.line;

  let projectName = labels.get("project")?.value ?? null;
  if (projectName) lines.projectName = labels.get("project")!.line;
  let department = labels.get("department")?.value ?? null;
  if (department) lines.department = labels.get("department")!.line;
  let implementingUnit = labels.get("unit")?.value ?? null;
  if (implementingUnit) lines.implementingUnit = labels.get("unit")!.line;

  for (const p of paragraphs(doc)) {
    if (projectName && department && implementingUnit) break;
    const text = p.folded.replace(/\s+/g, "");
    if (!projectName) {
      const v = labelled(text, PROJECT_LABELLED);
      if (v) {
        projectName = v;
        lines.projectName = p.line;
      }
    }
    if (!department) {
      const v = labelled(text, DEPARTMENT_LABELLED);
      if (v) {
        department = v;
        lines.department = p.line;
      }
    }
    if (!implementingUnit) {
      const v = labelled(text, UNIT_LABELLED);
      if (v) {
        implementingUnit = v;
        lines.implementingUnit = p.line;
      }
    }
  }

  if (!projectName && title) {
    projectName = projectFromTitle(title.text);
    if (projectName) lines.projectName = title.line;
  }
  if (!projectName) {
    // "X项目所包含的全部…" / "对X项目进行客观评价" name the object of the evaluation.
    for (const p of paragraphs(doc)) {
      const m = /^(.{2,40}?)项目所包含/.exec(p.text) ?? /对(.{2,40}?)项目进行[^。]{0,6}评价/.exec(p.text);
      if (m && !/部门|单位整体/.test(m[1])) {
        projectName = trimAll(m[1]);
        lines.projectName = p.line;
        break;
      }
    }
  }

  if (!department && implementingUnit) {
    department = implementingUnit;
    lines.department = lines.implementingUnit;
  }
  if (!department) {
    const orgs = organisations(allText);
    if (orgs.length) {
      department = orgs[0];
      const idx = allText.indexOf(orgs[0]);
      lines.department = lineAt(doc, idx);
    }
  }

  const year = findYear(doc, allText);
  if (year) lines.year = year.line;
  // A summary over many projects: 汇总 reports, and a department's 部门整体支出 self-evaluation.
  const isSummary = !!title && /汇总|部门整体|整体支出/.test(title.text);
  const region = regionOf(department) ?? regionOf(implementingUnit);
  return {
    title: title?.text ?? null,
    projectName: isSummary ? null : projectName,
    department,
    implementingUnit,
    region,
    year: year?.year ?? null,
    evaluationType: findEvaluationType(title?.text ?? null, allText),
    isSummary,
    lines,
  };
}
