/**
 * The production server: `npm start` builds the Remix app and runs this file with tsx.
 * Env: DATABASE_PATH (default data/jixiao.db), PORT (default 3000; 0 picks a free port),
 * DEMO=0 to keep an empty database empty (tests), HOST (default 0.0.0.0), SESSION_SECRET (else one is
 * generated into the data directory), COOKIE_SECURE=1 behind HTTPS, TRUST_PROXY (Express's
 * setting, for the client address behind a reverse proxy).
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import express from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { closeDb, databaseLabel, initDb } from "./db.server";
import { hasReports, loadDemo } from "./demo.server";
import { ensureDemoUsers } from "./auth/demo-users.server";
import { dataDirectory, sessionSecret } from "./auth/secret.server";

const root = process.cwd();

/** Loaders and actions learn the client's address from here (the 操作日志 and the login limit). */
function getLoadContext(req: express.Request) {
  return { clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown" };
}
const buildPath = path.join(root, "build", "index.js");

async function main(): Promise<void> {
  const db = await initDb().catch((err: unknown) => {
    throw new Error(`cannot open the database ${databaseLabel()}: ${err instanceof Error ? err.message : String(err)}`);
  });
  // a URL's password is not for the log
  console.log(`database: ${databaseLabel()}`);
  if (process.env.DEMO !== "0" && !(await hasReports(db))) {
    console.log("the database is empty: loading the demo jurisdiction (set DEMO=0 to skip)…");
    try {
      await loadDemo(db);
    } catch (err) {
      // The dashboard still serves (with its empty state) when the demo cannot be generated.
      console.error(`demo load failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  // Generated (or read) before the first request, so that a bad SESSION_SECRET stops the start.
  sessionSecret();
  if (!process.env.SESSION_SECRET) console.log(`session key: ${path.join(dataDirectory(), "session-secret")} (set SESSION_SECRET to use your own)`);
  await ensureDemoUsers(db);

  const development = process.env.NODE_ENV === "development";
  const importBuild = async (): Promise<ServerBuild> => {
    // A changing query string makes Node load a rebuilt bundle instead of its cached module.
    const url = pathToFileURL(buildPath).href + (development ? `?t=${Date.now()}` : "");
    try {
      return (await import(url)) as ServerBuild;
    } catch (err) {
      throw new Error(`cannot load the Remix build at ${buildPath} — run \`npm run build\` first (${String(err)})`);
    }
  };
  let build = await importBuild();

  const app = express();
  app.disable("x-powered-by");
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);
  app.use(compression());
  // Fingerprinted assets never change under the same name.
  app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
  app.all(
    "*",
    development
      ? (req, res, next) => createRequestHandler({ build, mode: "development", getLoadContext })(req, res, next)
      : createRequestHandler({ build, mode: "production", getLoadContext }),
  );

  const port = Number.parseInt(process.env.PORT ?? "3000", 10);
  const host = process.env.HOST ?? "0.0.0.0";
  const server = app.listen(Number.isFinite(port) ? port : 3000, host, () => {
    const { port: actual } = server.address() as AddressInfo;
    console.log(`Jixiao is running at http://localhost:${actual}/`);
    if (development) void watchBuild();
  });

  // `npm run dev` (remix dev --manual): reload the bundle whenever the compiler rewrites it.
  const watchBuild = async () => {
    const { broadcastDevReady } = await import("@remix-run/node");
    await broadcastDevReady(build);
    let timer: NodeJS.Timeout | undefined;
    fs.watch(path.dirname(buildPath), () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        try {
          build = await importBuild();
          await broadcastDevReady(build);
        } catch (err) {
          console.error(String(err));
        }
      }, 100);
    });
  };

  const stop = () => {
    server.close(() => {
      closeDb();
      process.exit(0);
    });
    // Keep-alive connections would hold close() open; do not wait for them forever.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
