/** Calling route handlers in-process as Remix would, with a session cookie. */
export type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown;

export interface Call {
  method?: "GET" | "POST";
  url: string;
  params?: Record<string, string>;
  cookie?: string;
  body?: BodyInit;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  location: string | null;
  response: Response;
}

/** Runs a loader or action; a thrown Response (redirect, 401, 403, 404) is the answer too. */
export async function call(handler: unknown, c: Call): Promise<Answer> {
  const headers: Record<string, string> = { ...(c.headers ?? {}) };
  if (c.cookie) headers.cookie = c.cookie;
  const request = new Request(`http://test${c.url}`, { method: c.method ?? "GET", body: c.body, headers });
  let response: Response;
  try {
    response = (await (handler as Handler)({ request, params: c.params ?? {}, context: { clientAddress: "192.0.2.7" } })) as Response;
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  return { status: response.status, location: response.headers.get("location"), response };
}

/** A text report the real parser reads (department, project, year, budget, score). */
export function reportText(o: { department: string; project: string; year: number; budget: string; spent: string; score: string; grade?: string; extra?: string }): Uint8Array<ArrayBuffer> {
  const lines = [
    `${o.project}支出绩效自评报告`,
    `项目名称：${o.project}`,
    `主管部门：${o.department}`,
    `评价年度：${o.year}年`,
    `全年预算数：${o.budget}万元`,
    `全年执行数：${o.spent}万元`,
    `自评得分：${o.score}分，评价等级：${o.grade ?? "良"}`,
  ];
  if (o.extra) lines.push(o.extra);
  return new Uint8Array(new TextEncoder().encode(lines.join("\n") + "\n"));
}
