/**
 * A page is made of sections that load independently: one failing query shows an error panel in
 * its place instead of taking the whole page down (and never sends a stack trace to the browser).
 */
import type { Section } from "./section";

export type { Section };

export async function section<T>(name: string, load: () => Promise<T> | T): Promise<Section<T>> {
  try {
    return { ok: true, data: await load() };
  } catch (err) {
    console.error(`[jixiao] section "${name}" failed:`, err);
    return { ok: false, error: "该部分数据查询失败，请稍后重试或检查数据库。" };
  }
}
