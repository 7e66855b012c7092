import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newDataKey } from "#app/storage/format.server";
import { DEMO_KEY_FILE, loadKeyring, parseMasterKeys } from "#app/storage/keys.server";

const b64 = () => randomBytes(32).toString("base64");
const root = mkdtempSync(path.join(tmpdir(), "attune-keys-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const configError = (fn: () => unknown, message: RegExp) =>
  expect(fn).toThrow(expect.objectContaining({ code: "config", message: expect.stringMatching(message) }));

describe("master keys from configuration", () => {
  it("reads one key as the current key, and several with the current one named", () => {
    expect(parseMasterKeys(`k1:${b64()}`, undefined).currentId).toBe("k1");
    const ring = parseMasterKeys(` old:${b64()} , new:${b64()} `, "new");
    expect(ring.currentId).toBe("new");
    expect(ring.keyIds).toEqual(["old", "new"]);
  });

  it("refuses malformed configuration with a message naming what is wrong, never the key", () => {
    const secret = b64();
    configError(() => parseMasterKeys(`a:${secret},b:${b64()}`, undefined), /RECORDING_CURRENT_KEY_ID/);
    configError(() => parseMasterKeys(`a:${secret}`, "b"), /current master key "b"/);
    configError(() => parseMasterKeys(`a:${secret},a:${b64()}`, "a"), /appears twice/);
    configError(() => parseMasterKeys(`a:${randomBytes(16).toString("base64")}`, undefined), /32 bytes/);
    configError(() => parseMasterKeys("a:not base64!", undefined), /not base64/);
    configError(() => parseMasterKeys(secret, undefined), /kid:base64key/);
    configError(() => parseMasterKeys("bad id!:AAAA", undefined), /letters, digits/);
    configError(() => parseMasterKeys(" , ", undefined), /no keys/);
    const error = (() => {
      try {
        parseMasterKeys(`a:${secret}x`, undefined);
      } catch (e) {
        return String(e);
      }
    })();
    expect(error).toMatch(/not base64/);
    expect(error).not.toContain(secret);
  });

  it("wraps with the current key and unwraps with any key in the ring", () => {
    const old = b64();
    const before = parseMasterKeys(`old:${old}`, undefined);
    const dataKey = newDataKey();
    const wrapped = before.wrap(dataKey, "rec-1");
    expect(wrapped.keyId).toBe("old");
    expect(wrapped.wrapped).toHaveLength(60);
    expect(wrapped.wrapped.includes(dataKey)).toBe(false);
    const after = parseMasterKeys(`old:${old},new:${b64()}`, "new");
    expect(after.unwrap(wrapped, "rec-1").equals(dataKey)).toBe(true);
    const rotated = after.rewrap(wrapped, "rec-1");
    expect(rotated.keyId).toBe("new");
    expect(after.unwrap(rotated, "rec-1").equals(dataKey)).toBe(true);
  });
});

describe("loading the keyring", () => {
  it("prefers RECORDING_MASTER_KEYS", () => {
    const ring = loadKeyring({
      env: { NODE_ENV: "production", RECORDING_MASTER_KEYS: `prod-2026:${b64()}` },
      keysDir: path.join(root, "unused"),
    });
    expect(ring).toMatchObject({ currentId: "prod-2026", source: "config" });
    expect(() => statSync(path.join(root, "unused"))).toThrow();
  });

  it("refuses to start in production without keys", () => {
    configError(() => loadKeyring({ env: { NODE_ENV: "production" }, keysDir: path.join(root, "prod") }), /must be set in production/);
  });

  it("creates a demo key once outside production, mode 0600, and reuses it", () => {
    const dir = path.join(root, "demo");
    const first = loadKeyring({ env: { NODE_ENV: "development" }, keysDir: dir });
    const file = path.join(dir, DEMO_KEY_FILE);
    expect(first.source).toBe("demo-file");
    expect(first.currentId).toMatch(/^demo-[0-9a-f]{8}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const content = readFileSync(file, "utf8");
    const second = loadKeyring({ env: { NODE_ENV: "development" }, keysDir: dir });
    expect(second.currentId).toBe(first.currentId);
    expect(readFileSync(file, "utf8")).toBe(content);
    const wrapped = first.wrap(newDataKey(), "rec-demo");
    expect(second.unwrap(wrapped, "rec-demo")).toHaveLength(32);
  });

  it("refuses a demo key file that others can read", () => {
    const dir = path.join(root, "open");
    loadKeyring({ env: {}, keysDir: dir });
    chmodSync(path.join(dir, DEMO_KEY_FILE), 0o644);
    configError(() => loadKeyring({ env: {}, keysDir: dir }), /chmod 600/);
  });
});
