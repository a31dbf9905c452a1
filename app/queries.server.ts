/**
 * The query layer as the app sees it. Routes reach db/ only through app/*.server.ts modules, so
 * the classic Remix compiler keeps SQLite and Kysely out of the browser bundle.
 */
export * from "../db/queries/index";
