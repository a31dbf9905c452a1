/**
 * Password hashing with argon2id (@node-rs/argon2: the reference algorithm compiled from Rust,
 * shipped prebuilt, no node-gyp). Parameters are OWASP's argon2id minimum (19 MiB, 2 passes),
 * about 30 ms a hash here: slow enough to make guessing expensive, quick enough for a login.
 */
import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { ...OPTIONS, algorithm: 2 /* Algorithm.Argon2id (a const enum: not importable under isolatedModules) */ });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // a damaged hash is a failed login, not a crash
    return false;
  }
}

/** A password to hand out once: 16 characters from an alphabet without look-alikes (≈ 90 bits). */
export function generatePassword(length = 16): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(length * 2);
  let out = "";
  // rejection sampling keeps every character equally likely
  for (const b of bytes) {
    if (b >= 256 - (256 % alphabet.length)) continue;
    out += alphabet[b % alphabet.length];
    if (out.length === length) break;
  }
  return out.length === length ? out : generatePassword(length);
}

export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `密码至少 ${MIN_PASSWORD_LENGTH} 个字符`;
  if (password.length > 200) return "密码过长";
  return null;
}

/** A hash to verify against when the user does not exist, so that a login takes as long either way. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString("hex"));
  return dummy;
}
