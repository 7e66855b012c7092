// Credential signing keys: where they come from, what is refused, demo keys, rotation (app/credentials/keys.server.ts).
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CredentialKeyRecord,
  ensureCredentialKeys,
  generateCredentialKeys,
  loadSigningKeys,
  rotateCredentialKeys,
} from "#app/credentials/keys.server";
import { TEST_CREDENTIAL_KEY_RECORDS, TEST_CREDENTIAL_KEYS } from "../support/test-keys";

const root = mkdtempSync(path.join(tmpdir(), "attune-credkeys-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const inline = (records: unknown) => ({ env: { NODE_ENV: "production", CREDENTIAL_KEYS: JSON.stringify(records) } });
const records = () => structuredClone(TEST_CREDENTIAL_KEY_RECORDS) as CredentialKeyRecord[];
const refused = (promise: Promise<unknown>, message: RegExp) =>
  expect(promise).rejects.toThrow(expect.objectContaining({ name: "CredentialKeyError", message: expect.stringMatching(message) }));

describe("keys from configuration", () => {
  it("reads inline keys (CREDENTIAL_KEYS) and names the active one of each type", async () => {
    const keys = await loadSigningKeys({ env: { NODE_ENV: "production", CREDENTIAL_KEYS: TEST_CREDENTIAL_KEYS } });
    expect(keys.source).toBe("inline");
    expect(keys.activeEd25519).toMatchObject({ kid: "ed25519-test", active: true, retired: null });
    expect(keys.activeRsa).toMatchObject({ kid: "rsa-test", active: true });
    const signer = await keys.ed25519Signer("https://attune.example/issuers/attune#ed25519-test");
    expect(signer).toMatchObject({ algorithm: "Ed25519", id: "https://attune.example/issuers/attune#ed25519-test" });
    expect(await signer.sign({ data: new Uint8Array([1, 2, 3]) })).toHaveLength(64);
  });

  it("refuses to start in production without keys, and names what to set", async () => {
    await refused(
      loadSigningKeys({ env: { NODE_ENV: "production" }, demoDir: path.join(root, "never") }),
      /CREDENTIAL_KEYS_DIR or CREDENTIAL_KEYS/,
    );
    expect(() => statSync(path.join(root, "never"))).toThrow();
  });

  it("refuses broken key sets with a message naming the problem, never a secret", async () => {
    const [ed, rsa] = records() as [Extract<CredentialKeyRecord, { type: "Ed25519" }>, Extract<CredentialKeyRecord, { type: "RSA" }>];
    await refused(loadSigningKeys(inline([ed])), /No RSA credential key may sign/);
    await refused(loadSigningKeys(inline([ed, rsa, { ...rsa }])), /appears twice/);
    await refused(loadSigningKeys(inline([{ ...ed, kid: "bad kid!" }, rsa])), /kid must be/);
    await refused(loadSigningKeys(inline([{ ...ed, secretKeyMultibase: undefined }, rsa])), /has no secretKeyMultibase/);
    await refused(loadSigningKeys(inline([ed, { ...rsa, retired: "2026-02-01T00:00:00Z" }])), /No RSA credential key may sign/);
    const other = (await generateCredentialKeys())[1] as Extract<CredentialKeyRecord, { type: "RSA" }>;
    await refused(loadSigningKeys(inline([ed, { ...rsa, publicKeyJwk: other.publicKeyJwk }])), /not the public half/);
    const short = {
      ...rsa,
      kid: "short",
      created: "2025-01-01T00:00:00Z",
      retired: "2025-06-01T00:00:00Z",
      publicKeyJwk: { kty: "RSA", n: "AQAB".repeat(40), e: "AQAB" },
    };
    await refused(loadSigningKeys(inline([ed, rsa, short])), /at least 2048/);
    await refused(loadSigningKeys({ env: { CREDENTIAL_KEYS: "{not json" } }), /not valid JSON/);
    const error = await loadSigningKeys(inline([{ ...ed, publicKeyMultibase: "nope" }, rsa])).catch((e: Error) => e.message);
    expect(error).toMatch(/publicKeyMultibase/);
    expect(error).not.toContain(ed.secretKeyMultibase);
    expect(error).not.toContain(rsa.privateKeyJwk?.d);
  });

  it("reads a directory of key files, refusing files others can read and files named after another kid", async () => {
    const dir = path.join(root, "dir");
    mkdirSync(dir, { mode: 0o700 });
    for (const r of records()) writeFileSync(path.join(dir, `${r.kid}.json`), JSON.stringify(r), { mode: 0o600 });
    const keys = await loadSigningKeys({ env: { NODE_ENV: "production", CREDENTIAL_KEYS_DIR: dir } });
    expect(keys.source).toBe("directory");
    expect(keys.rsa.map((k) => k.kid)).toEqual(["rsa-test"]);

    chmodSync(path.join(dir, "rsa-test.json"), 0o644);
    await refused(loadSigningKeys({ env: { CREDENTIAL_KEYS_DIR: dir } }), /chmod 600/);
    chmodSync(path.join(dir, "rsa-test.json"), 0o600);
    writeFileSync(path.join(dir, "other.json"), JSON.stringify(records()[0]), { mode: 0o600 });
    await refused(loadSigningKeys({ env: { CREDENTIAL_KEYS_DIR: dir } }), /name the file ed25519-test.json/);
    await refused(loadSigningKeys({ env: { CREDENTIAL_KEYS_DIR: path.join(root, "missing") } }), /does not exist/);
  });

  it("reads one JSON file holding them all", async () => {
    const file = path.join(root, "keys.json");
    writeFileSync(file, JSON.stringify({ keys: records() }), { mode: 0o600 });
    expect((await loadSigningKeys({ env: { CREDENTIAL_KEYS_DIR: file } })).activeEd25519.kid).toBe("ed25519-test");
  });
});

describe("demo keys", () => {
  it("are made once outside production (directory 0700, files 0600) and reused", async () => {
    const dir = path.join(root, "demo", "credentials");
    const first = await loadSigningKeys({ env: { NODE_ENV: "development" }, demoDir: dir });
    expect(first.source).toBe("demo");
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    for (const f of files) expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    expect(await ensureCredentialKeys(dir)).toEqual([]);
    const second = await loadSigningKeys({ env: { NODE_ENV: "test" }, demoDir: dir });
    expect(second.activeEd25519.kid).toBe(first.activeEd25519.kid);
    expect(readdirSync(dir).sort()).toEqual(files);
  });

  it("are made exactly once when several callers race", async () => {
    const dir = path.join(root, "race", "credentials");
    const made = await Promise.all([ensureCredentialKeys(dir), ensureCredentialKeys(dir), ensureCredentialKeys(dir)]);
    expect(made.filter((m) => m.length > 0)).toHaveLength(1);
    expect(readdirSync(dir)).toHaveLength(2);
  });
});

describe("rotation", () => {
  it("makes new keys that sign, retires the old ones without their private half, and keeps every public key", async () => {
    const dir = path.join(root, "rotate");
    const made = await ensureCredentialKeys(dir);
    const before = await loadSigningKeys({ env: { CREDENTIAL_KEYS_DIR: dir } });
    const rotation = await rotateCredentialKeys(dir, new Date(Date.now() + 1000));
    expect(rotation.retired.sort()).toEqual([...made].sort());
    const after = await loadSigningKeys({ env: { CREDENTIAL_KEYS_DIR: dir } });
    expect(after.activeEd25519.kid).not.toBe(before.activeEd25519.kid);
    expect(after.activeRsa.kid).not.toBe(before.activeRsa.kid);
    expect(rotation.created).toEqual([after.activeEd25519.kid, after.activeRsa.kid]);
    expect(after.ed25519.map((k) => [k.kid, k.active])).toEqual([
      [after.activeEd25519.kid, true],
      [before.activeEd25519.kid, false],
    ]);
    expect(after.rsa.find((k) => k.kid === before.activeRsa.kid)?.retired).toBeInstanceOf(Date);
    for (const kid of made) {
      const file = readFileSync(path.join(dir, `${kid}.json`), "utf8");
      expect(file).not.toMatch(/secretKeyMultibase|privateKeyJwk/);
      expect(statSync(path.join(dir, `${kid}.json`)).mode & 0o777).toBe(0o600);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("npm run keys:init-credentials / keys:rotate-credentials", () => {
  const run = (command: string, env: Record<string, string>) =>
    spawnSync("node_modules/.bin/tsx", ["scripts/credential-keys.ts", command], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", ...env } as unknown as NodeJS.ProcessEnv,
    });

  // Each run starts tsx (a few seconds on a busy machine).
  it("make the first keys once, rotate them, and print key ids only", { timeout: 60_000 }, () => {
    const dir = path.join(root, "script");
    const init = run("init", { NODE_ENV: "production", CREDENTIAL_KEYS_DIR: dir });
    expect(init.status).toBe(0);
    expect(init.stdout).toMatch(/made ed25519-\d{8}-[0-9a-f]{6}, rsa-\d{8}-[0-9a-f]{6}/);
    expect(run("init", { NODE_ENV: "production", CREDENTIAL_KEYS_DIR: dir }).stdout).toMatch(/already holds keys/);
    const rotate = run("rotate", { NODE_ENV: "production", CREDENTIAL_KEYS_DIR: dir });
    expect(rotate.status).toBe(0);
    expect(rotate.stdout).toMatch(/published 4/);
    const secrets = readdirSync(dir).map(
      (f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { secretKeyMultibase?: string; privateKeyJwk?: { d: string } },
    );
    for (const secret of secrets.flatMap((k) => [k.secretKeyMultibase, k.privateKeyJwk?.d]).filter(Boolean)) {
      expect(`${init.stdout}${rotate.stdout}`).not.toContain(secret);
    }
  });

  it("refuse to guess a directory in production, and inline keys", { timeout: 60_000 }, () => {
    const none = run("rotate", { NODE_ENV: "production" });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/Set CREDENTIAL_KEYS_DIR/);
    expect(run("rotate", { CREDENTIAL_KEYS: TEST_CREDENTIAL_KEYS }).status).toBe(1);
    expect(run("other", { CREDENTIAL_KEYS_DIR: path.join(root, "script") }).status).toBe(2);
  });
});
