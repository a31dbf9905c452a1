/** The result of one independently loaded part of a page (see section.server.ts). */
export type Section<T> = { ok: true; data: T } | { ok: false; error: string };
