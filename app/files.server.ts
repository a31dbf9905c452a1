/**
 * The bytes of every uploaded version, in the data directory under their sha256 — never under the
 * uploaded name, which is display text only. Written to a temporary name and renamed, so a file
 * is either whole or absent; the same bytes twice are one file.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDirectory } from "~/auth/secret.server";

const SHA256 = /^[0-9a-f]{64}$/;

function fileDirectory(): string {
  return path.join(dataDirectory(), "files");
}

export function storedPath(sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error("not a sha256");
  return path.join(fileDirectory(), sha256.slice(0, 2), sha256);
}

export function storeFile(bytes: Uint8Array): string {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const target = storedPath(sha256);
  if (fs.existsSync(target)) return sha256;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, bytes, { mode: 0o640 });
  fs.renameSync(tmp, target);
  return sha256;
}

export function readStoredFile(sha256: string): Buffer | null {
  try {
    return fs.readFileSync(storedPath(sha256));
  } catch {
    return null;
  }
}

export function hasStoredFile(sha256: string): boolean {
  return SHA256.test(sha256) && fs.existsSync(storedPath(sha256));
}

export function removeStoredFile(sha256: string): void {
  fs.rmSync(storedPath(sha256), { force: true });
}
